# CTest registration. Every test runs the real binary ($<TARGET_FILE:leaklint>).
# Tests labelled "sanitize" also run in the ASan+UBSan build (tools/test).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(LL_BIN $<TARGET_FILE:leaklint>)
set(LL_SRC ${CMAKE_CURRENT_SOURCE_DIR})

# ---- reporters (text/json/sarif/github/gitlab) and merge-sarif ----
add_test(NAME reporters_golden
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_golden.py ${LL_BIN} ${LL_SRC})
set_tests_properties(reporters_golden PROPERTIES LABELS "sanitize")
add_test(NAME reporters_merge_sarif
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_merge_sarif.py ${LL_BIN} ${LL_SRC})
set_tests_properties(reporters_merge_sarif PROPERTIES LABELS "sanitize")
# SARIF validated two ways on the same logs, both from the Microsoft SARIF
# Multitool npm package (installed into the build dir by tools/setup or on
# first use, then cached): JSON Schema against the schema it ships, and its
# validator; each first rejects a schema-invalid log (negative control).
add_test(NAME reporters_sarif_validate
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_sarif_validate.py all
                 ${LL_BIN} ${LL_SRC} ${CMAKE_BINARY_DIR})
set_tests_properties(reporters_sarif_validate PROPERTIES TIMEOUT 900)

