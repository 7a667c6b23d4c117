// SPDX-License-Identifier: GPL-2.0-or-later
// End-to-end over every real lspci hex dump: the collector's pci_function facts equal what lspci -vvv printed.
#include "testutil.h"

#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

/*
 * Each pcihex-* fixture holds `lspci-vvvxxxx.txt` (a device's `lspci -vvv` text followed by its
 * `-xxxx` hex dump, as pciutils' tests ship them) and `lspci-F-vvvnn.txt` (`lspci -F` of the same
 * file by pciutils 3.9.0). The tool reads the hex through libpci's dump method (`--lspci-dump`,
 * which skips the text lines); both texts are then parsed here, and every register lspci decoded
 * (ACS, ATS, PRI, PASID, SR-IOV, the capability offsets) is compared with the database row.
 * Two of the eleven verbatim files carry no verbose text (only the header line and the hex);
 * their devices are checked against the lspci -F text alone.
 */

/* ---------------------------------------------------------------------------------------------
 * What lspci printed for one function (pciutils ls-ecaps.c cap_acs/cap_ats/cap_pri/cap_pasid/
 * cap_sriov formats; older lspci versions put commas between flags, which the parser allows)
 * ------------------------------------------------------------------------------------------- */

#define MAX_DEVS 64
#define MAX_CAPS 64

struct lspci_dev {
	char bdf[16];                   /* DDDD:BB:DD.F */
	bool verbose;                   /* indented lines follow the header line */
	bool caps_denied;               /* "Capabilities: <access denied>" */
	unsigned cap_off[MAX_CAPS];     /* every "Capabilities: [off" in order */
	size_t n_caps;
	int pcie_version;               /* "Express (vN)"; 0 when absent */
	int eetlp;                      /* DevCap2 EETLPPrefix+/-; -1 when not printed */

	bool acs;
	unsigned acs_off;
	int acs_cap, acs_ctrl;          /* low 7 bits; -1 when the line is absent */
	bool ats;
	int ats_iqd, ats_enable, ats_stu;
	bool pri;
	int pri_ctrl, pri_status;       /* rebuilt from the printed flags */
	int pri_status_mask;            /* the status bits this lspci printed */
	bool pasid;
	int pasid_cap_flags, pasid_width, pasid_ctrl;
	bool sriov;
	int iov_ctrl, iov_ctrl_mask;
	long total_vfs, num_vfs, vf_offset, vf_stride, vf_device;
};

struct lspci_text {
	struct lspci_dev d[MAX_DEVS];
	size_t n;
};

/* "BB:DD.F " or "DDDD:BB:DD.F " opening a line: a device header (hex lines are "xx: " or "xxx: "). */
static bool hex_bdf_line(const char *l, char *bdf, size_t cap)
{
	unsigned dom = 0, bus, dev, fn;
	int used = 0;
	bool has_dom = strspn(l, "0123456789abcdef") == 4 && l[4] == ':';

	if (has_dom) {
		if (sscanf(l, "%4x:%2x:%2x.%1u%n", &dom, &bus, &dev, &fn, &used) != 4 || used != 12)
			return false;
	} else if (strspn(l, "0123456789abcdef") != 2 || l[2] != ':' ||
		   sscanf(l, "%2x:%2x.%1u%n", &bus, &dev, &fn, &used) != 3 || used != 7) {
		return false;
	}
	if (l[used] != ' ' || dev > 31 || fn > 7)
		return false;
	snprintf(bdf, cap, "%04x:%02x:%02x.%u", dom, bus, dev, fn);
	return true;
}

/* The sign of flag @name ("Enable" in "Enable+," or "Enable-"): 1, 0, or -1 when absent. */
static int flag(const char *line, const char *name)
{
	size_t nl = strlen(name);

	for (const char *p = line; (p = strstr(p, name)); p += nl) {
		bool start = p == line || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ',' || p[-1] == ':';
		if (start && (p[nl] == '+' || p[nl] == '-'))
			return p[nl] == '+';
	}
	return -1;
}

/* The number after "@key" (e.g. "Total VFs: "), in @base; -1 when absent. */
static long number_after(const char *line, const char *key, int base)
{
	const char *p = strstr(line, key);

	if (!p)
		return -1;
	char *end;
	long v = strtol(p + strlen(key), &end, base);
	return end == p + strlen(key) ? -1 : v;
}

