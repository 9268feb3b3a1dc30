/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The first user process. The kernel starts /bin/init, which starts the shell, and
 * publishes what the shell is to run at boot: shell.run="cmd; cmd" as
 * /sys/kernel/boot/run and the initrd's script (one command a line) as
 * /sys/kernel/boot/script. If init ends, nothing is left to run the system: the kernel
 * says so and powers off rather than hang silently.
 */
#include <string.h>
#include <stdio.h>
#include "kcmd.h"
#include "process.h"
#include "sysfs.h"
#include "param.h"
#include "reboot.h"
#include "log.h"
#include "err.h"

static const char *shell_run;
static const char *file_script;
static size_t file_len;

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

static long read_text(const char *text, size_t n, char *buf, size_t len, size_t off)
{
	if (off >= n) {
		return 0;
	}
	size_t k = MIN(len, n - off);
	memcpy(buf, text + off, k);
	return (long)k;
}

static long read_run(void *arg, char *buf, size_t len, size_t off)
{
	(void)arg;
	return read_text(shell_run ? shell_run : "", shell_run ? strlen(shell_run) : 0, buf, len, off);
}

static long read_script(void *arg, char *buf, size_t len, size_t off)
{
	(void)arg;
	return read_text(file_script ? file_script : "",
			 file_script ? strnlen(file_script, file_len) : 0, buf, len, off);
}

__noreturn void init_run(const char *script, size_t len)
{
	char *argv[] = { "init" };
	struct process *p;

	file_script = script;
	file_len = len;
	sysfs_mkdir("/sys/kernel/boot");
	sysfs_add_stream("/sys/kernel/boot/run", read_run, NULL);
	sysfs_add_stream("/sys/kernel/boot/script", read_script, NULL);
	kcmd_init();
	/* init holds the CPU-control right (its handle 0) and hands it to the shell. */
	int err = process_spawn("init", 1, argv, PROCESS_CPU_CONTROL, &p);
	if (err) {
		pr_err("init: cannot start /bin/init: %s (%s); powering off\n", err_text(err),
			 err_name(err));
		kernel_poweroff();
	}
	int pid = p->pid;
	int status = process_wait(p);
	pr_err("init[%d]: ended with status %d; nothing is left to run the system: powering off\n",
		 pid, status);
	kernel_poweroff();
}
