/* SPDX-License-Identifier: BSD-2-Clause */
/* The console shell and its scripted mode. */
#ifndef HP_SHELL_H
#define HP_SHELL_H

#include "kernel.h"

/* Starts the shell thread: runs shell.run= (commands separated by ';'), then the file
 * script from the initrd (one per line; may be NULL), then reads the console. */
void shell_start(const char *file_script, size_t file_len);
/* Runs one command line; returns 0 or a negative errno. */
int shell_exec(char *line);

#endif
