/* archboard-cli problems: being written */
#include "ab-cli.h"
int ab_cli_list (int argc, char **argv) { return 2; }
int ab_cli_show (int argc, char **argv) { return 2; }
int ab_cli_reference (int argc, char **argv) { return 2; }
int ab_cli_import (int argc, char **argv) { return 2; }
