// SPDX-License-Identifier: GPL-2.0-or-later
// Host-use collector: the PCI functions the host itself uses (its disks, routed interfaces, console, boot display).
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collect.h"
#include "core/array.h"
#include "core/bdf.h"
#include "core/db.h"
#include "core/facts.h"
#include "core/ia_err.h"

/*
 * What `plan` must not take from the host, found the way SPDK's scripts/setup.sh (mounts and
 * holders of a disk's block devices) and DPDK's usertools/dpdk-devbind.py (an interface named by
 * a route is "*Active*") find it, from files any user may read:
 *
 *   - proc/self/mountinfo (fs/proc_namespace.c show_mountinfo(): "ID PARENT MAJ:MIN ROOT MOUNTPOINT
 *     ... - FSTYPE SOURCE ..."): each mounted block device, by sys/dev/block/MAJ:MIN; a btrfs
 *     subvolume (an anonymous 0:N device) by its source "/dev/NAME";
 *   - proc/swaps: each swap partition (a swap file lives on a mounted filesystem);
 *   - sys/class/block/<dev>/holders: a disk or partition dm or md is built on (in use even when
 *     nothing above it is mounted);
 *   - proc/net/route, proc/net/ipv6_route: the interfaces of routes (default route, or any other
 *     route but link-local 169.254/16: dpdk-devbind's test), proc/net/if_inet6: global addresses;
 *   - sys/class/tty/console/active and proc/consoles: the console's ttys; a virtual terminal is
 *     drawn on the framebuffers (sys/class/graphics/fb*);
 *   - boot_vga of each display-class function (drivers/pci/pci-sysfs.c boot_vga_show(), visible
 *     for VGA-class devices only: pci_dev_attrs_are_visible()) with its DRM card name
 *     (sys/class/drm/card*).
 *
 * A block device, interface, tty or framebuffer is mapped to the deepest PCI address in its
 * canonical sysfs path (sys/devices/pci0000:00/0000:00:02.0/0000:01:00.0/nvme/nvme0/nvme0n1 ->
 * 0000:01:00.0; a USB disk -> its xHCI), and a virtual one through what it is built on: dm and md
 * through slaves/, a bond, bridge or VLAN through its lower_* links, a multipath NVMe namespace
 * (sys/devices/virtual/nvme-subsystem/nvme-subsysN/nvme0n1) through the controllers linked in its
 * subsystem (drivers/nvme/host/core.c nvme_init_subsystem()).
 *
 * One pass over each file, each read bounded; every file's outcome is a host_use_source row, so
 * `plan` says which uses it could not check instead of calling a device free.
 */

#define HU_MAX_FILE (16u << 20)   /* mountinfo of a host with many containers stays far below */
#define HU_MAX_DEPTH 8            /* dm on md on dm ...: deeper stacks are not followed */
#define HU_MAX_ITEMS 4            /* mount points (or routes) named per row; the rest counted */

/* One use being gathered: rows with the same (bdf, use, name) are merged, their items joined. */
struct hu_use {
	char bdf[IA_BDF_BUFSZ];
	const char *use;          /* a literal; "mounted" becomes "root-disk" when "/" is among the items */
	char name[64];
	const char *prefix;       /* "mounted on ", "swap on ", "" */
	char items[512];
	size_t n_items, more;
	bool root;                /* "/" is among the mount points */
	const char *source;
};

/* A PCI function a block device or interface resolves to. */
struct hu_target {
	char bdf[IA_BDF_BUFSZ];
	char name[64];            /* the disk (for a partition, its disk) or physical interface */
};

struct hu {
	struct ia_ctx *ctx;
	sqlite3_stmt *known;      /* SELECT 1 FROM pci_function WHERE bdf = ? */
	struct hu_use *v; size_t n, cap;
	struct hu_target *t; size_t nt, tcap;
	bool big_endian;          /* proc/net/route prints addresses as the host's u32 (BE hosts differ) */
};

