# cmake -DSOURCE_BUILD=<build dir> -DWORK=<scratch dir> -DSOURCE=<this dir> -P run.cmake
# Installs the framework into WORK/prefix, builds this project against it, and smoke-tests it.
file(REMOVE_RECURSE "${WORK}")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${SOURCE_BUILD}" --prefix "${WORK}/prefix"
                OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SOURCE}" -B "${WORK}/build" -G Ninja
                        -DCMAKE_BUILD_TYPE=Release "-DCMAKE_PREFIX_PATH=${WORK}/prefix"
                OUTPUT_QUIET COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND ${CMAKE_COMMAND} --build "${WORK}/build" COMMAND_ERROR_IS_FATAL ANY)
set(ENV{MYAPP_SMOKE_TEST} 1)
execute_process(COMMAND "${WORK}/build/hello" OUTPUT_VARIABLE out RESULT_VARIABLE code
                TIMEOUT 120)
if(NOT code EQUAL 0 OR NOT out MATCHES "myapp: smoke ok")
  message(FATAL_ERROR "the README's app failed its smoke check (exit ${code}): ${out}")
endif()
message(STATUS "${out}")
