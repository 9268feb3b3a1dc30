/* SPDX-License-Identifier: BSD-2-Clause */
/* Shell commands that exercise kernel machinery for the tests (kernel/selftest.c). */
#ifndef HP_SELFTEST_H
#define HP_SELFTEST_H

int cmd_ipistorm(int argc, char **argv);
int cmd_call(int argc, char **argv);
int cmd_debug(int argc, char **argv);
int cmd_hotplug(int argc, char **argv);

/* The shell's one-line error and usage messages, shared with these commands. */
int shell_fail(const char *cmd, const char *what, int err);
int shell_usage(const char *cmd);

#endif