/* Record what reading @path gave: a source row, and for an unreadable file a collection error. */
static void hu_source(struct hu *h, const char *path, const char *shows, bool required, int status)
{
	sqlite3_stmt *st;
	const struct ia_fact_host_use_source row = {
		.path = path, .shows = shows, .required = ia_fact_i(true, required),
		.status = ia_fact_i(true, status),
	};

	if (status < 0 && status != -ENOENT)
		ia_ctx_error(h->ctx, path, status, -1, "which PCI functions the host uses (plan cannot check them)",
			     "cannot read %s: %s", path, ia_strerror(status));
	if (ia_fact_prepare_insert(h->ctx->db, IA_FACT_host_use_source, "OR REPLACE", &st))
		return;
	ia_fact_bind(st, IA_FACT_host_use_source, &row);
	ia_db_step_done(st);
	sqlite3_finalize(st);
}

/* True when the pci collector saw @bdf. */
static bool hu_known(struct hu *h, const char *bdf)
{
	if (!h->known)
		return false;
	sqlite3_bind_text(h->known, 1, bdf, -1, SQLITE_STATIC);
	bool ok = sqlite3_step(h->known) == SQLITE_ROW;
	sqlite3_reset(h->known);
	sqlite3_clear_bindings(h->known);
	return ok;
}

/* Add one use (merged with an equal (bdf, use, name)). */
static void hu_add(struct hu *h, const char *bdf, const char *use, const char *name, const char *prefix,
		   const char *item, const char *source)
{
	struct hu_use *u = NULL;

	for (size_t i = 0; i < h->n && !u; i++)
		if (!strcmp(h->v[i].bdf, bdf) && !strcmp(h->v[i].use, use) && !strcmp(h->v[i].name, name))
			u = &h->v[i];
	if (!u) {
		if (ia_array_reserve((void **)&h->v, &h->cap, h->n + 1, sizeof(*h->v)))
			return;
		u = &h->v[h->n++];
		memset(u, 0, sizeof(*u));
		snprintf(u->bdf, sizeof(u->bdf), "%s", bdf);
		snprintf(u->name, sizeof(u->name), "%s", name);
		u->use = use;
		u->prefix = prefix;
		u->source = source;
	}
	if (!strcmp(item, "/") || !strncmp(item, "/ (", 3))
		u->root = true;
	for (const char *p = u->items; *p;) { /* the same item twice (a bind mount) is said once */
		size_t l = strcspn(p, "\x1f");
		if (l == strlen(item) && !strncmp(p, item, l))
			return;
		p += l + (p[l] != 0);
	}
	if (u->n_items >= HU_MAX_ITEMS) {
		u->more++;
		return;
	}
	size_t at = strlen(u->items);
	snprintf(u->items + at, sizeof(u->items) - at, "%s%s", at ? "\x1f" : "", item);
	u->n_items++;
}

/* The deepest canonical PCI address among the components of @canon ("sys/devices/pci..."), into @bdf. */
static bool hu_bdf_of_path(const char *canon, char bdf[IA_BDF_BUFSZ])
{
	bool found = false;

	if (strncmp(canon, "sys/devices/", 12))
		return false;
	for (const char *p = canon; *p;) {
		size_t l = strcspn(p, "/");
		char comp[IA_BDF_BUFSZ];
		struct ia_bdf b;
		if (l < sizeof(comp)) {
			memcpy(comp, p, l);
			comp[l] = '\0';
			if (ia_bdf_parse(comp, IA_BDF_CANONICAL, &b) == 0) {
				memcpy(bdf, comp, l + 1);
				found = true;
			}
		}
		p += l;
		while (*p == '/')
			p++;
	}
	return found;
}

