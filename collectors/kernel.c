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

/* "6.12.117+deb12-amd64" -> 6, 12, 117. Returns how many numbers parsed. */
static int kernel_parse_release(const char *rel, int *maj, int *min, int *patch)
{
	char *e;
	long a = strtol(rel, &e, 10);
	if (e == rel || *e != '.')
		return 0;
	*maj = (int)a;
	const char *p = e + 1;
	long b = strtol(p, &e, 10);
	if (e == p)
		return 1;
	*min = (int)b;
	if (*e != '.')
		return 2;
	p = e + 1;
	long c = strtol(p, &e, 10);
	if (e == p)
		return 2;
	*patch = (int)c;
	return 3;
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

static void kernel_host(struct ia_ctx *ctx, char **release_out)
{
	char *ver = NULL, *cmd = NULL, release[128] = "";
	size_t len;
	int maj = 0, min = 0, patch = 0, np = 0, rc;
	sqlite3_stmt *st;

	rc = ia_fsroot_read(ctx->root, "proc/version", 4096, &ver, &len);
	if (rc < 0) {
		ia_ctx_error(ctx, "proc/version", rc, -1,
			     "the kernel release (version-dependent rules use Linux 6.12 behaviour)",
			     "cannot read proc/version: %s", ia_strerror(rc));
	} else {
		ver[strcspn(ver, "\n")] = '\0';
		if (sscanf(ver, "Linux version %127s", release) == 1)
			np = kernel_parse_release(release, &maj, &min, &patch);
		else
			ia_ctx_error(ctx, "proc/version", -IA_E_FORMAT, -1, "the kernel release",
				     "proc/version does not start with \"Linux version\"");
	}
	rc = ia_fsroot_read(ctx->root, "proc/cmdline", 65536, &cmd, &len);
	if (rc < 0)
		ia_ctx_error(ctx, "proc/cmdline", rc, -1,
			     "kernel parameters (IOMMU mode, ACS overrides, interrupt remapping switches)",
			     "cannot read proc/cmdline: %s", ia_strerror(rc));
	else
		cmd[strcspn(cmd, "\n")] = '\0';

	if (ia_db_prepare(ctx->db, "INSERT INTO host(id, kernel_release, kernel_version, kernel_major,"
				   " kernel_minor, kernel_patch, cmdline, arch, iommu_groups_dir)"
				   " VALUES (1,?,?,?,?,?,?,?,?)", &st) == 0) {
		ia_db_bind_text(st, 1, release[0] ? release : NULL);
		ia_db_bind_text(st, 2, ver);
		ia_db_bind_opt_int(st, 3, np >= 1, maj);
		ia_db_bind_opt_int(st, 4, np >= 2, min);
		ia_db_bind_opt_int(st, 5, np >= 3, patch);
		ia_db_bind_text(st, 6, cmd);
		const char *arch = ver ? kernel_arch_of(ver) : NULL;
		struct utsname un;
		if (!arch && ctx->root->live && uname(&un) == 0)
			arch = un.machine; /* the running host: its own machine name */
		ia_db_bind_text(st, 7, arch);
		sqlite3_bind_int(st, 8, ia_fsroot_exists(ctx->root, "sys/kernel/iommu_groups"));
		if (ia_db_step_done(st) == 0 && (ver || cmd))
			ctx->facts++;
		sqlite3_finalize(st);
	}
	if (cmd) {
		struct ia_cmdline_token *t = NULL;
		size_t n = 0;
		if (ia_parse_cmdline(cmd, strlen(cmd), &t, &n) == 0 &&
		    ia_db_prepare(ctx->db, "INSERT INTO cmdline_param VALUES (?,?,?,?)", &st) == 0) {
			for (size_t i = 0; i < n; i++) {
				sqlite3_bind_int64(st, 1, (int64_t)i);
				ia_db_bind_text(st, 2, t[i].key);
				ia_db_bind_text(st, 3, t[i].value);
				sqlite3_bind_int(st, 4, kernel_is_relevant(t[i].key));
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
		if (!errno && end != tbuf && (*end == '\n' || *end == '\0') &&
		    ia_db_prepare(ctx->db, "UPDATE host SET tainted = ? WHERE id = 1", &st) == 0) {
			sqlite3_bind_int64(st, 1, (int64_t)tv);
			ia_db_step_done(st);
			sqlite3_finalize(st);
		} else if (errno || end == tbuf || (*end != '\n' && *end != '\0')) {
			ia_ctx_error(ctx, "proc/sys/kernel/tainted", -IA_E_FORMAT, -1, "the kernel taint flags",
				     "proc/sys/kernel/tainted is not a decimal number");
		}
	} else if (tl < 0 && tl != -ENOENT) {
		ia_ctx_error(ctx, "proc/sys/kernel/tainted", (int)tl, -1, "the kernel taint flags",
			     "cannot read proc/sys/kernel/tainted: %s", ia_strerror((int)tl));
	}
	*release_out = release[0] ? strdup(release) : NULL;
	free(ver);
	free(cmd);
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
	if (ia_db_prepare(ctx->db, "INSERT OR IGNORE INTO interrupt_chip VALUES (?,?,?,?,?,?)", &st)) {
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
		sqlite3_bind_text(st, 1, irq, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, p, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int(st, 3, !strncmp(p, "IR-", 3));
		ia_db_bind_text(st, 4, parent);
		ia_db_bind_text(st, 5, hwirq[0] ? hwirq : NULL);
		ia_db_bind_text(st, 6, *actions ? actions : NULL);
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
	if (ia_db_prepare(ctx->db, "INSERT OR IGNORE INTO loaded_module VALUES (?)", &st) == 0) {
		char *save = NULL;
		for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
			l[strcspn(l, " ")] = '\0';
			if (!*l)
				continue;
			sqlite3_bind_text(st, 1, l, -1, SQLITE_TRANSIENT);
			if (ia_db_step_done(st) == 0)
				ctx->facts++;
		}
		sqlite3_finalize(st);
	}
	free(txt);
}

/* Store CONFIG_ lines of a kernel config text. */
static void kernel_store_config(struct ia_ctx *ctx, char *txt)
{
	sqlite3_stmt *st;
	char *save = NULL;

	if (ia_db_prepare(ctx->db, "INSERT OR REPLACE INTO kernel_config VALUES (?,?)", &st))
		return;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(l, '=');
		if (strncmp(l, "CONFIG_", 7) || !eq)
			continue;
		*eq = '\0';
		sqlite3_bind_text(st, 1, l, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, eq + 1, -1, SQLITE_TRANSIENT);
		ia_db_step_done(st);
	}
	sqlite3_finalize(st);
}

static void kernel_config(struct ia_ctx *ctx, const char *release)
{
	char path[256], *txt = NULL, *src = NULL;
	size_t len;
	int rc = -ENOENT;

	if (release) {
		snprintf(path, sizeof(path), "boot/config-%s", release);
		rc = ia_fsroot_read(ctx->root, path, 16u << 20, &txt, &len);
		if (rc == 0)
			src = path;
	}
	if (rc < 0) {
		char *gz = NULL;
		size_t gzlen;
		if (ia_fsroot_read(ctx->root, "proc/config.gz", 4u << 20, &gz, &gzlen) == 0) {
			z_stream z = {0};
			size_t cap = 1u << 20, n = 0;
			txt = malloc(cap + 1);
			if (txt && inflateInit2(&z, 16 + MAX_WBITS) == Z_OK) {
				z.next_in = (Bytef *)gz;
				z.avail_in = (uInt)gzlen;
				int zr = Z_OK;
				while (zr == Z_OK) {
					if (n == cap) {
						if (cap >= (32u << 20))
							break;
						char *nt = realloc(txt, cap * 2 + 1);
						if (!nt)
							break;
						txt = nt;
						cap *= 2;
					}
					z.next_out = (Bytef *)txt + n;
					z.avail_out = (uInt)(cap - n);
					zr = inflate(&z, Z_NO_FLUSH);
					n = cap - z.avail_out;
				}
				inflateEnd(&z);
				if (zr == Z_STREAM_END) {
					txt[n] = '\0';
					src = "proc/config.gz";
					rc = 0;
				} else {
					ia_ctx_error(ctx, "proc/config.gz", -IA_E_FORMAT, -1,
						     "kernel configuration (CONFIG_VFIO_NOIOMMU and others)",
						     "proc/config.gz does not inflate");
				}
			}
			free(gz);
			if (rc < 0) {
				free(txt);
				txt = NULL;
			}
		}
	}
	if (rc == 0 && txt) {
		kernel_store_config(ctx, txt);
		sqlite3_stmt *st;
		if (ia_db_prepare(ctx->db, "UPDATE host SET kernel_config_source = ? WHERE id = 1", &st) == 0) {
			ia_db_bind_text(st, 1, src);
			ia_db_step_done(st);
			sqlite3_finalize(st);
		}
	}
	free(txt);
}

static int kernel_collect(struct ia_ctx *ctx)
{
	char *release = NULL;

	kernel_host(ctx, &release);
	kernel_interrupts(ctx);
	kernel_modules(ctx);
	kernel_config(ctx, release);
	free(release);
	return 0;
}

const struct ia_collector ia_collector_kernel = {
	.name = "kernel",
	.reads = "proc/{version,cmdline,interrupts,modules}, boot/config-<release> or proc/config.gz",
	.writes = IA_FACT_BIT(host) | IA_FACT_BIT(cmdline_param) | IA_FACT_BIT(interrupt_chip) |
		  IA_FACT_BIT(loaded_module) | IA_FACT_BIT(kernel_config),
	.collect = kernel_collect,
};