# ---- rule packs: built-in packs load, every bad pack is rejected with a
# one-line FILE: JSON-POINTER: message, config packs/models, an in-house pack ----
foreach(_mode builtin bad config extra)
  add_test(NAME rulepacks_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_rulepacks.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(rulepacks_${_mode} PROPERTIES LABELS "sanitize")
endforeach()
# extra exits 77 until the wait-without-cancel rule is registered
set_tests_properties(rulepacks_extra PROPERTIES SKIP_RETURN_CODE 77)

# ---- front end: bad input, command line, config, discovery, compile flags ----
add_test(NAME frontend_bad_input
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_bad_input.py ${LL_BIN} ${LL_SRC})
set_tests_properties(frontend_bad_input PROPERTIES LABELS "sanitize" TIMEOUT 600)

# ---- where users meet leaklint: suppressions, baseline, fixes, pre-commit ----
foreach(_mode suppress baseline fix-models action)
  add_test(NAME ux_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_ux.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(ux_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 300)
endforeach()
# --fix/--diff on every rule fixture that offers a safe fix (parses all fixture
# directories: too slow for the sanitizer pass, which runs ux_unit instead)
add_test(NAME ux_fix
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_ux.py ${LL_BIN} ${LL_SRC} fix)
set_tests_properties(ux_fix PROPERTIES TIMEOUT 600)
# C unit tests: suppression parser/scanner, fingerprints, fix/diff edge cases
add_executable(ux_unit tools/ux_unit.c)
target_compile_options(ux_unit PRIVATE ${LEAKLINT_WARNINGS})
target_compile_definitions(ux_unit PRIVATE _GNU_SOURCE)
target_link_libraries(ux_unit PRIVATE leaklint_core)
add_test(NAME ux_unit COMMAND ux_unit ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(ux_unit PROPERTIES LABELS "sanitize")
# the real `pre-commit try-repo` against this repository (committed state + changes)
add_test(NAME ux_precommit
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_precommit.py ${LL_BIN} ${LL_SRC})
set_tests_properties(ux_precommit PROPERTIES TIMEOUT 300)

# ---- rule fixtures: `// want: RULE` comments against the real binary, both ways,
# in the json, text and sarif reports (tools/check_fixtures.py) ----
# One test per rule fixture directory: testdata/ID/ for every rule ID with a
# doc (rules/docs/ID.md), found by glob (tools/new-rule makes both).
file(GLOB _ll_fixture_dirs LIST_DIRECTORIES true CONFIGURE_DEPENDS ${LL_SRC}/testdata/*)
set(_ll_fixture_rules "")
foreach(_d ${_ll_fixture_dirs})
  get_filename_component(_rule ${_d} NAME)
  if(IS_DIRECTORY ${_d} AND EXISTS ${LL_SRC}/rules/docs/${_rule}.md)
    list(APPEND _ll_fixture_rules ${_rule})
  endif()
endforeach()
foreach(_rule ${_ll_fixture_rules})
  if(NOT TEST fixtures-${_rule})
    add_test(NAME fixtures-${_rule}
             COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_fixtures.py ${LL_BIN}
                     testdata/${_rule}
             WORKING_DIRECTORY ${LL_SRC})
    # fixtures-all covers these directories too: tools/test runs them only in
    # the sanitizer pass (label per-rule is excluded from its first pass)
    set_tests_properties(fixtures-${_rule} PROPERTIES LABELS "sanitize;per-rule" TIMEOUT 600)
  endif()
endforeach()
# the real-bug reductions (docs/real-bugs.md): `// want:` marks on what the rules find,
# fixed twins silent unless marked. One run per file, as tools/realbugs measures them:
# a bug and its fixed twin define the same functions, so one run over both would be
# one program with two definitions of each
file(GLOB _ll_realbugs CONFIGURE_DEPENDS ${LL_SRC}/testdata/realbugs/*.c ${LL_SRC}/testdata/realbugs/*.cpp)
foreach(_f ${_ll_realbugs})
  get_filename_component(_n ${_f} NAME_WE)
  get_filename_component(_name ${_f} NAME)
  add_test(NAME fixtures-realbugs-${_n}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_fixtures.py ${LL_BIN} testdata/realbugs/${_name}
           WORKING_DIRECTORY ${LL_SRC})
  # not per-rule: nothing else covers these files, so they run in the first pass
  set_tests_properties(fixtures-realbugs-${_n} PROPERTIES LABELS "realbugs" TIMEOUT 120)
endforeach()
# README.md's rule table, rules/docs/ID.md and testdata/ID/ against --list-rules
add_test(NAME rules_table
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_rule_table.py ${LL_BIN} ${LL_SRC})
# a C unit test of a shared analysis: tools/NAME.c linked with the core,
# run as `NAME SRCDIR TMPDIR` (exit 77: no libclang, skipped)
function(ll_unit_test name)
  add_executable(${name} tools/${name}.c)
  target_compile_options(${name} PRIVATE ${LEAKLINT_WARNINGS})
  target_compile_definitions(${name} PRIVATE _GNU_SOURCE)
  target_link_libraries(${name} PRIVATE leaklint_core)
  add_test(NAME ${name} COMMAND ${name} ${LL_SRC} ${CMAKE_CURRENT_BINARY_DIR})
  set_tests_properties(${name} PROPERTIES LABELS "sanitize" SKIP_RETURN_CODE 77)
endfunction()
# C unit tests of the shared analyses: CFG, task fates, pass driver, IR codec round trip
ll_unit_test(pass_unit)
# C unit tests of the sync analysis: keys, writers, wakers, lock sets
ll_unit_test(sync_unit)
# library knowledge only in packs: no quoted API name in checker/checks or checker/analysis
add_test(NAME packs_no_api_names_in_c
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_api_names.py ${LL_SRC})
# `// want: RULE "regex"` message patterns in check_fixtures.py, matching and not
add_test(NAME fixtures_patterns
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_fixture_patterns.py ${LL_BIN} ${LL_SRC})
# every fixture directory at once (cross-file effects, one run); non-fixture data excluded
add_test(NAME fixtures-all
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_fixtures.py ${LL_BIN} testdata
                 --exclude testdata/golden --exclude testdata/include --exclude testdata/merge
                 --exclude testdata/rulepacks --exclude testdata/ux --exclude testdata/realbugs
         WORKING_DIRECTORY ${LL_SRC})
set_tests_properties(fixtures-all PROPERTIES TIMEOUT 900)
# libFuzzer over the config loader, rule-pack loader and suppression parser:
# builds with clang into ${CMAKE_BINARY_DIR}/fuzz (about 1 min the first time),
# then >= 100k executions over testdata/fuzz (bounded to 4 min; no .c seeds there)
add_test(NAME fuzz_inputs
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_fuzz.py ${LL_SRC} ${CMAKE_BINARY_DIR})
set_tests_properties(fuzz_inputs PROPERTIES TIMEOUT 600)

# ---- result cache, pre-parse filter, --shard (perf) ----
# cold/warm/--no-cache reports identical, damaged entries are misses, header
# edits invalidate, concurrent runs share a cache; prefilter keeps findings;
# shards partition the files.
add_test(NAME perf_cache_prefilter_shard
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_cache.py ${LL_BIN} ${LL_SRC})
set_tests_properties(perf_cache_prefilter_shard PROPERTIES LABELS "sanitize" TIMEOUT 900)
# the prefilter's later rounds: files that name only the project's own thread
# layer are parsed once it is inferred (cached and sharded runs agree)
add_test(NAME perf_prefilter_rounds
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_prefilter_rounds.py ${LL_BIN} ${LL_SRC})
set_tests_properties(perf_prefilter_rounds PROPERTIES LABELS "sanitize" TIMEOUT 300)

# ---- releases: relocatable install tree, man page, completions, .deb (cpack) ----
add_test(NAME package_install_deb
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_package.py ${LL_BIN} ${LL_SRC} ${CMAKE_BINARY_DIR})
set_tests_properties(package_install_deb PROPERTIES TIMEOUT 300)

# ---- leaklint verify (issue 15): the preload library and the driver on the
# test programs of testdata/verify/ (built into build/verify), a plain C test
# calling leaklint_verify_none(), a GoogleTest fixture, and a real program
# (/usr/bin/python3). The library and the programs are never sanitized (they
# run preloaded); in the ASan tree the driver is. ----
foreach(_mode programs none_c gtest real)
  add_test(NAME verify_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_verify.py ${LL_BIN} ${LL_SRC}
                   ${CMAKE_BINARY_DIR} ${_mode})
  set_tests_properties(verify_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 300
                       SKIP_RETURN_CODE 77)
endforeach()

# ---- hardening against hostile input (issues 14, 16): atomic output files,
# -working-directory, compile-flag sanitiser, git in an untrusted tree ----
# faultshim: LD_PRELOAD fault injection for the tests only (SIGTERM at rename)
add_library(ll_test_faultshim SHARED tools/faultshim.c)
target_link_libraries(ll_test_faultshim PRIVATE ${CMAKE_DL_LIBS})
foreach(_mode atomic workdir flags git clion packscale)
  add_test(NAME harden_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_harden.py ${LL_BIN} ${LL_SRC}
                   ${_mode} $<TARGET_FILE:ll_test_faultshim>)
  set_tests_properties(harden_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 300)
endforeach()

# ---- hostile input to the cache and the file readers (issues 14, 16):
# special files (FIFOs, /dev/zero, oversize), --clear-cache and the cache
# directory's trust, the cryptographic key, crafted IR entries ----
foreach(_mode special key clear ir json)
  add_test(NAME cache_hostile_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_cache_hostile.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(cache_hostile_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 600)
endforeach()

# ---- fresh clone, CI gates (tools/test_ux.py, tools/test_self_contained.py) ----
# nothing under tools/, testdata/, .ci/ or CMakeLists.txt reaches outside the repository
add_test(NAME ux_self_contained
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_self_contained.py ${LL_SRC})
# parse errors in every format and exit 2 unless allowed; --fix/--diff/--write-baseline
# exit codes; smaller command-line behaviour (did you mean, config JSON errors,
# CLI/config precedence, FORCE_COLOR, --list-rules --format json, cache .gitignore)
foreach(_mode gates cli)
  add_test(NAME ux_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_ux.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(ux_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 300)
endforeach()
# the report side is linear in the number of findings (fingerprints, gitlab,
# SARIF), and the SARIF run is capped at code scanning's 25,000 results
add_executable(ux_report_scale tools/ux_report_scale.c)
target_compile_options(ux_report_scale PRIVATE ${LEAKLINT_WARNINGS})
target_compile_definitions(ux_report_scale PRIVATE _GNU_SOURCE)
target_link_libraries(ux_report_scale PRIVATE leaklint_core)
add_test(NAME ux_report_scale COMMAND ux_report_scale ${CMAKE_CURRENT_BINARY_DIR})
set_tests_properties(ux_report_scale PROPERTIES LABELS "sanitize" TIMEOUT 300)
# the README's `tools/leaklint PATH` on a fresh clone of the current commit in an
# empty directory (nothing beside it): set-up, build from scratch, a finding
add_test(NAME ux_fresh_clone
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_fresh_clone.py ${LL_SRC})
set_tests_properties(ux_fresh_clone PROPERTIES TIMEOUT 900)

# deep input (issues 14, 16): no crash at any -j, the other files' findings kept
add_test(NAME frontend_deep_input
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_deep.py ${LL_BIN} ${LL_SRC})
set_tests_properties(frontend_deep_input PROPERTIES LABELS "sanitize" TIMEOUT 900)

# grammar fuzz (issue 14): 40 generated C/C++ programs (loops, gotos, switch,
# deep nesting, macros, lambdas, spawns, waits) through the whole pipeline:
# no crash, hang or sanitizer report; fresh, cold-cache and warm-cache runs agree
add_test(NAME fuzz_grammar
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/fuzz/gen_c.py check ${LL_BIN} ${LL_SRC} 40 1)
set_tests_properties(fuzz_grammar PROPERTIES LABELS "sanitize" TIMEOUT 600)

# the project root and what a report may contain, --new-from-rev, the config's
# JSON Schema, merge-sarif across roots, the pre-parse filter and missing includes
foreach(_mode root newfromrev schema mergeroots prefilter)
  add_test(NAME ux_root_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_root.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(ux_root_${_mode} PROPERTIES LABELS "sanitize" TIMEOUT 300)
endforeach()

# C unit tests of the multiplicity analysis (how often a spawn site runs)
ll_unit_test(mult_unit)
# C unit tests of the stop-path analysis (stop-cannot-wake)
ll_unit_test(stoppath_unit)
# C++ class facts of the IR: hierarchy, overrides, virtual calls, member
# initialisers, new / make_unique spawns, and their codec round trip.
ll_unit_test(class_unit)

# inferred summaries (checker/analysis/summary.c): wrappers, trampolines, timeouts
ll_unit_test(summary_unit)
# leaklint --list-tasks: spawn sites, inferred APIs, totals (text and JSON)
add_test(NAME list_tasks
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_list_tasks.py ${LL_BIN} ${LL_SRC})
# issue 10's limits on checker/: no file over 1,000 lines, no function over 120
# (tools/check_sizes.py scans function extents); its self-test proves it can fail
add_test(NAME checker_sizes
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_sizes.py ${LL_SRC})
add_test(NAME checker_sizes_selftest
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_sizes.py --self-test)
# tools/new-rule's three files build in a copy of the tree (-Werror), the summary comes
# from the doc, and a missing or malformed doc fails the build with its file named
add_test(NAME new_rule
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_new_rule.py ${LL_SRC})
set_tests_properties(new_rule PROPERTIES TIMEOUT 900)


# the hash table (checker/util/ptrmap.c) and the table-driven IR codec (checker/ir/ircodec.c)
add_executable(ptrmap_unit tools/ptrmap_unit.c)
target_compile_options(ptrmap_unit PRIVATE ${LEAKLINT_WARNINGS})
target_compile_definitions(ptrmap_unit PRIVATE _GNU_SOURCE)
target_link_libraries(ptrmap_unit PRIVATE leaklint_core)
add_test(NAME ptrmap_unit COMMAND ptrmap_unit)
set_tests_properties(ptrmap_unit PROPERTIES LABELS "sanitize")


# tools/bench (issue 13, honest numbers): commands interleaved round by round,
# ratios = medians of the per-pair ratios, machine and date named, A/B pairs
add_test(NAME ux_bench
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_bench.py ${LL_BIN} ${LL_SRC})
set_tests_properties(ux_bench PROPERTIES TIMEOUT 600)
# the fresh-clone test now also runs the README's `tools/test` (a smoke run) in the clone
set_tests_properties(ux_fresh_clone PROPERTIES TIMEOUT 1800)
# every CMake build type links (Debug, Release and MinSizeRel inline less than
# RelWithDebInfo: a library missing from the link line shows only there)
add_test(NAME package_build_types
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_build_types.py ${LL_SRC})
set_tests_properties(package_build_types PROPERTIES TIMEOUT 2400)
# the rule packs' JSON Schema (docs/rulepack.schema.json) against the packs and leaklint's loader
add_test(NAME ux_root_packschema
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_root.py ${LL_BIN} ${LL_SRC} packschema)
set_tests_properties(ux_root_packschema PROPERTIES LABELS "sanitize" TIMEOUT 300)
