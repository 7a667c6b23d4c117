// SPDX-License-Identifier: GPL-2.0-or-later
// The iommu-audit command line: parse options, then hand over to the command (src/cli/cmd_*.c).
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <malloc.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli.h"
#include "core/db.h"
#include "core/text.h"

void cli_usage(FILE *f)
{
	fputs("usage (the command may stand anywhere among the options; each takes only the options shown):\n"
	      "  iommu-audit [audit] [--root DIR|--snapshot FILE.tar.gz|--from-db FILE]\n"
	      "                      [--format text|json|junit|nfd|prometheus] [--output FILE] [--db FILE]\n"
	      "                      [--fail-on error|warning|never] [--color auto|always|never]\n"
	      "                      [--policy FILE]   (docs/policy.md)\n"
	      "                      [--vfio-path container|iommufd]   the VFIO path the verdicts are for\n"
	      "                      (default: the container, iommufd where the kernel has none; also for\n"
	      "                      plan, groups and diff)\n"
	      "                      [-q|--quiet]   text: only the verdict and the findings that fail it\n"
	      "                      [--also FORMAT=FILE]...  the same report also into FILE (atomically)\n"
	      "                      [--force]   with --db: replace an existing FILE\n"
	      "  iommu-audit plan BDF... [--root DIR|--snapshot FILE|--from-db FILE] [--format text|json]\n"
	      "                      [--output FILE] [--db FILE] [--policy FILE] [--fail-on LEVEL]\n"
	      "                      [--force]   print the commands although they take devices the host uses\n"
	      "                      (and, with --db, replace an existing FILE); plan's status is its own:\n"
	      "                      0 feasible, 1 blocked, 4 refused (--fail-on is recorded with --db only)\n"
	      "  iommu-audit diff OLD NEW [--format text|json] [--output FILE] [--policy FILE] [--fail-on LEVEL]\n"
	      "                      OLD, NEW: captured tree, snapshot (.tar.gz, .tgz, .tar.zst, .tar) or .db\n"
	      "  iommu-audit snapshot [--root DIR] --output FILE.tar.gz|.tgz|.tar.zst|.tar|DIR [--force]\n"
	      "  iommu-audit collect  [--root DIR|--snapshot FILE] --db FILE [--force]   (--force: replace FILE)\n"
	      "  iommu-audit groups   [--root DIR|--snapshot FILE|--from-db FILE] [--predicted] [--when-enabled]\n"
	      "                      (--when-enabled: the groups once the IOMMU is on; implies --predicted)\n"
	      "                      [--format text|json] [--output FILE] [--db FILE] [--policy FILE] [--fail-on LEVEL]\n"
	      "  iommu-audit rules [--format text|json|man] [--output FILE]   the rule catalogue: ids, levels,\n"
	      "                      summaries, advice and sources\n"
	      "  iommu-audit schema [--output FILE]  print the fact database schema\n"
	      "  iommu-audit --version | --help\n"
	      "short forms: -r DIR (--root), -f FORMAT (--format), -o FILE (--output), -q (--quiet), -h (--help)\n"
	      "options that replace parts of the root (audit, groups, plan, collect):\n"
	      "  --lspci-dump FILE   read PCI config spaces from an `lspci -xxxx` dump (libpci dump method)\n"
	      "  --acpidump FILE     read ACPI tables from acpidump text output\n"
	      "  --dtb FILE          read the device tree from a flattened blob\n"
	      "device names (audit, groups):\n"
	      "  --pci-ids FILE      pci.ids for device names; --no-names to skip names\n"
	      "selectors (audit, groups, plan), as lspci(8) has them; the report keeps the groups of the\n"
	      "functions they match, whole, and its verdict is theirs:\n"
	      "  -s, --slot [[[[DDDD]:]BB]:][DD][.[F]]   by address (e.g. -s 3b:, -s .1, -s 10000:e0:06.0)\n"
	      "  -d, --device [VVVV]:[DDDD][:CCCC]       by vendor, device and class (e.g. -d 8086:, -d ::0200)\n"
	      "exit status: 0 nothing reached --fail-on; 1 findings reached it; 2 usage (also: -s/-d match no\n"
	      "function); 3 nothing readable;\n"
	      "  plan: 4 refused, a device it takes is used by the host (its root disk, a route, the console)\n", f);
}

