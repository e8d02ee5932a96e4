// cycle/ may use sync/, but not the planner's internals: this include must be reported.
#include "sync/plan.h"
#include "sync/planner_internal.h"
