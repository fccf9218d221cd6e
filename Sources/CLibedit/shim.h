#include <editline/readline.h>
#include <locale.h>

/*
 * libedit's readline-compatible API is used instead of el_set()/history(): those are C
 * variadics, which Swift cannot call. The readline layer is configured through global
 * variables, and Swift 6 rejects any reference to a C global (shared mutable state), so
 * these accessors are the only way LineEditor touches them - always from the one thread
 * that is inside readline() or about to call it.
 */

static inline void wwctl_rl_set_readline_name(const char *name) { rl_readline_name = name; }

static inline void wwctl_rl_set_attempted_completion(rl_completion_func_t *function) {
    rl_attempted_completion_function = function;
}

/* Set from the completion function: no fallback to file name completion. */
static inline void wwctl_rl_set_attempted_completion_over(int over) { rl_attempted_completion_over = over; }

static inline void wwctl_rl_set_word_break_characters(const char *characters) {
    rl_basic_word_break_characters = characters;
}

static inline void wwctl_rl_set_completion_append_character(int character) {
    rl_completion_append_character = character;
}

static inline const char *wwctl_rl_line_buffer(void) { return rl_line_buffer; }

/* From a key binding: ends the current readline() call, which then returns NULL. */
static inline void wwctl_rl_set_done(int done) { rl_done = done; }

/* Runs inside every readline(), after libedit has reset its terminal settings. */
static inline void wwctl_rl_set_pre_input_hook(rl_hook_func_t *hook) { rl_pre_input_hook = hook; }
