// PlannerAttentionTest: loud leavers, accounts deactivated outside rostersync, and
// policy.unmatched_accounts (leave | report | deactivate).
#include <gtest/gtest.h>

#include "sync/planner.h"
#include "tests/sync/planner_test_util.h"

namespace rostersync {
namespace {

using testing_util::MakeRow;
using testing_util::MakeUser;
using testing_util::World;

}  // namespace
}  // namespace rostersync
