// SPDX-License-Identifier: GPL-2.0-or-later
// PCI collector: enumerate functions with libpci; read config space and attributes through the root.
#include <errno.h>
#include <pci/pci.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "collect.h"
#include "core/bdf.h"
#include "core/db.h"
#include "core/facts.h"
#include "decode/pcicfg.h"
#include "decode/sysfs_attr.h"
#include "core/ia_err.h"

/* libpci's handlers take no user pointer: the running collection is kept here. */
static _Thread_local struct pci_run {
	struct ia_ctx *ctx;
	jmp_buf jb;
	char msg[256];
	bool in_libpci;
} *pci_run_cur;

/* libpci's hooks (struct pci_access error/warning/debug): printf-like; error must not return. */
static void pci_libpci_error(char *msg, ...) __attribute__((noreturn, format(printf, 1, 2)));
static void pci_libpci_warning(char *msg, ...) __attribute__((format(printf, 1, 2)));

static void pci_libpci_error(char *msg, ...)
{
	va_list ap;
	struct pci_run *r = pci_run_cur;

	va_start(ap, msg);
	vsnprintf(r->msg, sizeof(r->msg), msg, ap);
	va_end(ap);
	longjmp(r->jb, 1); /* libpci's error handler must not return; never exit the process */
}

static void pci_libpci_warning(char *msg, ...)
{
	va_list ap;
	struct pci_run *r = pci_run_cur;

	va_start(ap, msg);
	vsnprintf(r->msg, sizeof(r->msg), msg, ap);
	va_end(ap);
}

static void pci_libpci_debug(char *msg, ...)
{
	(void)msg;
}

struct pci_stmts {
	sqlite3_stmt *fn, *cap, *bar;
};

/* A tri-state as a 0/1 column, SQL NULL when unknown. */
static struct ia_fact_int pci_tri(enum ia_tri t)
{
	return ia_fact_i(t != IA_UNKNOWN, t == IA_YES);
}

/*
 * Read config space through libpci in the chunks the kernel serves (64-byte header, 256-byte
 * legacy space, 4096-byte extended space); when a chunk fails, find the exact end dword by dword.
 */
static size_t pci_read_config(struct pci_dev *d, uint8_t *buf, size_t want)
{
	static const size_t chunks[] = { 64, 256, 4096 };
	size_t got = 0;

	for (size_t i = 0; i < 3 && got < want; i++) {
		size_t end = chunks[i] < want ? chunks[i] : want;
		if (pci_read_block(d, (int)got, buf + got, (int)(end - got))) {
			got = end;
			continue;
		}
		while (got + 4 <= end && pci_read_block(d, (int)got, buf + got, 4))
			got += 4;
		break;
	}
	return got;
}

/* The @n hexadecimal digits at @p (upper case only when @upper), or -1 when one is not a digit. */
static long pci_hex(const char *p, size_t n, bool upper)
{
	long v = 0;

	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		int d = c >= '0' && c <= '9' ? c - '0' : c >= 'A' && c <= 'F' ? c - 'A' + 10 :
			!upper && c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
		if (d < 0)
			return -1;
		v = v << 4 | d;
	}
	return v;
}

/* "pciDDDD:BB", a PCI host bridge's directory (pci_register_host_bridge(): "pci%04x:%02x"). */
static bool pci_is_host_bridge(const char *s)
{
	size_t dl = strncmp(s, "pci", 3) ? 0 : strspn(s + 3, "0123456789abcdef");

	return dl >= 4 && dl <= 8 && s[3 + dl] == ':' && strlen(s) == 3 + dl + 3 && pci_hex(s + 3 + dl + 1, 2, false) >= 0;
}

/*
 * pci_real_dma_dev() (arch/x86/pci/common.c): a function on a bus that an Intel VMD created issues
 * DMA with the VMD endpoint's requester ID. Such buses are root buses of their own PCI domain
 * (>= 0x10000) whose host-bridge directory sits inside the VMD function's directory:
 * sys/devices/pci0000:00/0000:00:0e.0/pci10000:e0/10000:e0:06.0. Only the vmd driver nests a host
 * bridge in a PCI function, so the pattern identifies it. Sets pci_function.real_dma_bdf.
 */
/* SQL's LIKE '%/pci%/pci%' (ASCII case-insensitive): two "/pci" in @path, the second after the first. */
static bool pci_two_pci_components(const char *path)
{
	int seen = 0;

	for (const char *p = strchr(path, '/'); p && seen < 2; p = strchr(p + 1, '/'))
		if (!strncasecmp(p, "/pci", 4)) {
			seen++;
			p += 3;
		}
	return seen == 2;
}

/*
 * pci_real_dma_dev() (drivers/pci/controller/vmd.c sets the bus's dma alias device): a function
 * below an Intel VMD sits under a second host bridge "pci<domain>:<bus>" whose parent directory
 * is the VMD endpoint. From the function's canonical sysfs path @canon, the BDF of that endpoint
 * into @out (@size bytes), or false when the path holds no such host bridge.
 */
