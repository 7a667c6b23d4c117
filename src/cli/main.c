// SPDX-License-Identifier: GPL-2.0-or-later
// The iommu-audit command line: parse options, then hand over to the command (src/cli/cmd_*.c).
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

void cli_usage(FILE *f)
{
	fputs("usage:\n"
	      "  iommu-audit [audit] [--root DIR|--snapshot FILE.tar.gz|--from-db FILE]\n"
	      "                      [--format text|json|junit|nfd] [--output FILE] [--db FILE]\n"
	      "                      [--fail-on error|warning|never] [--color auto|always|never]\n"
	      "                      [--policy FILE]   (docs/policy.md)\n"
	      "  iommu-audit plan BDF... [--root DIR|--snapshot FILE|--from-db FILE] [--format text|json]\n"
	      "  iommu-audit diff OLD NEW [--format text|json]   OLD, NEW: captured tree, .tar.gz or .db\n"
	      "  iommu-audit snapshot [--root DIR] --output FILE.tar.gz|.tar.zst|.tar|DIR [--force]\n"
	      "  iommu-audit collect  [--root DIR|--snapshot FILE] --db FILE\n"
	      "  iommu-audit groups   [--root DIR|--snapshot FILE] [--predicted [--when-enabled]]\n"
	      "  iommu-audit rules [--format man]   list rule ids, levels, summaries, advice and sources\n"
	      "  iommu-audit schema                 print the fact database schema\n"
	      "  iommu-audit --version | --help\n"
	      "options that replace parts of the root:\n"
	      "  --lspci-dump FILE   read PCI config spaces from an `lspci -xxxx` dump (libpci dump method)\n"
	      "  --acpidump FILE     read ACPI tables from acpidump text output\n"
	      "  --dtb FILE          read the device tree from a flattened blob\n"
	      "  --pci-ids FILE      pci.ids for device names; --no-names to skip names\n"
	      "exit status: 0 nothing reached --fail-on; 1 findings reached it; 2 usage; 3 nothing readable\n", f);
}

