include(CMakePackageConfigHelpers)

install(DIRECTORY framework/core/include/myapp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
set(myapp_install_targets myapp_core)
if(MYAPP_BUILD_RUNTIME)
  install(DIRECTORY framework/runtime/include/myapp DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
  list(APPEND myapp_install_targets myapp_runtime)
  install(FILES cmake/myapp_add_app.cmake DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/myapp)
endif()
install(TARGETS ${myapp_install_targets} EXPORT myappTargets
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(EXPORT myappTargets NAMESPACE myapp:: DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/myapp)

# The JS client, for bundlers and for reading.
install(DIRECTORY runtime-js/ DESTINATION ${CMAKE_INSTALL_DATADIR}/myapp/runtime-js
  PATTERN node_modules EXCLUDE)

configure_package_config_file(cmake/myappConfig.cmake.in
  "${PROJECT_BINARY_DIR}/myappConfig.cmake"
  INSTALL_DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/myapp)
write_basic_package_version_file("${PROJECT_BINARY_DIR}/myappConfigVersion.cmake"
  COMPATIBILITY SameMinorVersion)
install(FILES "${PROJECT_BINARY_DIR}/myappConfig.cmake" "${PROJECT_BINARY_DIR}/myappConfigVersion.cmake"
  DESTINATION ${CMAKE_INSTALL_LIBDIR}/cmake/myapp)

# The JSON schema of myapp.conf.json, for editors ("$schema") and tools.
install(FILES schemas/myapp.conf.schema.json schemas/capability.schema.json
              schemas/permissions.schema.json
        DESTINATION ${CMAKE_INSTALL_DATADIR}/myapp/schemas)