static bool pci_vmd_owner(const char *canon, char *out, size_t size)
{
	if (!canon || !pci_two_pci_components(canon))
		return false;
	char *dup = strdup(canon);
	if (!dup)
		return false;
	/* the last "pci<domain>:<bus>" component, and the component before it */
	char *hb = NULL, *save = NULL, *prev = NULL, *owner = NULL;
	for (char *t = strtok_r(dup, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
		unsigned dm, bs;
		char tail;
		if (sscanf(t, "pci%x:%x%c", &dm, &bs, &tail) == 2) {
			hb = t;
			owner = prev;
		}
		prev = t;
	}
	struct ia_bdf bdf;
	bool ok = hb && owner && ia_bdf_parse(owner, IA_BDF_CANONICAL, &bdf) == 0 && strlen(owner) < size;
	if (ok)
		memcpy(out, owner, strlen(owner) + 1);
	free(dup);
	return ok;
}

/* An optional number read from sysfs. */
struct pci_opt {
	bool has;
	uint64_t v;
};

/*
 * Everything read for one function. Filled by pci_read_fn() (possibly on a worker thread: only
 * the root is read and only this item written), stored by pci_store_fn() on the collector's thread.
 */
struct pci_item {
	struct pci_dev *d;                /* libpci's device (hex-dump mode only) */
	unsigned dom, bus, dev, fn;       /* the address */
	char bdf[24], parent[24];
	char *canon;                      /* canonical device directory (malloc'd); NULL if unresolved */
	size_t cfg_size, readable, decode_size;
	size_t cfg_read;                  /* config bytes read (pci_function.config_read) */
	struct ia_pcicfg c;
	uint16_t cfg_svid, cfg_sdid;      /* config 0x2c/0x2e */
	struct pci_opt vendor, device, svid, sdid, cls, rev, numvfs, totalvfs;
	char *physfn, *driver, *override, *group_link, *unit, *removable; /* malloc'd */
	bool driver_unknown;              /* the driver link exists but could not be read */
	struct ia_pci_resource res[IA_PCI_MAX_RESOURCES];
	size_t n_res;
	char cfg_err[300];                /* why config could not be read (": <reason>"), or "" */
	int cfg_code;                     /* and its code (-IA_E_NOTREG_CHR, ...), or 0 for -EIO */
	const struct ia_fsroot *root;     /* the root the device directory belongs to (sysfs only) */
	struct ia_deferred errs;
};

/* A function to read: its address, and libpci's device in hex-dump mode. */
struct pci_addr {
	unsigned dom, bus, dev, fn;
	struct pci_dev *d;
};

/* What pci_read_fn() and pci_store_item() share: function i lives in items[i % PCI_WINDOW]. */
struct pci_batch {
	const struct ia_fsroot *root;
	const struct pci_addr *devs;      /* the functions, in BDF order */
	struct pci_item *items;           /* PCI_WINDOW slots */
	bool sysfs;
	bool sparse;                      /* read only the config bytes decoded (ia_pcicfg_fetch()) */
	int devs_fd;                      /* sys/bus/pci/devices, open (sysfs only) */
	const char *devs_canon;           /* its canonical path */
	struct ia_ctx *ctx;               /* pci_store_item() only: the database side */
	struct pci_stmts *stmts;
};

/* Functions read ahead of the one being stored: bounds the memory of read, unstored items (~1.5 KiB each). */
#define PCI_WINDOW 1024

/* Read a hexadecimal or decimal attribute of the device directory; true when it parsed. */
static bool pci_attr_u64(struct pci_item *it, int dfd, const char *name, int base, bool mandatory,
			 struct pci_opt *out)
{
	char buf[64];
	long n = ia_fsdir_read_small(it->root, dfd, name, buf, sizeof(buf));
	int rc;

	if (n < 0) {
		if (n != -ENOENT || mandatory)
			ia_defer_error(&it->errs, it->bdf, (int)n, -1, NULL, "cannot read %s: %s", name,
				       ia_strerror((int)n));
		return false;
	}
	if ((rc = ia_parse_u64(buf, (size_t)n, base, &out->v)) < 0) {
		ia_defer_error(&it->errs, it->bdf, rc, -1, NULL, "attribute %s holds \"%.40s\", not a number",
			       name, buf);
		return false;
	}
	out->has = true;
	return true;
}

/* The sysfs attribute when read, else the config value when @have_cfg, else SQL NULL. */
static struct ia_fact_int pci_attr_val(const struct pci_opt *a, bool have_cfg, uint64_t cfg_val)
{
	return a->has ? ia_fact_i(true, (int64_t)a->v) : ia_fact_i(have_cfg, (int64_t)cfg_val);
}
/* A link's basename, malloc'd; NULL when absent. */
/* The basename of link @name, malloc'd; NULL when absent. Any other failure (not a link, EACCES)
 * is reported as hiding @hides and sets *unknown: it is not "absent". */
static char *pci_link(struct pci_item *it, int dfd, const char *name, const char *hides, bool *unknown)
{
	char link[256];
	long rc = ia_fsdir_readlink_base(it->root, dfd, name, link, sizeof(link));

	if (rc >= 0)
		return strdup(link);
	/* An IOMMU that is a PCI function of its own (AMD-Vi: amd_iommu_init_pci() registers the unit
	 * with iommu_device_sysfs_add(&iommu->iommu, &iommu->dev->dev, ...), parent = that function)
	 * holds its class device under a directory "iommu" ("iommu/ivhd0"): not a link to a unit
	 * translating the function, and nothing unreadable. */
	struct stat st;
	if (rc == -EINVAL && !strcmp(name, "iommu") && ia_fsdir_lstat(it->root, dfd, name, &st) == 0 &&
	    S_ISDIR(st.st_mode))
		return NULL;
	if (rc != -ENOENT) {
		char rel[64];
		snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s/%s", it->bdf, name);
		ia_defer_error(&it->errs, rel, (int)rc, -1, hides, "cannot read the link: %s", ia_strerror((int)rc));
		if (unknown)
			*unknown = true;
	}
	return NULL;
}

/* A text attribute up to its first newline, malloc'd; NULL when absent or empty. A file that is
 * there but refused (a device node, a FIFO, a hard link in a capture) is reported as hiding
 * @hides: it is not "absent". */
static char *pci_text(struct pci_item *it, int dfd, const char *name, const char *hides)
{
	char txt[256];
	long n = ia_fsdir_read_small(it->root, dfd, name, txt, sizeof(txt));

	if (n < 0 && n != -ENOENT)
		ia_defer_error(&it->errs, it->bdf, (int)n, -1, hides, "cannot read %s: %s", name,
			       ia_strerror((int)n));
	if (n <= 0)
		return NULL;
	txt[strcspn(txt, "\n")] = '\0';
	return txt[0] ? strdup(txt) : NULL;
}

/*
 * modalias (drivers/pci/pci-sysfs.c modalias_show()) prints the same pci_dev fields as the vendor,
 * device, subsystem_vendor, subsystem_device and class attributes: one read instead of five.
 * "pci:v%08Xd%08Xsv%08Xsd%08Xbc%02Xsc%02Xi%02X". False (nothing set) when absent or malformed.
 */
static bool pci_modalias(struct pci_item *it, int dfd)
{
	char t[128];
	long n = ia_fsdir_read_small(it->root, dfd, "modalias", t, sizeof(t));

	if (n < 0 && n != -ENOENT)
		ia_defer_error(&it->errs, it->bdf, (int)n, -1, NULL, "cannot read modalias: %s",
			       ia_strerror((int)n));
	if (n <= 0)
		return false;
	t[strcspn(t, "\n")] = '\0';
	/* the kernel's exact layout (drivers/pci/pci-sysfs.c modalias_show(): "pci:v%08Xd%08Xsv%08Xsd%08X
	 * bc%02Xsc%02Xi%02X"): the literals at their places and each field exactly its width in
	 * uppercase hex (no sign, "0x" or spaces) */
	static const struct { size_t at, len; } f[] = { { 5, 8 }, { 14, 8 }, { 24, 8 }, { 34, 8 }, { 44, 2 },
							  { 48, 2 }, { 51, 2 } };
	static const struct { size_t at; const char *lit; } lits[] = { { 0, "pci:v" }, { 13, "d" }, { 22, "sv" },
								       { 32, "sd" }, { 42, "bc" }, { 46, "sc" },
								       { 50, "i" } };
	long x[7];
	if (strlen(t) != 53)
		return false;
	for (size_t i = 0; i < sizeof(lits) / sizeof(*lits); i++)
		if (memcmp(t + lits[i].at, lits[i].lit, strlen(lits[i].lit)))
			return false;
	for (size_t i = 0; i < sizeof(f) / sizeof(*f); i++)
		if ((x[i] = pci_hex(t + f[i].at, f[i].len, true)) < 0)
			return false;
	if (x[0] > 0xffff || x[1] > 0xffff || x[2] > 0xffff || x[3] > 0xffff)
		return false;
	unsigned v = (unsigned)x[0], d = (unsigned)x[1], sv = (unsigned)x[2], sd = (unsigned)x[3];
	unsigned bc = (unsigned)x[4], sc = (unsigned)x[5], pi = (unsigned)x[6];
	it->vendor = (struct pci_opt){ true, v };
	it->device = (struct pci_opt){ true, d };
	it->svid = (struct pci_opt){ true, sv };
	it->sdid = (struct pci_opt){ true, sd };
	it->cls = (struct pci_opt){ true, bc << 16 | sc << 8 | pi };
	return true;
}

/*
 * Config space through the confined device directory: the readable prefix of the file, into
 * @buf (@want + 1 bytes, so a file longer than @want shows). *size is the file's size. The file
 * is opened with ia_fsdir_open_file(), whose fstat() of the descriptor refuses a device node, a
 * FIFO or a socket before a byte is read (and a hard link in a capture) and gives the size. A
 * read that returns all 4096 bytes of the extended space is whole: the kernel's file is 256 or
 * 4096 bytes, and anything longer (decoded as its first 4096 bytes anyway) is a capture's
 * artefact. Any other length is read on up to the size: an unprivileged read (64 of 4096), a
 * legacy 256-byte file, a capture cut short, or a source that returns the file in pieces, so a
 * short read is never taken for a short file.
 */
/* An open `config` file of a root: what pci_cfg_pread() reads. */
struct pci_cfg_file {
	const struct ia_fsroot *root;
	int fd;
};

/* ia_pcicfg_fetch()'s reader over an open `config` file: pread() until @len bytes or the end. */
static long pci_cfg_pread(void *ctx, uint8_t *dst, size_t off, size_t len)
{
	const struct pci_cfg_file *f = ctx;
	size_t got = 0;

	while (got < len) {
		long k = ia_fsfile_pread(f->root, f->fd, dst + got, len - got, (off_t)(off + got));
		if (k == -EINTR)
			continue;
		if (k < 0)
			return got ? (long)got : k;
		if (k == 0)
			break;
		got += (size_t)k;
	}
	return (long)got;
}

/*
 * Whether this process reads the whole config space through sysfs: the kernel serves more than
 * the first 64 bytes only to an opener with CAP_SYS_ADMIN (drivers/pci/pci-sysfs.c
 * pci_read_config(): file_ns_capable(filp, &init_user_ns, CAP_SYS_ADMIN)). The effective set of
 * this process, from capget(2); false when it cannot be told.
 */
static bool pci_cap_sys_admin(void)
{
	struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3, .pid = 0 };
	struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3];

	if (syscall(SYS_capget, &h, d) != 0)
		return false;
	return d[CAP_SYS_ADMIN / 32].effective & (1u << (CAP_SYS_ADMIN % 32));
}

