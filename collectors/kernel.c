// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel-state collector: release, command line, interrupt chips, loaded modules, kernel config.
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <zlib.h>

#include "collect.h"
#include "core/db.h"
#include "core/facts.h"
#include "decode/kversion.h"
#include "decode/sysfs_attr.h"
#include "core/ia_err.h"

/* Command-line parameters that change IOMMU, ACS, VFIO or interrupt-remapping behaviour
 * (kernel-rules.md §10). A trailing '.' or '*' matches a prefix. */
static const char *const kernel_relevant[] = {
	"intel_iommu", "amd_iommu", "amd_iommu_intr", "iommu", "iommu.passthrough", "iommu.strict",
	"intremap", "nointremap", "pci", "pcie_acs_override", "vfio*", "vfio_iommu_type1.*",
	"vfio_pci.*", "vfio-pci.*", "iommufd.*", "ivrs_ioapic", "ivrs_hpet", "ivrs_acpihid",
	"no_iommu", "noiommu", "iommu.forcedac", "efi", "acpi", "irqchip.*", "kvm-intel.*",
};

static bool kernel_is_relevant(const char *key)
{
	for (size_t i = 0; i < sizeof(kernel_relevant) / sizeof(*kernel_relevant); i++) {
		const char *p = kernel_relevant[i];
		size_t l = strlen(p);
		if (p[l - 1] == '*' ? !strncmp(key, p, l - 1) : !strcmp(key, p))
			return true;
	}
	return false;
}

