// SPDX-License-Identifier: GPL-2.0-or-later
// `iommu-audit snapshot`: capture the root into a .tar.gz archive or a directory.
#include <errno.h>
#include <stdio.h>

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
	if ((rc = ia_fsroot_open(&root, o->root ? o->root : "/")) < 0) {
		fprintf(stderr, "iommu-audit: cannot open root: %s\n", ia_strerror(rc));
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

