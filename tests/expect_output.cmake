# cmake -DCOMMAND=<exe;args> -DEXIT=<code|nonzero> [-DMATCH=<regex>] [-DERROR_MATCH=<regex>]
#       [-DENV=<k=v;...>] -P expect_output.cmake
# Runs COMMAND and fails unless it exits with EXIT (any code but 0 for `nonzero`) and, for each
# one given, its standard output matches MATCH and its standard error ERROR_MATCH.
foreach(kv IN LISTS ENV)
  string(FIND "${kv}" "=" eq)
  string(SUBSTRING "${kv}" 0 ${eq} key)
  math(EXPR start "${eq} + 1")
  string(SUBSTRING "${kv}" ${start} -1 value)
  set(ENV{${key}} "${value}")
endforeach()
execute_process(COMMAND ${COMMAND} RESULT_VARIABLE code OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT 120)
if(EXIT STREQUAL "nonzero")
  if(code STREQUAL "0")
    message(FATAL_ERROR "expected a failure, got exit 0\nstdout:\n${out}\nstderr:\n${err}")
  endif()
elseif(NOT code STREQUAL "${EXIT}")
  message(FATAL_ERROR "expected exit code ${EXIT}, got ${code}\nstdout:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED MATCH AND NOT out MATCHES "${MATCH}")
  message(FATAL_ERROR "stdout does not match `${MATCH}`:\n${out}\nstderr:\n${err}")
endif()
if(DEFINED ERROR_MATCH AND NOT err MATCHES "${ERROR_MATCH}")
  message(FATAL_ERROR "stderr does not match `${ERROR_MATCH}`:\n${err}")
endif()
message(STATUS "ok: exit ${code}, stdout: ${out}")
