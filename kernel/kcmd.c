/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's diagnostic commands (hotplug, debug, ipistorm, ps, ...), reached from the
 * user-space shell through the kcmd system call with argv already split: the kernel
 * parses no command lines. Each command is also a file under /sys/kernel/commands
 * (its usage), so the shell can list and complete them.
 */
#include <string.h>
#include <stdio.h>
#include "command.h"
#include "kcmd.h"
#include "sysfs.h"
#include "tty.h"
#include "log.h"
#include "err.h"

/* Every subsystem's commands, from the linker section SHELL_COMMAND fills (command.h). */
extern const struct shell_command __shell_commands_start[], __shell_commands_end[];

static const struct shell_command *find_command(const char *name)
{
	for (const struct shell_command *c = __shell_commands_start; c < __shell_commands_end; c++) {
		if (strcmp(c->name, name) == 0) {
			return c;
		}
	}
	return NULL;
}

int shell_fail(const char *cmd, const char *what, int err)
{
	console_printf("%s: %s: %s (%s)\n", cmd, what, err_text(err), err_name(err));
	return err;
}

int shell_usage(const char *cmd)
{
	const struct shell_command *c = find_command(cmd);
	console_printf("usage: %s\n", c ? c->usage : cmd);
	return -EINVAL;
}

bool kcmd_exists(const char *name)
{
	return find_command(name) != NULL;
}

int kcmd_run(int argc, char **argv)
{
	const struct shell_command *c = argc > 0 ? find_command(argv[0]) : NULL;
	if (!c) {
		return -ENOSYS;
	}
	tty_command_begin();
	int err = c->run(argc, argv);
	tty_command_end();
	/* -ENOSYS means "no such command" to the caller: a command's own is passed as EIO. */
	return err == -ENOSYS ? -EIO : err;
}

static int show_usage(void *arg, char *buf, size_t len)
{
	const struct shell_command *c = arg;
	return snprintf(buf, len, "%s\n", c->usage);
}

void kcmd_init(void)
{
	char path[64];

	sysfs_mkdir("/sys/kernel/commands");
	for (const struct shell_command *c = __shell_commands_start; c < __shell_commands_end; c++) {
		snprintf(path, sizeof(path), "/sys/kernel/commands/%s", c->name);
		sysfs_add_file(path, show_usage, NULL, (void *)c);
	}
}
