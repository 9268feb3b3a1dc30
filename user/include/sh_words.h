/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Splitting a shell line (user/sh_words.c): pure C, shared with the host tests and
 * the fuzzer. The line is cut in place; the results point into it.
 */
#ifndef HP_SHELL_WORDS_H
#define HP_SHELL_WORDS_H

#include <stdbool.h>
#include <stddef.h>

enum shell_line_kind {
	SHELL_EMPTY,        /* blank or a '#' comment */
	SHELL_WORDS,        /* argv[0..argc) */
	SHELL_REDIRECT,     /* echo VALUE > FILE: @value, @path */
	SHELL_BAD_REDIRECT, /* a '>' anywhere else */
	SHELL_TOO_MANY,     /* more than @max words */
};

struct shell_line {
	int argc;
	char *value, *path;
};

/* Trims spaces, tabs and line ends at both ends of @s, in place. */
char *shell_trim(char *s);
/* Classifies and splits @line into @argv (at most @max words) or a redirect. */
enum shell_line_kind shell_split(char *line, char **argv, int max, struct shell_line *out);

#endif
