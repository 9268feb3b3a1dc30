/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The shell's line editor: typed characters echo, Backspace and Ctrl-U erase, Up and
 * Down walk the history, Tab completes (sh.c says with what), Ctrl-C abandons the line,
 * Ctrl-D on an empty line ends input. Editing is at the end of the line only; the
 * terminal is assumed to understand backspace-space-backspace, as every one does.
 */
#include <string.h>
#include "hp.h"
#include "sh.h"

#define HISTORY 16
#define KEY_CTRL_C 0x03
#define KEY_CTRL_D 0x04
#define KEY_CTRL_U 0x15
#define KEY_ESC 0x1b

static char history[HISTORY][SH_LINE_MAX];
static unsigned int hist_count;        /* lines ever added; the last HISTORY are kept */

static char inbuf[64];
static long in_len, in_pos;

static int getkey(void)
{
	if (in_pos == in_len) {
		in_len = hp_read(0, inbuf, sizeof(inbuf));
		in_pos = 0;
		if (in_len <= 0) {
			in_len = 0;
			return -1;
		}
	}
	return (unsigned char)inbuf[in_pos++];
}

static void out(const char *s, size_t n)
{
	hp_write(1, s, n);
}

static void erase(size_t n)
{
	while (n--) {
		out("\b \b", 3);
	}
}

/* Shows @text in place of the @shown characters on screen. */
static void replace(char *line, size_t *n, const char *text)
{
	erase(*n);
	size_t len = strnlen(text, SH_LINE_MAX - 1);
	memcpy(line, text, len);
	line[len] = 0;
	*n = len;
	out(line, len);
}

static void remember(const char *line)
{
	if (!*line) {
		return;
	}
	if (hist_count && strcmp(history[(hist_count - 1) % HISTORY], line) == 0) {
		return;                       /* as shells do: no run of repeats */
	}
	strncpy(history[hist_count % HISTORY], line, SH_LINE_MAX - 1);
	hist_count++;
}

/* Up (-1) or Down (+1) from @*at, an index into the history counting back from now. */
static void walk(char *line, size_t *n, unsigned int *at, int dir, char *draft)
{
	unsigned int kept = hist_count < HISTORY ? hist_count : HISTORY;
	if (dir < 0 && *at < kept) {
		if (*at == 0) {
			strcpy(draft, line);      /* Down past the newest gives it back */
		}
		(*at)++;
	} else if (dir > 0 && *at > 0) {
		(*at)--;
	} else {
		return;
	}
	replace(line, n, *at ? history[(hist_count - *at) % HISTORY] : draft);
}

/* The word the cursor is in: from the last space to the end. */
static void complete(char *line, size_t *n)
{
	char *word = line + *n;
	while (word > line && word[-1] != ' ') {
		word--;
	}
	bool first = true;
	for (char *p = line; p < word; p++) {
		if (*p != ' ') {
			first = false;
		}
	}
	char add[SH_LINE_MAX];
	int many = sh_complete(word, first, add, sizeof(add));
	if (many < 0) {
		/* sh_complete printed the choices on a line of their own: redraw. */
		out(SH_PROMPT, strlen(SH_PROMPT));
		out(line, *n);
		return;
	}
	size_t len = strlen(add);
	if (*n + len >= SH_LINE_MAX) {
		return;
	}
	memcpy(line + *n, add, len + 1);
	out(add, len);
	*n += len;
}

int sh_readline(char *line)
{
	size_t n = 0;
	unsigned int at = 0;
	char draft[SH_LINE_MAX] = "";

	line[0] = 0;
	for (;;) {
		int c = getkey();
		if (c < 0) {
			return -1;
		}
		if (c == '\r' || c == '\n') {
			out("\n", 1);
			remember(line);
			return (int)n;
		}
		if (c == KEY_CTRL_C) {
			out("^C\n", 3);
			return -2;
		}
		if (c == KEY_CTRL_D) {
			if (n == 0) {
				out("exit\n", 5);
				return -1;
			}
		} else if (c == 0x7f || c == 0x08) {
			if (n > 0) {
				line[--n] = 0;
				erase(1);
			}
		} else if (c == KEY_CTRL_U) {
			erase(n);
			n = 0;
			line[0] = 0;
		} else if (c == '\t') {
			complete(line, &n);
		} else if (c == KEY_ESC) {
			if (getkey() != '[') {
				continue;
			}
			int k = getkey();
			if (k == 'A' || k == 'B') {
				walk(line, &n, &at, k == 'A' ? -1 : 1, draft);
			}
		} else if (c >= 0x20 && c < 0x7f && n + 1 < SH_LINE_MAX) {
			line[n++] = (char)c;
			line[n] = 0;
			char ch = (char)c;
			out(&ch, 1);
		}
	}
}
