/* archboard-cli simulate: being written */
#include "ab-cli.h"
int ab_cli_simulate (int argc, char **argv) { return 2; }
