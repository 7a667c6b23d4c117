# SPDX-License-Identifier: GPL-2.0-or-later
# `cmake --install` into a DESTDIR puts the binary, both manual pages and the JSON schemas (report, groups, rules, plan, diff) where
# they belong, the installed binary runs, and both pages render without a single groff/man warning.
# Run as: cmake -DBUILD_DIR=... -DWORK_DIR=... -P check_install.cmake
set(dest ${WORK_DIR}/destdir)
file(REMOVE_RECURSE ${dest})
execute_process(COMMAND ${CMAKE_COMMAND} -E env DESTDIR=${dest}
                        ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix /usr
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "cmake --install failed (${rc}):\n${out}\n${err}")
endif()
foreach(f sbin/iommu-audit share/man/man8/iommu-audit.8 share/man/man7/iommu-audit-rules.7
          share/iommu-audit/report.schema.json share/iommu-audit/groups.schema.json
          share/iommu-audit/rules.schema.json share/iommu-audit/plan.schema.json
          share/iommu-audit/diff.schema.json)
  if(NOT EXISTS ${dest}/usr/${f})
    message(FATAL_ERROR "not installed: /usr/${f}\n${out}")
  endif()
endforeach()
execute_process(COMMAND ${dest}/usr/sbin/iommu-audit --version RESULT_VARIABLE rc OUTPUT_VARIABLE out)
if(NOT rc EQUAL 0 OR NOT out MATCHES "^iommu-audit ")
  message(FATAL_ERROR "the installed binary does not run: ${rc} ${out}")
endif()
# The generated page names every rule the binary lists.
execute_process(COMMAND ${dest}/usr/sbin/iommu-audit rules OUTPUT_VARIABLE rules)
file(READ ${dest}/usr/share/man/man7/iommu-audit-rules.7 page)
string(REGEX MATCHALL "(^|\n)[a-z0-9]+\\.[a-z0-9.-]+" ids "${rules}")
list(LENGTH ids n)
if(n EQUAL 0)
  message(FATAL_ERROR "`iommu-audit rules` listed no rule")
endif()
foreach(id ${ids})
  string(STRIP "${id}" id)
  string(REPLACE "-" "\\-" esc "${id}")
  string(FIND "${page}" ".SS \"${esc}\"" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "rule ${id} has no section in the installed iommu-audit-rules.7")
  endif()
endforeach()
find_program(MAN man)
if(NOT MAN)
  message("skipped: man (man-db) is not installed, the pages were installed but not rendered")
  return()
endif()
foreach(page share/man/man8/iommu-audit.8 share/man/man7/iommu-audit-rules.7)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env MANWIDTH=80 ${MAN} --warnings -l ${dest}/usr/${page}
                  RESULT_VARIABLE rc OUTPUT_VARIABLE txt ERROR_VARIABLE warn)
  if(NOT rc EQUAL 0 OR NOT warn STREQUAL "" OR txt STREQUAL "")
    message(FATAL_ERROR "${page} does not render cleanly (${rc}):\n${warn}")
  endif()
endforeach()
file(REMOVE_RECURSE ${dest})
