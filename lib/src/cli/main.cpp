// certiformer command-line tool: everything lives in cli_main (certiformer_cli.hpp).
#include "certiformer_cli.hpp"

int main(int argc, char** argv) { return certiformer::cli_main(argc, argv); }