static int parse_args(int argc, char **argv, struct cli_opts *o)
{
	enum { O_SNAPSHOT = 256, O_FAILON, O_FROMDB, O_POLICY, O_PREDICTED, O_LSPCI, O_ACPIDUMP, O_DTB,
	       O_PCIIDS, O_NONAMES, O_VERSION, O_COLOR, O_FORCE, O_WHEN_ENABLED };
	static const struct option lo[] = {
		{ "root", required_argument, NULL, 'r' }, { "snapshot", required_argument, NULL, O_SNAPSHOT },
		{ "format", required_argument, NULL, 'f' }, { "output", required_argument, NULL, 'o' },
		{ "db", required_argument, NULL, 'd' }, { "from-db", required_argument, NULL, O_FROMDB },
		{ "policy", required_argument, NULL, O_POLICY }, { "fail-on", required_argument, NULL, O_FAILON },
		{ "predicted", no_argument, NULL, O_PREDICTED }, { "lspci-dump", required_argument, NULL, O_LSPCI },
		{ "acpidump", required_argument, NULL, O_ACPIDUMP }, { "dtb", required_argument, NULL, O_DTB },
		{ "pci-ids", required_argument, NULL, O_PCIIDS }, { "no-names", no_argument, NULL, O_NONAMES },
		{ "version", no_argument, NULL, O_VERSION }, { "help", no_argument, NULL, 'h' },
		{ "color", required_argument, NULL, O_COLOR }, { "force", no_argument, NULL, O_FORCE },
		{ "when-enabled", no_argument, NULL, O_WHEN_ENABLED },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	o->cmd = "audit";
	o->names = true;
	if (argc > 1 && argv[1][0] != '-') {
		o->cmd = argv[1];
		argv++;
		argc--;
	}
	optind = 1;
	while ((c = getopt_long(argc, argv, "r:f:o:d:h", lo, NULL)) != -1) {
		switch (c) {
		case 'r': o->root = optarg; break;
		case O_SNAPSHOT: o->snapshot = optarg; break;
		case 'f':
			if (!strcmp(optarg, "text")) o->format = FMT_TEXT;
			else if (!strcmp(optarg, "json")) o->format = FMT_JSON;
			else if (!strcmp(optarg, "junit")) o->format = FMT_JUNIT;
			else if (!strcmp(optarg, "nfd")) o->format = FMT_NFD;
			else if (!strcmp(optarg, "man")) o->format = FMT_MAN;
			else {
				fprintf(stderr, "iommu-audit: --format %s: expected text, json, junit or nfd\n", optarg);
				return -1;
			}
			break;
		case O_COLOR:
			if (!strcmp(optarg, "auto")) o->color = COLOR_AUTO;
			else if (!strcmp(optarg, "always")) o->color = COLOR_ALWAYS;
			else if (!strcmp(optarg, "never")) o->color = COLOR_NEVER;
			else {
				fprintf(stderr, "iommu-audit: --color %s: expected auto, always or never\n", optarg);
				return -1;
			}
			break;
		case 'o': o->output = optarg; break;
		case 'd': o->db = optarg; break;
		case O_FROMDB: o->from_db = optarg; break;
		case O_POLICY: o->policy = optarg; break;
		case O_FAILON:
			if (!strcmp(optarg, "error")) o->fail_on = FAIL_ERROR;
			else if (!strcmp(optarg, "warning")) o->fail_on = FAIL_WARNING;
			else if (!strcmp(optarg, "never")) o->fail_on = FAIL_NEVER;
			else {
				fprintf(stderr, "iommu-audit: --fail-on %s: expected error, warning or never\n", optarg);
				return -1;
			}
			break;
		case O_PREDICTED: o->predicted = true; break;
		case O_WHEN_ENABLED: o->when_enabled = o->predicted = true; break;
		case O_LSPCI: o->collect.pci_dump = optarg; break;
		case O_ACPIDUMP: o->collect.acpidump = optarg; break;
		case O_DTB: o->collect.dtb = optarg; break;
		case O_PCIIDS: o->collect.pci_ids = optarg; break;
		case O_NONAMES: o->names = false; break;
		case O_FORCE: o->force = true; break;
		case O_VERSION: o->cmd = "version"; break;
		case 'h': o->cmd = "help"; break;
		default: return -1;
		}
	}
	o->args = argv + optind;
	o->n_args = argc - optind;
	if (o->n_args && strcmp(o->cmd, "plan") && strcmp(o->cmd, "diff")) {
		fprintf(stderr, "iommu-audit: unexpected argument \"%s\"\n", argv[optind]);
		return -1;
	}
	if (o->predicted && strcmp(o->cmd, "groups")) {
		fprintf(stderr, "iommu-audit: --predicted and --when-enabled are for `iommu-audit groups` only\n");
		return -1;
	}
	if (o->force && strcmp(o->cmd, "snapshot")) {
		fprintf(stderr, "iommu-audit: --force is for `iommu-audit snapshot` only\n");
		return -1;
	}
	if ((o->root != NULL) + (o->snapshot != NULL) + (o->from_db != NULL) > 1) {
		fprintf(stderr, "iommu-audit: give at most one of --root, --snapshot and --from-db\n");
		return -1;
	}
	return 0;
}

/* The commands, by name; "audit" is the default. */
static const struct {
	const char *name;
	int (*run)(const struct cli_opts *o);
	bool policy;                        /* takes --policy (loaded before anything is collected) */
} cli_cmds[] = {
	{ "audit", cli_cmd_audit, true },
	{ "groups", cli_cmd_audit, true },
	{ "collect", cli_cmd_collect, true },
	{ "plan", cli_cmd_plan, true },
	{ "diff", cli_cmd_diff, true },
	{ "snapshot", cli_cmd_snapshot, false },
	{ "rules", cli_cmd_rules, false },
	{ "schema", cli_cmd_schema, false },
};

int main(int argc, char **argv)
{
	/* No glibc fastbins: freeing a large report's many small blocks otherwise spends most of its
	 * time in malloc_consolidate() (measured on 16k functions, docs/benchmark.md). */
	mallopt(M_MXFAST, 0);
	/* Past `ulimit -f` a write fails with EFBIG and the command says so (exit 3), instead of the
	 * process dying of SIGXFSZ with whatever it had written left in place. */
	signal(SIGXFSZ, SIG_IGN);
	struct cli_opts o = {0};

	if (parse_args(argc, argv, &o) < 0) {
		cli_usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(o.cmd, "help")) {
		cli_usage(stdout);
		return EXIT_OK;
	}
	if (!strcmp(o.cmd, "version")) {
		printf("iommu-audit %s\n", IA_VERSION);
		return EXIT_OK;
	}
	for (size_t i = 0; i < sizeof(cli_cmds) / sizeof(cli_cmds[0]); i++) {
		if (strcmp(o.cmd, cli_cmds[i].name))
			continue;
		if (o.format == FMT_MAN && cli_cmds[i].run != cli_cmd_rules) {
			fprintf(stderr, "iommu-audit: --format man is for `iommu-audit rules` only\n");
			return EXIT_USAGE;
		}
		int status = cli_check_inputs(&o);
		if (status == EXIT_OK && cli_cmds[i].policy)
			status = cli_load_policy(&o);
		return status != EXIT_OK ? status : cli_cmds[i].run(&o);
	}
	if (o.format == FMT_MAN) {
		fprintf(stderr, "iommu-audit: --format man is for `iommu-audit rules` only\n");
		return EXIT_USAGE;
	}
	fprintf(stderr, "iommu-audit: unknown or unsupported command \"%s\"\n", o.cmd);
	cli_usage(stderr);
	return EXIT_USAGE;
}
