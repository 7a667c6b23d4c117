# SPDX-License-Identifier: GPL-2.0-or-later
# One line per test executable; a test whose source or module is absent is skipped.
ia_test(test_core      tests/unit/test_core.c      DEPS core)
ia_test(test_pcicfg    tests/unit/test_pcicfg.c    DEPS decode_pcicfg)
ia_test(test_sysfs     tests/unit/test_sysfs.c     DEPS decode_sysfs)
ia_test(test_acpi      tests/unit/test_acpi.c      DEPS decode_acpi)
ia_test(test_dmar      tests/unit/test_dmar.c      DEPS decode_dmar)
ia_test(test_ivrs      tests/unit/test_ivrs.c      DEPS decode_ivrs)
ia_test(test_iort      tests/unit/test_iort.c      DEPS decode_iort)
ia_test(test_acpidump  tests/unit/test_acpidump.c  DEPS decode_acpidump)
ia_test(test_fdt       tests/unit/test_fdt.c       DEPS decode_fdt)
ia_test(test_topology  tests/unit/test_topology.c  DEPS model)
ia_test(test_known_answers tests/unit/test_known_answers.c DEPS reports)
