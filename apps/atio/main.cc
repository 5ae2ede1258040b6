// The composition root: wires real implementations together, nothing else.
#include "atio/cli/cli.h"

int main(int argc, char** argv) { return atio::cli::main(argc, argv); }
