/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Shell commands, declared beside the code they drive: SHELL_COMMAND("name", "usage",
 * fn) puts an entry in a linker section; the shell (shell.c) finds commands there, so
 * no file lists them all. Commands run in the shell thread, where sleeping is allowed,
 * and return 0 or a negative errno.
 */
#ifndef HP_COMMAND_H
#define HP_COMMAND_H

#include "kernel.h"

typedef int (*shell_command_fn)(int argc, char **argv);

struct shell_command {
	const char *name;
	const char *usage;
	shell_command_fn run;
};

/* Entries are sorted by their function's name at link time: help lists them in order. */
#define SHELL_COMMAND(cname, cusage, fn)                                                  \
	static const struct shell_command __shell_command_##fn                             \
		__attribute__((used, section(".shell_commands." #fn), aligned(8))) = {      \
		.name = cname, .usage = cusage, .run = fn }

/* The shell's one-line error and usage messages, for every command. */
int shell_fail(const char *cmd, const char *what, int err);
int shell_usage(const char *cmd);

#endif
