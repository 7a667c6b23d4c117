#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The verdicts in SQL (issue 15 item 4), against real databases: three hosts audited with
`iommu-audit --snapshot CAPTURE --db hosts/NAME.db` from kernel known-answer captures.

- contrib/osquery/iommu-audit.conf: each ATC table's query runs with Python's sqlite3 on every
  host's database and returns exactly the columns the fragment declares (and, for the verdict
  tables, every row the table holds); the fragment's shape is osquery's (query, path, columns,
  platform); the queries of contrib/osquery/README.md run too.
- docs/fleet.md: every query block marked `<!-- fleet-sql: query NAME -->` runs in a directory
  holding hosts/ and a fleet database made with docs/fleet-import.sql (as the document's loop
  does: ATTACH, .read, DETACH), and prints exactly the `<!-- fleet-sql: result -->` block after
  it, as sqlite3's list mode would (columns joined by '|', NULL empty). A block marked
  `needs host_identity` runs only when the hosts' databases hold that table.

Usage: fleet_sql.py --bin IOMMU_AUDIT --source SOURCE_DIR
"""
import argparse
import json
import os
import re
import sqlite3
import subprocess
import sys
import tempfile

# The hosts of docs/fleet.md: name -> capture (tests/fixtures/kernel-known-answers/CASE/run-6.12)
HOSTS = {
    "host-a": "x86-intel-noacs-mf",
    "host-b": "arm-acpi-v2m-smmuv3",
    "host-c": "x86-intel-scn-a-nvme-vfio",
}
MARK = re.compile(r"^<!-- fleet-sql: (?P<kind>query|result|import)(?: (?P<name>\S+))?(?P<rest>.*?) -->$")


def blocks(markdown):
    """[(kind, name, rest, fenced text)] for each marker and the fenced block right after it."""
    out, lines, i = [], markdown.splitlines(), 0
    while i < len(lines):
        m = MARK.match(lines[i])
        i += 1
        if not m:
            continue
        if i >= len(lines) or not lines[i].startswith("```"):
            raise AssertionError(f"docs/fleet.md: no fenced block after {lines[i - 1]!r}")
        i += 1
        body = []
        while i < len(lines) and lines[i] != "```":
            body.append(lines[i])
            i += 1
        i += 1
        out.append((m.group("kind"), m.group("name"), m.group("rest").strip(), "\n".join(body)))
    return out


def statements(sql):
    """The statements of a script, one by one (sqlite3.complete_statement())."""
    out, cur = [], ""
    for line in sql.splitlines(keepends=True):
        cur += line
        if sqlite3.complete_statement(cur):
            out.append(cur.strip())
            cur = ""
    if cur.strip() and not all(l.strip().startswith("--") for l in cur.strip().splitlines()):
        raise AssertionError(f"unterminated statement: {cur!r}")
    return out


def run_script(con, sql, params=None):
    """Run every statement; the rows of the last that returned any, as sqlite3's list mode prints them."""
    text = None
    for st in statements(sql):
        cur = con.execute(st, params) if params else con.execute(st)
        rows = cur.fetchall()
        if cur.description is not None:
            text = "\n".join("|".join("" if v is None else str(v) for v in r) for r in rows)
    return text