static const char *kernel_arch_of(const char *version)
{
	static const struct { const char *needle, *arch; } map[] = {
		{ "x86_64", "x86_64" }, { "amd64", "x86_64" }, { "aarch64", "aarch64" },
		{ "arm64", "aarch64" }, { "riscv64", "riscv64" }, { "ppc64le", "ppc64le" },
		{ "s390x", "s390x" }, { "i686", "i686" }, { "loongarch64", "loongarch64" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		if (strstr(version, map[i].needle))
			return map[i].arch;
	return NULL;
}

/* The host row, gathered by kernel_host() and kernel_config() and written once at the end. */
struct kernel_host {
	char *ver, *cmd;                  /* proc/version's line, proc/cmdline (malloc'd); NULL if unreadable */
	char release[128];                /* "" when unparsed */
	char sig[256];                    /* proc/version_signature (Ubuntu), "" when absent */
	char machine[65];                 /* proc/sys/kernel/arch, or uname()'s machine of the running host */
	struct ia_fact_host row;          /* its strings point into this struct (or are literals) */
};

static void kernel_host(struct ia_ctx *ctx, struct kernel_host *h)
{
	char *ver = NULL, *cmd = NULL, *release = h->release;
	size_t len;
	struct ia_kver kv = {0};
	int rc;
	sqlite3_stmt *st;

	rc = ia_fsroot_read(ctx->root, "proc/version", 4096, &ver, &len);
	if (rc < 0) {
		ia_ctx_error(ctx, "proc/version", rc, -1,
			     "the kernel release (version-dependent behaviours are unknown)",
			     "cannot read proc/version: %s", ia_strerror(rc));
	} else {
		ver[strcspn(ver, "\n")] = '\0';
		if (sscanf(ver, "Linux version %127s", h->release) != 1) {
			h->release[0] = '\0';
			ia_ctx_error(ctx, "proc/version", -IA_E_FORMAT, -1, "the kernel release",
				     "proc/version does not start with \"Linux version\"");
		}
	}
	/* proc/sys/kernel/osrelease is UTS_RELEASE, the same word: read where proc/version gave none */
	if (!release[0]) {
		char osr[128];
		long ol = ia_fsroot_read_small(ctx->root, "proc/sys/kernel/osrelease", osr, sizeof(osr));
		if (ol > 0) {
			osr[strcspn(osr, "\n")] = '\0';
			if (osr[0] && !strchr(osr, ' '))
				snprintf(h->release, sizeof(h->release), "%s", osr);
		}
	}
	if (release[0]) {
		/* Ubuntu names its upstream base only here; absent elsewhere, and that is no error */
		long sl = ia_fsroot_read_small(ctx->root, "proc/version_signature", h->sig, sizeof(h->sig));
		if (sl > 0)
			h->sig[strcspn(h->sig, "\n")] = '\0';
		else
			h->sig[0] = '\0';
		ia_kver_decode(release, ver, h->sig[0] ? h->sig : NULL, &kv);
	}
	rc = ia_fsroot_read(ctx->root, "proc/cmdline", 65536, &cmd, &len);
	if (rc < 0)
		ia_ctx_error(ctx, "proc/cmdline", rc, -1,
			     "kernel parameters (IOMMU mode, ACS overrides, interrupt remapping switches)",
			     "cannot read proc/cmdline: %s", ia_strerror(rc));
	else
		cmd[strcspn(cmd, "\n")] = '\0';

	/* proc/sys/kernel/arch (the kernel's own UTS machine, sysctl kernel.arch) where the kernel has
	 * it and the capture kept it; else a hint in proc/version; else, live, uname(2) */
	const char *arch = NULL;
	long al = ia_fsroot_read_small(ctx->root, "proc/sys/kernel/arch", h->machine, sizeof(h->machine));
	if (al > 0) {
		h->machine[strcspn(h->machine, "\n")] = '\0';
		if (h->machine[0])
			arch = h->machine;
	}
	if (!arch && ver)
		arch = kernel_arch_of(ver);
	struct utsname un;
	if (!arch && ctx->root->live && uname(&un) == 0) {
		snprintf(h->machine, sizeof(h->machine), "%s", un.machine); /* the running host: its own machine name */
		arch = h->machine;
	}
	h->ver = ver;
	h->cmd = cmd;
	h->row = (struct ia_fact_host){
		.id = ia_fact_i(true, 1),
		.kernel_release = release[0] ? release : NULL,
		.kernel_version = ver,
		.kernel_major = ia_fact_i(kv.has_version, kv.major),
		.kernel_minor = ia_fact_i(kv.has_version, kv.minor),
		.kernel_patch = ia_fact_i(kv.has_stable, kv.stable),
		.kernel_stable_source = kv.has_stable ? ia_kver_source_name(kv.source) : NULL,
		.kernel_backports = ia_fact_i(kv.has_version, kv.backports),
		.kernel_signature = h->sig[0] ? h->sig : NULL,
		.cmdline = cmd,
		.arch = arch,
		.iommu_groups_dir = ia_fact_i(true, ia_fsroot_exists(ctx->root, "sys/kernel/iommu_groups")),
	};
	if (cmd) {
		struct ia_cmdline_token *t = NULL;
		size_t n = 0;
		if (ia_parse_cmdline(cmd, strlen(cmd), &t, &n) == 0 &&
		    ia_fact_prepare_insert(ctx->db, IA_FACT_cmdline_param, NULL, &st) == 0) {
			for (size_t i = 0; i < n; i++) {
				const struct ia_fact_cmdline_param row = {
					.seq = ia_fact_i(true, (int64_t)i),
					.key = t[i].key,
					.value = t[i].value,
					.relevant = ia_fact_i(true, kernel_is_relevant(t[i].key)),
				};
				ia_fact_bind(st, IA_FACT_cmdline_param, &row);
				ia_db_step_done(st);
			}
			sqlite3_finalize(st);
		}
		ia_cmdline_free(t, n);
	}
	/* proc/sys/kernel/tainted (kernel/panic.c): optional; bit 6 is TAINT_USER, set by vfio-noiommu. */
	char tbuf[64];
	long tl = ia_fsroot_read_small(ctx->root, "proc/sys/kernel/tainted", tbuf, sizeof(tbuf));
	if (tl > 0) {
		char *end;
		errno = 0;
		unsigned long long tv = strtoull(tbuf, &end, 10);
		if (!errno && end != tbuf && (*end == '\n' || *end == '\0')) {
			h->row.tainted = ia_fact_i(true, (int64_t)tv);
		} else if (errno || end == tbuf || (*end != '\n' && *end != '\0')) {
			ia_ctx_error(ctx, "proc/sys/kernel/tainted", -IA_E_FORMAT, -1, "the kernel taint flags",
				     "proc/sys/kernel/tainted is not a decimal number");
		}
	} else if (tl < 0 && tl != -ENOENT) {
		ia_ctx_error(ctx, "proc/sys/kernel/tainted", (int)tl, -1, "the kernel taint flags",
			     "cannot read proc/sys/kernel/tainted: %s", ia_strerror((int)tl));
	}
}

/* Write the host row gathered by kernel_host() and kernel_config(), once. */
static void kernel_store_host(struct ia_ctx *ctx, const struct kernel_host *h)
{
	sqlite3_stmt *st;

	if (ia_fact_prepare_insert(ctx->db, IA_FACT_host, NULL, &st) == 0) {
		ia_fact_bind(st, IA_FACT_host, &h->row);
		if (ia_db_step_done(st) == 0 && (h->ver || h->cmd))
			ctx->facts++;
		sqlite3_finalize(st);
	}
}

/* proc/interrupts: after the per-CPU counts comes the chip name (kernel/irq/proc.c show_interrupts). */
static void kernel_interrupts(struct ia_ctx *ctx)
{
	char *txt = NULL;
	size_t len;
	sqlite3_stmt *st;
	int rc = ia_fsroot_read(ctx->root, "proc/interrupts", 16u << 20, &txt, &len);

	if (rc < 0) {
		if (rc != -ENOENT || ctx->root->live)
			ia_ctx_error(ctx, "proc/interrupts", rc, -1,
				     "which interrupt chips are remapped (IR-, ITS-, GICv2m- prefixes)",
				     "cannot read proc/interrupts: %s", ia_strerror(rc));
		return;
	}
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_interrupt_chip, "OR IGNORE", &st)) {
		free(txt);
		return;
	}
	char *save = NULL, *line = strtok_r(txt, "\n", &save);
	int ncpu = 0;
	if (line)
		for (char *p = line; (p = strstr(p, "CPU")); p += 3)
			ncpu++;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *p = line, irq[32];
		while (*p == ' ')
			p++;
		size_t il = strcspn(p, ":");
		if (!p[il] || il == 0 || il >= sizeof(irq) || !isdigit((unsigned char)p[0]))
			continue;
		memcpy(irq, p, il);
		irq[il] = '\0';
		p += il + 1;
		for (int c = 0; c < ncpu; c++) {
			while (*p == ' ')
				p++;
			while (isdigit((unsigned char)*p))
				p++;
		}
		while (*p == ' ')
			p++;
		size_t cl = strcspn(p, " ");
		if (!cl)
			continue;
		char *rest = p[cl] ? p + cl + 1 : p + cl;
		p[cl] = '\0';
		while (*rest == ' ')
			rest++;
		size_t hl = strcspn(rest, " ");
		char hwirq[64] = "";
		if (hl < sizeof(hwirq)) {
			memcpy(hwirq, rest, hl);
			hwirq[hl] = '\0';
		}
		const char *actions = rest + hl;
		while (*actions && *actions != ' ')
			actions++;
		while (*actions == ' ') /* skip the trigger column ("Edge", "0-edge" is hwirq-trigger) */
			actions++;
		if (*actions && strchr("EeLl", *actions) && strcspn(actions, " ") <= 5) {
			actions += strcspn(actions, " ");
			while (*actions == ' ')
				actions++;
		}
		const char *parent = !strncmp(p, "IR-", 3) ? "IR" : !strncmp(p, "ITS-", 4) ? "ITS"
				   : !strncmp(p, "GICv2m-", 7) ? "GICv2m" : !strncmp(p, "MBI-", 4) ? "MBI" : NULL;
		const struct ia_fact_interrupt_chip row = {
			.irq = irq,
			.chip = p,
			.remapped = ia_fact_i(true, !strncmp(p, "IR-", 3)),
			.isolating_parent = parent,
			.hwirq = hwirq[0] ? hwirq : NULL,
			.actions = *actions ? actions : NULL,
		};
		ia_fact_bind(st, IA_FACT_interrupt_chip, &row);
		if (ia_db_step_done(st) == 0)
			ctx->facts++;
	}
	sqlite3_finalize(st);
	free(txt);
}

