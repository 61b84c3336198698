# Driver of the install.consumers test (cmake -P). See CMakeLists.txt here.
cmake_minimum_required(VERSION 3.20)

foreach(v CRM_BUILD_DIR CRM_TEST_DIR CRM_WORK_DIR CRM_VERSION CRM_GENERATOR
          CRM_C_COMPILER CRM_CXX_COMPILER CRM_PKG_CONFIG)
  if(NOT DEFINED ${v} OR "${${v}}" STREQUAL "")
    message(FATAL_ERROR "consumers.cmake: ${v} is not set")
  endif()
endforeach()
if(NOT CRM_BUILD_TYPE)
  set(CRM_BUILD_TYPE Release)
endif()

set(prefix ${CRM_WORK_DIR}/prefix)
file(REMOVE_RECURSE ${CRM_WORK_DIR})
file(MAKE_DIRECTORY ${CRM_WORK_DIR})

set(san_flags "")
if(CRM_SANITIZE)
  set(san_flags -fsanitize=address,undefined -fno-omit-frame-pointer)
endif()
string(JOIN " " san_flags_str ${san_flags})

# Runs a command; stops the test with its output if it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${ARGN}\n--- stdout\n${out}\n--- stderr\n${err}")
  endif()
  set(run_out "${out}" PARENT_SCOPE)
endfunction()

# ---- 1. install -------------------------------------------------------------
message(STATUS "installing ${CRM_BUILD_DIR} into ${prefix}")
run("cmake --install" ${CMAKE_COMMAND} --install ${CRM_BUILD_DIR} --prefix ${prefix} --config ${CRM_BUILD_TYPE})

file(GLOB_RECURSE config_file ${prefix}/*/crmConfig.cmake)
file(GLOB_RECURSE pc_file ${prefix}/*/pkgconfig/crm.pc)
if(NOT config_file OR NOT pc_file)
  message(FATAL_ERROR "install put no crmConfig.cmake or crm.pc under ${prefix}")
endif()
get_filename_component(pc_dir ${pc_file} DIRECTORY)

