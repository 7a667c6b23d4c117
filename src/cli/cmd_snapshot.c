// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit snapshot`: capture the root into a .tar.gz archive or a directory.
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capture/snapshot.h"
#include "cli/cli.h"
#include "core/fsroot.h"
#include "core/ia_err.h"

int cli_cmd_snapshot(const struct cli_opts *o)
{
	struct ia_fsroot root;
	struct ia_diags dg = {0};
	int rc;

	if (!o->output) {
		fprintf(stderr, "iommu-audit snapshot: --output FILE.tar.gz|FILE.tar.zst|FILE.tar|DIR is required\n");
		return EXIT_USAGE;
	}
	/* the output's directory must exist (exit 2, as --output and --db: a file that cannot be
	 * written), before anything is read */
	char dir[4096];
	struct stat st;
	snprintf(dir, sizeof(dir), "%s", o->output);
	size_t len = strlen(dir);
	while (len > 1 && dir[len - 1] == '/') /* a directory output may be named "DIR/" */
		dir[--len] = '\0';
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		slash[slash == dir ? 1 : 0] = '\0';
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		fprintf(stderr, "iommu-audit snapshot: %s: %s\n", o->output, stat(dir, &st) < 0 ? strerror(errno) :
			"its directory is not a directory");
		return EXIT_USAGE;
	}
	if ((rc = ia_fsroot_open(&root, o->root ? o->root : "/")) < 0) {
		fprintf(stderr, "iommu-audit: cannot open root: %s\n", ia_strerror(rc));
		return EXIT_UNREADABLE;
	}
	/* a root without sys/ or proc/ holds nothing a capture takes: exit 3, as an audit of it does */
	char **names = NULL;
	size_t n = 0;
	bool any = false;
	static const char *const tops[] = { "sys", "proc" };
	for (size_t i = 0; i < 2 && !any; i++) {
		any = ia_fsroot_list(&root, tops[i], &names, &n) == 0 && n > 0;
		ia_fsroot_list_free(names, n);
		names = NULL, n = 0;
	}
	if (!any) {
		fprintf(stderr, "iommu-audit snapshot: nothing to capture under %s (no sys/ or proc/)\n",
			o->root ? o->root : "/");
		ia_fsroot_close(&root);
		return EXIT_UNREADABLE;
	}
	/* a signal stops the capture, which removes its temporary output, then ends the process */
	struct sigaction old_sa[3];
	cli_stop_catch(old_sa);
	rc = ia_snapshot_capture_opts(&root, o->output, o->force, &cli_stop_sig, &dg);
	ia_fsroot_close(&root);
	for (size_t i = 0; i < dg.n; i++)
		fprintf(stderr, "iommu-audit: %s: %s\n", dg.v[i].where, dg.v[i].msg);
	ia_diags_free(&dg);
	cli_stop_restore(old_sa);
	if (rc < 0) {
		fprintf(stderr, "iommu-audit snapshot: %s: %s\n", o->output, ia_strerror(rc));
		return rc == -EEXIST ? EXIT_USAGE : EXIT_UNREADABLE;
	}
	return EXIT_OK;
}

