# Sanitizer and fuzzing builds (docs/testing.md).
#
#   -DMYAPP_SANITIZE=address,undefined   every target of the project is compiled and linked
#                                        with ASan + UBSan (UBSan does not recover: the first
#                                        report aborts the process, so a test fails on it)
#   -DMYAPP_FUZZ=ON                      (Clang only) the libFuzzer targets of tests/fuzz/;
#                                        every target is compiled with coverage instrumentation
#                                        (-fsanitize=fuzzer-no-link) so the fuzzers see the core
#
# Included from the top-level CMakeLists.txt before any target is created, so that the flags
# reach every target in every subdirectory.

set(MYAPP_SANITIZE "" CACHE STRING
  "Sanitizers for every target: empty (none) or a comma-separated list of address, undefined, leak (e.g. address,undefined)")
option(MYAPP_FUZZ "Build the libFuzzer targets in tests/fuzz (Clang only)" OFF)

if(MYAPP_SANITIZE)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "GNU|Clang")
    message(FATAL_ERROR "MYAPP_SANITIZE needs GCC or Clang (compiler: ${CMAKE_CXX_COMPILER_ID})")
  endif()
  string(REPLACE "," ";" _myapp_sanitizers "${MYAPP_SANITIZE}")
  foreach(_s IN LISTS _myapp_sanitizers)
    if(NOT _s MATCHES "^(address|undefined|leak)$")
      message(FATAL_ERROR "MYAPP_SANITIZE: unknown sanitizer `${_s}` (use address,undefined)")
    endif()
  endforeach()
  set(_myapp_sanitize_flags -fsanitize=${MYAPP_SANITIZE} -fno-omit-frame-pointer)
  if("undefined" IN_LIST _myapp_sanitizers)
    list(APPEND _myapp_sanitize_flags -fno-sanitize-recover=undefined)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      # Clang 14's function-type check cannot compile coroutines ("Cannot represent a
      # difference across sections"): the rest of UBSan stays on.
      list(APPEND _myapp_sanitize_flags -fno-sanitize=function)
    endif()
  endif()
  add_compile_options(${_myapp_sanitize_flags})
  add_link_options(${_myapp_sanitize_flags})
  message(STATUS "myapp: sanitizers ${MYAPP_SANITIZE} on every target")
endif()

set(MYAPP_FUZZ_ENABLED OFF)
if(MYAPP_FUZZ)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    set(MYAPP_FUZZ_ENABLED ON)
    # Coverage feedback for libFuzzer in every target; the fuzz targets add the libFuzzer
    # runtime (and its main) with -fsanitize=fuzzer at link time.
    add_compile_options(-fsanitize=fuzzer-no-link)
    message(STATUS "myapp: libFuzzer targets enabled")
  else()
    message(WARNING "MYAPP_FUZZ needs Clang (configure with -DCMAKE_CXX_COMPILER=clang++); "
                    "the fuzz targets are not built")
  endif()
endif()
