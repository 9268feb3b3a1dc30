/* SPDX-License-Identifier: BSD-2-Clause */
/* The user-space shell: sh.c runs commands, sh_edit.c reads lines from the console. */
#ifndef HP_SH_H
#define HP_SH_H

#include <stdbool.h>
#include <stddef.h>

#define SH_PROMPT "hartplug# "
#define SH_LINE_MAX 512

/*
 * Reads one edited line into @line (SH_LINE_MAX bytes); its length, -1 at the end of
 * input (Ctrl-D on an empty line), -2 when Ctrl-C abandoned it.
 */
int sh_readline(char *line);
/*
 * Tab completion of @word (a command name if @first, else a path): what to append in
 * @add (possibly nothing), 0; or -1 after printing the choices on a line of their own.
 */
int sh_complete(const char *word, bool first, char *add, size_t len);

#endif
