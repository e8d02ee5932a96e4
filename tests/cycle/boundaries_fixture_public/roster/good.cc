// Allowed: roster/ may use config/, and config.h is public.
#include "config/config.h"
#include "sync/status.h"
#include "tests/support/temp_dir.h"