def audit_hosts(binary, source, work):
    os.mkdir(os.path.join(work, "hosts"))
    for host, case in HOSTS.items():
        snap = os.path.join(source, "tests/fixtures/kernel-known-answers", case, "run-6.12/snapshot.tar.gz")
        p = subprocess.run([binary, "--snapshot", snap, "--db", os.path.join(work, "hosts", host + ".db"),
                            "--output", "/dev/null"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                           env=dict(os.environ, SOURCE_DATE_EPOCH="1700000000"), timeout=300)
        if p.returncode not in (0, 1):
            raise AssertionError(f"{case}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")


def check_osquery(source, work):
    with open(os.path.join(source, "contrib/osquery/iommu-audit.conf"), encoding="utf-8") as f:
        conf = json.load(f)
    atc = conf["auto_table_construction"]
    assert set(conf) == {"auto_table_construction"}, conf.keys()
    assert {"iommu_audit_run", "iommu_audit_findings", "iommu_audit_groups", "iommu_audit_group_items"} <= set(atc)
    sources = {"iommu_audit_run": "audit_run", "iommu_audit_findings": "audit_finding",
               "iommu_audit_groups": "audit_group", "iommu_audit_group_items": "audit_group_item"}
    total = dict.fromkeys(sources, 0)  # each table has rows on some host (host-a has no finding)
    for host in HOSTS:
        con = sqlite3.connect(f"file:{os.path.join(work, 'hosts', host + '.db')}?mode=ro", uri=True)
        for name, t in atc.items():
            assert set(t) == {"query", "path", "columns", "platform"}, (name, t.keys())
            assert t["path"] == "/var/lib/iommu-audit/facts.db" and t["platform"] == "linux", name
            cur = con.execute(t["query"])
            rows = cur.fetchall()
            assert [d[0] for d in cur.description] == t["columns"], (name, cur.description)
            if name in sources:
                n = con.execute(f"SELECT count(*) FROM {sources[name]}").fetchone()[0]
                assert len(rows) == n, (host, name, len(rows), n)
                total[name] += n
            else:
                assert rows, (host, name)
        con.close()
    assert all(total.values()), total
    # the README's example queries, on the osquery tables as views of the same names
    with open(os.path.join(source, "contrib/osquery/README.md"), encoding="utf-8") as f:
        readme = f.read()
    examples = re.findall(r"```sql\n(.*?)```", readme, re.S)
    assert examples, "contrib/osquery/README.md: no example"
    answers = {}
    total = dict.fromkeys(sources, 0)  # each table has rows on some host (host-a has no finding)
    for host in HOSTS:
        con = sqlite3.connect(f"file:{os.path.join(work, 'hosts', host + '.db')}?mode=ro", uri=True)
        for name, t in atc.items():  # osquery's columns are TEXT: so are the views'
            cols = ", ".join(f"CAST({c} AS TEXT) AS {c}" for c in t["columns"])
            con.execute(f"CREATE TEMP VIEW {name} AS SELECT {cols} FROM ({t['query']})")
        answers[host] = [run_script(con, e) for e in examples]
        con.close()
    # MSIs not isolated on host-b only; every host but host-a has a blocked group
    assert [h for h in HOSTS if answers[h][0]] == ["host-b"], answers
    assert answers["host-b"][0] == "not_isolated|fail", answers["host-b"][0]
    assert not answers["host-a"][1] and answers["host-b"][1] and answers["host-c"][1], answers


def check_identity_query(name, body):
    """The board and BIOS question, with host-b's board and BIOS as :board and :bios: host-b (its
    MSIs are not isolated) is among the answers; skipped when its DMI does not name them."""
    con = sqlite3.connect("fleet.db")
    row = con.execute("SELECT board_name, bios_version FROM fleet_identity WHERE host = 'host-b'").fetchone()
    if row is None or None in row:
        print(f"skipped {name}: host-b's capture names no board or BIOS")
        return
    got = run_script(con, body, {"board": row[0], "bios": row[1]})
    con.close()
    hosts = [line.split("|")[0] for line in (got or "").splitlines()]
    assert "host-b" in hosts and "host-a" not in hosts, (name, got)
    print(f"ok {name}")


def check_fleet_doc(source, work):
    with open(os.path.join(source, "docs/fleet.md"), encoding="utf-8") as f:
        doc = f.read()
    with open(os.path.join(source, "docs/fleet-import.sql"), encoding="utf-8") as f:
        import_sql = f.read()
    bs = blocks(doc)
    imports = [b for b in bs if b[0] == "import"]
    assert len(imports) == 1 and "docs/fleet-import.sql" in imports[0][3], imports
    with open(os.path.join(source, "docs/fleet-import-identity.sql"), encoding="utf-8") as f:
        identity_sql = f.read()
    os.chdir(work)
    con = sqlite3.connect("hosts/host-a.db")
    has_identity = con.execute("SELECT count(*) FROM sqlite_master WHERE name = 'host_identity'").fetchone()[0] > 0
    con.close()
    # the document's loop, done the same way: ATTACH, the import script, DETACH
    fleet = sqlite3.connect("fleet.db")
    for host in sorted(HOSTS):
        fleet.execute(f"ATTACH 'hosts/{host}.db' AS h")
        fleet.executescript(import_sql)
        if has_identity:
            fleet.executescript(identity_sql)
        fleet.commit()
        fleet.execute("DETACH h")
    # importing a host again replaces its rows
    before = fleet.execute("SELECT count(*) FROM fleet_finding").fetchone()[0]
    fleet.execute("ATTACH 'hosts/host-c.db' AS h")
    fleet.executescript(import_sql)
    fleet.commit()
    fleet.execute("DETACH h")
    assert fleet.execute("SELECT count(*) FROM fleet_finding").fetchone()[0] == before
    assert [r[0] for r in fleet.execute("SELECT host FROM fleet_run ORDER BY host")] == sorted(HOSTS)
    fleet.close()
    n = 0
    for k, (kind, name, rest, body) in enumerate(bs):
        if kind != "query":
            continue
        want = bs[k + 1][3] if k + 1 < len(bs) and bs[k + 1][0] == "result" else None
        if "needs host_identity" in rest:
            if not has_identity:
                print(f"skipped {name}: the hosts' databases hold no host_identity table")
                continue
            check_identity_query(name, body)
            n += 1
            continue
        con = sqlite3.connect("fleet.db")
        got = run_script(con, body)
        con.close()
        if want is None:
            raise AssertionError(f"docs/fleet.md: query {name} has no result block")
        if got != want:
            raise AssertionError(f"docs/fleet.md: query {name}:\n--- got\n{got}\n--- want\n{want}")
        print(f"ok {name}")
        n += 1
    assert n >= 5, n


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    args = ap.parse_args()
    for case in HOSTS.values():
        if not os.path.exists(os.path.join(args.source, "tests/fixtures/kernel-known-answers", case)):
            print(f"skipped: no capture {case}", file=sys.stderr)
            return 77
    with tempfile.TemporaryDirectory(prefix="ia-fleet-sql-") as work:
        audit_hosts(os.path.abspath(args.bin), args.source, work)
        check_osquery(args.source, work)
        print("ok contrib/osquery")
        check_fleet_doc(args.source, work)
        os.chdir("/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