static const char *hu_basename(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/* A name read from the host is used in a path only when it is one plain component. */
static bool hu_plain_name(const char *n)
{
	return n[0] && strlen(n) < 64 && !strchr(n, '/') && strcmp(n, ".") && strcmp(n, "..");
}

static void hu_target(struct hu *h, const char *bdf, const char *name)
{
	for (size_t i = 0; i < h->nt; i++)
		if (!strcmp(h->t[i].bdf, bdf) && !strcmp(h->t[i].name, name))
			return;
	if (!hu_known(h, bdf) || ia_array_reserve((void **)&h->t, &h->tcap, h->nt + 1, sizeof(*h->t)))
		return;
	snprintf(h->t[h->nt].bdf, sizeof(h->t[h->nt].bdf), "%s", bdf);
	snprintf(h->t[h->nt].name, sizeof(h->t[h->nt].name), "%s", name);
	h->nt++;
}

/*
 * The PCI functions under block device @rel (a path under the root that leads to the device's
 * sysfs directory), appended to h->t: a physical disk or partition gives its function and disk
 * name; dm and md are followed through slaves/, a multipath NVMe namespace through its
 * subsystem's controllers. @via (out, @vcap bytes) receives the first virtual device passed
 * ("dm-0 vg0-root"), or stays "".
 */
static void hu_block(struct hu *h, const char *rel, int depth, char *via, size_t vcap)
{
	char canon[4096], bdf[IA_BDF_BUFSZ], sub[4200];

	if (depth > HU_MAX_DEPTH || ia_fsroot_canonical(h->ctx->root, rel, canon, sizeof(canon)) < 0)
		return;
	if (hu_bdf_of_path(canon, bdf)) {
		/* a partition's directory sits in its disk's and has a "partition" attribute */
		char disk[64];
		snprintf(sub, sizeof(sub), "%s/partition", canon);
		const char *leaf = hu_basename(canon);
		if (ia_fsroot_exists(h->ctx->root, sub) && leaf != canon) {
			size_t dl = (size_t)(leaf - 1 - canon);
			const char *d = canon + dl;
			while (d > canon && d[-1] != '/')
				d--;
			snprintf(disk, sizeof(disk), "%.*s", (int)(canon + dl - d), d);
		} else {
			snprintf(disk, sizeof(disk), "%.63s", leaf);
		}
		hu_target(h, bdf, disk);
		return;
	}
	char **names = NULL;
	size_t n = 0;
	snprintf(sub, sizeof(sub), "%s/slaves", canon);
	if (ia_fsroot_list(h->ctx->root, sub, &names, &n) == 0 && n) {
		if (via && !via[0]) { /* the dm or md device the use goes through, with dm's name */
			char dmname[128], dn[4200];
			snprintf(dn, sizeof(dn), "%s/dm/name", canon);
			long l = ia_fsroot_read_small(h->ctx->root, dn, dmname, sizeof(dmname));
			if (l > 0)
				dmname[strcspn(dmname, "\n")] = '\0';
			snprintf(via, vcap, "%.31s%s%.100s", hu_basename(canon), l > 0 && dmname[0] ? " " : "",
				 l > 0 ? dmname : "");
		}
		for (size_t i = 0; i < n; i++) {
			char s2[4400];
			snprintf(s2, sizeof(s2), "%s/%s", sub, names[i]);
			hu_block(h, s2, depth + 1, NULL, 0);
		}
		ia_fsroot_list_free(names, n);
		return;
	}
	ia_fsroot_list_free(names, n);
	/* sys/devices/virtual/nvme-subsystem/nvme-subsysN/nvme0n1: the controllers nvme<N> linked in
	 * the subsystem's directory carry the I/O */
	const char *leaf = hu_basename(canon);
	if (leaf == canon)
		return;
	snprintf(sub, sizeof(sub), "%.*s", (int)(leaf - 1 - canon), canon);
	if (strncmp(hu_basename(sub), "nvme-subsys", 11))
		return;
	if (ia_fsroot_list(h->ctx->root, sub, &names, &n) == 0)
		for (size_t i = 0; i < n; i++) {
			const char *c = names[i];
			if (strncmp(c, "nvme", 4) || !c[4] || strspn(c + 4, "0123456789") != strlen(c + 4))
				continue;
			char s2[4400], cc[4096];
			snprintf(s2, sizeof(s2), "%s/%s", sub, c);
			if (ia_fsroot_canonical(h->ctx->root, s2, cc, sizeof(cc)) >= 0 && hu_bdf_of_path(cc, bdf))
				hu_target(h, bdf, hu_basename(canon));
		}
	ia_fsroot_list_free(names, n);
}

/* Resolve block device @rel and add a use of @use for each function under it. */
static void hu_block_use(struct hu *h, const char *rel, const char *use, const char *prefix, const char *what,
			 const char *source)
{
	char via[160] = "", item[512];

	h->nt = 0;
	hu_block(h, rel, 0, via, sizeof(via));
	if (via[0])
		snprintf(item, sizeof(item), "%s (under %s)", what, via);
	else
		snprintf(item, sizeof(item), "%s", what);
	for (size_t i = 0; i < h->nt; i++)
		hu_add(h, h->t[i].bdf, use, h->t[i].name, prefix, item, source);
}

/* proc/self/mountinfo: "ID PARENT MAJ:MIN ROOT MOUNTPOINT OPTIONS [OPTIONAL...] - FSTYPE SOURCE SUPER". */
static void hu_mounts(struct hu *h)
{
	static const char path[] = "proc/self/mountinfo";
	char *txt = NULL;
	size_t len;
	int rc = ia_fsroot_read(h->ctx->root, path, HU_MAX_FILE, &txt, &len);

	hu_source(h, path, "mounted filesystems", true, rc);
	if (rc < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char majmin[32], mnt[256], rel[300];
		unsigned maj, min;
		if (sscanf(l, "%*s %*s %31s %*s %255s", majmin, mnt) != 2 || sscanf(majmin, "%u:%u", &maj, &min) != 2)
			continue;
		const char *dash = strstr(l, " - ");
		char fstype[64] = "", src[256] = "";
		if (dash)
			sscanf(dash + 3, "%63s %255s", fstype, src);
		snprintf(rel, sizeof(rel), "sys/dev/block/%u:%u", maj, min);
		if (!ia_fsroot_exists(h->ctx->root, rel)) {
			/* btrfs and others mount an anonymous 0:N device: the source names the disk */
			if (strncmp(src, "/dev/", 5) || !hu_plain_name(src + 5))
				continue;
			snprintf(rel, sizeof(rel), "sys/class/block/%s", src + 5);
		}
		hu_block_use(h, rel, "mounted", "mounted on ", mnt, path);
	}
	free(txt);
}

/* proc/swaps: "Filename Type Size Used Priority"; a partition's name is its /dev node. */
static void hu_swaps(struct hu *h)
{
	static const char path[] = "proc/swaps";
	char *txt = NULL;
	size_t len;
	int rc = ia_fsroot_read(h->ctx->root, path, HU_MAX_FILE, &txt, &len);

	hu_source(h, path, "swap", false, rc);
	if (rc < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char file[256], type[32], rel[300];
		if (sscanf(l, "%255s %31s", file, type) != 2 || strcmp(type, "partition") || strncmp(file, "/dev/", 5) ||
		    !hu_plain_name(file + 5))
			continue;   /* the header, and swap files (on a filesystem mountinfo names) */
		snprintf(rel, sizeof(rel), "sys/class/block/%s", file + 5);
		hu_block_use(h, rel, "swap", "swap on ", file, path);
	}
	free(txt);
}

/* sys/class/block/<dev>/holders: a disk or partition that dm or md is built on. */
static void hu_holders(struct hu *h)
{
	static const char path[] = "sys/class/block";
	char **names = NULL;
	size_t n = 0;
	int rc = ia_fsroot_list(h->ctx->root, path, &names, &n);

	hu_source(h, path, "disks in use by device-mapper or md (holders)", true, rc);
	for (size_t i = 0; i < n; i++) {
		char rel[512], canon[4096], bdf[IA_BDF_BUFSZ], hold[4200];
		char **hn = NULL;
		size_t nh = 0;
		snprintf(rel, sizeof(rel), "%s/%s", path, names[i]);
		if (ia_fsroot_canonical(h->ctx->root, rel, canon, sizeof(canon)) < 0 || !hu_bdf_of_path(canon, bdf))
			continue;
		snprintf(hold, sizeof(hold), "%s/holders", canon);
		if (ia_fsroot_list(h->ctx->root, hold, &hn, &nh) == 0 && nh) {
			char item[256];
			snprintf(item, sizeof(item), "%s held by %s", names[i], hn[0]);
			h->nt = 0;
			hu_block(h, rel, 0, NULL, 0);
			for (size_t k = 0; k < h->nt; k++)
				hu_add(h, h->t[k].bdf, "dm-md-member", h->t[k].name, "", item, path);
		}
		ia_fsroot_list_free(hn, nh);
	}
	ia_fsroot_list_free(names, n);
}

/*
 * The PCI functions under network interface @name (sys/class/net/<name>), into h->t: a virtual
 * one (bond, bridge, VLAN) through its lower_* links. @depth bounds the stack.
 */
static void hu_netdev(struct hu *h, const char *rel, int depth)
{
	char canon[4096], bdf[IA_BDF_BUFSZ];
	char **names = NULL;
	size_t n = 0;

	if (depth > HU_MAX_DEPTH || ia_fsroot_canonical(h->ctx->root, rel, canon, sizeof(canon)) < 0)
		return;
	if (hu_bdf_of_path(canon, bdf)) {
		hu_target(h, bdf, hu_basename(canon));
		return;
	}
	if (ia_fsroot_list(h->ctx->root, canon, &names, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++)
		if (!strncmp(names[i], "lower_", 6)) {
			char s2[4200];
			snprintf(s2, sizeof(s2), "%s/%s", canon, names[i]);
			hu_netdev(h, s2, depth + 1);
		}
	ia_fsroot_list_free(names, n);
}

static void hu_net_use(struct hu *h, const char *iface, const char *use, const char *item, const char *source)
{
	char rel[128], it[320];

	if (!hu_plain_name(iface) || !strcmp(iface, "lo"))
		return;
	snprintf(rel, sizeof(rel), "sys/class/net/%s", iface);
	h->nt = 0;
	hu_netdev(h, rel, 0);
	for (size_t i = 0; i < h->nt; i++) {
		if (strcmp(h->t[i].name, iface))
			snprintf(it, sizeof(it), "%s (through %s)", item, iface);
		else
			snprintf(it, sizeof(it), "%s", item);
		hu_add(h, h->t[i].bdf, use, h->t[i].name, "", it, source);
	}
}

/* An IPv4 address as proc/net/route prints it ("%08X" of the __be32 as the host's u32). */
static void hu_ipv4(const struct hu *h, unsigned long v, char out[INET_ADDRSTRLEN])
{
	unsigned char b[4];

	for (int i = 0; i < 4; i++)
		b[i] = h->big_endian ? (unsigned char)(v >> (24 - 8 * i)) : (unsigned char)(v >> (8 * i));
	inet_ntop(AF_INET, b, out, INET_ADDRSTRLEN);
}

/* proc/net/route (net/ipv4/fib_trie.c fib_route_seq_show()): "Iface Destination Gateway Flags RefCnt
 * Use Metric Mask MTU Window IRTT", addresses in hex. */
static void hu_routes4(struct hu *h)
{
	static const char path[] = "proc/net/route";
	char *txt = NULL;
	size_t len;
	int rc = ia_fsroot_read(h->ctx->root, path, HU_MAX_FILE, &txt, &len);

	hu_source(h, path, "IPv4 routes", true, rc);
	if (rc < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char iface[64], item[128], a[INET_ADDRSTRLEN], g[INET_ADDRSTRLEN];
		unsigned long dst, gw, flags, mask;
		if (sscanf(l, "%63s %lx %lx %lx %*s %*s %*s %lx", iface, &dst, &gw, &flags, &mask) != 5)
			continue;   /* the header */
		if (!(flags & 0x1) || (flags & 0x200))   /* RTF_UP; RTF_REJECT */
			continue;
		hu_ipv4(h, dst, a);
		hu_ipv4(h, gw, g);
		if (!dst && !mask) {
			snprintf(item, sizeof(item), "default route%s%s", gw ? " via " : "", gw ? g : "");
			hu_net_use(h, iface, "default-route-nic", item, path);
			continue;
		}
		if (!strncmp(a, "169.254.", 8))   /* link-local zeroconf, as dpdk-devbind skips it */
			continue;
		snprintf(item, sizeof(item), "route to %s/%d%s%s", a, __builtin_popcountl(mask & 0xffffffffUL),
			 (flags & 0x2) ? " via " : "", (flags & 0x2) ? g : "");
		hu_net_use(h, iface, "addressed-nic", item, path);
	}
	free(txt);
}

/* 32 hex digits into 16 bytes; false when malformed. */
static bool hu_hex16(const char *s, unsigned char out[16])
{
	for (int i = 0; i < 16; i++) {
		unsigned v;
		if (sscanf(s + 2 * i, "%2x", &v) != 1)
			return false;
		out[i] = (unsigned char)v;
	}
	return true;
}

/* proc/net/ipv6_route (net/ipv6/route.c ipv6_route_native_seq_show()): "DEST PLEN SRC SPLEN NEXTHOP
 * METRIC REFCNT USE FLAGS IFACE": default routes only (addresses come from if_inet6). */
static void hu_routes6(struct hu *h)
{
	static const char path[] = "proc/net/ipv6_route";
	char *txt = NULL;
	size_t len;
	int rc = ia_fsroot_read(h->ctx->root, path, HU_MAX_FILE, &txt, &len);

	hu_source(h, path, "IPv6 default routes", false, rc);
	if (rc < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char dst[40], nh[40], iface[64], item[128], a[INET6_ADDRSTRLEN];
		unsigned plen, flags;
		unsigned char b[16];
		if (sscanf(l, "%39s %x %*s %*s %39s %*s %*s %*s %x %63s", dst, &plen, nh, &flags, iface) != 5 ||
		    strlen(dst) != 32 || strspn(dst, "0") != 32 || plen != 0)
			continue;
		if (!(flags & 0x1) || (flags & 0x200))   /* RTF_UP; RTF_REJECT (the unreachable default on lo) */
			continue;
		bool gw = strlen(nh) == 32 && strspn(nh, "0") != 32 && hu_hex16(nh, b) &&
			  inet_ntop(AF_INET6, b, a, sizeof(a));
		snprintf(item, sizeof(item), "IPv6 default route%s%s", gw ? " via " : "", gw ? a : "");
		hu_net_use(h, iface, "default-route-nic", item, path);
	}
	free(txt);
}

/* proc/net/if_inet6 (net/ipv6/addrconf.c if6_seq_show()): "ADDR IFINDEX PLEN SCOPE FLAGS IFACE";
 * global and site scope only (every IPv6 interface has a link-local address). */
static void hu_addrs6(struct hu *h)
{
	static const char path[] = "proc/net/if_inet6";
	char *txt = NULL;
	size_t len;
	int rc = ia_fsroot_read(h->ctx->root, path, HU_MAX_FILE, &txt, &len);

	hu_source(h, path, "IPv6 addresses", false, rc);
	if (rc < 0)
		return;
	char *save = NULL;
	for (char *l = strtok_r(txt, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		char addr[40], iface[64], item[128], a[INET6_ADDRSTRLEN];
		unsigned plen, scope;
		unsigned char b[16];
		if (sscanf(l, "%39s %*x %x %x %*x %63s", addr, &plen, &scope, iface) != 4 || strlen(addr) != 32 ||
		    !hu_hex16(addr, b) || !inet_ntop(AF_INET6, b, a, sizeof(a)))
			continue;
		if (scope != 0x00 && scope != 0x40)   /* IPV6_ADDR_SCOPE_GLOBAL, _SITELOCAL */
			continue;
		snprintf(item, sizeof(item), "address %s/%u", a, plen);
		hu_net_use(h, iface, "addressed-nic", item, path);
	}
	free(txt);
}

/* A VT ("tty", "tty0".."tty63"): drawn on the framebuffers. */
static bool hu_is_vt(const char *n)
{
	return !strncmp(n, "tty", 3) && strspn(n + 3, "0123456789") == strlen(n + 3);
}

/* The console: its ttys from sys/class/tty/console/active and proc/consoles. */
static void hu_console(struct hu *h)
{
	static const char active[] = "sys/class/tty/console/active", consoles[] = "proc/consoles",
			  graphics[] = "sys/class/graphics";
	char *a = NULL, *c = NULL, names[16][64];
	const char *from[16];
	size_t len, n = 0;
	int ra = ia_fsroot_read(h->ctx->root, active, 4096, &a, &len);
	int rc = ia_fsroot_read(h->ctx->root, consoles, 65536, &c, &len);

	hu_source(h, active, "the active console", false, ra);
	hu_source(h, consoles, "the consoles", true, rc);
	char *save = NULL;
	for (char *t = ra == 0 ? strtok_r(a, " \n", &save) : NULL; t && n < 16; t = strtok_r(NULL, " \n", &save))
		if (hu_plain_name(t)) {
			from[n] = active;
			snprintf(names[n++], sizeof(names[0]), "%s", t);
		}
	save = NULL;
	for (char *l = rc == 0 ? strtok_r(c, "\n", &save) : NULL; l && n < 16; l = strtok_r(NULL, "\n", &save)) {
		char t[64];
		bool dup = false;
		if (sscanf(l, "%63s", t) != 1 || !hu_plain_name(t))
			continue;
		for (size_t i = 0; i < n; i++)
			dup |= !strcmp(names[i], t);
		if (!dup) {
			from[n] = consoles;
			snprintf(names[n++], sizeof(names[0]), "%s", t);
		}
	}
	free(a);
	free(c);
	const char *vt = NULL;   /* the virtual terminal the console is on */
	for (size_t i = 0; i < n; i++) {
		char rel[128], canon[4096], bdf[IA_BDF_BUFSZ];
		if (hu_is_vt(names[i])) {
			vt = vt ? vt : names[i];
			continue;
		}
		snprintf(rel, sizeof(rel), "sys/class/tty/%.63s", names[i]);
		if (ia_fsroot_canonical(h->ctx->root, rel, canon, sizeof(canon)) >= 0 && hu_bdf_of_path(canon, bdf) &&
		    hu_known(h, bdf))
			hu_add(h, bdf, "console", names[i], "", "active console", from[i]);
	}
	if (!vt)
		return;
	/* fbcon draws the virtual terminals on every framebuffer */
	char **fb = NULL;
	size_t nf = 0;
	int rg = ia_fsroot_list(h->ctx->root, graphics, &fb, &nf);
	hu_source(h, graphics, "framebuffer consoles", false, rg);
	for (size_t i = 0; i < nf; i++) {
		char rel[256], canon[4096], bdf[IA_BDF_BUFSZ], item[96];
		if (strncmp(fb[i], "fb", 2))
			continue;
		snprintf(rel, sizeof(rel), "%s/%s", graphics, fb[i]);
		if (ia_fsroot_canonical(h->ctx->root, rel, canon, sizeof(canon)) < 0 || !hu_bdf_of_path(canon, bdf) ||
		    !hu_known(h, bdf))
			continue;
		snprintf(item, sizeof(item), "virtual terminal console drawn on %s", fb[i]);
		hu_add(h, bdf, "console", vt, "", item, graphics);
	}
	ia_fsroot_list_free(fb, nf);
}

/* boot_vga of each display-class function, named by its DRM card (sys/class/drm/card<N>). */
static void hu_boot_vga(struct hu *h)
{
	static const char drm[] = "sys/class/drm", path[] = "sys/bus/pci/devices/*/boot_vga";
	sqlite3_stmt *st;
	int status = 0;
	bool vga = false;   /* a VGA-class function, which always has boot_vga */

	if (ia_db_prepare(h->ctx->db, "SELECT bdf, sysfs_path, class FROM pci_function WHERE class >> 16 = 3 ORDER BY bdf",
			  &st))
		return;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *bdf = (const char *)sqlite3_column_text(st, 0), *dir = (const char *)sqlite3_column_text(st, 1);
		/* drivers/pci/pci-sysfs.c pci_dev_attrs_are_visible(): boot_vga only for VGA class 0x0300
		 * (pci_is_vga() in newer kernels also takes the pre-PCI-2.0 class 0x0001, not selected here) */
		bool is_vga = (sqlite3_column_int64(st, 2) >> 8) == 0x0300;
		char rel[4200], v[16];
		if (!bdf || !dir)
			continue;
		vga |= is_vga;
		snprintf(rel, sizeof(rel), "%s/boot_vga", dir);
		long l = ia_fsroot_read_small(h->ctx->root, rel, v, sizeof(v));
		if (l == -ENOENT && is_vga && !status) {
			status = -ENOENT;   /* pci_dev_attrs_are_visible() shows it for VGA: not captured */
		} else if (l < 0 && l != -ENOENT) {   /* absent elsewhere: not VGA, boot_vga is not visible */
			ia_ctx_error(h->ctx, rel, (int)l, -1, "whether this display is the host's boot VGA device",
				     "cannot read %s: %s", rel, ia_strerror((int)l));
			status = (int)l;
		}
		if (l <= 0 || v[0] != '1')
			continue;
		char name[64] = "";
		char **cards = NULL;
		size_t n = 0;
		if (ia_fsroot_list(h->ctx->root, drm, &cards, &n) == 0)
			for (size_t i = 0; i < n && !name[0]; i++) {
				char crel[256], canon[4096], cbdf[IA_BDF_BUFSZ];
				if (strncmp(cards[i], "card", 4) || !cards[i][4] ||
				    strspn(cards[i] + 4, "0123456789") != strlen(cards[i] + 4))
					continue;
				snprintf(crel, sizeof(crel), "%s/%s", drm, cards[i]);
				if (ia_fsroot_canonical(h->ctx->root, crel, canon, sizeof(canon)) >= 0 &&
				    hu_bdf_of_path(canon, cbdf) && !strcmp(cbdf, bdf))
					snprintf(name, sizeof(name), "%s", cards[i]);
			}
		ia_fsroot_list_free(cards, n);
		hu_add(h, bdf, "boot-vga", name[0] ? name : "VGA", "", "the firmware's boot display (boot_vga)", path);
	}
	sqlite3_finalize(st);
	/* the status of the boot_vga reads: -ENOENT would claim "no VGA" for a failed one */
	hu_source(h, path, "the boot VGA device", vga, status);
}

/* Write the gathered uses, items joined. */
static void hu_store(struct hu *h)
{
	sqlite3_stmt *st;

	if (ia_fact_prepare_insert(h->ctx->db, IA_FACT_host_use, "OR IGNORE", &st))
		return;
	for (size_t i = 0; i < h->n; i++) {
		struct hu_use *u = &h->v[i];
		char detail[700];
		size_t at = (size_t)snprintf(detail, sizeof(detail), "%s", u->prefix);
		/* "/" first: the root filesystem is what the operator must hear of */
		for (int pass = 0; pass < 2; pass++)
			for (const char *p = u->items; *p;) {
				size_t l = strcspn(p, "\x1f");
				bool is_root = (l == 1 && p[0] == '/') || (l > 3 && !strncmp(p, "/ (", 3));
				if (is_root == (pass == 0) && at < sizeof(detail))
					at += (size_t)snprintf(detail + at, sizeof(detail) - at, "%s%.*s",
							       at > strlen(u->prefix) ? ", " : "", (int)l, p);
				p += l + (p[l] != 0);
			}
		if (u->more && at < sizeof(detail))
			snprintf(detail + at, sizeof(detail) - at, " and %zu more", u->more);
		const struct ia_fact_host_use row = {
			.bdf = u->bdf,
			.use = !strcmp(u->use, "mounted") && u->root ? "root-disk" : u->use,
			.name = u->name, .detail = detail, .source = u->source,
		};
		ia_fact_bind(st, IA_FACT_host_use, &row);
		if (ia_db_step_done(st) == 0)
			h->ctx->facts++;
	}
	sqlite3_finalize(st);
}

static int hu_collect(struct ia_ctx *ctx)
{
	struct hu h = { .ctx = ctx };
	sqlite3_stmt *st;

	/* An lspci dump is a host of its own: the machine running the tool does not use its functions.
	 * No source row: `plan` says the use was not checked. */
	if (ctx->opts && ctx->opts->pci_dump)
		return 0;
	if (ia_db_prepare(ctx->db, "SELECT 1 FROM pci_function WHERE bdf = ?", &h.known))
		return -IA_E_SQLITE;
	if (ia_db_prepare(ctx->db, "SELECT arch FROM host", &st) == 0) {
		if (sqlite3_step(st) == SQLITE_ROW) {
			const char *arch = (const char *)sqlite3_column_text(st, 0);
			h.big_endian = arch && (!strcmp(arch, "s390x") || !strcmp(arch, "ppc64") || !strcmp(arch, "sparc64"));
		}
		sqlite3_finalize(st);
	}
	hu_mounts(&h);
	hu_swaps(&h);
	hu_holders(&h);
	hu_routes4(&h);
	hu_routes6(&h);
	hu_addrs6(&h);
	hu_console(&h);
	hu_boot_vga(&h);
	hu_store(&h);
	sqlite3_finalize(h.known);
	free(h.v);
	free(h.t);
	return 0;
}

const struct ia_collector ia_collector_host_use = {
	.name = "host_use",
	.reads = "proc/self/mountinfo, proc/swaps, sys/class/block/*/{holders,slaves}, sys/dev/block, "
		 "proc/net/{route,ipv6_route,if_inet6}, sys/class/net, sys/class/tty/console/active, proc/consoles, "
		 "sys/class/{graphics,drm}, boot_vga",
	.writes = IA_FACT_BIT(host_use) | IA_FACT_BIT(host_use_source),
	.needs = IA_FACT_BIT(pci_function) | IA_FACT_BIT(host),
	.collect = hu_collect,
};
