// Allowed: wiring is the one place that builds the client and the store.
#include "state/open_store.h"
