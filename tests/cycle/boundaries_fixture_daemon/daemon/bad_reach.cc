// Reaches state/ directly: the boundary check must report it.
#include "state/open_store.h"
#include "state/audit_json.h"
#include "api/api_observer.h"
