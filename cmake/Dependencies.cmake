# Third-party libraries, found once; targets link the flowstate_* interface targets below,
# so how a dependency is linked (shared or static) is decided here and nowhere else:
#
#   flowstate_fmt      fmt            flowstate_yaml_cpp  yaml-cpp
#   flowstate_boost    Boost headers  flowstate_cli11     CLI11
#   flowstate_threads  Threads        flowstate_rocksdb   RocksDB and its compression libraries
#   flowstate_zlib     zlib (the store journal's CRC-32)
#
# FLOWSTATE_STATIC_LINK (default ON) links every executable statically: yaml-cpp, RocksDB,
# snappy, lz4, zstd, bzip2 and zlib from their .a archives, fmt header-only (Debian ships no
# libfmt.a), libstdc++ and libgcc with -static-libstdc++ -static-libgcc, and glibc too
# (-static, non-PIE). Why: a one-state `flowstate run` spends most of its start-up in the
# dynamic loader (mapping libstdc++, libm, libc, libyaml-cpp, libfmt and resolving ~2,000
# symbol relocations), and the store would add librocksdb.so with six more shared libraries
# behind it; tools/bench/README.md has the figures. glibc is static too because that alone
# removes ld.so and the relocation of libc/libm. What glibc cannot do statically is load NSS
# modules (getpwnam, getaddrinfo through /etc/nsswitch.conf; a static binary needs the same
# glibc's libnss_*.so at run time for them): nothing in flowstate calls them today, and with
# FLOWSTATE_WERROR (CI) the linker's warning about them is an error, so that whoever adds an
# HTTP task or a user lookup makes the choice knowingly (e.g. static-pie, or
# -static-libstdc++ -static-libgcc with a dynamic glibc: figures in tools/bench/README.md).
# The Lambda endpoint (engine/tasks/lambda_endpoint.hpp) chose: it takes IP addresses and
# `localhost` only, and resolves no names.
# OFF gives the distribution's shared libraries (what a Debian package would use).
option(FLOWSTATE_STATIC_LINK
       "Link executables statically (third-party libraries, libstdc++, glibc): faster start-up"
       ON)

# Boost.JSON is compiled in (engine/data/boost_json_library.cpp); its headers come from
# libboost-json1.81-dev.
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(RocksDB REQUIRED CONFIG)
find_package(ZLIB REQUIRED)

add_library(flowstate_boost INTERFACE)
target_link_libraries(flowstate_boost INTERFACE Boost::headers)

add_library(flowstate_cli11 INTERFACE)
target_link_libraries(flowstate_cli11 INTERFACE CLI11::CLI11)

add_library(flowstate_threads INTERFACE)
target_link_libraries(flowstate_threads INTERFACE Threads::Threads)

add_library(flowstate_fmt INTERFACE)
add_library(flowstate_yaml_cpp INTERFACE)
add_library(flowstate_rocksdb INTERFACE)
add_library(flowstate_zlib INTERFACE)
add_library(flowstate_zstd INTERFACE)  # the store compresses history values with it

if(FLOWSTATE_STATIC_LINK)
  # One imported target per archive, found by its file name so that a missing -dev package
  # fails here, naming the file (tools/dev/install-deps.sh installs them all).
  function(flowstate_static_archive name file)
    find_library(FLOWSTATE_${name}_ARCHIVE NAMES ${file} REQUIRED)
    add_library(flowstate_static_${name} STATIC IMPORTED)
    set_target_properties(flowstate_static_${name} PROPERTIES
      IMPORTED_LOCATION "${FLOWSTATE_${name}_ARCHIVE}")
  endfunction()
  flowstate_static_archive(yaml_cpp libyaml-cpp.a)  # libyaml-cpp-dev
  flowstate_static_archive(rocksdb librocksdb.a)    # librocksdb-dev
  flowstate_static_archive(snappy libsnappy.a)      # libsnappy-dev
  flowstate_static_archive(lz4 liblz4.a)            # liblz4-dev
  flowstate_static_archive(zstd libzstd.a)          # libzstd-dev
  flowstate_static_archive(bz2 libbz2.a)            # libbz2-dev
  flowstate_static_archive(z libz.a)                # zlib1g-dev

  target_link_libraries(flowstate_fmt INTERFACE fmt::fmt-header-only)
  target_link_libraries(flowstate_yaml_cpp INTERFACE flowstate_static_yaml_cpp)
  target_include_directories(flowstate_yaml_cpp INTERFACE
    $<TARGET_PROPERTY:yaml-cpp,INTERFACE_INCLUDE_DIRECTORIES>)
  # RocksDB::rocksdb (the package's static target) would drag in libbz2.so and
  # gflags_shared through its INTERFACE_LINK_LIBRARIES; librocksdb.a needs gflags only in
  # its command-line tools, which a program using rocksdb::DB never pulls in.
  target_link_libraries(flowstate_rocksdb INTERFACE
    flowstate_static_rocksdb flowstate_static_snappy flowstate_static_lz4
    flowstate_static_zstd flowstate_static_bz2 flowstate_static_z flowstate_threads)
  target_include_directories(flowstate_rocksdb INTERFACE
    $<TARGET_PROPERTY:RocksDB::rocksdb,INTERFACE_INCLUDE_DIRECTORIES>)
  target_link_libraries(flowstate_zlib INTERFACE flowstate_static_z)
  target_link_libraries(flowstate_zstd INTERFACE flowstate_static_zstd)

  # Every executable in the project (the CLI, benchmarks, tests) is linked the same way, so
  # the tests run what users run.
  add_link_options(-static)
  # RocksDB's static initializers run on first use of the store, not at every start-up
  # (engine/store/rocksdb_initialization.hpp; the figures are in tools/bench/README.md).
  add_link_options("-Wl,-T,${CMAKE_CURRENT_LIST_DIR}/rocksdb-deferred-init.ld")
  if(FLOWSTATE_WERROR)
    add_link_options(-Wl,--fatal-warnings)
  endif()
else()
  target_link_libraries(flowstate_fmt INTERFACE fmt::fmt)
  target_link_libraries(flowstate_yaml_cpp INTERFACE yaml-cpp)
  target_link_libraries(flowstate_rocksdb INTERFACE RocksDB::rocksdb-shared)
  target_link_libraries(flowstate_zlib INTERFACE ZLIB::ZLIB)
  find_library(FLOWSTATE_ZSTD_LIBRARY NAMES zstd REQUIRED)  # libzstd-dev
  target_link_libraries(flowstate_zstd INTERFACE ${FLOWSTATE_ZSTD_LIBRARY})
endif()
