/* SPDX-License-Identifier: BSD-2-Clause */
/* Splitting a shell line into words, or the one redirect the shell knows. */
#include <string.h>
#include "sh_words.h"

char *shell_trim(char *s)
{
	while (*s == ' ' || *s == '\t') {
		s++;
	}
	size_t n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n')) {
		s[--n] = 0;
	}
	return s;
}

enum shell_line_kind shell_split(char *line, char **argv, int max, struct shell_line *out)
{
	out->argc = 0;
	out->value = out->path = NULL;
	line = shell_trim(line);
	if (!*line || *line == '#') {
		return SHELL_EMPTY;
	}
	char *redirect = strchr(line, '>');
	if (redirect) {
		*redirect = 0;
		char *path = shell_trim(redirect + 1);
		char *cmd = shell_trim(line);
		if (strncmp(cmd, "echo", 4) != 0 || (cmd[4] != ' ' && cmd[4] != 0) || !*path ||
		    strchr(path, ' ') || strchr(path, '\t') || strchr(path, '>')) {
			return SHELL_BAD_REDIRECT;
		}
		out->value = shell_trim(cmd + 4);
		out->path = path;
		return SHELL_REDIRECT;
	}
	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t') {
			*p++ = 0;
		}
		if (!*p) {
			break;
		}
		if (out->argc == max) {
			return SHELL_TOO_MANY;
		}
		argv[out->argc++] = p;
		while (*p && *p != ' ' && *p != '\t') {
			p++;
		}
	}
	return out->argc ? SHELL_WORDS : SHELL_EMPTY;
}
