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
# JSON-Schema check against ${LL_SRC}/../shared/sarif/sarif-schema-2.1.0.json
add_test(NAME reporters_sarif_schema
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_sarif_validate.py schema
                 ${LL_BIN} ${LL_SRC} ${CMAKE_BINARY_DIR})
# Microsoft SARIF Multitool (npm, installed into the build dir on first use)
add_test(NAME reporters_sarif_multitool
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_sarif_validate.py multitool
                 ${LL_BIN} ${LL_SRC} ${CMAKE_BINARY_DIR})
set_tests_properties(reporters_sarif_multitool PROPERTIES TIMEOUT 600)

# ---- rule packs: built-in packs load, every bad pack is rejected with a
# one-line FILE: JSON-POINTER: message, config packs/models, an in-house pack ----
foreach(_mode builtin bad config extra)
  add_test(NAME rulepacks_${_mode}
           COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/test_rulepacks.py ${LL_BIN} ${LL_SRC} ${_mode})
  set_tests_properties(rulepacks_${_mode} PROPERTIES LABELS "sanitize")
endforeach()
# extra exits 77 until the wait-without-cancel rule is registered
set_tests_properties(rulepacks_extra PROPERTIES SKIP_RETURN_CODE 77)

# ---- channel rules: every fixture's `// want:` lines, both ways ----
add_test(NAME fixtures-unbuffered-send
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_fixtures.py ${LL_BIN} testdata/unbuffered-send
         WORKING_DIRECTORY ${LL_SRC})
set_tests_properties(fixtures-unbuffered-send PROPERTIES LABELS "sanitize" TIMEOUT 900)
add_test(NAME fixtures-unbuffered-recv
         COMMAND ${Python3_EXECUTABLE} ${LL_SRC}/tools/check_fixtures.py ${LL_BIN} testdata/unbuffered-recv
         WORKING_DIRECTORY ${LL_SRC})
set_tests_properties(fixtures-unbuffered-recv PROPERTIES LABELS "sanitize" TIMEOUT 900)
