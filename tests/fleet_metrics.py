#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""The Prometheus metrics of `--format prometheus` (issue 15 item 3), end to end:

- every kernel known-answer case (one capture each, the repository's and ../shared's) is audited with
  `--format json --also prometheus=FILE`; Debian's `promtool check metrics` accepts each metrics
  file without a lint remark, and every series agrees with the same run's JSON report (verdict,
  IOMMU active, interrupt isolation, no-IOMMU state, groups and each group's assignability,
  unwaived findings per rule and level);
- a real `prometheus-node-exporter`, bound to 127.0.0.1 on a free port with only its textfile
  collector on a scratch directory, serves every sample of one such file on /metrics (scraped with
  urllib) and reports no textfile error; then it is stopped.

Usage: fleet_metrics.py --bin IOMMU_AUDIT --source SOURCE_DIR --shared SHARED_DIR
(exit 77 when promtool or prometheus-node-exporter is not installed: run.sh's TEST_PACKAGES).
"""
import argparse
import concurrent.futures
import glob
import json
import math
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

PROMTOOL = shutil.which("promtool")
EXPORTER = shutil.which("prometheus-node-exporter")
SAMPLE = re.compile(r'^(?P<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?P<labels>\{.*\})? (?P<value>\S+)$')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def parse(text):
    """Samples of the text exposition format: {(name, ((label, value), ...)): float}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = SAMPLE.match(line)
        if not m:
            raise AssertionError(f"not a sample line: {line!r}")
        labels = tuple(sorted(LABEL.findall(m.group("labels") or "")))
        key = (m.group("name"), labels)
        if key in out:
            raise AssertionError(f"series twice: {line!r}")
        out[key] = float(m.group("value"))
    return out


def value(samples, name, **labels):
    key = (name, tuple(sorted(labels.items())))
    if key not in samples:
        raise AssertionError(f"no series {name}{labels}")
    return samples[key]


def check_against_json(name, samples, report):
    """Every metric the renderer derives, against the JSON report of the same run."""
    s = report["summary"]["verdict"]
    verdict = s if isinstance(s, str) else ("fail" if s else "pass")
    assert value(samples, "iommu_audit_verdict", verdict=verdict) == 1, name
    assert value(samples, "iommu_audit_verdict", verdict={"pass": "fail", "fail": "pass"}[verdict]) == 0, name
    plat = report["platform"]
    assert value(samples, "iommu_audit_iommu_active") == int(plat["iommu"]["kernel_active"]), name
    irq = plat["interrupt_isolation"]["state"]
    for st in ("isolated", "not_isolated", "unknown"):
        assert value(samples, "iommu_audit_interrupt_isolation", state=st) == (st == irq), (name, st)
    nio = plat["noiommu"]["state"]
    for st in ("available", "enabled", "unavailable", "unknown"):
        assert value(samples, "iommu_audit_noiommu", state=st) == (st == nio), (name, st)
    groups = report["groups"]
    assert value(samples, "iommu_audit_groups") == len(groups), name
    assert value(samples, "iommu_audit_assignable_groups") == sum(g["userspace_assignable"] is True for g in groups)
    per_group = {dict(k[1])["group"]: v for k, v in samples.items() if k[0] == "iommu_audit_group_assignable"}
    assert len(per_group) == len(groups), name
    for g in groups:
        v = per_group[str(g["id"])]
        want = g["userspace_assignable"]
        assert (math.isnan(v) if want is None else v == int(want)), (name, g["id"], v, want)
        bdf = [dict(k[1])["bdf"] for k in samples if k[0] == "iommu_audit_group_assignable"
               and dict(k[1])["group"] == str(g["id"])][0]
        assert bdf == (g["devices"][0] if g["devices"] else ""), (name, g["id"], bdf)
    counts = {}
    for f in report["findings"]:
        if not f.get("waived", False):
            counts[(f["rule"], f["level"])] = counts.get((f["rule"], f["level"]), 0) + 1
    got = {(dict(k[1])["rule"], dict(k[1])["level"]): v for k, v in samples.items()
           if k[0] == "iommu_audit_findings" and v}
    assert got == counts, (name, got, counts)
    assert value(samples, "iommu_audit_waived_findings") == sum(f.get("waived", False) for f in report["findings"])


def audit_capture(binary, snapshot, work, tag):
    """One run: the JSON report on stdout and the metrics via --also; both returned."""
    prom = os.path.join(work, tag + ".prom")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000", NO_COLOR="1")
    p = subprocess.run([binary, "--snapshot", snapshot, "--fail-on", "never", "--format", "json",
                        "--also", "prometheus=" + prom], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=300)
    if p.returncode != 0:
        raise AssertionError(f"{snapshot}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    with open(prom, encoding="utf-8") as f:
        return json.loads(p.stdout), f.read(), prom


def promtool_check(path):
    with open(path, "rb") as f:
        p = subprocess.run([PROMTOOL, "check", "metrics"], stdin=f, stdout=subprocess.PIPE,
                           stderr=subprocess.STDOUT, timeout=60)
    if p.returncode != 0 or p.stdout.strip():
        raise AssertionError(f"promtool check metrics {path}: exit {p.returncode}:\n{p.stdout.decode()}")


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape_node_exporter(textfile_dir):
    """Start node_exporter with only the textfile collector, scrape /metrics once, stop it."""
    for _ in range(3):  # another process may take the port between free_port() and the bind
        port = free_port()
        proc = subprocess.Popen([EXPORTER, f"--web.listen-address=127.0.0.1:{port}",
                                 "--collector.disable-defaults", "--collector.textfile",
                                 f"--collector.textfile.directory={textfile_dir}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and proc.poll() is None:
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5) as r:
                        return r.read().decode("utf-8")
                except OSError:
                    time.sleep(0.2)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            err = proc.stderr.read().decode(errors="replace")
            proc.stderr.close()
        print(f"node_exporter on port {port} did not answer; its log:\n{err}", file=sys.stderr)
    raise AssertionError("prometheus-node-exporter never served /metrics")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ap.add_argument("--shared", required=True)
    args = ap.parse_args()
    if not PROMTOOL or not EXPORTER:
        print("skipped: promtool or prometheus-node-exporter is not installed (apt-get install prometheus "
              "prometheus-node-exporter)", file=sys.stderr)
        return 77
    # one capture per case (the first run of each, the repository's before ../shared's): every
    # platform and kernel state once, within the test's time
    snaps, seen = [], set()
    for pattern in (os.path.join(args.source, "tests/fixtures/kernel-known-answers/*/run-*/snapshot.tar.gz"),
                    os.path.join(args.shared, "fixtures/kernel-known-answers/*/run-*/snapshot.tar.gz")):
        for snap in sorted(glob.glob(pattern)):
            case = snap.split(os.sep)[-3]
            if case not in seen:
                seen.add(case)
                snaps.append(snap)
    if not snaps:
        print("skipped: no known-answer capture", file=sys.stderr)
        return 77
    with tempfile.TemporaryDirectory(prefix="ia-metrics-") as work:
        def one(item):
            i, snap = item
            tag = f"{i:02d}-" + snap.split(os.sep)[-3]
            report, text, path = audit_capture(args.bin, snap, work, tag)
            promtool_check(path)
            samples = parse(text)
            check_against_json(tag, samples, report)
            assert value(samples, "iommu_audit_last_audit_timestamp_seconds") == 1700000000, tag
            assert value(samples, "iommu_audit_duration_seconds") > 0, tag
            return tag, text, samples
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as ex:
            done = list(ex.map(one, enumerate(snaps)))
        for tag, _, _ in done:
            print(f"ok {tag}")
        first = done[0][1:]
        # node_exporter's textfile collector reads "*.prom" from its directory
        tdir = os.path.join(work, "textfile")
        os.mkdir(tdir)
        with open(os.path.join(tdir, "iommu-audit.prom"), "w", encoding="utf-8") as f:
            f.write(first[0])
        scraped = parse(scrape_node_exporter(tdir))
        for key, v in first[1].items():
            if key not in scraped:
                raise AssertionError(f"node_exporter does not serve {key}")
            assert scraped[key] == v or (math.isnan(v) and math.isnan(scraped[key])), (key, v, scraped[key])
        assert value(scraped, "node_textfile_scrape_error") == 0
        assert ("node_textfile_mtime_seconds", (("file", os.path.join(tdir, "iommu-audit.prom")),)) in scraped or \
            ("node_textfile_mtime_seconds", (("file", "iommu-audit.prom"),)) in scraped, \
            [k for k in scraped if k[0] == "node_textfile_mtime_seconds"]
        print(f"ok node_exporter served {len(first[1])} iommu-audit series")
    return 0


if __name__ == "__main__":
    sys.exit(main())
