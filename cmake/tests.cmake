# SPDX-License-Identifier: GPL-2.0-or-later
# One line per test executable; a test whose source or module is absent is skipped.
ia_test(test_core      tests/unit/test_core.c      DEPS core capture)
ia_test(test_db        tests/unit/test_db.c        DEPS core)
ia_test(test_helpers   tests/unit/test_helpers.c   DEPS core)
ia_test(test_collect   tests/unit/test_collect.c   DEPS collectors)
ia_test(test_host_use  tests/unit/test_host_use.c  DEPS collectors capture)
ia_test(test_pcicfg    tests/unit/test_pcicfg.c    DEPS decode_pcicfg)
ia_test(test_sysfs     tests/unit/test_sysfs.c     DEPS decode_sysfs)
ia_test(test_kversion  tests/unit/test_kversion.c  DEPS decode_kversion)
ia_test(test_kernel_behaviour tests/unit/test_kernel_behaviour.c DEPS topology)
ia_test(test_kernel_rows tests/unit/test_kernel_rows.c DEPS topology)
ia_test(test_acpi      tests/unit/test_acpi.c      DEPS decode_acpi)
ia_test(test_dmar      tests/unit/test_dmar.c      DEPS decode_dmar)
ia_test(test_ivrs      tests/unit/test_ivrs.c      DEPS decode_ivrs)
ia_test(test_iort      tests/unit/test_iort.c      DEPS decode_iort)
ia_test(test_acpidump  tests/unit/test_acpidump.c  DEPS decode_acpidump)
ia_test(test_fdt       tests/unit/test_fdt.c       DEPS decode_fdt)
ia_test(test_decode_kernel tests/unit/test_decode_kernel.c DEPS decode_kernel)
ia_test(test_topology  tests/unit/test_topology.c  DEPS topology)
ia_test(test_known_answers tests/unit/test_known_answers.c DEPS reports)
ia_test(test_firmware tests/unit/test_firmware.c DEPS reports)
ia_test(test_rules tests/unit/test_rules.c DEPS reports)
ia_test(test_pcihex     tests/unit/test_pcihex.c     DEPS reports)
ia_test(test_policy    tests/unit/test_policy.c    DEPS rules reports)
ia_test(test_plan      tests/unit/test_plan.c      DEPS cli reports)
ia_test(test_plan_host tests/unit/test_plan_host.c DEPS cli reports)
ia_test(test_diff      tests/unit/test_diff.c      DEPS cli reports)
ia_test(test_reports    tests/unit/test_reports.c    DEPS reports)
ia_test(test_names      tests/unit/test_names.c      DEPS reports)
ia_test(test_inputs     tests/unit/test_inputs.c     DEPS reports)
ia_test(test_cli        tests/unit/test_cli.c        DEPS reports)
ia_test(test_load       tests/unit/test_load.c       DEPS reports)
# Fleet outputs (issue 15): --also, audit --db --force, Prometheus metrics, verdicts in the database.
ia_test(test_fleet      tests/unit/test_fleet.c      DEPS reports)
# Rule unit tests on models built in memory (tests/unit/model_build.c): no SQLite, no capture.
if(TARGET ia_rules)
  add_library(ia_model_build STATIC tests/unit/model_build.c)
  target_include_directories(ia_model_build PRIVATE ${CMOCKA_INCLUDE_DIR} ${CMAKE_CURRENT_SOURCE_DIR}/tests/unit)
  target_link_libraries(ia_model_build PUBLIC ia_model ia_decode_sysfs ia_decode_kernel)
endif()
ia_test(test_rule_units tests/unit/test_rule_units.c DEPS rules model_build reports cli)
ia_test(test_when_enabled tests/unit/test_when_enabled.c DEPS model_build rules reports)
ia_test(test_kernel_state tests/unit/test_kernel_state.c DEPS rules reports model_build)
ia_test(test_fleet_units tests/unit/test_fleet_units.c DEPS rules reports model_build cli)
# Prometheus metrics end to end (issue 15): promtool check metrics on every known-answer case, the
# series against the JSON report, and a real prometheus-node-exporter serving them (127.0.0.1).
add_test(NAME fleet_metrics COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/fleet_metrics.py
         --bin $<TARGET_FILE:iommu-audit> --source ${CMAKE_CURRENT_SOURCE_DIR} --shared ${IA_SHARED_DIR})
