#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Make the fuzz seed corpora from the real fixtures, without copying them into the repository.

    fuzz/seeds.py OUTDIR [SHARED_FIXTURES] [KNOWN_ANSWERS]

writes OUTDIR/<harness>/<sha1> for every harness: ACPI tables (the .dat files and the tables inside
the kernel known-answer captures), acpidump texts, device trees (the dts cases compiled with dtc,
and the captures' blobs), config spaces (captures, and the pcihex `lspci -xxxx` dumps), sysfs
attribute texts, and the capture archives themselves.
"""
import glob
import hashlib
import os
import re
import subprocess
import sys
import tarfile
import tempfile

HARNESSES = ('pcicfg', 'dmar', 'ivrs', 'iort', 'madt', 'acpidump', 'fdt', 'sysfs_attr', 'snapshot',
             'policy')
TABLES = {'DMAR': 'dmar', 'IVRS': 'ivrs', 'IORT': 'iort', 'APIC': 'madt'}
ATTRS = {'reserved_regions', 'resource', 'cmdline', 'version', 'features', 'cap', 'ecap', 'type',
         'class', 'vendor', 'device', 'sriov_totalvfs', 'numa_node', 'irq', 'enable',
         'driver_override', 'allow_unsafe_interrupts', 'enable_unsafe_noiommu_mode'}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    out = sys.argv[1]
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(here, '..', '..', 'shared', 'fixtures')
    ka = sys.argv[3] if len(sys.argv) > 3 else os.path.join(here, '..', 'tests', 'fixtures',
                                                           'kernel-known-answers')
    for h in HARNESSES:
        os.makedirs(os.path.join(out, h), exist_ok=True)

    def put(harness, data):
        if data:
            name = hashlib.sha1(data).hexdigest()
            with open(os.path.join(out, harness, name), 'wb') as f:
                f.write(data)

    def put_file(harness, path):
        with open(path, 'rb') as f:
            put(harness, f.read())

    for arc in sorted(glob.glob(os.path.join(ka, '**', '*.tar.gz'), recursive=True)):
        put_file('snapshot', arc)
        with tarfile.open(arc) as t:
            for m in t.getmembers():
                if not m.isfile():
                    continue
                parts = m.name.split('/')
                harness = None
                if len(parts) > 2 and parts[-2] == 'tables' and parts[-1] in TABLES:
                    harness = TABLES[parts[-1]]
                elif m.name.endswith('sys/firmware/fdt'):
                    harness = 'fdt'
                elif parts[-1] == 'config':
                    harness = 'pcicfg'
                elif parts[-1] in ATTRS:
                    harness = 'sysfs_attr'
                if harness:
                    put(harness, t.extractfile(m).read())

    if os.path.isdir(shared):
        for pattern, harness in (('dmar.dat', 'dmar'), ('ivrs.dat', 'ivrs'), ('iort.dat', 'iort'),
                                 ('apic.dat', 'madt'), ('acpidump.txt', 'acpidump')):
            for f in sorted(glob.glob(os.path.join(shared, '*', pattern))):
                put_file(harness, f)
        with tempfile.TemporaryDirectory() as tmp:
            for f in sorted(glob.glob(os.path.join(shared, 'dts-*', '*.dts'))):
                dtb = os.path.join(tmp, 'out.dtb')
                try:
                    subprocess.run(['dtc', '-q', '-I', 'dts', '-O', 'dtb', '-o', dtb, f], check=True,
                                   stderr=subprocess.DEVNULL)
                    put_file('fdt', dtb)
                except (OSError, subprocess.CalledProcessError):
                    print('seeds: dtc could not compile %s (skipped)' % f, file=sys.stderr)
        # lspci -xxxx dumps: one config space per function, from its "offset: bytes" lines.
        for f in sorted(glob.glob(os.path.join(shared, 'pcihex-*', 'lspci-vvvxxxx.txt'))):
            cur = None
            for line in open(f, errors='replace'):
                m = re.match(r'^([0-9a-f]{2,3}): ((?:[0-9a-f]{2} ?){1,16})\s*$', line)
                if m:
                    off = int(m.group(1), 16)
                    if off == 0:
                        if cur:
                            put('pcicfg', bytes(cur))
                        cur = bytearray()
                    if cur is not None and off == len(cur):
                        cur += bytes(int(x, 16) for x in m.group(2).split())
                elif not line.strip() and cur:
                    put('pcicfg', bytes(cur))
                    cur = None
            if cur:
                put('pcicfg', bytes(cur))

    # Policies: the examples shipped in the repository, when there are any.
    for pattern in ('examples/*policy*', 'docs/examples/*policy*', 'tests/fixtures/policy/*',
                    'tests/fixtures/policies/*'):
        for f in sorted(glob.glob(os.path.join(here, '..', pattern))):
            if os.path.isfile(f):
                put_file('policy', f)
    for h in HARNESSES:
        print('%s %d' % (h, len(os.listdir(os.path.join(out, h)))))


if __name__ == '__main__':
    main()