static size_t pci_read_config_fd(struct pci_item *it, int dfd, uint8_t *buf, size_t want, size_t *size,
				 bool sparse)
{
	struct stat st;
	int fd = ia_fsdir_open_file(it->root, dfd, "config", &st); /* a FIFO never hangs, nor is read */
	size_t got = 0;

	*size = 0;
	if (fd < 0) {
		if (fd <= -IA_E_BASE)
			it->cfg_code = fd; /* refused as a special file or a hard link: say so */
		snprintf(it->cfg_err, sizeof(it->cfg_err), ": %s", ia_strerror(fd));
		return 0;
	}
	/* A live root read with CAP_SYS_ADMIN: each dword is a hardware access, so read only the
	 * bytes the decoder looks at. The kernel's file is 256 or 4096 bytes, all of it readable
	 * (ia_fsdir_open_file() checked it is a regular file and gave its size). */
	if (sparse && (st.st_size == IA_PCI_CFG_LEGACY || st.st_size == IA_PCI_CFG_EXT) && (size_t)st.st_size <= want) {
		struct ia_pcicfg_fetch_stats fs;
		struct pci_cfg_file cf = { it->root, fd };
		long rd = ia_pcicfg_fetch(pci_cfg_pread, &cf, buf, (size_t)st.st_size, (size_t)st.st_size, &fs);
		ia_fsroot_handle_close(it->root, fd);
		it->cfg_read = fs.bytes;
		if (rd < 0) {
			snprintf(it->cfg_err, sizeof(it->cfg_err), ": %s", strerror((int)-rd));
			return 0;
		}
		*size = (size_t)st.st_size;
		return (size_t)rd;
	}
	while (got <= want) {
		long k = ia_fsfile_pread(it->root, fd, buf + got, want + 1 - got, (off_t)got);
		if (k == -EINTR)
			continue;
		if (k < 0 && got == 0)
			snprintf(it->cfg_err, sizeof(it->cfg_err), ": %s", strerror((int)-k));
		if (k <= 0)
			break;
		got += (size_t)k;
		if (got == IA_PCI_CFG_EXT) {
			*size = got; /* the whole extended space */
			it->cfg_read = got;
			ia_fsroot_handle_close(it->root, fd);
			return got;
		}
		if (got == IA_PCI_CFG_LEGACY && (size_t)st.st_size == got)
			break; /* a legacy 256-byte file, whole */
	}
	it->cfg_read = got;
	*size = (size_t)st.st_size;
	ia_fsroot_handle_close(it->root, fd);
	if (got > want)
		got = want;
	if (*size && *size != IA_PCI_CFG_LEGACY && *size != IA_PCI_CFG_EXT)
		return got; /* a truncated capture: decoded as if 4096 (see pci_read_fn()) */
	return *size && *size < got ? *size : got;
}

