# Writes the list of crm.h's functions that have out-parameters (arguments
# named out or out_*, crm.h "Conventions") as a C header, for the table-driven
# test capi_test_outparams.c: a function declared with out-parameters but
# missing from the test's table fails the test.
#   cmake -DHEADER=crm.h -DOUT=capi_outparams.h -P gen_outparams.cmake
cmake_minimum_required(VERSION 3.20)

file(READ ${HEADER} text)
# Comments may hold parentheses and semicolons: drop them before parsing.
string(REGEX REPLACE "/\\*([^*]|\\*+[^*/])*\\*+/" "" text "${text}")
string(REGEX REPLACE "\n[ \t]*#[^\n]*" "\n" text "${text}")  # and preprocessor lines
string(REPLACE "[" "<lb>" text "${text}")
string(REPLACE "]" "<rb>" text "${text}")
# (each match ends in the ";" that CMake then takes as the list separator)
string(REGEX MATCHALL "CRM_API[^;{}]*\\)[ \t\r\n]*;" decls "${text}")

set(body "")
set(n 0)
set(n_out 0)
foreach(d IN LISTS decls)
  if(d STREQUAL "")
    continue()
  endif()
  string(REGEX REPLACE "[\r\n\t ]+" " " d "${d}")
  if(NOT d MATCHES "[ *](crm_[a-z0-9_]+) ?\\((.*)\\) ?;?$")
    message(FATAL_ERROR "cannot parse the declaration: ${d}")
  endif()
  set(name "${CMAKE_MATCH_1}")
  set(params "${CMAKE_MATCH_2}")
  math(EXPR n "${n} + 1")
  string(REPLACE "," ";" params "${params}")
  set(outs "")
  foreach(p IN LISTS params)
    string(STRIP "${p}" p)
    if(p MATCHES "[ *](out(_[a-z0-9_]+)?)$")
      list(APPEND outs "${CMAKE_MATCH_1}")
    endif()
  endforeach()
  if(outs)
    math(EXPR n_out "${n_out} + 1")
    list(JOIN outs " " outs_text)
    string(APPEND body "    {\"${name}\", \"${outs_text}\"},\n")
  endif()
endforeach()
if(n LESS 40 OR n_out LESS 30)
  message(FATAL_ERROR "found only ${n} declarations (${n_out} with out-parameters) in ${HEADER}: parser out of date?")
endif()

set(content "/* Generated from crm.h by tests/c/gen_outparams.cmake: do not edit. */
/* Every function of crm.h with out-parameters, and their names. */
static const struct { const char *function; const char *out_params; } k_declared_out[] = {
${body}};
#define K_DECLARED_OUT_COUNT (sizeof k_declared_out / sizeof k_declared_out[0])
")
# Rewritten only when it changes, so an unrelated edit of crm.h rebuilds nothing.
if(EXISTS ${OUT})
  file(READ ${OUT} old)
  if(old STREQUAL content)
    return()
  endif()
endif()
file(WRITE ${OUT} "${content}")
