# myapp_add_app(<target> SOURCES <files...> [FRONTEND <dir>])
#
# Builds a myapp application: an executable linked to myapp::runtime with the files under
# FRONTEND compiled in (Qt resources, under :/myapp/frontend) and served from
# myapp://localhost/.
function(myapp_add_app target)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "FRONTEND" "SOURCES")
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
