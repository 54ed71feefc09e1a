/* archboard-cli export: being written */
#include "ab-cli.h"
int ab_cli_export (int argc, char **argv) { return 2; }