# crm.h includes the generated crm_version.h: it must be installed beside it,
# with the project's version.
file(GLOB_RECURSE crm_h ${prefix}/*/crm.h)
if(NOT crm_h)
  message(FATAL_ERROR "install put no crm.h under ${prefix}")
endif()
get_filename_component(include_dir ${crm_h} DIRECTORY)
if(NOT EXISTS ${include_dir}/crm_version.h OR NOT EXISTS ${include_dir}/crm/version.hpp)
  message(FATAL_ERROR "install put crm.h in ${include_dir} without crm_version.h beside it (or crm/version.hpp)")
endif()
file(STRINGS ${include_dir}/crm_version.h version_line REGEX "^#define CRM_VERSION_STRING ")
if(NOT version_line STREQUAL "#define CRM_VERSION_STRING \"${CRM_VERSION}\"")
  message(FATAL_ERROR "installed crm_version.h says '${version_line}', the project is ${CRM_VERSION}")
endif()

# ---- 2. C++ consumer: find_package(crm CONFIG REQUIRED) + crm::crm ---------
set(cpp_build ${CRM_WORK_DIR}/cpp)
run("configure C++ consumer" ${CMAKE_COMMAND} -S ${CRM_TEST_DIR}/cpp -B ${cpp_build}
    -G ${CRM_GENERATOR}
    -DCMAKE_BUILD_TYPE=${CRM_BUILD_TYPE}
    -DCMAKE_CXX_COMPILER=${CRM_CXX_COMPILER}
    "-DCMAKE_CXX_FLAGS=${san_flags_str}"
    "-DCMAKE_EXE_LINKER_FLAGS=${san_flags_str}"
    -DCMAKE_PREFIX_PATH=${prefix}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF
    -DCRM_EXPECTED_VERSION=${CRM_VERSION})
# The package must come from the scratch prefix, not from a crm installed elsewhere.
file(STRINGS ${cpp_build}/CMakeCache.txt crm_dir_line REGEX "^crm_DIR:")
string(FIND "${crm_dir_line}" "${prefix}/" at)
if(NOT at GREATER -1)
  message(FATAL_ERROR "C++ consumer found crm outside the scratch prefix: ${crm_dir_line}")
endif()
run("build C++ consumer" ${CMAKE_COMMAND} --build ${cpp_build})
run("run C++ consumer" ${cpp_build}/consumer)
message(STATUS "C++ consumer said:\n${run_out}")
set(expected "crm ${CRM_VERSION}: contact 1 山田 太郎 (ヤマダ タロウ) <taro@example.jp>\nmissing contact: not_found\n")
if(NOT run_out STREQUAL expected)
  message(FATAL_ERROR "C++ consumer printed\n${run_out}\ninstead of\n${expected}")
endif()
run("run C ABI consumer (crm::crm_c)" ${cpp_build}/consumer_c_abi)
message(STATUS "C ABI consumer (crm::crm_c) said: ${run_out}")
if(NOT run_out MATCHES "^crm_c ${CRM_VERSION} \\(ABI [0-9]+\\)\n$")
  message(FATAL_ERROR "C ABI consumer (crm::crm_c) printed '${run_out}'")
endif()

# ---- 3. C consumer: pkg-config --cflags --libs crm, against libcrm.so --------
set(ENV{PKG_CONFIG_PATH} ${pc_dir})
unset(ENV{PKG_CONFIG_LIBDIR})
run("pkg-config" ${CRM_PKG_CONFIG} --cflags --libs crm)
string(STRIP "${run_out}" pc_flags)
message(STATUS "pkg-config --cflags --libs crm: ${pc_flags}")
run("pkg-config libdir" ${CRM_PKG_CONFIG} --variable=libdir crm)
string(STRIP "${run_out}" pc_libdir)
if(NOT EXISTS ${pc_libdir}/libcrm.so)
  message(FATAL_ERROR "crm.pc libdir '${pc_libdir}' holds no libcrm.so (is the .pc file relocatable?)")
endif()
run("pkg-config modversion" ${CRM_PKG_CONFIG} --modversion crm)
string(STRIP "${run_out}" pc_version)
if(NOT pc_version STREQUAL CRM_VERSION)
  message(FATAL_ERROR "crm.pc says version ${pc_version}, the project is ${CRM_VERSION}")
endif()
separate_arguments(pc_args UNIX_COMMAND "${pc_flags}")

set(c_build ${CRM_WORK_DIR}/c)
file(MAKE_DIRECTORY ${c_build})
run("build C consumer" ${CRM_C_COMPILER} -std=c99 -Wall -Wextra -pedantic -Werror ${san_flags}
    ${CRM_TEST_DIR}/c/consumer.c -o ${c_build}/consumer ${pc_args} -Wl,-rpath,${pc_libdir})
set(db ${c_build}/consumer.crm)
run("run C consumer" ${c_build}/consumer ${db})
message(STATUS "C consumer said:\n${run_out}")
set(expected "crm_version ${CRM_VERSION}\ncontact 1: 山田 花子\nopened and closed ${db}\n")
if(NOT run_out STREQUAL expected)
  message(FATAL_ERROR "C consumer printed\n${run_out}\ninstead of\n${expected}")
endif()
# The database the C ABI made is a plain SQLite file.
file(READ ${db} magic LIMIT 16 HEX)
if(NOT magic STREQUAL "53514c69746520666f726d6174203300")  # "SQLite format 3\0"
  message(FATAL_ERROR "${db} is not an SQLite file (starts with hex ${magic})")
endif()

# ---- 4. the installed crm tool runs from the prefix (when the CLI was built) ---
if(EXISTS ${prefix}/bin/crm)
  run("installed crm version" ${prefix}/bin/crm version)
  string(FIND "${run_out}" "${CRM_VERSION}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "installed crm version printed '${run_out}', without ${CRM_VERSION}")
  endif()
  message(STATUS "installed crm: ${run_out}")
endif()

message(STATUS "install.consumers: both consumers built and ran against ${prefix}")