set_tests_properties(fleet_metrics PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
# The verdict tables in SQL (issue 15): contrib/osquery's ATC queries and docs/fleet.md's fleet
# questions, each run on databases written by `iommu-audit --db` from known-answer captures.
add_test(NAME fleet_sql COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/fleet_sql.py
         --bin $<TARGET_FILE:iommu-audit> --source ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(fleet_sql PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
# Every report format of every known-answer capture (and edited copies, and the live host) against
# reports/report.schema.json and tests/schemas/junit-10.xsd; Debian's python3 with python3-jsonschema.
add_test(NAME validate_reports COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/validate_reports.py
         --bin $<TARGET_FILE:iommu-audit> --source ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(validate_reports PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)
# `cmake --install` into a DESTDIR: binary, both manual pages (rendered without warnings), JSON schema.
add_test(NAME install_destdir COMMAND ${CMAKE_COMMAND} -DBUILD_DIR=${CMAKE_CURRENT_BINARY_DIR}
         -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/test-install -P ${CMAKE_CURRENT_SOURCE_DIR}/tests/check_install.cmake)
set_tests_properties(install_destdir PROPERTIES TIMEOUT 120)

# ia-gen-tree end to end (tools/): a 256-function synthetic host, audited; groups equal the prediction.
add_test(NAME test_gen_tree COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/unit/test_gen_tree.sh
         $<TARGET_FILE:ia-gen-tree> $<TARGET_FILE:iommu-audit> ${CMAKE_CURRENT_BINARY_DIR}/gen-tree-test)
set_tests_properties(test_gen_tree PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 60)
ia_test(test_hostile    tests/unit/test_hostile.c   DEPS core capture decode_ivrs decode_fdt)
ia_test(test_faults     tests/unit/test_faults.c    DEPS reports)

# Read-only guarantee (issue 6): the live audit and snapshot under strace write nothing outside their output.
add_test(NAME test_readonly COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/readonly.sh
         $<TARGET_FILE:iommu-audit> ${CMAKE_CURRENT_BINARY_DIR}/readonly-test)
set_tests_properties(test_readonly PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)

# One valgrind pass over fixture replays (issue 6); skipped in sanitizer builds.
add_test(NAME test_valgrind COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/valgrind.sh $<TARGET_FILE:iommu-audit>
         ${CMAKE_CURRENT_SOURCE_DIR}/tests/fixtures/kernel-known-answers ${CMAKE_CURRENT_BINARY_DIR}/valgrind-test
         "${IA_SANITIZE}")
set_tests_properties(test_valgrind PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300)

# Reports byte for byte against tests/golden/ (issue 16): every known-answer capture and the
# benchmark's 4,096-function tree, in every format, plus `groups` and `groups --predicted`.
add_test(NAME test_golden_reports COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/golden/reports.sh check
         $<TARGET_FILE:iommu-audit> $<TARGET_FILE:ia-gen-tree> ${CMAKE_CURRENT_SOURCE_DIR} ${IA_SHARED_DIR}
         ${CMAKE_CURRENT_BINARY_DIR}/golden-test)
set_tests_properties(test_golden_reports PROPERTIES TIMEOUT 900)

# The include graph points down only (src/core -> decode -> collectors -> model -> rules -> reports -> cli).
add_test(NAME test_layers COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/layers.py ${CMAKE_CURRENT_SOURCE_DIR})

# Live config reads (issue 18 item 1): the sparse read's facts equal a whole read's.
add_test(NAME test_live_config COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/live_config.sh
         $<TARGET_FILE:iommu-audit> ${CMAKE_CURRENT_BINARY_DIR}/live-config-test)
set_tests_properties(test_live_config PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120)
ia_test(test_select      tests/unit/test_select.c      DEPS cli model_build reports)
ia_test(test_rootfiles  tests/unit/test_rootfiles.c DEPS core capture)
ia_test(test_fsroot_race tests/unit/test_fsroot_race.c DEPS core)
target_link_libraries(test_fsroot_race PRIVATE Threads::Threads)
ia_test(test_membound   tests/unit/test_membound.c  DEPS core capture decode_dmar decode_acpidump)
ia_test(test_identity   tests/unit/test_identity.c   DEPS reports)

# The Debian package (issue 15): built from a copy of the tree, lintian-clean, installed (dpkg -i as
# root on a machine without it, else dpkg -x into a scratch root), its systemd units verified and
# scored, the service's ExecStart= lines run on a known-answer capture, then removed.
# It builds its own binary from the source: not registered in a sanitizer build (./run.sh test's second pass).
if(NOT IA_SANITIZE)
  add_test(NAME test_deb COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/package/deb.sh ${CMAKE_CURRENT_SOURCE_DIR}
           ${IA_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/deb-test)
  set_tests_properties(test_deb PROPERTIES TIMEOUT 600 RUN_SERIAL TRUE)
endif()
# The bash completion offers exactly the commands, options and formats the binary takes.
add_test(NAME test_bash_completion COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/tests/package/check_completion.py
         --bin $<TARGET_FILE:iommu-audit> --source ${CMAKE_CURRENT_SOURCE_DIR})
set_tests_properties(test_bash_completion PROPERTIES TIMEOUT 300)
ia_test(test_start      tests/unit/test_start.c      DEPS collectors)

# --snapshot replayed from memory (issue 18 item 3): every known-answer capture's reports equal
# those of --root on the same tree unpacked, and the replay writes nothing under $TMPDIR.
add_test(NAME test_replay_same COMMAND sh ${CMAKE_CURRENT_SOURCE_DIR}/tests/replay_same.sh
         $<TARGET_FILE:iommu-audit> ${CMAKE_CURRENT_SOURCE_DIR} ${IA_SHARED_DIR} ${CMAKE_CURRENT_BINARY_DIR}/replay-same-test)
set_tests_properties(test_replay_same PROPERTIES TIMEOUT 600)