/* The options, one bit each in a command's allowed set (struct cli_cmd.opts). */
enum cli_opt {
	OPT_ROOT, OPT_SNAPSHOT, OPT_FROMDB, OPT_FORMAT, OPT_OUTPUT, OPT_DB, OPT_POLICY, OPT_FAILON, OPT_COLOR,
	OPT_PREDICTED, OPT_WHEN_ENABLED, OPT_LSPCI, OPT_ACPIDUMP, OPT_DTB, OPT_PCIIDS, OPT_NONAMES, OPT_FORCE,
	OPT_QUIET, OPT_VFIOPATH, OPT_VERSION, OPT_HELP,
	OPT_ALSO,
	OPT_SLOT, OPT_DEVICE,   /* -s, -d: lspci's selectors (src/cli/select.c) */
};

/* getopt_long()'s value of option @id: past every short option's character */
#define LV(id) (256 + (id))
static const struct option cli_longopts[] = {
	{ "root", required_argument, NULL, LV(OPT_ROOT) }, { "snapshot", required_argument, NULL, LV(OPT_SNAPSHOT) },
	{ "from-db", required_argument, NULL, LV(OPT_FROMDB) }, { "format", required_argument, NULL, LV(OPT_FORMAT) },
	{ "output", required_argument, NULL, LV(OPT_OUTPUT) }, { "db", required_argument, NULL, LV(OPT_DB) },
	{ "policy", required_argument, NULL, LV(OPT_POLICY) }, { "fail-on", required_argument, NULL, LV(OPT_FAILON) },
	{ "color", required_argument, NULL, LV(OPT_COLOR) }, { "predicted", no_argument, NULL, LV(OPT_PREDICTED) },
	{ "when-enabled", no_argument, NULL, LV(OPT_WHEN_ENABLED) },
	{ "lspci-dump", required_argument, NULL, LV(OPT_LSPCI) }, { "acpidump", required_argument, NULL, LV(OPT_ACPIDUMP) },
	{ "dtb", required_argument, NULL, LV(OPT_DTB) }, { "pci-ids", required_argument, NULL, LV(OPT_PCIIDS) },
	{ "no-names", no_argument, NULL, LV(OPT_NONAMES) }, { "force", no_argument, NULL, LV(OPT_FORCE) },
	{ "quiet", no_argument, NULL, LV(OPT_QUIET) }, { "vfio-path", required_argument, NULL, LV(OPT_VFIOPATH) }, { "version", no_argument, NULL, LV(OPT_VERSION) }, { "help", no_argument, NULL, LV(OPT_HELP) },
	{ "also", required_argument, NULL, LV(OPT_ALSO) },
	{ "slot", required_argument, NULL, LV(OPT_SLOT) }, { "device", required_argument, NULL, LV(OPT_DEVICE) },
	{ NULL, 0, NULL, 0 },
};
/* The short spellings: -r DIR, -f FORMAT, -o FILE, -q, -h, and lspci's selectors -s SLOT and -d ID
 * (-d is lspci's --device, not --db, which has no short form). The leading '-' returns every
 * operand in place (so the command may stand anywhere, whatever POSIXLY_CORRECT says); ':' makes a
 * missing argument ':' instead of getopt's own message (which names argv[0]'s full path). */
static const char cli_shortopts[] = "-:r:f:o:d:s:qh";

/* "--name" of option @id, for messages: from cli_longopts, so the two never disagree */
static const char *cli_opt_name(int id)
{
	for (const struct option *l = cli_longopts; l->name; l++)
		if (l->val == LV(id))
			return l->name;
	return "?";
}

#define B(id) (1u << (id))
#define FB(fmt) (1u << (fmt))
/* option sets several commands share */
#define O_SOURCE  (B(OPT_ROOT) | B(OPT_SNAPSHOT) | B(OPT_FROMDB))
#define O_REPLACE (B(OPT_LSPCI) | B(OPT_ACPIDUMP) | B(OPT_DTB))          /* replace parts of the root */
#define O_EVAL    (B(OPT_POLICY) | B(OPT_FAILON) | B(OPT_VFIOPATH))     /* the engine's */
#define O_NAMES   (B(OPT_PCIIDS) | B(OPT_NONAMES))                        /* the text reports' device names */
#define O_SELECT  (B(OPT_SLOT) | B(OPT_DEVICE))                          /* -s, -d: the groups of some functions */

/* The commands, by name ("audit" is the default), with the options and --format values each takes:
 * any other option is a usage error naming it and the command, never silently ignored. */