/* Fold @sign into @val at @bit, and mark the bit known in @mask. */
static void fold(int sign, int bit, int *val, int *mask)
{
	if (sign < 0)
		return;
	if (sign)
		*val |= bit;
	if (mask)
		*mask |= bit;
}

static const char *const acs_names[] = { "SrcValid", "TransBlk", "ReqRedir", "CmpltRedir",
					  "UpstreamFwd", "EgressCtrl", "DirectTrans" };

static int acs_bits(const char *line)
{
	int v = 0;

	for (int b = 0; b < 7; b++) {
		int f = flag(line, acs_names[b]);
		if (f < 0)
			return -1;
		v |= f << b;
	}
	return v;
}

static void parse_lspci(const char *path, struct lspci_text *t)
{
	size_t len;
	char *text = (char *)ia_slurp(path, &len), *save = NULL;
	struct lspci_dev *d = NULL;
	enum { C_OTHER, C_EXP, C_ACS, C_ATS, C_PRI, C_PASID, C_SRIOV } cur = C_OTHER;

	if (!text)
		fail_msg("cannot read %s", path);
	memset(t, 0, sizeof(*t));
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char bdf[16];

		if (hex_bdf_line(l, bdf, sizeof(bdf))) {
			assert_true(t->n < MAX_DEVS);
			d = &t->d[t->n++];
			memset(d, 0, sizeof(*d));
			snprintf(d->bdf, sizeof(d->bdf), "%s", bdf);
			d->eetlp = -1;
			cur = C_OTHER;
			continue;
		}
		if (!d || (l[0] != '\t' && l[0] != ' '))
			continue;               /* hex lines, blank lines */
		d->verbose = true;
		const char *s = l;
		while (*s == ' ' || *s == '\t')
			s++;
		if (!strncmp(s, "Capabilities: <access denied>", 29)) {
			d->caps_denied = true;
			continue;
		}
		unsigned off;
		if (sscanf(s, "Capabilities: [%x", &off) == 1) {
			const char *name = strchr(s, ']');
			assert_non_null(name);
			assert_true(d->n_caps < MAX_CAPS);
			d->cap_off[d->n_caps++] = off;
			cur = C_OTHER;
			if (strstr(name, "] Express (v")) {
				d->pcie_version = atoi(strstr(name, "(v") + 2);
				cur = C_EXP;
			} else if (strstr(name, "] Access Control Services")) {
				d->acs = true;
				d->acs_off = off;
				d->acs_cap = d->acs_ctrl = -1;
				cur = C_ACS;
			} else if (strstr(name, "(ATS)")) {
				d->ats = true;
				d->ats_iqd = d->ats_enable = d->ats_stu = -1;
				cur = C_ATS;
			} else if (strstr(name, "(PRI)")) {
				d->pri = true;
				cur = C_PRI;
			} else if (strstr(name, "(PASID)")) {
				d->pasid = true;
				d->pasid_width = -1;
				cur = C_PASID;
			} else if (strstr(name, "(SR-IOV)")) {
				d->sriov = true;
				d->total_vfs = d->num_vfs = d->vf_offset = d->vf_stride = d->vf_device = -1;
				cur = C_SRIOV;
			}
			continue;
		}
		switch (cur) {
		case C_EXP:
			if (flag(s, "EETLPPrefix") >= 0)
				d->eetlp = flag(s, "EETLPPrefix");
			break;
		case C_ACS:
			if (!strncmp(s, "ACSCap:", 7))
				d->acs_cap = acs_bits(s);
			else if (!strncmp(s, "ACSCtl:", 7))
				d->acs_ctrl = acs_bits(s);
			break;
		case C_ATS:
			if (!strncmp(s, "ATSCap:", 7)) {
				d->ats_iqd = (int)number_after(s, "Invalidate Queue Depth: ", 16);
			} else if (!strncmp(s, "ATSCtl:", 7)) {
				d->ats_enable = flag(s, "Enable");
				d->ats_stu = (int)number_after(s, "Smallest Translation Unit: ", 16);
			}
			break;
		case C_PRI:
			if (!strncmp(s, "PRICtl:", 7)) {
				fold(flag(s, "Enable"), 0x1, &d->pri_ctrl, NULL);
				fold(flag(s, "Reset"), 0x2, &d->pri_ctrl, NULL);
			} else if (!strncmp(s, "PRISta:", 7)) {
				fold(flag(s, "RF"), 0x1, &d->pri_status, &d->pri_status_mask);
				fold(flag(s, "UPRGI"), 0x2, &d->pri_status, &d->pri_status_mask);
				fold(flag(s, "Stopped"), 0x100, &d->pri_status, &d->pri_status_mask);
				fold(flag(s, "PASID"), 0x8000, &d->pri_status, &d->pri_status_mask);
			}
			break;
		case C_PASID:
			if (!strncmp(s, "PASIDCap:", 9)) {
				fold(flag(s, "Exec"), 0x2, &d->pasid_cap_flags, NULL);
				fold(flag(s, "Priv"), 0x4, &d->pasid_cap_flags, NULL);
				d->pasid_width = (int)number_after(s, "Max PASID Width: ", 16);
			} else if (!strncmp(s, "PASIDCtl:", 9)) {
				fold(flag(s, "Enable"), 0x1, &d->pasid_ctrl, NULL);
				fold(flag(s, "Exec"), 0x2, &d->pasid_ctrl, NULL);
				fold(flag(s, "Priv"), 0x4, &d->pasid_ctrl, NULL);
			}
			break;
		case C_SRIOV:
			if (!strncmp(s, "IOVCtl:", 7)) {
				fold(flag(s, "Enable"), 0x1, &d->iov_ctrl, &d->iov_ctrl_mask);
				fold(flag(s, "Migration"), 0x2, &d->iov_ctrl, &d->iov_ctrl_mask);
				fold(flag(s, "Interrupt"), 0x4, &d->iov_ctrl, &d->iov_ctrl_mask);
				fold(flag(s, "MSE"), 0x8, &d->iov_ctrl, &d->iov_ctrl_mask);
				fold(flag(s, "ARIHierarchy"), 0x10, &d->iov_ctrl, &d->iov_ctrl_mask);
				fold(flag(s, "10BitTagReq"), 0x20, &d->iov_ctrl, &d->iov_ctrl_mask);
			} else if (strstr(s, "Total VFs: ")) {
				d->total_vfs = number_after(s, "Total VFs: ", 10);
				d->num_vfs = number_after(s, "Number of VFs: ", 10);
			} else if (strstr(s, "VF offset: ")) {
				d->vf_offset = number_after(s, "VF offset: ", 10);
				d->vf_stride = number_after(s, "stride: ", 10);
				d->vf_device = number_after(s, "Device ID: ", 16);
			}
			break;
		case C_OTHER:
			break;
		}
	}
	free(text);
}

