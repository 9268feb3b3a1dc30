/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the shell's line splitter: any line is empty, words, the one
 * redirect, or refused; words never overlap, hold no blanks and stay inside the line.
 * tools/fuzz shell.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "sh_words.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[16];
	struct shell_line sl;
	char *line = malloc(size + 1);

	memcpy(line, data, size);
	line[size] = 0;
	enum shell_line_kind k = shell_split(line, argv, 16, &sl);
	if (k == SHELL_WORDS) {
		for (int i = 0; i < sl.argc; i++) {
			if (argv[i] < line || argv[i] > line + size || !*argv[i] || strpbrk(argv[i], " \t")) {
				abort();
			}
			if (i && argv[i] <= argv[i - 1] + strlen(argv[i - 1])) {
				abort();         /* words are apart and in order */
			}
		}
	} else if (k == SHELL_REDIRECT && (!*sl.path || strpbrk(sl.path, " \t>"))) {
		abort();
	}
	free(line);
	return 0;
}
