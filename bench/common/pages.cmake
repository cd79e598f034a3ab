# myapp_bench_pages(<target> TITLE <title> TEXT <html> NAIVE_PREFIX </prefix>
#                   NAIVE_TITLE <title> NAIVE_TEXT <html> QWEBCHANNEL_JS <url> [PAGE_DIR <dir>])
#
# The two pages of a page benchmark (bench/ipc, bench/bytes), compiled into <target> as Qt
# resources. Both run the suite's scenarios, page/bench.js, on bench/common/page/harness.js:
# - myapp's page at :/myapp/frontend (myapp://localhost/index.html), over window.__MYAPP__;
# - the naive page at :<NAIVE_PREFIX>, over the suite's page/naive.js on naive_channel.js, with
#   Qt's qwebchannel.js loaded from QWEBCHANNEL_JS.
# The suite's page folder is <source dir>/page unless PAGE_DIR names another suite's.
# Each index.html is made from bench/common/page/index.html.in in the build tree.
function(myapp_bench_pages target)
  cmake_parse_arguments(PARSE_ARGV 1 arg ""
    "TITLE;TEXT;NAIVE_PREFIX;NAIVE_TITLE;NAIVE_TEXT;QWEBCHANNEL_JS;PAGE_DIR" "")
  foreach(required IN ITEMS TITLE TEXT NAIVE_PREFIX NAIVE_TITLE NAIVE_TEXT QWEBCHANNEL_JS)
    if(NOT arg_${required})
      message(FATAL_ERROR "myapp_bench_pages(${target}): ${required} is required")
    endif()
  endforeach()
  set(common "${CMAKE_CURRENT_FUNCTION_LIST_DIR}/page")
  set(suite "${CMAKE_CURRENT_SOURCE_DIR}/page")
  if(arg_PAGE_DIR)
    set(suite "${arg_PAGE_DIR}")
  endif()
  set(out "${CMAKE_CURRENT_BINARY_DIR}/pages")

  _myapp_bench_page_html("${out}/myapp/index.html" "${arg_TITLE}" "${arg_TEXT}"
    harness.js bench.js)
  _myapp_bench_page_html("${out}/naive/index.html" "${arg_NAIVE_TITLE}" "${arg_NAIVE_TEXT}"
    "${arg_QWEBCHANNEL_JS}" harness.js bench.js naive_channel.js naive.js)

  foreach(file IN ITEMS "${out}/myapp/index.html" "${out}/naive/index.html" "${common}/harness.js"
                        "${common}/naive_channel.js" "${suite}/bench.js" "${suite}/naive.js")
    get_filename_component(name "${file}" NAME)
    set_source_files_properties("${file}" PROPERTIES QT_RESOURCE_ALIAS "${name}")
  endforeach()
  qt_add_resources(${target} "${target}_frontend"
    PREFIX "/myapp/frontend"
    FILES "${out}/myapp/index.html" "${common}/harness.js" "${suite}/bench.js")
  qt_add_resources(${target} "${target}_naive"
    PREFIX "${arg_NAIVE_PREFIX}"
    FILES "${out}/naive/index.html" "${common}/harness.js" "${common}/naive_channel.js"
          "${suite}/bench.js" "${suite}/naive.js")
endfunction()

# Writes <file> from index.html.in: the title, the text, and one <script> per source.
function(_myapp_bench_page_html file title text)
  set(page_title "${title}")
  set(page_text "${text}")
  set(page_scripts "")
  foreach(src IN LISTS ARGN)
    string(APPEND page_scripts "  <script src=\"${src}\"></script>\n")
  endforeach()
  string(REGEX REPLACE "\n$" "" page_scripts "${page_scripts}")
  configure_file("${CMAKE_CURRENT_FUNCTION_LIST_DIR}/page/index.html.in" "${file}" @ONLY)
endfunction()
