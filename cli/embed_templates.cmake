# cmake -DROOT=<templates dir> -DOUTPUT=<file.cpp> -P embed_templates.cmake
# Writes a C++ source holding every file under ROOT (templates/<template>/<path>) as bytes:
# `myapp::cli::TEMPLATE_FILES`, a table of {template, path, content}.
file(GLOB_RECURSE files LIST_DIRECTORIES false RELATIVE "${ROOT}" "${ROOT}/*")
list(SORT files)
set(body "")
set(count 0)
foreach(rel IN LISTS files)
  string(FIND "${rel}" "/" slash)
  if(slash EQUAL -1)
    continue()  # files directly in templates/ belong to no template
  endif()
  string(SUBSTRING "${rel}" 0 ${slash} template)
  math(EXPR rest "${slash} + 1")
  string(SUBSTRING "${rel}" ${rest} -1 path)
  file(READ "${ROOT}/${rel}" hex HEX)
  string(LENGTH "${hex}" hex_length)
  math(EXPR size "${hex_length} / 2")
  # Every byte as a hex escape: any content, no delimiter to clash with.
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "\\\\x\\1" escaped "${hex}")
  string(APPEND body "  {\"${template}\", \"${path}\", std::string_view(\n    \"${escaped}\", ${size})},\n")
  math(EXPR count "${count} + 1")
endforeach()
file(WRITE "${OUTPUT}.tmp"
  "// Generated from templates/ by cli/embed_templates.cmake. Do not edit.\n"
  "#include \"templates.hpp\"\n\n"
  "namespace myapp::cli {\n"
  "const template_file TEMPLATE_FILES[] = {\n${body}};\n"
  "const std::size_t TEMPLATE_FILE_COUNT = ${count};\n"
  "}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
