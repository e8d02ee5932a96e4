# The header boundaries between the product's folders (docs/design.md, "Public headers"):
# a file may include another folder's header only if that folder is one it may use and the
# header is on that folder's public list below. Every target exports the repository root as
# its include directory, so the compiler cannot tell a public header from a private one:
# this check (run by ctest) is the enforcement. A violation names file:line.
#   cmake -DSOURCE_DIR=<repo> [-DFIXTURE=1] -P tests/cycle/public_headers.cmake
# FIXTURE=1 skips the checks that need the real tree (every listed header exists and is
# named in docs/design.md).
cmake_minimum_required(VERSION 3.16)
if(NOT SOURCE_DIR)
  message(FATAL_ERROR "pass -DSOURCE_DIR=<the repository root>")
endif()

# The folders checked, in dependency order, and what each may include besides itself.
set(folders sync cycle config api roster state daemon)
set(uses_sync "")
set(uses_cycle sync)
set(uses_config sync)
set(uses_api sync)
set(uses_roster sync config)
set(uses_state sync)
set(uses_daemon sync cycle config api roster state)

# Each folder's public headers: what other folders may include. Anything else is private.
# sync/ is the core, listed the other way round: every header of it is public except these
# (so a new seam or model header needs no entry here).
set(private_sync planner_internal.h)
# cycle/: the core, its types, its seams and its exit codes; the stages, guards, baseline
# rule and create confirmation are its own.
set(public_cycle cycle_core.h cycle_types.h exit_codes.h seams.h users_snapshot.h)
# config/: the Config, its loader and schema, the host/secret helpers and the SQL query check
# (roster/ checks roster.sql.query with it).
set(public_config config.h config_loader.h config_schema.h host_and_secrets.h
    sql_query_check.h)
# api/: the client, its options and the observer (metrics); the transport, JSON codecs,
# retry policy and rate limiter are its own.
set(public_api api_observer.h client.h client_options.h rate_limiter.h)
# roster/: the loader (source factory, map, validate, gate), the CSV settle wait, text helpers.
set(public_roster csv_settle.h roster_loader.h text.h)
# state/: opening a store, the leader election on it, the audit file and its JSON form, the
# owned-file rules.
set(public_state audit_file.h audit_json.h leader_lock.h open_store.h owned_file.h)
# daemon/: the top; nothing of it is included elsewhere.
set(public_daemon "")

set(bad "")
set(checked 0)
foreach(folder ${folders})
  file(GLOB_RECURSE files "${SOURCE_DIR}/${folder}/*.h" "${SOURCE_DIR}/${folder}/*.cc")
  foreach(f ${files})
    math(EXPR checked "${checked} + 1")
    file(STRINGS "${f}" hits REGEX "^[ \t]*#[ \t]*include[ \t]*\"[a-z_]+/[^\"]+\"")
    if(NOT hits)
      continue()
    endif()
    file(READ "${f}" content)
    file(RELATIVE_PATH rel "${SOURCE_DIR}" "${f}")
    foreach(line ${hits})
      string(REGEX REPLACE "^[^\"]*\"([a-z_]+)/([^\"]+)\".*$" "\\1" to "${line}")
      string(REGEX REPLACE "^[^\"]*\"([a-z_]+)/([^\"]+)\".*$" "\\2" header "${line}")
      if(to STREQUAL folder OR NOT to IN_LIST folders)
        continue()  # its own header, or not a product folder (tests/, the standard library)
      endif()
      set(why "")
      if(NOT to IN_LIST uses_${folder})
        set(why "${folder}/ may not use ${to}/")
      elseif(DEFINED private_${to})
        if(header IN_LIST private_${to})
          set(why "${to}/${header} is private to ${to}/")
        endif()
      elseif(NOT header IN_LIST public_${to})
        set(why "${to}/${header} is private to ${to}/")
      endif()
      if(why)
        string(FIND "${content}" "${line}" at)
        string(SUBSTRING "${content}" 0 ${at} before)
        string(REGEX REPLACE "[^\n]" "" newlines "${before}")
        string(LENGTH "${newlines}" n)
        math(EXPR n "${n} + 1")
        string(STRIP "${line}" shown)
        string(APPEND bad "  ${rel}:${n}: ${shown} (${why})\n")
      endif()
    endforeach()
  endforeach()
endforeach()

if(NOT MIN_FILES)
  set(MIN_FILES 100)
endif()
if(checked LESS MIN_FILES)
  message(FATAL_ERROR "only ${checked} files found: wrong SOURCE_DIR?")
endif()

if(NOT FIXTURE)
  # The lists must not rot: every public header exists and docs/design.md names it.
  # docs/design.md's section "Public headers" has one table row per folder:
  # | `sync/` | ... | `clock.h`, `env.h`, ... |
  file(READ "${SOURCE_DIR}/docs/design.md" design)
  string(FIND "${design}" "\n## Public headers" start)
  if(start EQUAL -1)
    message(FATAL_ERROR "docs/design.md has no section \"## Public headers\"")
  endif()
  math(EXPR start "${start} + 1")
  string(SUBSTRING "${design}" ${start} -1 design)
  string(FIND "${design}" "\n## " end)  # the next section
  string(SUBSTRING "${design}" 0 ${end} design)
  set(design "\n${design}")
  foreach(folder ${folders})
    string(REGEX MATCH "\n\\| `${folder}/` \\|[^\n]*" row "${design}")
    if(NOT row)
      string(APPEND bad "  docs/design.md has no \"Public headers\" row for ${folder}/\n")
    endif()
    foreach(header ${public_${folder}} ${private_${folder}})
      if(NOT EXISTS "${SOURCE_DIR}/${folder}/${header}")
        string(APPEND bad "  ${folder}/${header} is listed but does not exist\n")
      endif()
      string(FIND "${row}" "`${header}`" named)
      if(row AND named EQUAL -1)
        string(APPEND bad "  ${folder}/${header} is listed here but not in docs/design.md\n")
      endif()
    endforeach()
  endforeach()
endif()

if(bad)
  message(FATAL_ERROR "header boundaries (tests/cycle/public_headers.cmake, docs/design.md "
                      "\"Public headers\"):\n${bad}")
endif()
message(STATUS "public headers: ${checked} files include only the public headers of the "
               "folders they may use")
