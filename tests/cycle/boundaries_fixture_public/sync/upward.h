// sync/ may use no other folder: this include must be reported.
#include "cycle/cycle_core.h"