static void kernel_modules(struct ia_ctx *ctx)
{
	char *txt = NULL;
	size_t len;
	sqlite3_stmt *st;
	int rc = ia_fsroot_read(ctx->root, "proc/modules", 8u << 20, &txt, &len);

	if (rc < 0) {
		if (rc != -ENOENT) /* absent when the kernel has CONFIG_MODULES=n */
			ia_ctx_error(ctx, "proc/modules", rc, -1, "which IOMMU and VFIO modules are loaded",
				     "cannot read proc/modules: %s", ia_strerror(rc));
		return;
	}
	if (ia_fact_prepare_insert(ctx->db, IA_FACT_loaded_module, "OR IGNORE", &st) == 0) {
		char *save = NULL;
		for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			l[strcspn(l, " ")] = '\0';
			if (!*l)
				continue;
			const struct ia_fact_loaded_module row = { .name = l };
			ia_fact_bind(st, IA_FACT_loaded_module, &row);
			if (ia_db_step_done(st) == 0)
				ctx->facts++;
		}
		sqlite3_finalize(st);
	}
	free(txt);
}

/*
 * The kernel configuration options the rules read (rules/: the ia_eval_kconfig() callers and
 * vfio_path.c), sorted by strcmp(). A database that lives only for the run (the audit's, in
 * memory) keeps only these: storing and loading back the other 1,700 (a small VM's config) to
 * 11,000 (a distribution's) options cost about 40% of an audit of an otherwise empty tree, and
 * nothing reads them. A database that outlives the run (collect --db, audit --db) keeps every
 * option, for whoever queries it (docs/fleet.md). test_start checks that every "CONFIG_..."
 * literal of rules/ is listed here.
 */