/* Read one function (pci_collect()'s per-item work; see struct pci_item). */
static void pci_read_fn(void *arg, size_t idx)
{
	struct pci_batch *b = arg;
	struct pci_item *it = &b->items[idx % PCI_WINDOW];
	const struct pci_addr *addr = &b->devs[idx];
	struct pci_dev *d = addr->d;
	uint8_t cfg[IA_PCI_CFG_EXT + 1];
	char canon[1024];
	struct ia_diags dg = {0};
	int dfd = -1;

	*it = (struct pci_item){ .d = d, .dom = addr->dom, .bus = addr->bus, .dev = addr->dev, .fn = addr->fn,
				 .root = b->root };
	snprintf(it->bdf, sizeof(it->bdf), "%04x:%02x:%02x.%u", it->dom, it->bus, it->dev, it->fn);
	if (b->sysfs) {
		dfd = ia_fsroot_open_link_dir(b->root, b->devs_fd, b->devs_canon, it->bdf, true, canon, sizeof(canon));
		if (dfd < 0) {
			char rel[64];
			snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%s", it->bdf);
			ia_defer_error(&it->errs, rel, dfd, -1, "every attribute of this function",
				       "device directory vanished or is unreadable: %s", ia_strerror(dfd));
		} else {
			it->canon = strdup(canon);
			/* The sysfs parent directory is the upstream bridge, unless it is the host bridge
			 * ("pciDDDD:BB": a root bus). Anything else is kept as the parent's name, which
			 * names no function: the path above is then unknown, never "the root bus". */
			char *last = strrchr(canon, '/');
			if (last) {
				*last = '\0';
				char *pp = strrchr(canon, '/');
				const char *name = pp ? pp + 1 : canon;
				if (!pci_is_host_bridge(name))
					snprintf(it->parent, sizeof(it->parent), "%s", name);
			}
			it->readable = pci_read_config_fd(it, dfd, cfg, IA_PCI_CFG_EXT, &it->cfg_size, b->sparse);
		}
	} else {
		/* an lspci dump holds config spaces only: the bound driver is unknown, not "none" */
		it->driver_unknown = true;
		pci_run_cur->msg[0] = '\0';
		it->readable = pci_read_config(d, cfg, sizeof(cfg));
		it->cfg_read = it->readable;
		if (pci_run_cur->msg[0])
			snprintf(it->cfg_err, sizeof(it->cfg_err), ": %s", pci_run_cur->msg);
	}
	/* The kernel's config file is 256 or 4096 bytes; any other size is a truncated capture, and
	 * the device's real size is then unknown: decode as if 4096 so nothing unread counts as absent. */
	it->decode_size = it->cfg_size;
	if (it->cfg_size && it->cfg_size != IA_PCI_CFG_LEGACY && it->cfg_size != IA_PCI_CFG_EXT) {
		ia_defer_error(&it->errs, it->bdf, -IA_E_TRUNCATED, (long long)it->cfg_size, NULL,
			       "config file is %zu bytes; a kernel exposes 256 or 4096 (a truncated capture)",
			       it->cfg_size);
		it->decode_size = IA_PCI_CFG_EXT;
	}
	/* 256 bytes of a PCI Express function in an lspci dump: lspci -xxx writes the first 256 bytes
	 * whatever the space, so its extended capabilities (ACS, ATS, PRI, PASID, SR-IOV) are unknown,
	 * not absent. A sysfs config file's size is the kernel's (pci_cfg_space_size(): 256 when it
	 * cannot reach the extended space), live or copied whole into a capture; an unprivileged read
	 * gives 64 bytes, which the check below reports. */
	if (!b->sysfs && it->readable == IA_PCI_CFG_LEGACY && it->decode_size <= IA_PCI_CFG_LEGACY) {
		struct ia_pcicfg probe;
		struct ia_diags pdg = {0};
		ia_pcicfg_decode(cfg, it->readable, IA_PCI_CFG_LEGACY, &probe, &pdg);
		ia_diags_free(&pdg);
		if (probe.is_pcie == IA_YES)
			it->decode_size = IA_PCI_CFG_EXT;
	}
	if (it->readable == 0)
		ia_defer_error(&it->errs, it->bdf, it->cfg_code ? it->cfg_code : -EIO, 0,
			       "the header, ACS, ATS, PRI, PASID and SR-IOV state",
			       "config space unreadable%s", it->cfg_err);
	ia_pcicfg_decode(cfg, it->readable, it->decode_size, &it->c, &dg);
	if (it->readable && it->readable < it->decode_size)
		ia_defer_error(&it->errs, it->bdf, -EACCES, (long long)it->readable,
			       it->readable < 256 ? "the PCIe capability, ACS, ATS, PRI, PASID and SR-IOV"
						  : "the extended capabilities: ACS, ATS, PRI, PASID and SR-IOV",
			       "only %zu of %zu config bytes readable (an unprivileged read, a truncated "
			       "capture or a dump of the first %zu)", it->readable, it->decode_size, it->readable);
	for (size_t i = 0; i < dg.n; i++)
		if (dg.v[i].code != -IA_E_TRUNCATED)
			ia_defer_error(&it->errs, it->bdf, dg.v[i].code, dg.v[i].offset, NULL, "config: %s",
				       dg.v[i].msg);
	ia_diags_free(&dg);
	if (it->readable >= 0x30) {
		it->cfg_svid = (uint16_t)(cfg[0x2c] | cfg[0x2d] << 8);
		it->cfg_sdid = (uint16_t)(cfg[0x2e] | cfg[0x2f] << 8);
	}
	if (dfd < 0)
		return;

	/* IDs and class as the kernel holds them (a VF's config reads 0xffff): modalias, else the
	 * five attributes. The revision is config byte 8 (pci_setup_device()), else the attribute. */
	if (!pci_modalias(it, dfd)) {
		pci_attr_u64(it, dfd, "vendor", 16, true, &it->vendor);
		pci_attr_u64(it, dfd, "device", 16, true, &it->device);
		pci_attr_u64(it, dfd, "subsystem_vendor", 16, false, &it->svid);
		pci_attr_u64(it, dfd, "subsystem_device", 16, false, &it->sdid);
		pci_attr_u64(it, dfd, "class", 16, true, &it->cls);
	}
	if (it->readable < 64)
		pci_attr_u64(it, dfd, "revision", 16, false, &it->rev);
	it->physfn = pci_link(it, dfd, "physfn", "whether it is an SR-IOV VF", NULL);
	/* The kernel creates the sriov_* attributes only for SR-IOV capable functions. */
	if (it->c.has_sriov != IA_NO) {
		pci_attr_u64(it, dfd, "sriov_numvfs", 10, false, &it->numvfs);
		pci_attr_u64(it, dfd, "sriov_totalvfs", 10, false, &it->totalvfs);
	}
	it->driver = pci_link(it, dfd, "driver", "its bound driver (group viability is unknown)", &it->driver_unknown);
	it->override = pci_text(it, dfd, "driver_override", "which driver it binds next (driver_override)");
	if (it->override && !strcmp(it->override, "(null)")) {
		free(it->override);
		it->override = NULL;
	}
	it->group_link = pci_link(it, dfd, "iommu_group", "its IOMMU group (from this side)", NULL);
	it->unit = pci_link(it, dfd, "iommu", "which IOMMU unit translates it", NULL);
	/* Not read: irq, enable, numa_node and firmware_node, which no rule or report uses (a quarter
	 * of the system calls per function); a snapshot still captures them. */
	it->removable = pci_text(it, dfd, "removable", "whether it is removable (external-facing)");

	/* BARs from the resource attribute. */
	char text[2048];
	long len = ia_fsdir_read_small(it->root, dfd, "resource", text, sizeof(text));
	if (len < 0) {
		if (len != -ENOENT)
			ia_defer_error(&it->errs, it->bdf, (int)len, -1, "BAR sizes (devices with no MMIO)",
				       "cannot read resource: %s", ia_strerror((int)len));
	} else {
		struct ia_diags rdg = {0};
		if (ia_parse_resource(text, (size_t)len, it->res, &it->n_res, &rdg) < 0)
			for (size_t i = 0; i < rdg.n; i++)
				ia_defer_error(&it->errs, it->bdf, rdg.v[i].code, rdg.v[i].offset, "some BAR sizes",
					       "resource: %s", rdg.v[i].msg);
		ia_diags_free(&rdg);
	}
	ia_fsroot_handle_close(it->root, dfd);
}

