# Finds every third-party library as an imported target planner::<name>.
# Native builds use Debian's -dev packages; the wasm build uses the static
# libraries scripts/bootstrap built into PLANNER_DEPS_DIR. Nothing is fetched.

function(planner_interface name)
  add_library(planner::${name} INTERFACE IMPORTED GLOBAL)
endfunction()

planner_interface(cereal)
planner_interface(boost_graph)

if(EMSCRIPTEN)
  if(NOT PLANNER_DEPS_DIR OR NOT EXISTS "${PLANNER_DEPS_DIR}/wasm/lib")
    message(FATAL_ERROR "PLANNER_DEPS_DIR='${PLANNER_DEPS_DIR}' has no wasm libraries: run scripts/bootstrap first")
  endif()
  set(_w ${PLANNER_DEPS_DIR}/wasm)
  # The system include dir must not leak into wasm builds wholesale: expose
  # only the header-only libraries through dedicated copies made by bootstrap.
  target_include_directories(planner::cereal SYSTEM INTERFACE ${_w}/include-hdr)
  target_include_directories(planner::boost_graph SYSTEM INTERFACE ${_w}/include-hdr)
  foreach(lib sqlite sodium ical minizip zlib)
    add_library(planner::${lib} STATIC IMPORTED GLOBAL)
    set_target_properties(planner::${lib} PROPERTIES INTERFACE_INCLUDE_DIRECTORIES ${_w}/include)
  endforeach()
  set_target_properties(planner::sqlite PROPERTIES IMPORTED_LOCATION ${_w}/lib/libsqlite3.a)
  set_target_properties(planner::sodium PROPERTIES IMPORTED_LOCATION ${_w}/lib/libsodium.a
    INTERFACE_COMPILE_DEFINITIONS SODIUM_STATIC)
  set_target_properties(planner::ical PROPERTIES IMPORTED_LOCATION ${_w}/lib/libical.a
    INTERFACE_INCLUDE_DIRECTORIES "${_w}/include;${_w}/include/libical")
  set_target_properties(planner::minizip PROPERTIES IMPORTED_LOCATION ${_w}/lib/libminizip.a
    INTERFACE_LINK_LIBRARIES planner::zlib)
  set_target_properties(planner::zlib PROPERTIES IMPORTED_LOCATION ${_w}/lib/libz.a)
  set(PLANNER_ZONEINFO_DIR ${_w}/share/libical/zoneinfo CACHE INTERNAL "")
else()
  find_path(PLANNER_CEREAL_INCLUDE cereal/cereal.hpp PATHS /usr/include REQUIRED)
  find_path(PLANNER_RAPIDJSON_INCLUDE rapidjson/document.h PATHS /usr/include REQUIRED)
  find_path(PLANNER_BOOST_INCLUDE boost/graph/adjacency_list.hpp PATHS /usr/include REQUIRED)
  target_include_directories(planner::cereal SYSTEM INTERFACE ${PLANNER_CEREAL_INCLUDE} ${PLANNER_RAPIDJSON_INCLUDE})
  target_include_directories(planner::boost_graph SYSTEM INTERFACE ${PLANNER_BOOST_INCLUDE})
  find_package(PkgConfig REQUIRED)
  pkg_check_modules(PLANNER_SQLITE REQUIRED IMPORTED_TARGET sqlite3)
  pkg_check_modules(PLANNER_SODIUM REQUIRED IMPORTED_TARGET libsodium)
  pkg_check_modules(PLANNER_ICAL REQUIRED IMPORTED_TARGET libical)
  pkg_check_modules(PLANNER_MINIZIP REQUIRED IMPORTED_TARGET minizip)
  pkg_check_modules(PLANNER_ZLIB REQUIRED IMPORTED_TARGET zlib)
  foreach(lib sqlite sodium ical minizip zlib)
    string(TOUPPER ${lib} _up)
    planner_interface(${lib})
    target_link_libraries(planner::${lib} INTERFACE PkgConfig::PLANNER_${_up})
  endforeach()
  set(PLANNER_ZONEINFO_DIR "" CACHE INTERNAL "")
endif()

# GoogleTest: Debian's packaged library natively, its sources under em++.
if(PLANNER_BUILD_TESTS)
  if(EMSCRIPTEN)
    if(NOT TARGET gtest)
      set(INSTALL_GTEST OFF CACHE BOOL "" FORCE)
      set(BUILD_GMOCK OFF CACHE BOOL "" FORCE)
      set(gtest_disable_pthreads ON CACHE BOOL "" FORCE)
      add_subdirectory(/usr/src/googletest ${CMAKE_BINARY_DIR}/_googletest EXCLUDE_FROM_ALL)
    endif()
    add_library(planner::gtest ALIAS gtest_main)
  else()
    find_package(GTest REQUIRED)
    add_library(planner::gtest ALIAS GTest::gtest_main)
  endif()
endif()
