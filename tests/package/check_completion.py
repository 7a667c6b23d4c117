#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The bash completion (contrib/bash-completion/iommu-audit) offers exactly what the binary takes.

The truth is the binary's own option table (src/cli/main.c cli_cmds[]), asked through usage
errors: `iommu-audit CMD --OPT [x] --format @` says "`CMD` does not take --OPT" when CMD does not
take it, and "--format @: expected LIST for `CMD`" names CMD's formats. The completion is run in
bash (with minimal stand-ins for bash-completion's _init_completion and _filedir) for
`iommu-audit CMD --` and `iommu-audit CMD --format `; both sets must be equal.

usage: check_completion.py --bin IOMMU_AUDIT --source SOURCE_DIR
"""
import argparse
import os
import re
import subprocess
import sys

STUBS = r'''
_init_completion() {
	words=("${COMP_WORDS[@]}"); cword=$COMP_CWORD
	cur=${COMP_WORDS[COMP_CWORD]}; prev=${COMP_WORDS[COMP_CWORD-1]}
}
_filedir() { COMPREPLY=(FILES); }
complete() { :; }
'''


def complete(script, words):
    """COMPREPLY for the command line @words (the last word is being completed)."""
    line = " ".join("'%s'" % w for w in words)
    prog = STUBS + "source '%s'\nCOMP_WORDS=(%s)\nCOMP_CWORD=%d\n_iommu_audit\nprintf '%%s\\n' \"${COMPREPLY[@]}\"\n" % (
        script, line, len(words) - 1)
    p = subprocess.run(["bash", "--norc", "--noprofile", "-c", prog], capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("bash failed on %s: %s" % (words, p.stderr))
    return set(w for w in p.stdout.split("\n") if w)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    o = ap.parse_args()
    main_c = open(os.path.join(o.source, "src/cli/main.c"), encoding="utf-8").read()
    script = os.path.join(o.source, "contrib/bash-completion/iommu-audit")
    longopts = re.findall(r'\{ "([a-z-]+)", (required_argument|no_argument)', main_c)
    commands = re.findall(r'\{ "([a-z]+)", cli_cmd_\w+,', main_c)
    if len(longopts) < 10 or len(commands) < 5:
        sys.exit("cannot read the option table of src/cli/main.c (%d options, %d commands)" % (len(longopts), len(commands)))
    fails = []
    offered = complete(script, ["iommu-audit", ""])
    if offered != set(commands):
        fails.append("commands: the completion offers %s, the binary has %s" % (sorted(offered), sorted(commands)))
    for cmd in commands:
        takes, formats = set(), set()
        for name, kind in longopts:
            if name in ("help", "version"):
                continue
            # a valid value, so that only the command's own check can refuse the option
            valid = {"fail-on": "never", "color": "never", "vfio-path": "container", "slot": "00:", "device": "8086:"}
            arg = [] if kind == "no_argument" else [valid.get(name, "x")]
            if name == "format":
                arg = ["@"]
            extra = [] if name == "format" else ["--format", "@"]
            p = subprocess.run([o.bin, cmd, "--" + name] + arg + extra, capture_output=True, text=True)
            if "`%s` does not take --%s;" % (cmd, name) in p.stderr:
                continue
            takes.add("--" + name)
            if name == "format":
                m = re.search(r"--format @: expected (.*) for `%s`" % cmd, p.stderr)
                if not m:
                    fails.append("%s --format @: unexpected answer %r" % (cmd, p.stderr))
                    continue
                formats = set(re.split(r", | or ", m.group(1)))
        got = complete(script, ["iommu-audit", cmd, "--"])
        want = {t for t in takes} | {"--help", "--version"}
        if got != want:
            fails.append("%s: the completion offers %s; the binary takes %s (missing %s, extra %s)" % (
                cmd, sorted(got), sorted(want), sorted(want - got), sorted(got - want)))
        if formats:
            gotf = complete(script, ["iommu-audit", cmd, "--format", ""])
            if gotf != formats:
                fails.append("%s --format: the completion offers %s, the binary takes %s" % (cmd, sorted(gotf), sorted(formats)))
        # the command may stand after its options, and an option's value is no command
        if complete(script, ["iommu-audit", "--output", cmd, "--"]) != complete(script, ["iommu-audit", "--"]):
            fails.append("%s: `iommu-audit --output %s --` completes %s's options" % (cmd, cmd, cmd))
    got = complete(script, ["iommu-audit", "--fail-on", ""])
    if got != {"error", "warning", "never"}:
        fails.append("--fail-on offers %s" % sorted(got))
    for f in fails:
        print("FAIL: " + f, file=sys.stderr)
    if not fails:
        print("ok: %d commands, their options and formats" % len(commands), file=sys.stderr)
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
