# cmake -DLIST=<api.list> -DDIR=<runtime-js/src/api> -DOUTPUT=<file.cpp> [-DJS_OUTPUT=<file.js>]
#       -P bundle_api.cmake
#
# From the modules of @myapp/api, named in LIST in dependency order, writes a C++ source
# defining (see framework/runtime/src/api_modules.hpp):
#   - myapp::runtime::api_module(file): the text of each module, which the app scheme serves
#     at /__myapp/api/<module>.js;
#   - myapp::runtime::API_NAMESPACES: a JavaScript function expression,
#     `function (__myapp_client) { ... return {core, event, ...}; }`, that evaluates the modules
#     with a namespace (and those they import) as plain scripts and returns their exports by
#     namespace. The page client calls it to add `__MYAPP__.core`, `__MYAPP__.event`, ...
# JS_OUTPUT, when given, also receives that function's text (the tests load it).
#
# Each module becomes a function scope. The modules keep to the forms this step understands,
# and it stops with an error at any other `import` or `export` line:
#   import { a, b as c } from './x.js';       export function|async function|class|const|let n
#   export { a, b as c };                     export { a, b as c } from './x.js';
#   export * as ns from './x.js';
set(ident "[A-Za-z_$][A-Za-z0-9_$]*")
set(mod "'\\./([A-Za-z0-9_]+)\\.js'")

# "a, b as c" as the members of a destructuring pattern (`a, b: c`, for imports) or of an
# object literal (`a, c: b`, for exports).
function(_api_names text mode out)
  string(REPLACE "," ";" items "${text}")
  set(result "")
  foreach(item IN LISTS items)
    string(STRIP "${item}" item)
    if(item STREQUAL "")
      continue()
    endif()
    if(item MATCHES "^(${ident}) +as +(${ident})$")
      if(mode STREQUAL "import")
        list(APPEND result "${CMAKE_MATCH_1}: ${CMAKE_MATCH_2}")
      else()
        list(APPEND result "${CMAKE_MATCH_2}: ${CMAKE_MATCH_1}")
      endif()
    elseif(item MATCHES "^${ident}$")
      list(APPEND result "${item}")
    else()
      message(FATAL_ERROR "bundle_api: cannot read `${item}` in an import or export list")
    endif()
  endforeach()
  list(JOIN result ", " joined)
  set(${out} "${joined}" PARENT_SCOPE)
endfunction()

# The module `name` as a function scope assigning its exports to __m.<name>.
function(_api_module name out)
  file(READ "${DIR}/${name}.js" body)
  set(body "\n${body}")
  set(exports "")
  # import { ... } from './x.js', and export { ... } from './x.js', which also exports them.
  string(REGEX MATCHALL "\n(import|export) \\{[^}]*\\} from ${mod}" found "${body}")
  foreach(s IN LISTS found)
    string(REGEX MATCH "\n(import|export) \\{([^}]*)\\} from ${mod}" _ "${s}")
    set(statement "${CMAKE_MATCH_1}")
    set(listed_names "${CMAKE_MATCH_2}")
    set(from "${CMAKE_MATCH_3}")
    _api_names("${listed_names}" import names)
    string(REPLACE "${s}" "\nconst { ${names} } = __m.${from}" body "${body}")
    if(statement STREQUAL "export")
      _api_names("${listed_names}" export listed)
      list(APPEND exports "${listed}")
    endif()
  endforeach()
  # export * as ns from './x.js';
  string(REGEX MATCHALL "\nexport \\* as ${ident} from ${mod}" found "${body}")
  foreach(s IN LISTS found)
    string(REGEX MATCH "\nexport \\* as (${ident}) from ${mod}" _ "${s}")
    string(REPLACE "${s}" "\nconst ${CMAKE_MATCH_1} = __m.${CMAKE_MATCH_2}" body "${body}")
    list(APPEND exports "${CMAKE_MATCH_1}")
  endforeach()
  # export { ... };
  string(REGEX MATCHALL "\nexport \\{[^}]*\\}" found "${body}")
  foreach(s IN LISTS found)
    string(REGEX MATCH "\nexport \\{([^}]*)\\}" _ "${s}")
    _api_names("${CMAKE_MATCH_1}" export listed)
    string(REPLACE "${s}" "" body "${body}")
    list(APPEND exports "${listed}")
  endforeach()
  # export <declaration>
  string(REGEX MATCHALL "\nexport (async function|function|class|const|let) ${ident}" found "${body}")
  foreach(s IN LISTS found)
    string(REGEX MATCH "(${ident})$" _ "${s}")
    list(APPEND exports "${CMAKE_MATCH_1}")
  endforeach()
  string(REGEX REPLACE "\nexport (async function|function|class|const|let) " "\n\\1 " body "${body}")
  string(REGEX MATCH "\n(import|export)[^\n]*" left "${body}")
  if(left)
    string(STRIP "${left}" left)
    message(FATAL_ERROR "bundle_api: ${DIR}/${name}.js: unsupported form: ${left}")
  endif()
  list(JOIN exports ", " exported)
  set(${out} "__m.${name} = (function () {\n'use strict';${body}\nreturn Object.freeze({ ${exported} });\n})();\n" PARENT_SCOPE)