const char *const ia_kernel_config_read[] = {
	"CONFIG_AMD_IOMMU", "CONFIG_INTEL_IOMMU", "CONFIG_INTEL_IOMMU_DEFAULT_ON",
	"CONFIG_INTEL_IOMMU_SCALABLE_MODE_DEFAULT_ON", "CONFIG_IOMMUFD", "CONFIG_IOMMUFD_VFIO_CONTAINER",
	"CONFIG_IOMMU_DEFAULT_PASSTHROUGH", "CONFIG_VFIO", "CONFIG_VFIO_DEVICE_CDEV", "CONFIG_VFIO_IOMMU_TYPE1",
	"CONFIG_VFIO_NOIOMMU",
};
const size_t ia_kernel_config_n_read = sizeof(ia_kernel_config_read) / sizeof(*ia_kernel_config_read);
_Static_assert(sizeof(ia_kernel_config_read) / sizeof(*ia_kernel_config_read) <= 32,
	       "struct kernel_cfg.seen has one bit per option read");

/* Largest configuration text inflated from proc/config.gz, bytes (a distribution's is about 300 KiB). */
#define KERNEL_CONFIG_MAX (32u << 20)

/* One configuration being stored: the INSERT, whether every option is kept, the read ones seen. */
struct kernel_cfg {
	sqlite3_stmt *st;
	bool all;          /* keep every option: the database outlives the run */
	uint32_t seen;     /* bit i: ia_kernel_config_read[i] was given a value or said "is not set" */
};

static int kernel_cmp_option(const void *key, const void *e)
{
	return strcmp((const char *)key, *(const char *const *)e);
}

/* Index of @option ("CONFIG_...") in ia_kernel_config_read, or -1. */
static int kernel_config_wanted(const char *option)
{
	/* most options fail on their first letter after "CONFIG_": only A, I and V are listed */
	if (option[7] != 'A' && option[7] != 'I' && option[7] != 'V')
		return -1;
	const char *const *o = bsearch(option, ia_kernel_config_read, ia_kernel_config_n_read,
				       sizeof(*ia_kernel_config_read), kernel_cmp_option);

	return o ? (int)(o - ia_kernel_config_read) : -1;
}

/*
 * One line of a kernel configuration (@l, NUL-terminated, modified): "CONFIG_X=value" is stored
 * (every one, or those the rules read), "# CONFIG_X is not set" only marks X seen. Return: true once
 * every option the rules read has been seen and no other is kept: the rest of the file cannot
 * change what is stored, as scripts/kconfig/confdata.c conf_write() writes each symbol once.
 */
static bool kernel_config_line(struct kernel_cfg *c, char *l)
{
	char *eq;
	int i;

	if (!strncmp(l, "CONFIG_", 7) && (eq = strchr(l, '='))) {
		*eq = '\0';
		i = kernel_config_wanted(l);
		if (c->all || i >= 0) {
			const struct ia_fact_kernel_config row = { .option = l, .value = eq + 1 };
			ia_fact_bind(c->st, IA_FACT_kernel_config, &row);
			ia_db_step_done(c->st);
		}
	} else if (!strncmp(l, "# CONFIG_", 9)) {
		size_t n = strlen(l), tail = sizeof(" is not set") - 1;
		if (n <= 2 + tail || strcmp(l + n - tail, " is not set"))
			return false;
		l[n - tail] = '\0';
		i = kernel_config_wanted(l + 2);
	} else {
		return false;
	}
	if (i >= 0)
		c->seen |= (uint32_t)1 << i;
	return !c->all && c->seen == ((uint32_t)1 << ia_kernel_config_n_read) - 1;
}

/*
 * The lines of @buf[0, *@len) that end in '\n', through kernel_config_line(); the unfinished last
 * line is moved to the front and *@len becomes its length. With @last, that line is taken too.
 * Return: true when kernel_config_line() says the rest cannot change what is stored.
 */
static bool kernel_config_lines(struct kernel_cfg *c, char *buf, size_t *len, bool last)
{
	size_t at = 0;

	while (at < *len) {
		char *nl = memchr(buf + at, '\n', *len - at);
		if (!nl && !last)
			break;
		size_t end = nl ? (size_t)(nl - buf) : *len;
		buf[end] = '\0';
		bool done = end > at && kernel_config_line(c, buf + at);
		at = end + 1;
		if (done)
			return true;
	}
	if (at > *len)
		at = *len;
	memmove(buf, buf + at, *len - at);
	*len -= at;
	return false;
}