/* ---------------------------------------------------------------------------------------------
 * The database side
 * ------------------------------------------------------------------------------------------- */

struct row {
	bool found;
	long long v[32];
	bool null[32];
};

static const char *const row_cols[] = {
	"is_pcie", "devcap2", "eetlp_prefix", "has_acs", "acs_offset", "acs_cap", "acs_ctrl",
	"has_ats", "ats_cap", "ats_ctrl", "has_pri", "pri_ctrl", "pri_status", "has_pasid",
	"pasid_cap", "pasid_ctrl", "has_sriov", "sriov_ctrl", "sriov_total_vfs", "sriov_num_vfs",
	"sriov_vf_offset", "sriov_vf_stride", "sriov_vf_device", "caps_complete", "config_bytes",
};
enum { R_PCIE, R_DEVCAP2, R_EETLP, R_ACS, R_ACS_OFF, R_ACS_CAP, R_ACS_CTRL, R_ATS, R_ATS_CAP,
       R_ATS_CTRL, R_PRI, R_PRI_CTRL, R_PRI_STATUS, R_PASID, R_PASID_CAP, R_PASID_CTRL, R_SRIOV,
       R_SRIOV_CTRL, R_TOTAL, R_NUM, R_OFFSET, R_STRIDE, R_VFDEV, R_COMPLETE, R_CFG_BYTES, R_N };