static const struct cli_cmd {
	const char *name;
	int (*run)(const struct cli_opts *o);
	unsigned opts;                      /* B(enum cli_opt) of each option it takes */
	unsigned formats;                   /* FB(enum cli_fmt) of each --format it takes */
} cli_cmds[] = {
	{ "audit", cli_cmd_audit, O_SOURCE | O_REPLACE | O_EVAL | O_NAMES | B(OPT_FORMAT) | B(OPT_OUTPUT) | B(OPT_DB) |
				  B(OPT_COLOR) | B(OPT_QUIET) | B(OPT_ALSO) | B(OPT_FORCE) | O_SELECT, FB(FMT_TEXT) | FB(FMT_JSON) | FB(FMT_JUNIT) | FB(FMT_NFD) |
				  FB(FMT_PROMETHEUS) },
	{ "groups", cli_cmd_audit, O_SOURCE | O_REPLACE | O_EVAL | O_NAMES | B(OPT_FORMAT) | B(OPT_OUTPUT) | B(OPT_DB) |
				   B(OPT_PREDICTED) | B(OPT_WHEN_ENABLED) | O_SELECT, FB(FMT_TEXT) | FB(FMT_JSON) },
	{ "plan", cli_cmd_plan, O_SOURCE | O_REPLACE | O_EVAL | B(OPT_FORMAT) | B(OPT_OUTPUT) | B(OPT_DB) | B(OPT_FORCE) | O_SELECT,
	  FB(FMT_TEXT) | FB(FMT_JSON) },
	{ "diff", cli_cmd_diff, O_EVAL | B(OPT_FORMAT) | B(OPT_OUTPUT), FB(FMT_TEXT) | FB(FMT_JSON) },
	{ "collect", cli_cmd_collect, B(OPT_ROOT) | B(OPT_SNAPSHOT) | O_REPLACE | B(OPT_DB) | B(OPT_FORCE), 0 },
	{ "snapshot", cli_cmd_snapshot, B(OPT_ROOT) | B(OPT_OUTPUT) | B(OPT_FORCE), 0 },
	{ "rules", cli_cmd_rules, B(OPT_FORMAT) | B(OPT_OUTPUT), FB(FMT_TEXT) | FB(FMT_JSON) | FB(FMT_MAN) },
	{ "schema", cli_cmd_schema, B(OPT_OUTPUT), 0 },
};
#define CLI_N_CMDS (sizeof(cli_cmds) / sizeof(cli_cmds[0]))

/* The --format words, by enum cli_fmt. */
static const struct { const char *word; enum cli_fmt fmt; } cli_formats[] = {
	{ "text", FMT_TEXT }, { "json", FMT_JSON }, { "junit", FMT_JUNIT }, { "nfd", FMT_NFD }, { "man", FMT_MAN },
	{ "prometheus", FMT_PROMETHEUS },
};

/* A usage error: one line on stderr, "iommu-audit: MESSAGE; see `iommu-audit --help`". */
static int __attribute__((format(printf, 1, 2))) cli_usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("iommu-audit: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs("; see `iommu-audit --help`\n", stderr);
	return -1;
}

static const struct cli_cmd *cli_find_cmd(const char *name)
{
	for (size_t i = 0; i < CLI_N_CMDS; i++)
		if (!strcmp(name, cli_cmds[i].name))
			return &cli_cmds[i];
	return NULL;
}

/* "text, json or man": the --format words @formats holds, into @buf. */
static const char *cli_format_list(unsigned formats, char *buf, size_t len)
{
	size_t n = 0, k = 0, at = 0;

	for (size_t i = 0; i < sizeof(cli_formats) / sizeof(cli_formats[0]); i++)
		n += !!(formats & FB(cli_formats[i].fmt));
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(cli_formats) / sizeof(cli_formats[0]); i++) {
		if (!(formats & FB(cli_formats[i].fmt)))
			continue;
		k++;
		int w = snprintf(buf + at, len - at, "%s%s", k == 1 ? "" : k == n ? " or " : ", ", cli_formats[i].word);
		if (w < 0 || (size_t)w >= len - at)
			break;
		at += (size_t)w;
	}
	return buf;
}

/* One keyword option's value: @words[i] names value @vals[i]; else a usage error naming @opt. */
static int cli_keyword(const char *opt, const char *arg, const char *const *words, const int *vals, size_t n,
		       const char *expected, int *out)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(arg, words[i])) {
			*out = vals[i];
			return 0;
		}
	return cli_usage_error("--%s %s: expected %s", opt, arg, expected);
}