/*
 * Inflate the gzip stream @gz/@gzlen (proc/config.gz: kernel/configs.c, IKCONFIG_PROC) line by line
 * into kernel_config_line(), in a buffer as large as the longest line (not the whole text), and
 * stop once the rest cannot change what is stored. Return: 0; -IA_E_FORMAT when the stream is not
 * gzip, is cut short, fails its check or inflates past KERNEL_CONFIG_MAX; -ENOMEM.
 */
static int kernel_config_inflate(struct kernel_cfg *c, const char *gz, size_t gzlen)
{
	z_stream z = {0};
	size_t cap = 64u << 10, len = 0, total = 0;
	char *buf = malloc(cap + 1);
	int zr = Z_OK, rc = -IA_E_FORMAT;

	if (!buf)
		return -ENOMEM;
	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK) {
		free(buf);
		return -ENOMEM;
	}
	z.next_in = (Bytef *)gz;
	z.avail_in = (uInt)gzlen;
	while (zr == Z_OK) {
		if (len == cap) {           /* one line fills the buffer: grow it */
			char *nb = cap * 2 <= KERNEL_CONFIG_MAX ? realloc(buf, cap * 2 + 1) : NULL;
			if (!nb)
				break;
			buf = nb;
			cap *= 2;
		}
		z.next_out = (Bytef *)buf + len;
		z.avail_out = (uInt)(cap - len);
		zr = inflate(&z, Z_NO_FLUSH);
		size_t got = cap - len - z.avail_out;
		len += got;
		total += got;
		if (total > KERNEL_CONFIG_MAX)
			break;
		if ((zr == Z_OK || zr == Z_STREAM_END) && kernel_config_lines(c, buf, &len, zr == Z_STREAM_END)) {
			rc = 0;
			break;
		}
		if (zr == Z_STREAM_END)
			rc = 0;
	}
	inflateEnd(&z);
	free(buf);
	return rc;
}

/* The kernel configuration into kernel_config; where it was read into *@source (a literal, or @path: 256 bytes). */
static void kernel_config(struct ia_ctx *ctx, const char *release, char path[256], const char **source)
{
	const char *file = sqlite3_db_filename(ctx->db, "main");
	struct kernel_cfg c = { .all = file && *file };
	char *txt = NULL;
	size_t len;

	if (ia_fact_prepare_insert(ctx->db, IA_FACT_kernel_config, "OR REPLACE", &c.st))
		return;
	if (release) {
		snprintf(path, 256, "boot/config-%s", release);
		if (ia_fsroot_read(ctx->root, path, 16u << 20, &txt, &len) == 0) {
			kernel_config_lines(&c, txt, &len, true);
			*source = path;
			goto out;
		}
	}
	if (ia_fsroot_read(ctx->root, "proc/config.gz", 4u << 20, &txt, &len) == 0) {
		int rc = kernel_config_inflate(&c, txt, len);
		if (rc == 0) {
			*source = "proc/config.gz";
		} else {
			/* what was stored before the stream failed goes: no source, no options */
			ia_db_exec(ctx->db, "DELETE FROM kernel_config");
			if (rc == -IA_E_FORMAT)
				ia_ctx_error(ctx, "proc/config.gz", -IA_E_FORMAT, -1,
					     "kernel configuration (CONFIG_VFIO_NOIOMMU and others)",
					     "proc/config.gz does not inflate");
		}
	}
out:
	sqlite3_finalize(c.st);
	free(txt);
}

static int kernel_collect(struct ia_ctx *ctx)
{
	struct kernel_host h = {0};
	char config_path[256];

	kernel_host(ctx, &h);
	kernel_interrupts(ctx);
	kernel_modules(ctx);
	kernel_config(ctx, h.release[0] ? h.release : NULL, config_path, &h.row.kernel_config_source);
	kernel_store_host(ctx, &h);
	free(h.ver);
	free(h.cmd);
	return 0;
}

const struct ia_collector ia_collector_kernel = {
	.name = "kernel",
	.reads = "proc/{version,cmdline,interrupts,modules}, boot/config-<release> or proc/config.gz",
	.writes = IA_FACT_BIT(host) | IA_FACT_BIT(cmdline_param) | IA_FACT_BIT(interrupt_chip) |
		  IA_FACT_BIT(loaded_module) | IA_FACT_BIT(kernel_config),
	.collect = kernel_collect,
};
