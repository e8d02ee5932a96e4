// A Poco-free header (the boundary check passes it).
#include <string>
