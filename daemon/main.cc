// rostersync: keeps Mattermost user accounts in step with an HR roster. See docs/contract.md.
#include "daemon/cli.h"

int main(int argc, char** argv) { return rostersync::daemon::RunCli(argc, argv); }
