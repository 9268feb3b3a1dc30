/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console shell. Commands run in the shell thread, where sleeping is allowed.
 * Scripted input (shell.run=, the initrd script) goes through the same code as typed
 * input and is echoed after the prompt, so a transcript reads like a session.
 */
#include <string.h>
#include <stdio.h>
#include "shell.h"
#include "sysfs.h"
#include "sched.h"
#include "smp.h"
#include "percpu.h"
#include "alloc.h"
#include "cmdline.h"
#include "log.h"
#include "err.h"
#include "process.h"
#include "arch.h"
#include "atomic.h"
#include "command.h"
#include "shell_words.h"
#include "param.h"

#define PROMPT "hartplug# "
#define LINE_MAX 512
#define ARGS_MAX 16

/* Every subsystem's commands, from the linker section SHELL_COMMAND fills (command.h). */
extern const struct shell_command __shell_commands_start[], __shell_commands_end[];

static const struct shell_command *find_command(const char *name);

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

/* ---- files ---- */

static void print_entry(const char *name, bool is_dir, void *arg)
{
	(void)arg;
	console_printf("%s%s\n", name, is_dir ? "/" : "");
}

static int cmd_ls(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/";
	int err = sysfs_list(path, print_entry, NULL);
	return err ? shell_fail("ls", path, err) : 0;
}
SHELL_COMMAND("ls", "ls [DIR]", cmd_ls);

static int cmd_cat(int argc, char **argv)
{
	char buf[1024];
	int ret = 0;

	if (argc < 2) {
		return shell_usage("cat");
	}
	for (int i = 1; i < argc; i++) {
		int n = sysfs_read(argv[i], buf, sizeof(buf));
		if (n < 0) {
			ret = shell_fail("cat", argv[i], n);
			continue;
		}
		console_write(buf, (size_t)MIN((size_t)n, sizeof(buf) - 1));
	}
	return ret;
}
SHELL_COMMAND("cat", "cat FILE...", cmd_cat);

/* "echo TEXT" prints; "echo VALUE > FILE" writes (redirect parsed in shell_exec). */
static int echo_to_file(char *value, char *path)
{
	int err = sysfs_write(path, value);
	return err ? shell_fail("echo", path, err) : 0;
}

static int cmd_echo(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		console_printf("%s%s", argv[i], i + 1 < argc ? " " : "");
	}
	console_printf("\n");
	return 0;
}
SHELL_COMMAND("echo", "echo TEXT | echo VALUE > FILE", cmd_echo);





static int cmd_help(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	for (const struct shell_command *c = __shell_commands_start; c < __shell_commands_end; c++) {
		console_printf("  %s\n", c->usage);
	}
	return 0;
}
SHELL_COMMAND("help", "help", cmd_help);

static const struct shell_command *find_command(const char *name)
{
	for (const struct shell_command *c = __shell_commands_start; c < __shell_commands_end; c++) {
		if (strcmp(c->name, name) == 0) {
			return c;
		}
	}
	return NULL;
}


int shell_exec(char *line)
{
	char *argv[ARGS_MAX];
	struct shell_line sl;

	switch (shell_split(line, argv, ARGS_MAX, &sl)) {
	case SHELL_EMPTY:
		return 0;
	case SHELL_BAD_REDIRECT:
		console_printf("sh: redirection is only 'echo VALUE > FILE'\n");
		return -EINVAL;
	case SHELL_TOO_MANY:
		console_printf("sh: too many arguments (at most %d)\n", ARGS_MAX);
		return -E2BIG;
	case SHELL_REDIRECT:
		return echo_to_file(sl.value, sl.path);
	case SHELL_WORDS:
		break;
	}
	const struct shell_command *c = find_command(argv[0]);
	if (c) {
		return c->run(sl.argc, argv);
	}
	bool background = sl.argc > 1 && strcmp(argv[sl.argc - 1], "&") == 0;
	int err = background ? program_run_background(sl.argc - 1, argv)
			     : program_run(sl.argc, argv);
	if (err == -ENOENT) {
		console_printf("sh: %s: command not found (try 'help' or 'ls /bin')\n", argv[0]);
	}
	return err;
}

/* Echoes and runs one scripted command, as if typed at the prompt. */
static void run_scripted(const char *cmd, size_t len)
{
	char line[LINE_MAX];

	if (len >= sizeof(line)) {
		console_printf(PROMPT "%.40s...\nsh: command longer than %d bytes: skipped\n", cmd,
			       LINE_MAX - 1);
		return;
	}
	memcpy(line, cmd, len);
	line[len] = 0;
	char *t = shell_trim(line);
	if (!*t || *t == '#') {
		return;
	}
	console_printf(PROMPT "%s\n", t);
	shell_exec(t);
}

/* Runs @script split at any of @seps. */
static void run_script(const char *script, size_t len, const char *seps)
{
	size_t start = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i == len || script[i] == 0 || strchr(seps, script[i])) {
			run_scripted(script + start, i - start);
			start = i + 1;
			if (i < len && script[i] == 0) {
				break;
			}
		}
	}
}

static int read_char(void)
{
	int c;
	while ((c = arch_console_getc()) < 0) {
		msleep(10);      /* no console interrupt: poll, sleeping between looks */
	}
	return c;
}

static void interactive(void)
{
	char line[LINE_MAX];
	size_t n = 0;

	console_printf(PROMPT);
	for (;;) {
		int c = read_char();
		if (c == '\r' || c == '\n') {
			console_printf("\n");
			line[n] = 0;
			shell_exec(line);
			n = 0;
			console_printf(PROMPT);
		} else if (c == 0x7f || c == 0x08) {
			if (n > 0) {
				n--;
				console_printf("\b \b");
			}
		} else if (c == 0x15) {          /* ^U: kill the line */
			while (n > 0) {
				n--;
				console_printf("\b \b");
			}
		} else if (c >= 0x20 && c < 0x7f && n + 1 < sizeof(line)) {
			line[n++] = (char)c;
			char ch = (char)c;
			console_write(&ch, 1);
		}
	}
}

struct shell_args {
	const char *script;
	const char *file_script;
	size_t file_len;
};

static void shell_main(void *arg)
{
	struct shell_args *a = arg;

	if (a->script) {
		run_script(a->script, strlen(a->script), ";");
	}
	if (a->file_script) {
		run_script(a->file_script, a->file_len, "\n");
	}
	interactive();
}

/* shell.run="cmd; cmd; ...": run before the initrd script and the console. */
static const char *shell_run;

static int param_shell_run(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	(void)cl;
	if (!bp->value) {
		snprintf(err, len, "'shell.run': needs a value");
		return -EINVAL;
	}
	shell_run = bp->value;
	return 0;
}
BOOT_PARAM("shell.run", param_shell_run);

void shell_start(const char *file_script, size_t file_len)
{
	static struct shell_args args;

	args.script = shell_run;
	args.file_script = file_script;
	args.file_len = file_len;
	struct task *t = kthread_create(shell_main, &args, "shell");
	if (!t) {
		panic("cannot create the shell thread");
	}
	/* Unbound: when its CPU goes down, the shell moves like any task. */
	wake_up_task(t);
}
