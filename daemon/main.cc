// rostersync: keeps Mattermost user accounts in step with an HR roster. See docs/contract.md.
#include <malloc.h>

#include "daemon/cli.h"

int main(int argc, char** argv) {
  // Blocks of 64 KiB and more (HTTP bodies, decoded listing pages) come from mmap and go back
  // to the system when freed, instead of fragmenting the per-thread arenas of the listing's
  // workers: about 55 MB less peak RSS at 100k people (docs/PERFORMANCE.md, "Memory and CPU").
  mallopt(M_MMAP_THRESHOLD, 64 * 1024);
  return rostersync::daemon::RunCli(argc, argv);
}
