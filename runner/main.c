/* main.c -- the cdpilot binary: everything is in run_main(). */
#include "runner.h"

int main(int argc, char **argv)
{
    return run_main(argc, argv);
}
