# Finds the Debian 12 packages that scripts/install-deps installs.
find_package(Threads REQUIRED)

# Debian's PocoDataPostgreSQL / PocoDataMySQL configs reference these targets without defining them.
find_package(PostgreSQL REQUIRED)
if(NOT TARGET PostgreSQL::client)
  add_library(PostgreSQL::client INTERFACE IMPORTED)
  set_target_properties(PostgreSQL::client PROPERTIES INTERFACE_LINK_LIBRARIES PostgreSQL::PostgreSQL)
endif()
if(NOT TARGET MySQL::client)
  find_library(MARIADB_LIBRARY NAMES mariadb REQUIRED)
  add_library(MySQL::client INTERFACE IMPORTED)
  set_target_properties(MySQL::client PROPERTIES
    INTERFACE_LINK_LIBRARIES "${MARIADB_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES /usr/include/mariadb)
endif()

find_package(Poco 1.11 REQUIRED COMPONENTS Foundation Net NetSSL Crypto Util JSON XML Data DataSQLite DataPostgreSQL DataMySQL)
find_package(yaml-cpp REQUIRED)
find_package(spdlog REQUIRED)
find_package(prometheus-cpp REQUIRED COMPONENTS core)
# The users-listing decoder (api/json_user_simd.cc); Debian 12 ships 3.0.
find_package(simdjson 3.0 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
if(ROSTERSYNC_TESTS)
  find_package(GTest REQUIRED)
endif()
if(ROSTERSYNC_BENCH)
  find_package(benchmark REQUIRED)
endif()