endfunction()

# The raw string literal of `text` for C++.
function(_api_literal text out)
  set(delim "MYAPP_EMBED")
  string(FIND "${text}" ")${delim}\"" clash)
  if(NOT clash EQUAL -1)
    message(FATAL_ERROR "bundle_api: a module contains the raw-string delimiter )${delim}\"")
  endif()
  set(${out} "R\"${delim}(${text})${delim}\"" PARENT_SCOPE)
endfunction()

file(READ "${LIST}" list_text)
string(REPLACE ";" "" list_text "${list_text}")  # only comments may hold one
string(REPLACE "\n" ";" lines "${list_text}")
set(bundle "")
set(namespaces "")
set(table "")
foreach(line IN LISTS lines)
  if(line MATCHES "^#" OR line MATCHES "^[ \t]*$")
    continue()
  endif()
  if(NOT line MATCHES "^([A-Za-z0-9_]+)[ \t]+([A-Za-z0-9_]+|-)[ \t]*$")
    message(FATAL_ERROR "bundle_api: ${LIST}: cannot read the line `${line}`")
  endif()
  set(name "${CMAKE_MATCH_1}")
  set(space "${CMAKE_MATCH_2}")
  file(READ "${DIR}/${name}.js" text)
  _api_literal("${text}" literal)
  string(APPEND table "    {\"${name}.js\", ${literal}},\n")
  if(space STREQUAL "served")
    continue()
  endif()
  _api_module(${name} scope)
  string(APPEND bundle "${scope}")
  if(NOT space STREQUAL "-")
    list(APPEND namespaces "${space}: __m.${name}")
  endif()
endforeach()
list(JOIN namespaces ", " returned)
set(js "function (__myapp_client) {\n'use strict';\nconst __m = {};\n${bundle}return { ${returned} };\n}")
_api_literal("${js}" js_literal)

file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${LIST} by cmake/bundle_api.cmake. Do not edit.\n"
  "#include \"api_modules.hpp\"\n\n"
  "#include <array>\n"
  "#include <utility>\n\n"
  "namespace myapp::runtime {\n\n"
  "namespace {\n"
  "const std::pair<std::string_view, std::string_view> MODULES[] = {\n${table}};\n"
  "}  // namespace\n\n"
  "std::optional<std::string_view> api_module(std::string_view file) {\n"
  "  for (const auto& [name, text] : MODULES) {\n"
  "    if (name == file) return text;\n"
  "  }\n"
  "  return std::nullopt;\n"
  "}\n\n"
  "const std::string_view API_NAMESPACES = ${js_literal};\n\n"
  "}  // namespace myapp::runtime\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
if(JS_OUTPUT)
  file(WRITE "${JS_OUTPUT}" "${js}\n")
endif()
