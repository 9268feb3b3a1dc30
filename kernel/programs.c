/* SPDX-License-Identifier: BSD-2-Clause */
/* /bin: the boot archive's programs, listed in the file tree and run by name. */
#include <stdio.h>
#include "process.h"
#include "archive.h"
#include "sysfs.h"
#include "log.h"
#include "err.h"

static int show_program(void *arg, char *buf, size_t len)
{
	const char *name = arg;
	const void *data;
	size_t size;
	if (archive_find(name, &data, &size)) {
		return -ENOENT;
	}
	return snprintf(buf, len, "%s: user program, %zu bytes\n", name, size);
}

void programs_init(void)
{
	size_t size;
	const char *name;
	char path[64];

	archive_init();
	sysfs_mkdir("/bin");
	for (unsigned int i = 0; (name = archive_entry(i, &size)) != NULL; i++) {
		snprintf(path, sizeof(path), "/bin/%s", name);
		sysfs_add_file(path, show_program, NULL, (void *)name);
	}
}

/* Spawns for the shell: a failure other than "no such program" is said in one line. */
static int spawn(int argc, char **argv, struct process **p)
{
	int err = process_spawn(argv[0], argc, argv, p);
	if (err && err != -ENOENT) {
		console_printf("%s: cannot run: %s (%s)\n", argv[0], err_text(err), err_name(err));
	}
	return err;
}

int program_run(int argc, char **argv)
{
	struct process *p;
	int err = spawn(argc, argv, &p);
	if (err) {
		return err;
	}
	int status = process_wait(p);
	if (status) {
		console_printf("%s: exit status %d\n", argv[0], status);
	}
	return status ? -EIO : 0;
}

/* Waits for a background program and says how it ended. */
static void reap_background(void *arg)
{
	struct process *p = arg;
	int pid = p->pid;
	char name[TASK_NAME_LEN];
	snprintf(name, sizeof(name), "%s", p->name);
	int status = process_wait(p);
	console_printf("[%d] %s: done, exit status %d\n", pid, name, status);
}

int program_run_background(int argc, char **argv)
{
	struct process *p;
	int err = spawn(argc, argv, &p);
	if (err) {
		return err;
	}
	console_printf("[%d] %s\n", p->pid, argv[0]);
	if (!kthread_run(reap_background, p, "reaper")) {
		/* No thread to wait for it: wait here rather than leak it. */
		reap_background(p);
	}
	return 0;
}
