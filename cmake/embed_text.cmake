# cmake -DINPUT=<file>[;<file>...] -DOUTPUT=<file.cpp> -DNAMESPACE=<ns> -DSYMBOL=<name> -DHEADER=<header> -P embed_text.cmake
# Writes a C++ source defining `const std::string_view <ns>::<name>` holding the text of the
# INPUT files, joined in their order.
set(content "")
foreach(input IN LISTS INPUT)
  file(READ "${input}" part)
  string(APPEND content "${part}")
endforeach()
set(delim "MYAPP_EMBED")
string(FIND "${content}" ")${delim}\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )${delim}\"")
endif()
list(JOIN INPUT " " sources)
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${sources}. Do not edit.\n"
  "#include \"${HEADER}\"\n\n"
  "namespace ${NAMESPACE} {\n"
  "const std::string_view ${SYMBOL} = R\"${delim}(${content})${delim}\";\n"
  "}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