/*
 * cli_parse_also() - --also number @i ("FORMAT=FILE") into its format and file: FORMAT one of the
 * formats @cmd writes, FILE not empty and named by no other output of the run (--output, --db,
 * another --also), since two outputs renamed onto one name would leave only the last.
 * Return: 0, or -1 after one line on stderr (exit EXIT_USAGE).
 */
/* @path with its directory resolved (realpath()) into @out (PATH_MAX bytes); false when the
 * directory does not resolve. */
static bool cli_canon(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	char dir[PATH_MAX];

	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else if (slash == path)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash - path), path);
	char *r = realpath(dir, NULL);
	if (!r)
		return false;
	int n = snprintf(out, PATH_MAX, "%s/%s", strcmp(r, "/") ? r : "", slash ? slash + 1 : path);
	free(r);
	return n > 0 && n < PATH_MAX;
}

/* Whether output paths @x and @y name one file: the same text, one existing file (device and
 * inode), or one name in one directory (./a.json and a.json) for files not there yet. Reads only. */
static bool cli_same_file(const char *x, const char *y)
{
	struct stat sx, sy;
	char cx[PATH_MAX], cy[PATH_MAX];

	if (!strcmp(x, y))
		return true;
	if (stat(x, &sx) == 0 && stat(y, &sy) == 0)
		return sx.st_dev == sy.st_dev && sx.st_ino == sy.st_ino;
	return cli_canon(x, cx) && cli_canon(y, cy) && !strcmp(cx, cy);
}

static int cli_parse_also(struct cli_opts *o, const struct cli_cmd *cmd, int i)
{
	struct cli_also *al = &o->also[i];
	const char *eq = strchr(al->arg, '=');
	char list[64];
	size_t k = 0, n = sizeof(cli_formats) / sizeof(cli_formats[0]);

	while (eq && k < n && (strlen(cli_formats[k].word) != (size_t)(eq - al->arg) ||
			       strncmp(al->arg, cli_formats[k].word, (size_t)(eq - al->arg)) ||
			       !(cmd->formats & FB(cli_formats[k].fmt))))
		k++;
	if (!eq || k == n)
		return cli_usage_error("--also %s: expected FORMAT=FILE with FORMAT %s", al->arg,
				       cli_format_list(cmd->formats, list, sizeof(list)));
	al->format = cli_formats[k].fmt;
	al->file = eq + 1;
	if (!*al->file)
		return cli_usage_error("--also %s: no FILE after the '='", al->arg);
	if (o->output && cli_same_file(al->file, o->output))
		return cli_usage_error("--also %s: %s is the --output already", al->arg, al->file);
	if (o->db && cli_same_file(al->file, o->db))
		return cli_usage_error("--also %s: %s is the --db already", al->arg, al->file);
	for (int j = 0; j < i; j++)
		if (cli_same_file(al->file, o->also[j].file))
			return cli_usage_error("--also %s: %s is named by another --also already", al->arg, al->file);
	return 0;
}

/*
 * parse_args() - the command line into @o. Options and operands may come in any order; the first
 * operand that names a command is the command ("audit" when none does), the others are its
 * operands (plan BDF..., diff OLD NEW). Then every option given must be one the command takes
 * (cli_cmds[].opts), and --format one of its formats.
 * @cmd: receives the command's table entry (NULL for --help and --version).
 * Return: 0, or -1 after one line on stderr (exit EXIT_USAGE). @o->args is malloc'd either way.
 */
