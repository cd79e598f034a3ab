# myapp_add_app(<target> SOURCES <files...> [FRONTEND <dir>] [CONFIG <file>]
#               [CAPABILITIES <dir>])
#
# Builds a myapp application: an executable linked to myapp::runtime with the files under
# FRONTEND compiled in (Qt resources, under :/myapp/frontend) and served from
# myapp://localhost/. CONFIG (myapp.conf.json) is compiled in at :/myapp/myapp.conf.json: an
# app that declares no window in code creates the windows it lists. Every *.json under
# CAPABILITIES is compiled in at :/myapp/capabilities/<name>.json, and, when a `permissions`
# folder sits beside it, every *.json there at :/myapp/permissions/<name>.json.
function(myapp_add_app target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "FRONTEND;CONFIG;CAPABILITIES" "SOURCES")
  if(arg_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "myapp_add_app(${target}): unknown arguments: ${arg_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT arg_SOURCES)
    message(FATAL_ERROR "myapp_add_app(${target}): SOURCES is required")
  endif()
  add_executable(${target} ${arg_SOURCES})
  target_link_libraries(${target} PRIVATE myapp::runtime)
  if(arg_FRONTEND)
    myapp_add_frontend(${target} "${arg_FRONTEND}")
  endif()
  _myapp_add_app_config(${target} "${arg_CONFIG}" "${arg_CAPABILITIES}")
endfunction()

# _myapp_add_app_config(<target> <config file or ""> <capabilities dir or "">): the CONFIG and
# CAPABILITIES parts of myapp_add_app.
function(_myapp_add_app_config target config_file caps_dir)
  if(config_file)
    get_filename_component(config "${config_file}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT EXISTS "${config}" OR IS_DIRECTORY "${config}")
      message(FATAL_ERROR "myapp_add_app(${target}): CONFIG ${config} is not a file")
    endif()
    get_filename_component(config_dir "${config}" DIRECTORY)
    set_source_files_properties("${config}" PROPERTIES QT_RESOURCE_ALIAS "myapp.conf.json")
    qt_add_resources(${target} "${target}_config"
      PREFIX "/myapp"
      BASE "${config_dir}"
      FILES "${config}")
  endif()
  if(caps_dir)
    get_filename_component(caps "${caps_dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
    if(NOT IS_DIRECTORY "${caps}")
      message(FATAL_ERROR "myapp_add_app(${target}): CAPABILITIES ${caps} is not a directory")
    endif()
    _myapp_add_json_dir(${target} "${caps}" "/myapp/capabilities" "${target}_capabilities")
    get_filename_component(caps_parent "${caps}" DIRECTORY)
    if(IS_DIRECTORY "${caps_parent}/permissions")
      _myapp_add_json_dir(${target} "${caps_parent}/permissions" "/myapp/permissions"
                          "${target}_permissions")
    endif()
  endif()
endfunction()

# Compiles every *.json under <dir> into <target> at <prefix>/<name>.json.
function(_myapp_add_json_dir target dir prefix resource_name)
  file(GLOB_RECURSE files CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*.json")
  if(NOT files)
    return()
  endif()
  foreach(f IN LISTS files)
    get_filename_component(name "${f}" NAME)
    set_source_files_properties("${f}" PROPERTIES QT_RESOURCE_ALIAS "${name}")
  endforeach()
  qt_add_resources(${target} "${resource_name}" PREFIX "${prefix}" FILES ${files})
endfunction()

# myapp_add_frontend(<target> <dir>): compiles every file under <dir> into <target> as Qt
# resources under :/myapp/frontend (the app scheme's root).
function(myapp_add_frontend target dir)
  get_filename_component(dir "${dir}" ABSOLUTE BASE_DIR "${CMAKE_CURRENT_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${dir}")
    message(FATAL_ERROR "myapp_add_frontend(${target}): ${dir} is not a directory")
  endif()
  file(GLOB_RECURSE files CONFIGURE_DEPENDS LIST_DIRECTORIES false "${dir}/*")
  if(NOT files)
    message(FATAL_ERROR "myapp_add_frontend(${target}): ${dir} holds no files")
  endif()
  qt_add_resources(${target} "${target}_frontend"
    PREFIX "/myapp/frontend"
    BASE "${dir}"
    FILES ${files})
endfunction()
