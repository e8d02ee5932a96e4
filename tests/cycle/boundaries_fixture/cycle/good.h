// A file within the boundary.
#include <string>