static int parse_args(int argc, char **argv, struct cli_opts *o, const struct cli_cmd **cmd)
{
	int *given = calloc((size_t)argc + 1, sizeof(*given)); /* the options given, in order */
	const char *format = NULL;
	size_t n_given = 0;
	int c, v;

	o->cmd = "audit";
	o->names = true;
	o->args = calloc((size_t)argc + 1, sizeof(*o->args));
	o->also = calloc((size_t)argc + 1, sizeof(*o->also));
	*cmd = NULL;
	if (!given || !o->args || !o->also) {
		free(given);
		fprintf(stderr, "iommu-audit: out of memory\n");
		return -1;
	}
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, cli_shortopts, cli_longopts, NULL)) != -1) {
		int id = c >= 256 ? c - 256 : c == 'r' ? OPT_ROOT : c == 'f' ? OPT_FORMAT : c == 'o' ? OPT_OUTPUT :
			 c == 'd' ? OPT_DEVICE : c == 's' ? OPT_SLOT : c == 'q' ? OPT_QUIET : c == 'h' ? OPT_HELP : -1;
		if (c == 1) { /* an operand, in place */
			o->args[o->n_args++] = optarg;
			continue;
		}
		if (c == ':') {
			free(given);
			return cli_usage_error("%s requires an argument", argv[optind - 1]);
		}
		if (id < 0) { /* '?': unknown, ambiguous, or an argument given to a flag */
			free(given);
			if (optopt > 0 && optopt < 256)
				return cli_usage_error("unrecognized option -%c", optopt);
			if (optopt >= 256) /* a flag given "=VALUE" */
				return cli_usage_error("--%s takes no argument", cli_opt_name(optopt - 256));
			return cli_usage_error("unrecognized option %s", argv[optind - 1]);
		}
		given[n_given++] = id;
		switch (id) {
		case OPT_ROOT: o->root = optarg; break;
		case OPT_SNAPSHOT: o->snapshot = optarg; break;
		case OPT_FROMDB: o->from_db = optarg; break;
		case OPT_FORMAT: format = optarg; break;
		case OPT_OUTPUT: o->output = optarg; break;
		case OPT_DB: o->db = optarg; break;
		case OPT_POLICY: o->policy = optarg; break;
		case OPT_FAILON:
			if (cli_keyword("fail-on", optarg, (const char *const[]){ "error", "warning", "never" },
					(const int[]){ FAIL_ERROR, FAIL_WARNING, FAIL_NEVER }, 3, "error, warning or never", &v)) {
				free(given);
				return -1;
			}
			o->fail_on = (enum cli_failon)v;
			break;
		case OPT_VFIOPATH:
			if (cli_keyword("vfio-path", optarg, (const char *const[]){ "container", "iommufd" },
					(const int[]){ IA_PATH_CONTAINER, IA_PATH_IOMMUFD }, 2, "container or iommufd", &v)) {
				free(given);
				return -1;
			}
			o->vfio_path = v;
			o->vfio_path_named = true;
			break;
		case OPT_COLOR:
			if (cli_keyword("color", optarg, (const char *const[]){ "auto", "always", "never" },
					(const int[]){ COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER }, 3, "auto, always or never", &v)) {
				free(given);
				return -1;
			}
			o->color = (enum cli_color)v;
			break;
		case OPT_PREDICTED: o->predicted = true; break;
		case OPT_WHEN_ENABLED: o->when_enabled = o->predicted = true; break;
		case OPT_LSPCI: o->collect.pci_dump = optarg; break;
		case OPT_ACPIDUMP: o->collect.acpidump = optarg; break;
		case OPT_DTB: o->collect.dtb = optarg; break;
		case OPT_PCIIDS: o->collect.pci_ids = optarg; break;
		case OPT_NONAMES: o->names = false; break;
		case OPT_FORCE: o->force = true; break;
		case OPT_QUIET: o->quiet = true; break;
		case OPT_VERSION: o->cmd = "version"; break;
		case OPT_HELP: o->cmd = "help"; break;
		case OPT_ALSO: o->also[o->n_also++].arg = optarg; break;
		case OPT_SLOT:
		case OPT_DEVICE: {
			char err[128];
			char opt = id == OPT_SLOT ? 's' : 'd';
			if (ia_select_parse(&o->select, opt, optarg, err, sizeof(err)) < 0) {
				free(given);
				return cli_usage_error("-%c %s: %s (lspci's %s)", opt, optarg, err, opt == 's' ?
						       "[[[[DDDD]:]BB]:][DD][.[F]]" : "[VVVV]:[DDDD][:CCCC]");
			}
			break;
		}
		}
	}
	while (optind < argc) /* after "--" */
		o->args[o->n_args++] = argv[optind++];
	if (!strcmp(o->cmd, "help") || !strcmp(o->cmd, "version")) {
		free(given);
		return 0;
	}
	/* the command: the first operand that names one */
	for (int i = 0; i < o->n_args; i++) {
		if (!(*cmd = cli_find_cmd(o->args[i])))
			continue;
		o->cmd = (*cmd)->name;
		memmove(&o->args[i], &o->args[i + 1], (size_t)(o->n_args - i) * sizeof(*o->args));
		o->n_args--;
		break;
	}
	if (!*cmd) {
		*cmd = cli_find_cmd("audit");
		if (o->n_args) {
			free(given);
			return cli_usage_error("unknown or unsupported command \"%s\"", o->args[0]);
		}
	}
	for (size_t i = 0; i < n_given; i++)
		if (!((*cmd)->opts & B(given[i]))) {
			const char *name = cli_opt_name(given[i]);
			free(given);
			return cli_usage_error("`%s` does not take --%s", (*cmd)->name, name);
		}
	free(given);
	if (format) {
		char list[64];
		size_t k = 0;
		while (k < sizeof(cli_formats) / sizeof(cli_formats[0]) &&
		       (strcmp(format, cli_formats[k].word) || !((*cmd)->formats & FB(cli_formats[k].fmt))))
			k++;
		if (k == sizeof(cli_formats) / sizeof(cli_formats[0]))
			return cli_usage_error("--format %s: expected %s for `%s`", format,
					       cli_format_list((*cmd)->formats, list, sizeof(list)), (*cmd)->name);
		o->format = cli_formats[k].fmt;
	}
	if (o->output && o->db && cli_same_file(o->output, o->db))
		return cli_usage_error("--db %s: %s is the --output already", o->db, o->db);
	for (int i = 0; i < o->n_also; i++)
		if (cli_parse_also(o, *cmd, i) < 0)
			return -1;
	if (o->force && !o->db && !strcmp(o->cmd, "audit"))
		return cli_usage_error("--force replaces an existing --db FILE; give --db");
	if (o->quiet && o->format != FMT_TEXT)
		return cli_usage_error("--quiet shortens the text report only, not --format %s", format);
	if (o->n_args && strcmp(o->cmd, "plan") && strcmp(o->cmd, "diff"))
		return cli_usage_error("unexpected argument \"%s\" for `%s`", o->args[0], o->cmd);
	if (o->select.active && o->format == FMT_NFD)
		return cli_usage_error("%s selects part of the host; NFD labels describe the whole node", o->select.expr);
	for (int i = 0; o->select.active && i < o->n_also; i++)
		if (o->also[i].format == FMT_NFD)
			return cli_usage_error("%s selects part of the host; NFD labels (--also nfd=) describe the whole node",
					       o->select.expr);
	if ((o->root != NULL) + (o->snapshot != NULL) + (o->from_db != NULL) > 1)
		return cli_usage_error("give at most one of --root, --snapshot and --from-db");
	/* a fact database holds what was collected: a dump given beside it would be silently unread */
	if (o->from_db && (o->collect.pci_dump || o->collect.acpidump || o->collect.dtb))
		return cli_usage_error("--from-db audits the facts already collected: %s is not read into them "
				       "(give it to `collect --db` instead)", o->collect.pci_dump ? "--lspci-dump" :
				       o->collect.acpidump ? "--acpidump" : "--dtb");
	return 0;
}

