# Third-party libraries, found once; targets link the flowstate_* interface targets below,
# so how a dependency is linked (shared or static) is decided here and nowhere else.

# Boost.JSON is compiled in (engine/data/boost_json_library.cpp); its headers come from
# libboost-json1.81-dev.
find_package(Boost 1.81.0 EXACT REQUIRED CONFIG COMPONENTS json url)
find_package(yaml-cpp REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(Threads REQUIRED)
find_package(RocksDB REQUIRED CONFIG)

add_library(flowstate_rocksdb INTERFACE)
target_link_libraries(flowstate_rocksdb INTERFACE RocksDB::rocksdb-shared)