static void db_row(sqlite3 *db, const char *bdf, struct row *r)
{
	char sql[1024] = "SELECT ";
	sqlite3_stmt *st;

	for (int i = 0; i < R_N; i++) {
		strcat(sql, row_cols[i]);
		strcat(sql, i + 1 < R_N ? ", " : " FROM pci_function WHERE bdf = ?");
	}
	memset(r, 0, sizeof(*r));
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, bdf, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW) {
		r->found = true;
		for (int i = 0; i < R_N; i++) {
			r->null[i] = sqlite3_column_type(st, i) == SQLITE_NULL;
			r->v[i] = sqlite3_column_int64(st, i);
		}
	}
	sqlite3_finalize(st);
}

/* The offsets of the capabilities the collector stored for @bdf, ascending. */
static size_t db_cap_offsets(sqlite3 *db, const char *bdf, unsigned *off, size_t cap)
{
	sqlite3_stmt *st;
	size_t n = 0;

	assert_int_equal(sqlite3_prepare_v2(db, "SELECT offset FROM pci_capability WHERE bdf = ? ORDER BY offset",
					    -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_text(st, 1, bdf, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && n < cap)
		off[n++] = (unsigned)sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

/* Where a comparison happens, for failure messages. */
struct where {
	const char *fixture, *text, *bdf;
	size_t *checks;
};

/* Column @col of @r, masked with @mask, must equal @want (and not be NULL). */
static void expect_bits(const struct where *w, const struct row *r, int col, long long mask,
			long long want)
{
	if (r->null[col] || (r->v[col] & mask) != want)
		fail_msg("%s (%s) %s: %s is %s%#llx (mask %#llx), lspci shows %#llx", w->fixture, w->text,
			 w->bdf, row_cols[col], r->null[col] ? "NULL " : "", r->v[col], mask, want);
	(*w->checks)++;
}

static void expect_col(const struct where *w, const struct row *r, int col, long long want)
{
	expect_bits(w, r, col, -1LL, want);
}

/* Check every device of @t that carries verbose text; returns the number of values compared. */
static size_t check_text(sqlite3 *db, const char *cname, const char *src, const struct lspci_text *t,
			 size_t *verified)
{
	size_t checks = 0;

	for (size_t i = 0; i < t->n; i++) {
		const struct lspci_dev *x = &t->d[i];
		const struct where w = { cname, src, x->bdf, &checks };
		struct row r;

		db_row(db, x->bdf, &r);
		if (!r.found)
			fail_msg("%s (%s): %s is not in pci_function", cname, src, x->bdf);
		if (!x->verbose || x->caps_denied)
			continue;
		(*verified)++;
		/* lspci walked the whole config space it printed: so did the collector. */
		expect_col(&w, &r, R_COMPLETE, 1);
		expect_col(&w, &r, R_PCIE, x->pcie_version > 0);
		/* DevCap2 exists from capability version 2 on (lspci prints "Express (v2)"). */
		if (x->pcie_version > 0 && r.null[R_DEVCAP2] != (x->pcie_version < 2))
			fail_msg("%s (%s) %s: devcap2 is %s for an Express (v%d) capability", cname, src,
				 x->bdf, r.null[R_DEVCAP2] ? "NULL" : "set", x->pcie_version);
		checks++;
		if (x->eetlp >= 0)
			expect_col(&w, &r, R_EETLP, x->eetlp);

		/* The same capabilities at the same offsets. */
		unsigned want[MAX_CAPS], got[MAX_CAPS];
		memcpy(want, x->cap_off, x->n_caps * sizeof(*want));
		qsort(want, x->n_caps, sizeof(*want), cmp_unsigned);
		size_t ng = db_cap_offsets(db, x->bdf, got, MAX_CAPS);
		if (ng != x->n_caps || memcmp(want, got, ng * sizeof(*got)) != 0)
			fail_msg("%s (%s) %s: %zu capabilities stored, lspci shows %zu (or offsets differ)",
				 cname, src, x->bdf, ng, x->n_caps);
		checks++;

		expect_col(&w, &r, R_ACS, x->acs);
		if (x->acs) {
			expect_col(&w, &r, R_ACS_OFF, x->acs_off);
			assert_true(x->acs_cap >= 0 && x->acs_ctrl >= 0);
			expect_bits(&w, &r, R_ACS_CAP, 0x7f, x->acs_cap);
			expect_bits(&w, &r, R_ACS_CTRL, 0x7f, x->acs_ctrl);
		}
		expect_col(&w, &r, R_ATS, x->ats);
		if (x->ats) {
			assert_true(x->ats_iqd >= 0 && x->ats_enable >= 0 && x->ats_stu >= 0);
			expect_bits(&w, &r, R_ATS_CAP, 0x1f, x->ats_iqd);
			expect_bits(&w, &r, R_ATS_CTRL, 0x801f, (x->ats_enable << 15) | x->ats_stu);
		}
		expect_col(&w, &r, R_PRI, x->pri);
		if (x->pri) {
			expect_bits(&w, &r, R_PRI_CTRL, 0x3, x->pri_ctrl);
			assert_true(x->pri_status_mask != 0);
			expect_bits(&w, &r, R_PRI_STATUS, x->pri_status_mask, x->pri_status);
		}
		expect_col(&w, &r, R_PASID, x->pasid);
		if (x->pasid) {
			assert_true(x->pasid_width >= 0);
			expect_bits(&w, &r, R_PASID_CAP, 0x1f06, (x->pasid_width << 8) | x->pasid_cap_flags);
			expect_bits(&w, &r, R_PASID_CTRL, 0x7, x->pasid_ctrl);
		}
		expect_col(&w, &r, R_SRIOV, x->sriov);
		if (x->sriov) {
			assert_true(x->total_vfs >= 0 && x->num_vfs >= 0 && x->vf_offset >= 0 &&
				    x->vf_stride >= 0 && x->vf_device >= 0 && x->iov_ctrl_mask != 0);
			expect_bits(&w, &r, R_SRIOV_CTRL, x->iov_ctrl_mask, x->iov_ctrl);
			expect_col(&w, &r, R_TOTAL, x->total_vfs);
			expect_col(&w, &r, R_NUM, x->num_vfs);
			expect_col(&w, &r, R_OFFSET, x->vf_offset);
			expect_col(&w, &r, R_STRIDE, x->vf_stride);
			expect_col(&w, &r, R_VFDEV, x->vf_device);
		}
	}
	return checks;
}

/* ---------------------------------------------------------------------------------------------
 * The cases: one per fixture, with the counts read off its lspci -F text and one register value
 * checked by hand against the hex dump
 * ------------------------------------------------------------------------------------------- */

struct hex_case {
	const char *name;
	size_t functions, acs, ats, pri, pasid, sriov;  /* functions with each capability */
	const char *spot_bdf, *spot_sql;                /* one value read by hand off the hex */
	long long spot_value;
};

static const struct hex_case hex_cases[] = {
	{ "pcihex-adnaco-endpoint-acs-sriov-pasid", 1, 1, 0, 0, 1, 1,
	  "0000:e1:00.0", "sriov_vf_device", 0x50a5 },          /* 0x160: 00 00 a5 50 */
	{ "pcihex-amd-fiji-ats-pri-pasid", 1, 0, 1, 1, 1, 0,
	  "0000:09:00.0", "pasid_cap", 0x1006 },                /* 0x2d4: 06 10 */
	{ "pcihex-asus-p6t6-x58-full-tree", 53, 4, 0, 0, 0, 0,
	  "0000:00:00.0", "acs_offset", 0x150 },                /* 0x150: 0d 00 01 16 */
	{ "pcihex-cavium-thunderx-sriov-ea", 1, 0, 0, 0, 0, 1,
	  "0002:01:00.0", "sriov_num_vfs", 128 },               /* 0x190: 80 00 */
	{ "pcihex-haswell-ep-rootport-acs-enabled", 2, 1, 0, 0, 0, 0,
	  "0000:00:02.0", "acs_ctrl", 0x001f },                 /* 0x116: 1f 00 */
	{ "pcihex-intel-82576-sriov", 1, 0, 0, 0, 0, 1,
	  "0000:01:00.0", "sriov_vf_offset", 384 },
	{ "pcihex-intel-cxl-sriov-pasid", 2, 0, 1, 1, 1, 1,
	  "0000:6b:00.0", "pasid_cap", 0x1406 },
	{ "pcihex-intel-dsa-pri-pasid", 1, 0, 1, 1, 1, 0,
	  "0000:6a:01.0", "pri_status", 0x8100 },               /* Stopped+ PASID+ */
	{ "pcihex-skylake-igd-pasid-ats-pri", 1, 0, 1, 1, 1, 0,
	  "0000:00:02.0", "ats_ctrl", 0x8000 },                 /* Enable+, STU 0 */
	{ "pcihex-sunrise-point-rp-acs-thunderbolt3", 4, 1, 0, 0, 0, 0,
	  "0000:00:1c.0", "acs_cap", 0x000f },                  /* SV TB RR CR, no UF */
	{ "pcihex-x58-rootport-acs", 1, 1, 0, 0, 0, 0,
	  "0000:00:01.0", "acs_ctrl", 0x0000 },
};

static long long db_scalar(sqlite3 *db, const char *sql, const char *bdf)
{
	sqlite3_stmt *st;
	long long v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (bdf)
		sqlite3_bind_text(st, 1, bdf, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* The temporary directory of the running case, removed by remove_work() even after a failure. */
static char work[64];

static int remove_work(void **state)
{
	char cmd[128];
	(void)state;

	if (work[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", work);
		if (system(cmd) != 0)
			return -1;
		work[0] = '\0';
	}
	return 0;
}

static void run_case(const struct hex_case *c)
{
	char root[96], dbp[96], dump[4096], ftext[4096], cmd[8192];
	sqlite3 *db = NULL;
	int status = -1;
	static struct lspci_text vt, ft;

	snprintf(work, sizeof(work), "/tmp/ia-pcihex-XXXXXX");
	assert_non_null(mkdtemp(work));
	snprintf(root, sizeof(root), "%s/root", work);
	snprintf(dbp, sizeof(dbp), "%s/facts.db", work);
	assert_int_equal(mkdir(root, 0700), 0);
	snprintf(dump, sizeof(dump), "%s", ia_fixture(c->name));
	strcat(dump, "/lspci-vvvxxxx.txt");
	snprintf(ftext, sizeof(ftext), "%s/%s/lspci-F-vvvnn.txt", ia_fixture(""), c->name);
	if (access(dump, R_OK) != 0)
		fail_msg("%s: %s is missing", c->name, dump);

	/* The verbatim file goes to libpci's dump method as it is: its text lines are skipped. */
	snprintf(cmd, sizeof(cmd), "'%s' collect --lspci-dump '%s' --root '%s' --db '%s' 2>&1", IA_BIN,
		 dump, root, dbp);
	char *out = ia_run_capture(cmd, &status);
	if (status != 0)
		fail_msg("%s: iommu-audit collect exited %d: %s", c->name, status, out ? out : "");
	free(out);
	assert_int_equal(sqlite3_open_v2(dbp, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);

	/* Every function of the dump became a row, read whole (no 64-byte header-only reads). */
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function", NULL), (long long)c->functions);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE config_bytes < 256", NULL), 0);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE caps_complete = 1", NULL),
			 (long long)c->functions);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE has_acs = 1", NULL), (long long)c->acs);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE has_ats = 1", NULL), (long long)c->ats);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE has_pri = 1", NULL), (long long)c->pri);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE has_pasid = 1", NULL), (long long)c->pasid);
	assert_int_equal(db_scalar(db, "SELECT count(*) FROM pci_function WHERE has_sriov = 1", NULL), (long long)c->sriov);

	/* The hand-read value. */
	char sql[256];
	snprintf(sql, sizeof(sql), "SELECT %s FROM pci_function WHERE bdf = ?", c->spot_sql);
	long long spot = db_scalar(db, sql, c->spot_bdf);
	if (spot != c->spot_value)
		fail_msg("%s: %s of %s is %lld, the hex dump holds %lld", c->name, c->spot_sql, c->spot_bdf,
			 spot, c->spot_value);

	/* Field by field against both texts. */
	size_t verified_v = 0, verified_f = 0, checks = 0;
	parse_lspci(dump, &vt);
	parse_lspci(ftext, &ft);
	assert_int_equal(vt.n, c->functions);
	assert_int_equal(ft.n, c->functions);
	checks += check_text(db, c->name, "lspci-vvvxxxx.txt", &vt, &verified_v);
	checks += check_text(db, c->name, "lspci-F-vvvnn.txt", &ft, &verified_f);
	/* lspci -F decodes every function; the text counts must match what the rows say. */
	assert_int_equal(verified_f, c->functions);
	size_t n_acs = 0, n_sriov = 0;
	for (size_t i = 0; i < ft.n; i++) {
		n_acs += ft.d[i].acs;
		n_sriov += ft.d[i].sriov;
	}
	assert_int_equal(n_acs, c->acs);
	assert_int_equal(n_sriov, c->sriov);
	assert_true(checks > 0);
	print_message("%s: %zu functions, %zu checked from the verbatim text, %zu from lspci -F, %zu values\n",
		      c->name, c->functions, verified_v, verified_f, checks);

	sqlite3_close(db);
}