int main(int argc, char **argv)
{
	/* No glibc fastbins: freeing a large report's many small blocks otherwise spends most of its
	 * time in malloc_consolidate() (measured on 16k functions, docs/benchmark.md). */
	mallopt(M_MXFAST, 0);
	/* Past `ulimit -f` a write fails with EFBIG and the command says so (exit 3), instead of the
	 * process dying of SIGXFSZ with whatever it had written left in place. */
	signal(SIGXFSZ, SIG_IGN);
	/* Every message on stderr escaped as the reports escape (issue 17 item 6): a hostile name it
	 * quotes (ESC [2J, invalid UTF-8) never reaches the terminal raw. */
	ia_text_stderr_guard();
	/* in-memory fact databases are copied from the build's image, not created statement by statement */
	ia_db_use_image(&ia_db_schema_image);
	struct cli_opts o = {0};
	const struct cli_cmd *cmd;
	int status;

	if (parse_args(argc, argv, &o, &cmd) < 0) {
		free(o.args);
		free(o.also);
		return EXIT_USAGE;
	}
	if (!strcmp(o.cmd, "help")) {
		cli_usage(stdout);
		status = cli_finish_output(&(struct cli_opts){0}, stdout, 0, "usage") < 0 ? EXIT_UNREADABLE : EXIT_OK;
	} else if (!strcmp(o.cmd, "version")) {
		printf("iommu-audit %s\n", IA_VERSION);
		status = cli_finish_output(&(struct cli_opts){0}, stdout, 0, "version") < 0 ? EXIT_UNREADABLE : EXIT_OK;
	} else {
		status = cli_check_inputs(&o);
		if (status == EXIT_OK && (cmd->opts & B(OPT_POLICY)))
			status = cli_load_policy(&o);
		if (status == EXIT_OK)
			status = cmd->run(&o);
	}
	free(o.args);
	free(o.also);
	return status;
}
