// A file that breaks the boundary: tests/cycle/boundaries.cmake must reject it.
#include <Poco/URI.h>
