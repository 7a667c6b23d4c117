#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Run an installed iommu-audit.service's ExecStart= lines as systemd would, then check its outputs.

The build and CI machines do not run systemd as PID 1, so this does what the manager would do for
this unit: read EnvironmentFile=, create StateDirectory=, run each ExecStart= in order (stopping
at the first that fails, as Type=oneshot does), with systemd's word splitting and variable
expansion (systemd.service(5), "Command lines": "${VAR}" is one word, "$VAR" alone as a word
splits on whitespace and vanishes when empty). Then it checks the outputs the lines name:
  --output FILE with --format F, --also F=FILE  -> the report in format F;  --db FILE -> the facts.
Every run must write a JSON report, a fact database, a node-feature-discovery file and a
Prometheus file (checked with `promtool check metrics`).

usage: check_unit.py --unit FILE --env FILE [--prefix DIR] [--schema FILE] [--groups N]
  --prefix DIR  the package was unpacked (dpkg -x) into DIR, not installed: the unit's absolute
                paths under /usr and /var/lib/iommu-audit are taken inside DIR.
  --groups N    the capture's IOMMU group count (the kernel's known answer): the JSON report, the
                fact database and the NFD labels must all say N.
Exit status 0 when every check passes, 1 (with the reasons on stderr) otherwise.
"""
import argparse
import datetime
import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys

FAILS = []


def fail(msg):
    FAILS.append(msg)
    print("FAIL: " + msg, file=sys.stderr)


def unit_settings(path):
    """[(key, value)] of the unit file, in order (continuation lines joined; comments dropped)."""
    out, cur = [], ""
    with open(path, encoding="utf-8") as f:
        for raw in f:
            line = raw.rstrip("\n")
            if not cur and (line.lstrip().startswith(("#", ";")) or not line.strip()):
                continue
            if line.endswith("\\"):
                cur += line[:-1] + " "
                continue
            line, cur = cur + line, ""
            if line.startswith("[") or "=" not in line:
                continue
            k, v = line.split("=", 1)
            out.append((k.strip(), v.strip()))
    return out


def env_file(path):
    """KEY=VALUE of a systemd EnvironmentFile= (comments, blank lines and quotes as systemd reads them)."""
    env = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith(("#", ";")):
                continue
            k, _, v = line.partition("=")
            words = shlex.split(v, comments=False) if v else []
            env[k.strip()] = " ".join(words) if len(words) != 1 else words[0]
    return env


def expand(cmdline, env):
    """The argv systemd runs for one ExecStart= value (no specifiers in these units: '%' is refused)."""
    if "%" in cmdline:
        raise ValueError("a %-specifier in ExecStart=, which this runner does not expand: " + cmdline)
    argv = []
    for w in shlex.split(cmdline):
        m = re.fullmatch(r"\$([A-Za-z_][A-Za-z0-9_]*)", w)
        if m:  # $VAR alone: split into words, nothing when empty
            argv.extend(env.get(m.group(1), "").split())
            continue
        argv.append(re.sub(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}", lambda x: env.get(x.group(1), ""), w))
    return argv


def outputs(argv):
    """{format: path} and the --db path that one iommu-audit command line writes."""
    outs, db, fmt, out, cmd = {}, None, "text", None, "audit"
    i = 1
    while i < len(argv):
        a = argv[i]
        val = argv[i + 1] if i + 1 < len(argv) else None
        if a in ("--format", "-f"):
            fmt, i = val, i + 2
        elif a in ("--output", "-o"):
            out, i = val, i + 2
        elif a in ("--db", "-d"):
            db, i = val, i + 2
        elif a == "--also":
            f, _, p = val.partition("=")
            outs[f] = p
            i += 2
        else:
            if a in ("collect", "snapshot", "schema", "rules", "groups", "plan", "diff"):
                cmd = a
            i += 1
    if out and cmd == "audit":
        outs[fmt] = out
    return outs, db


def check_json(path, schema, groups):
    with open(path, encoding="utf-8") as f:
        doc = json.load(f)
    try:
        import jsonschema
        with open(schema, encoding="utf-8") as f:
            jsonschema.validate(doc, json.load(f))
    except ImportError:
        fail("python3-jsonschema is not installed: cannot validate " + path)
    except jsonschema.ValidationError as e:
        fail("%s does not validate against %s: %s" % (path, schema, e.message))
    s = doc.get("summary", {})
    if s.get("verdict") not in ("pass", "fail"):
        fail("%s: summary.verdict is %r" % (path, s.get("verdict")))
    if groups is not None and s.get("iommu_groups") != groups:
        fail("%s: summary.iommu_groups is %r, the kernel formed %d" % (path, s.get("iommu_groups"), groups))


def check_db(path, groups):
    db = sqlite3.connect("file:%s?mode=ro" % path, uri=True)
    # SQLite 3.40 (Debian 12) reports "NULL value in T.C" for a NOT NULL column of a WITHOUT ROWID
    # table that sits between its key columns even when no row holds NULL: such a line is
    # believed only when a row does.
    for (msg,) in db.execute("PRAGMA integrity_check"):
        m = re.fullmatch(r"NULL value in (\w+)\.(\w+)", msg)
        if msg == "ok" or (m and db.execute('SELECT count(*) FROM "%s" WHERE "%s" IS NULL' % m.groups()).fetchone()[0] == 0):
            continue
        fail("%s: integrity_check says %s" % (path, msg))
    if db.execute("PRAGMA user_version").fetchone()[0] <= 0:
        fail(path + ": no schema version (PRAGMA user_version)")
    n = db.execute("SELECT count(*) FROM pci_function").fetchone()[0]
    if n == 0:
        fail(path + ": no PCI function in the fact database")
    g = db.execute("SELECT count(*) FROM iommu_group").fetchone()[0]
    if groups is not None and g != groups:
        fail("%s: %d IOMMU groups, the kernel formed %d" % (path, g, groups))
    db.close()


def check_nfd(path, groups):
    """NFD's local source: "name=value" lines and "# +expiry-time=RFC3339" (other comments ignored)."""
    labels = {}
    expiry = False
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if line.startswith("#"):
                m = re.fullmatch(r"# \+expiry-time=(\S+)", line)
                if m:
                    expiry = True
                    t = datetime.datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))
                    if t <= datetime.datetime.now(datetime.timezone.utc):
                        fail("%s:%d: the labels expire in the past (%s)" % (path, n, m.group(1)))
                continue
            m = re.fullmatch(r"iommu-audit\.io/([A-Za-z0-9][A-Za-z0-9._-]{0,61}[A-Za-z0-9]?)=([A-Za-z0-9._-]{0,63})", line)
            if not m:
                fail("%s:%d: not a node label: %r" % (path, n, line))
                continue
            labels[m.group(1)] = m.group(2)
    if not expiry:
        fail("%s: no '# +expiry-time=' line: NFD would keep the labels after the audits stop" % path)
    if labels.get("verdict") not in ("pass", "fail"):
        fail("%s: no iommu-audit.io/verdict label" % path)
    if groups is not None and labels.get("groups") != str(groups):
        fail("%s: iommu-audit.io/groups=%s, the kernel formed %d" % (path, labels.get("groups"), groups))