static void pci_item_free(struct pci_item *it)
{
	free(it->canon);
	free(it->physfn);
	free(it->driver);
	free(it->override);
	free(it->group_link);
	free(it->unit);
	free(it->removable);
	for (size_t i = 0; i < it->errs.n; i++) {
		free(it->errs.v[i].subject);
		free(it->errs.v[i].msg);
	}
	free(it->errs.v);
}

/* Store one function read by pci_read_fn(): its pci_function row, written once, then its
 * capabilities and BARs. Returns true when the row was written. */
static bool pci_store_fn(struct ia_ctx *ctx, struct pci_stmts *s, struct pci_item *it)
{
	const struct ia_pcicfg *c = &it->c;
	size_t readable = it->readable;
	bool hdr = readable >= 64;
	bool bridge = hdr && (c->hdr_type == 1 || c->hdr_type == 2);
	bool acs = c->has_acs == IA_YES, sriov = c->has_sriov == IA_YES;
	/* SR-IOV: a VF has a physfn link, and never counts as multifunction (pci_iov_add_virtfn). */
	bool is_vf = it->physfn != NULL;
	/* pci_setup_device() takes header bit 7; pci_scan_slot() forces fn > 0 (ARI: devfn > 0). */
	bool fn_gt0 = !is_vf && (it->fn > 0 || (c->has_ari == IA_YES && it->dev > 0));
	char vmd[24];                     /* as it->parent: an 8-digit domain fits */
	struct ia_fact_int group = {0};

	ia_deferred_flush(ctx, &it->errs);
	if (it->group_link) {
		uint64_t v;
		if (ia_parse_u64(it->group_link, strlen(it->group_link), 10, &v) == 0 && v <= INT32_MAX)
			group = ia_fact_i(true, (int64_t)v);
		else
			ia_ctx_error(ctx, it->bdf, -IA_E_FORMAT, -1, "the device's IOMMU group",
				     "iommu_group link names \"%s\", not a group number", it->group_link);
	}
	const struct ia_fact_pci_function row = {
		.bdf = it->bdf,
		.domain = ia_fact_i(true, it->dom),
		.bus = ia_fact_i(true, it->bus),
		.dev = ia_fact_i(true, it->dev),
		.fn = ia_fact_i(true, it->fn),
		.sysfs_path = it->canon,
		.parent_bdf = it->parent[0] ? it->parent : NULL,
		.vendor = pci_attr_val(&it->vendor, readable >= 2 && c->vendor != 0xffff, c->vendor),
		.device = pci_attr_val(&it->device, readable >= 4 && c->device != 0xffff, c->device),
		.subsys_vendor = pci_attr_val(&it->svid, hdr && c->hdr_type == 0, it->cfg_svid),
		.subsys_device = pci_attr_val(&it->sdid, hdr && c->hdr_type == 0, it->cfg_sdid),
		.class = pci_attr_val(&it->cls, hdr, c->class_code),
		.revision = pci_attr_val(&it->rev, hdr, c->revision),
		.header_type = ia_fact_i(hdr, c->hdr_type),
		.multifunction = ia_fact_i(hdr || fn_gt0 || is_vf, !is_vf && (fn_gt0 || (hdr && c->hdr_multifunction))),
		.is_pcie = pci_tri(c->is_pcie),
		.pcie_type = ia_fact_i(c->is_pcie == IA_YES, c->pcie_type),
		.secondary_bus = ia_fact_i(bridge, c->secondary_bus),
		.subordinate_bus = ia_fact_i(bridge, c->subordinate_bus),
		.config_bytes = ia_fact_i(true, (int64_t)readable),
		.config_size = ia_fact_i(it->cfg_size > 0, (int64_t)it->cfg_size),
		.config_read = ia_fact_i(true, (int64_t)it->cfg_read),
		.caps_complete = pci_tri(hdr ? c->caps_complete : IA_UNKNOWN),
		.devcap2 = ia_fact_i(c->has_devcap2 == IA_YES, c->devcap2),
		.eetlp_prefix = ia_fact_i(c->has_devcap2 != IA_UNKNOWN, c->has_devcap2 == IA_YES && c->eetlp_prefix),
		.has_acs = pci_tri(c->has_acs),
		.acs_offset = ia_fact_i(c->acs_off != 0, c->acs_off),
		.acs_cap = ia_fact_i(acs, c->acs_cap),
		.acs_ctrl = ia_fact_i(acs, c->acs_ctrl),
		.acs_cap_dw = ia_fact_i(acs, c->acs_cap_dw),
		.acs_ctrl_dw = ia_fact_i(acs, c->acs_ctrl_dw),
		.has_ats = pci_tri(c->has_ats),
		.ats_cap = ia_fact_i(c->has_ats == IA_YES, c->ats_cap),
		.ats_ctrl = ia_fact_i(c->has_ats == IA_YES, c->ats_ctrl),
		.has_pri = pci_tri(c->has_pri),
		.pri_ctrl = ia_fact_i(c->has_pri == IA_YES, c->pri_ctrl),
		.pri_status = ia_fact_i(c->has_pri == IA_YES, c->pri_status),
		.has_pasid = pci_tri(c->has_pasid),
		.pasid_cap = ia_fact_i(c->has_pasid == IA_YES, c->pasid_cap),
		.pasid_ctrl = ia_fact_i(c->has_pasid == IA_YES, c->pasid_ctrl),
		.has_ari = pci_tri(c->has_ari),
		.has_sriov = pci_tri(c->has_sriov),
		.sriov_ctrl = ia_fact_i(sriov, c->sriov_ctrl),
		.sriov_total_vfs = ia_fact_i(sriov, c->sriov_total_vfs),
		.sriov_num_vfs = ia_fact_i(sriov, c->sriov_num_vfs),
		.sriov_vf_offset = ia_fact_i(sriov, c->sriov_vf_offset),
		.sriov_vf_stride = ia_fact_i(sriov, c->sriov_vf_stride),
		.sriov_vf_device = ia_fact_i(sriov, c->sriov_vf_device),
		.is_vf = ia_fact_i(true, is_vf),
		.physfn_bdf = it->physfn,
		.sysfs_numvfs = ia_fact_i(it->numvfs.has, (int64_t)it->numvfs.v),
		.sysfs_totalvfs = ia_fact_i(it->totalvfs.has, (int64_t)it->totalvfs.v),
		.driver = it->driver,
		.driver_override = it->override,
		.iommu_group = group,
		.iommu_unit = it->unit,
		.removable = it->removable,
		.real_dma_bdf = pci_vmd_owner(it->canon, vmd, sizeof(vmd)) ? vmd : NULL,
		.driver_read = ia_fact_i(true, !it->driver_unknown),
	};
	ia_fact_bind(s->fn, IA_FACT_pci_function, &row);
	int rc = ia_db_step_done(s->fn);
	if (rc != 0) {
		ia_ctx_error(ctx, it->bdf, rc, -1, NULL, "could not store the function: %s", sqlite3_errmsg(ctx->db));
		return false;
	}
	ctx->facts++;
	for (size_t i = 0; i < c->n_caps; i++) {
		const struct ia_fact_pci_capability cap = {
			.bdf = it->bdf,
			.extended = ia_fact_i(true, c->caps[i].ext),
			.cap_id = ia_fact_i(true, c->caps[i].id),
			.offset = ia_fact_i(true, c->caps[i].offset),
			.version = ia_fact_i(c->caps[i].ext, c->caps[i].version),
		};
		ia_fact_bind(s->cap, IA_FACT_pci_capability, &cap);
		ia_db_step_done(s->cap);
	}
	for (size_t i = 0; i < it->n_res; i++) {
		const struct ia_pci_resource *r = &it->res[i];
		if (!(r->flags & (IA_IORESOURCE_IO | IA_IORESOURCE_MEM)) || r->end < r->start)
			continue;
		const struct ia_fact_pci_bar bar = {
			.bdf = it->bdf,
			.idx = ia_fact_i(true, (int64_t)i),
			.kind = r->flags & IA_IORESOURCE_MEM ? "mem" : "io",
			.start = ia_fact_i(true, (int64_t)r->start),
			.size = ia_fact_i(true, (int64_t)(r->end - r->start + 1)),
			.flags = ia_fact_i(true, (int64_t)r->flags),
			.prefetch = ia_fact_i(true, !!(r->flags & IA_IORESOURCE_PREFETCH)),
			.mem64 = ia_fact_i(true, !!(r->flags & IA_IORESOURCE_MEM_64)),
		};
		ia_fact_bind(s->bar, IA_FACT_pci_bar, &bar);
		ia_db_step_done(s->bar);
	}
	return true;
}