static const struct hex_case *find_case(const char *name)
{
	for (size_t i = 0; i < sizeof(hex_cases) / sizeof(hex_cases[0]); i++)
		if (!strcmp(hex_cases[i].name, name))
			return &hex_cases[i];
	fail_msg("no case for %s", name);
	return NULL;
}

/* Every pcihex-* directory of the shared fixtures has its case here, and no case is stale. */
static void test_every_fixture_has_a_case(void **state)
{
	DIR *d = opendir(ia_fixture(""));
	struct dirent *e;
	size_t n = 0;
	(void)state;

	assert_non_null(d);
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "pcihex-", 7)) {
			find_case(e->d_name);
			n++;
		}
	closedir(d);
	assert_int_equal(n, sizeof(hex_cases) / sizeof(hex_cases[0]));
	assert_int_equal(n, 11);
}

/* One named test per fixture. */
#define HEX_TEST(fn, name)                     \
	static void fn(void **state)           \
	{                                      \
		(void)state;                   \
		run_case(find_case(name));     \
	}

HEX_TEST(test_adnaco_endpoint_acs_sriov_pasid, "pcihex-adnaco-endpoint-acs-sriov-pasid")
HEX_TEST(test_amd_fiji_ats_pri_pasid, "pcihex-amd-fiji-ats-pri-pasid")
HEX_TEST(test_asus_p6t6_x58_full_tree, "pcihex-asus-p6t6-x58-full-tree")
HEX_TEST(test_cavium_thunderx_sriov_ea, "pcihex-cavium-thunderx-sriov-ea")
HEX_TEST(test_haswell_ep_rootport_acs_enabled, "pcihex-haswell-ep-rootport-acs-enabled")
HEX_TEST(test_intel_82576_sriov, "pcihex-intel-82576-sriov")
HEX_TEST(test_intel_cxl_sriov_pasid, "pcihex-intel-cxl-sriov-pasid")
HEX_TEST(test_intel_dsa_pri_pasid, "pcihex-intel-dsa-pri-pasid")
HEX_TEST(test_skylake_igd_pasid_ats_pri, "pcihex-skylake-igd-pasid-ats-pri")
HEX_TEST(test_sunrise_point_rp_acs_thunderbolt3, "pcihex-sunrise-point-rp-acs-thunderbolt3")
HEX_TEST(test_x58_rootport_acs, "pcihex-x58-rootport-acs")

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_fixture_has_a_case),
		cmocka_unit_test_teardown(test_adnaco_endpoint_acs_sriov_pasid, remove_work),
		cmocka_unit_test_teardown(test_amd_fiji_ats_pri_pasid, remove_work),
		cmocka_unit_test_teardown(test_asus_p6t6_x58_full_tree, remove_work),
		cmocka_unit_test_teardown(test_cavium_thunderx_sriov_ea, remove_work),
		cmocka_unit_test_teardown(test_haswell_ep_rootport_acs_enabled, remove_work),
		cmocka_unit_test_teardown(test_intel_82576_sriov, remove_work),
		cmocka_unit_test_teardown(test_intel_cxl_sriov_pasid, remove_work),
		cmocka_unit_test_teardown(test_intel_dsa_pri_pasid, remove_work),
		cmocka_unit_test_teardown(test_skylake_igd_pasid_ats_pri, remove_work),
		cmocka_unit_test_teardown(test_sunrise_point_rp_acs_thunderbolt3, remove_work),
		cmocka_unit_test_teardown(test_x58_rootport_acs, remove_work),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
