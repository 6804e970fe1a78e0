# CTest registration. Every test runs the real binary ($<TARGET_FILE:leaklint>).
# Tests labelled "sanitize" also run in the ASan+UBSan build (tools/test).
find_package(Python3 REQUIRED COMPONENTS Interpreter)
set(LL_BIN $<TARGET_FILE:leaklint>)
set(LL_SRC ${CMAKE_CURRENT_SOURCE_DIR})