/* Store function idx, read by pci_read_fn() (ia_collect_ordered()'s store step), and free its slot. */
static void pci_store_item(void *arg, size_t idx)
{
	struct pci_batch *b = arg;
	struct pci_item *it = &b->items[idx % PCI_WINDOW];

	pci_store_fn(b->ctx, b->stmts, it);
	pci_item_free(it);
}

static int pci_cmp(const void *a, const void *b)
{
	const struct pci_addr *x = a, *y = b;

	if (x->dom != y->dom)
		return x->dom < y->dom ? -1 : 1;
	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->dev != y->dev)
		return x->dev < y->dev ? -1 : 1;
	return x->fn < y->fn ? -1 : x->fn > y->fn;
}

static int pci_collect(struct ia_ctx *ctx)
{
	struct pci_run run = { .ctx = ctx };
	struct pci_access *volatile pacc = NULL;
	/* Everything the error path needs lives in memory that longjmp cannot clobber. */
	static _Thread_local struct pci_stmts s;
	static _Thread_local struct pci_addr *devs;
	static _Thread_local struct pci_item *items;
	static _Thread_local int devs_fd;
	volatile int rc = 0;
	size_t n = 0;
	bool sysfs = !ctx->opts->pci_dump;

	memset(&s, 0, sizeof(s));
	devs = NULL;
	items = NULL;
	devs_fd = -1;

	if (sysfs && ctx->opts->dumps_alone) /* --acpidump or --dtb alone: no PCI function among the inputs */
		return 0;
	if (sysfs && !ia_fsroot_exists(ctx->root, "sys/bus/pci/devices")) {
		ia_ctx_error(ctx, "sys/bus/pci/devices", -ENOENT, -1, "every PCI function",
			     "no PCI device directory under the root");
		return 0;
	}
	char devs_canon[1024];
	if (sysfs) {
		/*
		 * The functions are the entries of sys/bus/pci/devices, listed here through the root's
		 * confinement (libpci's sysfs scan opens the directory by path name, following links, so
		 * a tree could make it list another directory, or race it into one; and one entry it
		 * cannot parse ends its whole scan). An entry that is not a PCI address is reported and
		 * skipped. libpci is used for hex dumps and names only.
		 */
		char **names = NULL;
		size_t nn = 0;
		long cl = ia_fsroot_canonical(ctx->root, "sys/bus/pci/devices", devs_canon, sizeof(devs_canon));
		devs_fd = cl < 0 ? (int)cl : ia_fsroot_opendir(ctx->root, devs_canon);
		int lr = devs_fd < 0 ? devs_fd : ia_fsroot_list(ctx->root, devs_canon, &names, &nn);
		if (lr < 0) {
			ia_ctx_error(ctx, "sys/bus/pci/devices", lr, -1, "every PCI function",
				     "cannot list the PCI device directory: %s", ia_strerror(lr));
			goto out;
		}
		devs = calloc(nn ? nn : 1, sizeof(*devs));
		if (!devs) {
			ia_fsroot_list_free(names, nn);
			rc = -ENOMEM;
			goto out;
		}
		for (size_t i = 0; i < nn; i++) {
			struct ia_bdf bdf;
			/* the kernel's pci_name() exactly (lower case, 4 to 8 domain digits): every BDF
			 * the audit keeps fits IA_BDF_MAX */
			if (ia_bdf_parse(names[i], IA_BDF_CANONICAL, &bdf) == 0) {
				devs[n++] = (struct pci_addr){ bdf.domain, bdf.bus, bdf.dev, bdf.fn, NULL };
				continue;
			} else {
				char rel[600];
				snprintf(rel, sizeof(rel), "sys/bus/pci/devices/%.500s", names[i]);
				ia_ctx_error(ctx, rel, -IA_E_FORMAT, -1, NULL,
					     "not a PCI address (DDDD:BB:DD.F, lowercase hex): entry skipped");
			}
		}
		ia_fsroot_list_free(names, nn);
	} else {
		pci_run_cur = &run;
		if (setjmp(run.jb)) {
			ia_ctx_error(ctx, ctx->opts->pci_dump, -IA_E_LIBPCI, -1, "every PCI function", "libpci: %s", run.msg);
			rc = -IA_E_LIBPCI;
			goto out;
		}
		pacc = pci_alloc();
		pacc->error = pci_libpci_error;
		pacc->warning = pci_libpci_warning;
		pacc->debug = pci_libpci_debug;
		pacc->buscentric = 1; /* libpci exits on missing attributes otherwise */
		pacc->method = PCI_ACCESS_DUMP;
		pci_set_param(pacc, "dump.name", (char *)ctx->opts->pci_dump);
		pci_init(pacc);
		pci_scan_bus(pacc);
		for (struct pci_dev *d = pacc->devices; d; d = d->next)
			n++;
		devs = calloc(n ? n : 1, sizeof(*devs));
		if (!devs) {
			rc = -ENOMEM;
			goto out;
		}
		n = 0;
		for (struct pci_dev *d = pacc->devices; d; d = d->next)
			devs[n++] = (struct pci_addr){ (unsigned)d->domain, d->bus, d->dev, d->func, d };
	}
	qsort(devs, n, sizeof(*devs), pci_cmp);
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_pci_function, NULL, &s.fn) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_pci_capability, "OR IGNORE", &s.cap) ||
	    ia_fact_prepare_insert(ctx->db, IA_FACT_pci_bar, NULL, &s.bar)) {
		rc = -IA_E_SQLITE;
		goto out;
	}
	/* Read on several threads (sysfs: only the root is touched, no libpci) while this thread
	 * stores the functions in BDF order: memory stays bounded, output deterministic. */
	items = calloc(PCI_WINDOW, sizeof(*items));
	if (!items) {
		rc = -ENOMEM;
		goto out;
	}
	struct pci_batch batch = { .root = ctx->root, .devs = devs, .items = items, .sysfs = sysfs,
				   .sparse = sysfs && ctx->root->live && pci_cap_sys_admin(),
				   .devs_fd = devs_fd, .devs_canon = devs_canon, .ctx = ctx, .stmts = &s };
	if (sysfs) {
		ia_collect_ordered(n, PCI_WINDOW, pci_read_fn, pci_store_item, &batch);
	} else {
		for (size_t i = 0; i < n; i++) { /* libpci's dump method: this thread only */
			pci_read_fn(&batch, i);
			pci_store_item(&batch, i);
		}
	}
out:
	sqlite3_finalize(s.fn);
	sqlite3_finalize(s.cap);
	sqlite3_finalize(s.bar);
	free(devs);
	devs = NULL;
	free(items);
	items = NULL;
	ia_fsroot_handle_close(ctx->root, devs_fd);
	devs_fd = -1;
	if (pacc && setjmp(run.jb) == 0)
		pci_cleanup(pacc);
	pci_run_cur = NULL;
	return rc;
}

const struct ia_collector ia_collector_pci = {
	.name = "pci",
	.reads = "sys/bus/pci/devices/*/{config,modalias or vendor/device/class,...,resource}, or a libpci hex dump",
	.writes = IA_FACT_BIT(pci_function) | IA_FACT_BIT(pci_capability) | IA_FACT_BIT(pci_bar),
	.collect = pci_collect,
};
