// A daemon/ file including a private header of cycle/: public_headers.cmake must report it
// at line 5 (the blank line counts).

#include "cycle/cycle_core.h"
#include "cycle/stages.h"
