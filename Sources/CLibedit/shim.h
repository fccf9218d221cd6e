/*
 * Headers only: the LineEditor module loads libedit with dlopen when the REPL starts
 * (libedit brings libtinfo, libbsd and libmd, four libraries to load at every process
 * start otherwise) and looks up each function and variable with dlsym. Its callback
 * types are checked against this header's rl_completion_func_t, rl_hook_func_t and
 * rl_command_func_t (LibEdit.headerSignatures).
 *
 * libedit's readline-compatible API is used instead of el_set()/history(): those are C
 * variadics, which Swift cannot call.
 */
#include <editline/readline.h>
