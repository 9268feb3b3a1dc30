/* SPDX-License-Identifier: BSD-2-Clause */
/* The console shell and its scripted mode. */
#ifndef HP_SHELL_H
#define HP_SHELL_H

#include "kernel.h"

/* Starts the shell thread: runs @script (commands separated by ';' or newlines), then
 * the file script from the initrd, then reads the console. Either may be NULL. */
void shell_start(const char *script, const char *file_script, size_t file_len);
/* Runs one command line; returns 0 or a negative errno. */
int shell_exec(char *line);

#endif
