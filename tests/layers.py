#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The include graph points down only (issue 16, ../shared/docs/architecture.md).

Layers, bottom to top (a file may include its own layer and the ones below):

  0 src/core      fsroot, the fact database, errors, diagnostics, small helpers
  1 src/decode    pure decoders
  2 collectors/   facts from the root;  src/capture/  capture archives (same floor, independent)
  3 src/model     the facts loaded into the model
  4 rules/        the group model, the rules, the engine, policies
  5 reports/      renderers
  6 src/cli/      main and the commands

Every quoted #include of every .c and .h in those folders is resolved (beside the including file,
then from the repository root, then from src/) and its layer compared. An include that resolves to
no file of the tree is an error too (a header that moved must not be found by accident), except
generated headers in the build directory (schema_sql.h). Exit 0 clean, 1 with one line per
upward or unresolved include.

Rules and renderers read the model only (issue 16 point 3): no file under rules/ or reports/
includes <sqlite3.h> or names a sqlite3 identifier outside comments.

  tests/layers.py SOURCE_DIR
"""
import os
import re
import sys

LAYERS = [
    ("src/core/", 0), ("src/decode/", 1), ("collectors/", 2), ("src/capture/", 2),
    ("src/model/", 3), ("rules/", 4), ("reports/", 5), ("src/cli/", 6),
]
# Same floor but kept apart: collectors never use capture archives and the reverse.
APART = {("collectors/", "src/capture/"), ("src/capture/", "collectors/")}
GENERATED = {"schema_sql.h", "kernel_behaviours.gen.h"}
INCLUDE = re.compile(r'^\s*#\s*include\s+"([^"]+)"', re.M)
# Folders whose code reads the model, never the fact database.
NO_SQL = ("rules/", "reports/")
SQLITE_INCLUDE = re.compile(r'^\s*#\s*include\s*[<"]sqlite3\.h[>"]', re.M)
SQLITE_NAME = re.compile(r'\bsqlite3\w*')
COMMENT = re.compile(r'//[^\n]*|/\*.*?\*/', re.S)


def layer_of(rel):
    for prefix, n in LAYERS:
        if rel.startswith(prefix):
            return prefix, n
    return None, None


def resolve(src, rel, inc):
    for base in (os.path.dirname(rel), "", "src"):
        cand = os.path.normpath(os.path.join(base, inc))
        if os.path.isfile(os.path.join(src, cand)):
            return cand
    return None


def check(src):
    errors = []
    files = 0
    for prefix, _ in LAYERS:
        top = os.path.join(src, prefix)
        for dirpath, _, names in os.walk(top):
            for name in sorted(names):
                if not name.endswith((".c", ".h")):
                    continue
                rel = os.path.relpath(os.path.join(dirpath, name), src)
                files += 1
                me, mine = layer_of(rel)
                with open(os.path.join(src, rel), encoding="utf-8") as f:
                    text = f.read()
                if me in NO_SQL:
                    if SQLITE_INCLUDE.search(text):
                        errors.append(f"{rel}: includes sqlite3.h (rules and reports read the model only)")
                    else:
                        m = SQLITE_NAME.search(COMMENT.sub("", text))
                        if m:
                            errors.append(f"{rel}: uses {m.group(0)} (rules and reports read the model only)")
                for inc in INCLUDE.findall(text):
                    if inc in GENERATED:
                        continue
                    target = resolve(src, rel, inc)
                    if target is None:
                        errors.append(f"{rel}: #include \"{inc}\" resolves to no file of the tree")
                        continue
                    them, theirs = layer_of(target)
                    if theirs is None:
                        errors.append(f"{rel}: #include \"{inc}\" is outside every layer ({target})")
                    elif theirs > mine:
                        errors.append(f"{rel} ({me}, floor {mine}) includes {target} ({them}, floor {theirs}): upward")
                    elif (me, them) in APART:
                        errors.append(f"{rel} ({me}) includes {target} ({them}): the two stay apart")
    return files, errors


def self_test():
    """The checker itself: a tree with one upward, one unresolved and one clean include."""
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        for rel, body in {
            "src/core/a.h": "",
            "src/core/bad.c": '#include "rules/r.h"\n',
            "rules/r.h": '#include "core/a.h"\n',
            "reports/x.c": '#include "core/gone.h"\n#include "rules/r.h"\n',
            "collectors/c.c": '#include "capture/s.h"\n',
            "src/capture/s.h": "",
            "rules/q.c": "#include <sqlite3.h>\n",
            "reports/y.c": "/* sqlite3_step() in a comment is fine */\nint f(void) { return sqlite3_step(0); }\n",
            "reports/z.c": "// no database here: sqlite3\n",
        }.items():
            os.makedirs(os.path.join(d, os.path.dirname(rel)), exist_ok=True)
            with open(os.path.join(d, rel), "w") as f:
                f.write(body)
        files, errors = check(d)
        want = ["src/core/bad.c (src/core/, floor 0) includes rules/r.h (rules/, floor 4): upward",
                'reports/x.c: #include "core/gone.h" resolves to no file of the tree',
                "collectors/c.c (collectors/) includes src/capture/s.h (src/capture/): the two stay apart",
                "rules/q.c: includes sqlite3.h (rules and reports read the model only)",
                "reports/y.c: uses sqlite3_step (rules and reports read the model only)"]
        if files != 9 or sorted(errors) != sorted(want):
            print("self-test failed:", files, errors)
            return 1
    return 0


def main():
    if self_test():
        return 1
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
    files, errors = check(src)
    for e in errors:
        print(e)
    if files == 0:
        print("no source file found under", src)
        return 1
    print(f"{files} files, {len(errors)} upward or unresolved includes or database uses above the model")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
