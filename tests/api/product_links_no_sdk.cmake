# ctest script: the product binary (BINARY, the rostersync executable) holds api::Client (the
# seams) and none of rs_api_sdk: no api::SdkClient symbol and no SDK-only operation under
# any class name. Run: cmake -DNM=nm -DBINARY=path/to/rostersync -P product_links_no_sdk.cmake
if(NOT EXISTS "${BINARY}")
  message(FATAL_ERROR "no binary at '${BINARY}'")
endif()
execute_process(COMMAND "${NM}" -C --defined-only "${BINARY}"
                OUTPUT_VARIABLE symbols RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "${NM} failed on ${BINARY}: ${err}")
endif()
# The control: the product's client is there (a stripped binary or an empty listing fails).
foreach(present "rostersync::api::Client::ListAllUsers()" "rostersync::api::Client::FindTeam(")
  string(FIND "${symbols}" "${present}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "${BINARY} has no symbol ${present}: cannot judge what it links")
  endif()
endforeach()
# Operations only the SDK has, one from each sdk_*_ops.cc, under any class name.
set(sdk_only "SdkClient::" "::SetProfileImage[(]" "::GetProfileImage[(]" "::Login[(]"
    "::GetSessions[(]" "::CreateUserAccessToken[(]" "::SearchUsers[(]" "::AutocompleteUsers[(]"
    "::GetServerLimits[(]" "::GetTeams[(]" "::GetTeamMembers[(]" "::UpdateUserMfa[(]"
    "::PermanentDeleteAllUsers[(]")
set(found "")
foreach(pattern ${sdk_only})
  string(REGEX MATCH "rostersync::api::[A-Za-z]*${pattern}[^\n]*" hit "${symbols}")
  if(hit)
    list(APPEND found "${hit}")
  endif()
endforeach()
if(found)
  string(REPLACE ";" "\n  " found "${found}")
  message(FATAL_ERROR "${BINARY} links typed SDK operations (rs_api_sdk); the product must "
                      "use the seams only (api/README.md):\n  ${found}")
endif()
message(STATUS "${BINARY}: api::Client present, no rs_api_sdk symbol")