def check_prometheus(path):
    with open(path, encoding="utf-8") as f:
        text = f.read()
    if not re.search(r"^iommu_audit_\w+", text, re.M):
        fail(path + ": no iommu_audit_* series")
    promtool = shutil.which("promtool")
    if not promtool:
        fail("promtool (package prometheus) is not installed: cannot check " + path)
        return
    p = subprocess.run([promtool, "check", "metrics"], input=text, capture_output=True, text=True)
    if p.returncode != 0:
        fail("%s: promtool check metrics: %s%s" % (path, p.stdout, p.stderr))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--unit", required=True)
    ap.add_argument("--env", required=True)
    ap.add_argument("--prefix", default="")
    ap.add_argument("--schema")
    ap.add_argument("--groups", type=int)
    o = ap.parse_args()
    prefix = o.prefix.rstrip("/")

    def inside(p):
        """A path of the unit (absolute, as on the host) where this run finds it."""
        if prefix and (p.startswith("/usr/") or p.startswith("/var/lib/iommu-audit")):
            return prefix + p
        return p

    settings = unit_settings(o.unit)
    env = {}
    for k, v in settings:
        if k == "EnvironmentFile":
            want = not v.startswith("-")
            # the test's own environment file stands in for the installed one
            if os.path.exists(o.env):
                env.update(env_file(o.env))
            elif want:
                fail("EnvironmentFile= %s is missing" % o.env)
        elif k == "Type" and v != "oneshot":
            fail("Type=%s, expected oneshot" % v)
    for k, v in settings:
        if k == "StateDirectory":
            for d in v.split():
                os.makedirs(inside("/var/lib/" + d), mode=0o755, exist_ok=True)
    lines = [v for k, v in settings if k == "ExecStart"]
    if not lines:
        fail(o.unit + ": no ExecStart=")
    written, dbs = {}, []
    old_umask = os.umask(0o022)
    for k, v in settings:
        if k == "UMask":
            os.umask(int(v, 8))
    for line in lines:
        if line[:1] in "-@+!:":
            fail("ExecStart= prefix %r: this runner does not model it" % line[0])
            continue
        argv = expand(line, env)
        outs, db = outputs(argv)
        run = [inside(argv[0])] + [inside(a) if a.startswith("/var/lib/iommu-audit") else
                                   re.sub(r"^(\w+)=(/var/lib/iommu-audit.*)$", lambda m: m.group(1) + "=" + inside(m.group(2)), a)
                                   for a in argv[1:]]
        print("+ " + " ".join(shlex.quote(a) for a in run), file=sys.stderr)
        p = subprocess.run(run, capture_output=True, text=True)
        if p.returncode != 0:
            fail("ExecStart=%s exited %d:\n%s" % (line, p.returncode, p.stderr))
            break   # Type=oneshot: the first failing line fails the unit
        for f, path in outs.items():
            written[f] = inside(path)
        if db:
            dbs.append(inside(db))
    os.umask(old_umask)
    if FAILS:
        return 1
    for need in ("json", "nfd", "prometheus"):
        if need not in written:
            fail("no ExecStart= line writes the %s report" % need)
    if not dbs:
        fail("no ExecStart= line writes the fact database (--db)")
    for f, path in written.items():
        if not os.path.isfile(path):
            fail("%s report %s was not written" % (f, path))
            continue
        mode = os.stat(path).st_mode & 0o777
        if mode & 0o044 != 0o044:
            fail("%s is mode %o: node_exporter and NFD read it as another user" % (path, mode))
        d = os.path.dirname(path)
        left = [n for n in os.listdir(d) if n.startswith("." + os.path.basename(path) + ".")]
        if left:
            fail("temporary files left beside %s: %s" % (path, left))
        if f == "json":
            check_json(path, inside(o.schema) if o.schema else inside("/usr/share/iommu-audit/report.schema.json"), o.groups)
        elif f == "nfd":
            check_nfd(path, o.groups)
        elif f == "prometheus":
            check_prometheus(path)
    for path in dbs:
        if not os.path.isfile(path):
            fail("fact database %s was not written" % path)
        else:
            check_db(path, o.groups)
    if not FAILS:
        print("ok: %d ExecStart= lines ran; outputs: %s" % (len(lines), ", ".join(
            ["%s %s" % (f, p) for f, p in sorted(written.items())] + ["db " + p for p in dbs])), file=sys.stderr)
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
