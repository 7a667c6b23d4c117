#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Every machine-readable report of every kernel known-answer capture, of edited copies and of the
live host is valid: JSON against reports/report.schema.json (draft 2020-12), `groups --format json`
and `rules --format json` against reports/groups.schema.json and reports/rules.schema.json, `plan` and
`diff --format json` against reports/plan.schema.json and reports/diff.schema.json, JUnit against
tests/schemas/junit-10.xsd (xmllint), NFD lines against the label rules; and the three agree with
each other and with the exit status. The schemas must also reject broken reports.

Usage: validate_reports.py --bin IOMMU_AUDIT --source SOURCE_DIR   (exit 77 when a tool is missing)
"""
import argparse
import concurrent.futures
import copy
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import unittest
import xml.etree.ElementTree as ET

try:
    import jsonschema
except ImportError:  # Debian python3-jsonschema (TEST_PACKAGES in run.sh)
    print("skipped: python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)
if not shutil.which("xmllint"):
    print("skipped: xmllint (libxml2-utils) is not installed", file=sys.stderr)
    sys.exit(77)

ARGS = None
FAIL_ON = ("error", "warning", "never")
NFD_LINE = re.compile(r"^iommu-audit\.io/(?P<name>[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)"
                      r"=(?P<value>([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?)$")
# A driver name no report may break on: XML specials, quotes, C0 controls and an ANSI sequence.
HOSTILE_DRIVER = b"ev<il>&\"q'\x01\x1b[31m"


def run(*args, check_status=None):
    """Run the tool; return (exit status, stdout bytes)."""
    p = subprocess.run([ARGS.bin, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
    if check_status is not None and p.returncode not in check_status:
        raise AssertionError(f"{args}: exit {p.returncode}: {p.stderr.decode(errors='replace')}")
    return p.returncode, p.stdout


def expected_status(report, fail_on):
    """The contract's exit status from the JSON report's findings (waived ones never count)."""
    levels = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[fail_on]
    return 1 if any(f["level"] in levels and not f.get("waived", False) for f in report["findings"]) else 0


class Reports(unittest.TestCase):
    """One set of cases: name -> a fact database (collected once), audited in every format."""

    @classmethod
    def setUpClass(cls):
        # Unpacking 22 captures costs seconds on a disk and almost nothing on a tmpfs: use /dev/shm
        # when there is one, for our files and (TMPDIR) for the tool's own snapshot unpacking.
        if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
            os.environ["TMPDIR"] = "/dev/shm"
        cls.tmp = tempfile.mkdtemp(prefix="ia-validate-", dir=os.environ.get("TMPDIR"))
        with open(os.path.join(ARGS.source, "reports", "report.schema.json")) as f:
            cls.schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(cls.schema)
        cls.validator = jsonschema.Draft202012Validator(cls.schema)
        cls.xsd = os.path.join(ARGS.source, "tests", "schemas", "junit-10.xsd")
        kka = os.path.join(ARGS.source, "tests", "fixtures", "kernel-known-answers")
        captures = sorted(glob.glob(os.path.join(kka, "*", "run-*", "snapshot.tar.gz")))
        assert captures, f"no captures under {kka}"
        cls.cases = {}   # name -> list of arguments selecting the facts
        jobs = {}
        with concurrent.futures.ThreadPoolExecutor(max_workers=2) as pool:
            for cap in captures:
                name = os.path.relpath(os.path.dirname(cap), kka)
                db = os.path.join(cls.tmp, name.replace("/", "_") + ".db")
                jobs[name] = pool.submit(run, "collect", "--snapshot", cap, "--db", db, check_status=(0,))
                cls.cases[name] = ["--from-db", db]
            for name in sorted(jobs):
                jobs[name].result()
        for name, edit in cls.edits().items():
            root = os.path.join(cls.tmp, name)
            with tarfile.open(os.path.join(kka, "x86-intel-scn-b-e1000-vfio-rtl-native", "run-6.12",
                                           "snapshot.tar.gz")) as t:
                t.extractall(root)
            edit(root)
            db = os.path.join(cls.tmp, name + ".db")
            run("collect", "--root", root, "--db", db, check_status=(0,))
            cls.cases["edited/" + name] = ["--from-db", db]
        # A qualification policy: waived findings, a disabled rule, an unmet requirement.
        policy = os.path.join(ARGS.source, "docs", "examples", "qualification-policy.json")
        if os.path.exists(policy):
            cls.cases["policy/qualification"] = cls.cases["x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12"] + [
                "--policy", policy]
        live_db = os.path.join(cls.tmp, "live.db")
        run("collect", "--root", "/", "--db", live_db, check_status=(0,))
        cls.cases["live-host"] = ["--from-db", live_db]
        cls.rule_ids = [l.split()[0] for l in run("rules", check_status=(0,))[1].decode().splitlines()
                        if l and not l.startswith(" ")]

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    @staticmethod
    def edits():
        """Edited copies of one capture: what a non-root capture, a host without an IOMMU, a host with
        missing procfs files and a host with a hostile driver name look like."""
        def non_root(root):
            for dirpath, _, files in os.walk(os.path.join(root, "sys", "devices")):
                if "config" in files:
                    os.truncate(os.path.join(dirpath, "config"), 64)

        def no_iommu(root):
            shutil.rmtree(os.path.join(root, "sys", "kernel", "iommu_groups"))
            shutil.rmtree(os.path.join(root, "sys", "class", "iommu"), ignore_errors=True)
            for dirpath, _, files in os.walk(os.path.join(root, "sys", "devices")):
                for link in ("iommu_group", "iommu"):
                    p = os.path.join(dirpath, link)
                    if os.path.islink(p):
                        os.unlink(p)

        def no_proc(root):
            for f in ("interrupts", "cmdline", "modules"):
                p = os.path.join(root, "proc", f)
                if os.path.exists(p):
                    os.unlink(p)

        def hostile_driver(root):
            dev = os.path.realpath(os.path.join(root, "sys", "bus", "pci", "devices", "0000:07:02.0"))
            os.makedirs(os.path.join(root, "sys", "bus", "pci", "drivers").encode() + b"/" + HOSTILE_DRIVER)
            os.unlink(os.path.join(dev, "driver"))
            os.symlink(b"../../../../../bus/pci/drivers/" + HOSTILE_DRIVER, os.path.join(dev, "driver").encode())

        return {"non-root": non_root, "no-iommu": no_iommu, "no-proc": no_proc, "hostile-driver": hostile_driver}

    _reports = {}

    def report(self, name, fmt, fail_on):
        """(exit status, output) of one case in one format, run once per test run."""
        key = (name, fmt, fail_on)
        if key not in self._reports:
            self._reports[key] = run(*self.cases[name], "--format", fmt, "--fail-on", fail_on, "--no-names",
                                     check_status=(0, 1))
        return self._reports[key]

    # ---- JSON ---------------------------------------------------------------------------------

    def test_json_valid_and_exit_status(self):
        for name in self.cases:
            for fail_on in FAIL_ON:
                with self.subTest(case=name, fail_on=fail_on):
                    status, out = self.report(name, "json", fail_on)
                    r = json.loads(out)
                    errors = [f"{list(e.absolute_path)}: {e.message}" for e in self.validator.iter_errors(r)]
                    self.assertEqual(errors, [], f"{name}: JSON report does not match the schema")
                    self.assertEqual(status, expected_status(r, fail_on))
                    s = r["summary"]
                    # the verdict counts what --fail-on counts (error for "never": the status stays 0)
                    self.assertEqual(s["verdict"], "fail" if s["error"] or (fail_on == "warning" and s["warning"])
                                     else "pass")
                    for level in ("error", "warning", "info"):
                        self.assertEqual(s[level], sum(1 for f in r["findings"]
                                                       if f["level"] == level and not f.get("waived", False)))

    def test_policy_case_has_waivers(self):
        if "policy/qualification" not in self.cases:
            self.skipTest("docs/examples/qualification-policy.json is absent")
        _, out = self.report("policy/qualification", "json", "error")
        waived = [f for f in json.loads(out)["findings"] if f.get("waived")]
        self.assertTrue(waived and all(f["waiver"]["reason"] for f in waived))
        _, out = self.report("policy/qualification", "junit", "error")
        self.assertIn(b"waived by policy: ", out)

    def test_hostile_driver_survives(self):
        _, out = self.report("edited/hostile-driver", "json", "never")
        drivers = [d["driver"] for d in json.loads(out)["devices"] if d["bdf"] == "0000:07:02.0"]
        # escaped the one way every renderer escapes host text (ia_text_sanitize(): "\\xNN")
        self.assertEqual(drivers, ["ev<il>&\"q'\\x01\\x1b[31m"])
        _, out = self.report("edited/hostile-driver", "text", "never")
        self.assertNotIn(b"\x1b", out)
        self.assertIn(b"ev<il>&\"q'\\x01\\x1b[31m", out)

    def test_schema_rejects_broken_reports(self):
        _, out = self.report("x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12", "json", "never")
        good = json.loads(out)
        self.assertTrue(self.validator.is_valid(good))
        breakages = {
            "level fatal": lambda r: r["findings"][0].__setitem__("level", "fatal"),
            "no summary": lambda r: r.pop("summary"),
            "verdict maybe": lambda r: r["summary"].__setitem__("verdict", "maybe"),
            "kernel_active a string": lambda r: r["platform"]["iommu"].__setitem__("kernel_active", "yes"),
            "short BDF": lambda r: r["devices"][0].__setitem__("bdf", "00:01.0"),
            "no-IOMMU state on": lambda r: r["platform"]["noiommu"].__setitem__("state", "on"),
            "group without verdict": lambda r: r["groups"][0].pop("userspace_assignable"),
            "unit kind gpu": lambda r: r["platform"]["iommu"]["units"][0].__setitem__("kind", "gpu"),
            "waiver without reason": lambda r: r["findings"][0].__setitem__("waiver", {"expires": None}),
            "wrong schema id": lambda r: r.__setitem__("schema", "iommu-audit/2"),
            "negative count": lambda r: r["summary"].__setitem__("error", -1),
            "no host identity": lambda r: r["host"].pop("dmi"),
            "machine-id upper case": lambda r: r["host"].__setitem__("machine_id", "0123456789ABCDEF0123456789ABCDEF"),
            "audited_at local time": lambda r: r["host"].__setitem__("audited_at", "2026-12-06 20:00:00"),
            "revision a number": lambda r: r["devices"][0].__setitem__("revision", 5),
            "device without class_name": lambda r: r["devices"][0].pop("class_name"),
        }
        for what, breakage in breakages.items():
            with self.subTest(breakage=what):
                bad = copy.deepcopy(good)
                breakage(bad)
                self.assertFalse(self.validator.is_valid(bad), f"the schema accepts a report with {what}")

    # ---- JUnit --------------------------------------------------------------------------------

    def test_junit_valid_and_agrees(self):
        files = []
        for name in self.cases:
            for fail_on in FAIL_ON:
                status, out = self.report(name, "junit", fail_on)
                _, js = self.report(name, "json", fail_on)
                path = os.path.join(self.tmp, f"{name.replace('/', '_')}.{fail_on}.xml")
                with open(path, "wb") as f:
                    f.write(out)
                files.append(path)
                with self.subTest(case=name, fail_on=fail_on):
                    self.check_junit(ET.fromstring(out), json.loads(js), status, fail_on)
        p = subprocess.run(["xmllint", "--noout", "--schema", self.xsd, *files],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr.decode(errors="replace")[:4000])

    def check_junit(self, root, report, status, fail_on):
        self.assertEqual(root.tag, "testsuites")
        suites = root.findall("testsuite")
        names = [s.get("name") for s in suites]
        self.assertEqual(names[:len(self.rule_ids)], self.rule_ids, "one suite per rule, in table order")
        self.assertEqual(len(names), len(set(names)), "one suite per rule id")
        total_fail = 0
        for s in suites:
            cases = s.findall("testcase")
            fails = sum(1 for c in cases if c.find("failure") is not None)
            skips = sum(1 for c in cases if c.find("skipped") is not None)
            self.assertEqual(int(s.get("tests")), len(cases), s.get("name"))
            self.assertEqual(int(s.get("failures")), fails, s.get("name"))
            self.assertEqual(int(s.get("skipped")), skips, s.get("name"))
            subjects = [c.get("name") for c in cases]
            self.assertEqual(len(subjects), len(set(subjects)), f"{s.get('name')}: one case per subject")
            self.assertTrue(all(c.get("classname") == s.get("name") for c in cases))
            total_fail += fails
        self.assertEqual(int(root.get("failures")), total_fail)
        self.assertEqual(status, 1 if total_fail else 0, "JUnit failures and the exit status agree")
        # failing (rule, subject) pairs are exactly those of the JSON findings at the threshold
        levels = {"error": ("error",), "warning": ("error", "warning"), "never": ()}[fail_on]
        want = {(f["rule"], f["subject"]) for f in report["findings"]
                if f["level"] in levels and not f.get("waived", False) and f["rule"] != "rule.not-evaluated"}
        want |= {(f["subject"], "host") for f in report["findings"]
                 if f["rule"] == "rule.not-evaluated" and f["level"] in levels and not f.get("waived", False)}
        got = {(s.get("name"), c.get("name")) for s in suites for c in s.findall("testcase")
               if c.find("failure") is not None}
        self.assertEqual(got, want)
        # a rule not evaluated is skipped with its reason
        skipped = {s.get("name") for s in suites for c in s.findall("testcase") if c.find("skipped") is not None}
        not_eval = {f["subject"] for f in report["findings"] if f["rule"] == "rule.not-evaluated"}
        self.assertEqual(skipped, {r for r in not_eval if (r, "host") not in want})

    def test_xsd_rejects_broken_junit(self):
        broken = {
            "tests not a number": '<testsuites><testsuite name="a" tests="many"/></testsuites>',
            "testcase without name": '<testsuites><testsuite name="a" tests="1"><testcase/></testsuite></testsuites>',
            "failure before skipped": '<testsuites><testsuite name="a" tests="1"><testcase name="x">'
                                      '<failure/><skipped/></testcase></testsuite></testsuites>',
            "unknown element": '<testsuites><testsuite name="a" tests="0"><result/></testsuite></testsuites>',
        }
        for what, doc in broken.items():
            with self.subTest(breakage=what):
                p = subprocess.run(["xmllint", "--noout", "--schema", self.xsd, "-"], input=doc.encode(),
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
                self.assertNotEqual(p.returncode, 0, f"the XSD accepts JUnit with {what}")

    # ---- NFD ----------------------------------------------------------------------------------

    def test_nfd_valid_and_agrees(self):
        for name in self.cases:
            with self.subTest(case=name):
                status, out = self.report(name, "nfd", "error")
                _, js = self.report(name, "json", "error")
                r = json.loads(js)
                self.assertLess(len(out), 65536, "NFD ignores feature files over 64 kB")
                labels = {}
                for line in out.decode().splitlines():
                    if line.startswith("#"):
                        continue
                    m = NFD_LINE.match(line)
                    self.assertIsNotNone(m, f"not a valid NFD label line: {line!r}")
                    self.assertNotIn(m["name"], labels)
                    labels[m["name"]] = m["value"]
                p = r["platform"]
                self.assertEqual(labels["iommu-active"], "true" if p["iommu"]["kernel_active"] else "false")
                self.assertEqual(labels["interrupt-isolation"], p["interrupt_isolation"]["state"])
                self.assertEqual(labels["noiommu"], p["noiommu"]["state"])
                self.assertEqual(int(labels["groups"]), len(r["groups"]))
                self.assertEqual(int(labels["assignable-groups"]),
                                 sum(1 for g in r["groups"] if g["userspace_assignable"] is True))
                self.assertEqual(labels["verdict"], "fail" if status else "pass")
                verdict = {g["id"]: g["userspace_assignable"] for g in r["groups"]}
                for d in r["devices"]:
                    if d["vendor"] is None:
                        continue
                    key = f"assignable-{d['vendor'][2:]}-{d['device'][2:]}"
                    if key not in labels:   # only bridges (vfio-pci binds header type 0 only) lack a label
                        self.assertTrue(d["class"] and d["class"].startswith("0x0604"), f"{d['bdf']} unlabelled")
                        continue
                    v = verdict.get(d["iommu_group"]) if d["iommu_group"] is not None else False
                    if v is False:
                        self.assertEqual(labels[key], "false", d["bdf"])
                    elif v is None:
                        self.assertIn(labels[key], ("false", "unknown"), d["bdf"])
                    else:
                        self.assertIn(labels[key], ("true", "false", "unknown"), d["bdf"])
                for key, value in labels.items():
                    if key.startswith("assignable-") and key != "assignable-groups" and value == "true":
                        ids = key.split("-")[1:]
                        members = [d for d in r["devices"]
                                   if d["vendor"] == "0x" + ids[0] and d["device"] == "0x" + ids[1]]
                        self.assertTrue(members and all(verdict.get(d["iommu_group"]) is True for d in members
                                                        if d["class"] and not d["class"].startswith("0x0604")),
                                        f"{key}=true but a function of that id is not assignable")

    # ---- groups and rules --format json -------------------------------------------------------

    @staticmethod
    def side_validator(name):
        """A validator for reports/NAME (groups.schema.json, rules.schema.json), itself checked."""
        with open(os.path.join(ARGS.source, "reports", name)) as f:
            schema = json.load(f)
        jsonschema.Draft202012Validator.check_schema(schema)
        return jsonschema.Draft202012Validator(schema)

    def test_groups_json_valid_and_agrees(self):
        """`groups --format json` in each view matches its schema and lists the JSON report's groups."""
        v = self.side_validator("groups.schema.json")
        views = (("kernel", [], "groups"), ("predicted", ["--predicted"], "predicted_groups"),
                 ("when_enabled", ["--when-enabled"], "predicted_groups_when_enabled"))
        for name in self.cases:
            report = json.loads(self.report(name, "json", "never")[1])
            for view, args, key in views:
                with self.subTest(case=name, view=view):
                    _, out = run("groups", *self.cases[name], *args, "--format", "json", "--fail-on", "never",
                                 check_status=(0,))
                    g = json.loads(out)
                    errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(g)]
                    self.assertEqual(errors, [], f"{name}: groups JSON does not match its schema")
                    self.assertEqual(g["view"], view)
                    self.assertEqual([[d["bdf"] for d in x["devices"]] for x in g["groups"]],
                                     [x["devices"] for x in report[key]])
        good = json.loads(run("groups", *self.cases["x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12"], "--format",
                              "json", "--fail-on", "never", check_status=(0,))[1])
        self.assertTrue(v.is_valid(good))
        breakages = {
            "wrong schema id": lambda g: g.__setitem__("schema", "iommu-audit/1"),
            "view sideways": lambda g: g.__setitem__("view", "sideways"),
            "short BDF": lambda g: g["groups"][0]["devices"][0].__setitem__("bdf", "00:01.0"),
            "vendor a number": lambda g: g["groups"][0]["devices"][0].__setitem__("vendor", 32902),
            "group kind vfio": lambda g: g["groups"][0].__setitem__("kind", "vfio"),
            "group without devices": lambda g: g["groups"][0].pop("devices"),
        }
        for what, breakage in breakages.items():
            with self.subTest(breakage=what):
                bad = copy.deepcopy(good)
                breakage(bad)
                self.assertFalse(v.is_valid(bad), f"the groups schema accepts a listing with {what}")

    def test_rules_json_valid_and_agrees(self):
        """`rules --format json` matches its schema and lists the text's rules, in the same order."""
        v = self.side_validator("rules.schema.json")
        r = json.loads(run("rules", "--format", "json", check_status=(0,))[1])
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(r)]
        self.assertEqual(errors, [], "rules JSON does not match its schema")
        self.assertEqual([x["id"] for x in r["rules"]], self.rule_ids)
        self.assertIn(True, [x["kernel_enforced"] for x in r["rules"]])
        breakages = {
            "level fatal": lambda d: d["rules"][0].__setitem__("level", "fatal"),
            "no rules": lambda d: d.__setitem__("rules", []),
            "kernel_enforced a string": lambda d: d["rules"][0].__setitem__("kernel_enforced", "yes"),
            "rule without summary": lambda d: d["rules"][0].pop("summary"),
        }
        for what, breakage in breakages.items():
            with self.subTest(breakage=what):
                bad = copy.deepcopy(r)
                breakage(bad)
                self.assertFalse(v.is_valid(bad), f"the rules schema accepts a catalogue with {what}")

    # ---- plan and diff --format json ------------------------------------------------------------

    def test_plan_json_valid_and_agrees(self):
        """`plan BDF --format json` of each case's first function matches reports/plan.schema.json and
        plans the JSON report's functions."""
        v = self.side_validator("plan.schema.json")
        good = None
        for name in self.cases:
            report = json.loads(self.report(name, "json", "never")[1])
            if not report["devices"]:
                continue
            bdf = report["devices"][0]["bdf"]
            with self.subTest(case=name):
                _, out = run("plan", bdf, *self.cases[name], "--format", "json", check_status=(0, 1))
                p = json.loads(out)
                errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(p)]
                self.assertEqual(errors, [], f"{name}: plan JSON does not match its schema")
                self.assertEqual(p["requested"], [bdf])
                known = {d["bdf"] for d in report["devices"]}
                self.assertTrue({d["bdf"] for d in p["devices"]} <= known)
                self.assertEqual(p["feasible"], not p["blockers"])
                if good is None:
                    good = p
        self.assertIsNotNone(good)
        breakages = {
            "wrong schema id": lambda p: p.__setitem__("schema", "iommu-audit/1"),
            "feasible a string": lambda p: p.__setitem__("feasible", "yes"),
            "action reboot": lambda p: p["devices"][0].__setitem__("action", "reboot"),
            "short BDF": lambda p: p.__setitem__("requested", ["00:01.0"]),
            "no commands": lambda p: p.pop("commands"),
        }
        for what, breakage in breakages.items():
            with self.subTest(breakage=what):
                bad = copy.deepcopy(good)
                breakage(bad)
                self.assertFalse(v.is_valid(bad), f"the plan schema accepts a plan with {what}")

    def test_diff_json_valid_and_agrees(self):
        """`diff OLD NEW --format json` of each case against one capture matches reports/diff.schema.json,
        and "worse" is the exit status (1 only when something got worse)."""
        v = self.side_validator("diff.schema.json")
        base = self.cases["x86-intel-scn-b-e1000-vfio-rtl-native/run-6.12"]
        good = None
        for name in self.cases:
            if self.cases[name][0] != "--from-db" or len(self.cases[name]) != 2:
                continue
            with self.subTest(case=name):
                status, out = run("diff", base[1], self.cases[name][1], "--format", "json", check_status=(0, 1))
                d = json.loads(out)
                errors = [f"{list(e.absolute_path)}: {e.message}" for e in v.iter_errors(d)]
                self.assertEqual(errors, [], f"{name}: diff JSON does not match its schema")
                self.assertEqual(status, 1 if d["worse"] else 0)
                self.assertEqual(d["changed"], bool(d["changes"]))
                if good is None and d["changes"]:
                    good = d
        self.assertIsNotNone(good)
        breakages = {
            "wrong schema id": lambda d: d.__setitem__("schema", "iommu-audit/1"),
            "worse a string": lambda d: d.__setitem__("worse", "true"),
            "result sideways": lambda d: d["summary"].__setitem__("result", "sideways"),
            "effect bad": lambda d: d["changes"][0].__setitem__("effect", "bad"),
            "area platform": lambda d: d["changes"][0].__setitem__("area", "platform"),
            "no summary": lambda d: d.pop("summary"),
        }
        for what, breakage in breakages.items():
            with self.subTest(breakage=what):
                bad = copy.deepcopy(good)
                breakage(bad)
                self.assertFalse(v.is_valid(bad), f"the diff schema accepts a diff with {what}")


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", required=True)
    ap.add_argument("--source", required=True)
    ARGS, rest = ap.parse_known_args()
    unittest.main(argv=[sys.argv[0], "-v", *rest])


if __name__ == "__main__":
    main()
