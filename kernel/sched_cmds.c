/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The scheduler's shell commands: list tasks, set a task's affinity, start and stop
 * busy tasks (load for the hotplug tests: they migrate when their CPU goes), sleep.
 */
#include <stdio.h>
#include <string.h>
#include "command.h"
#include "sched.h"
#include "percpu.h"
#include "cmdline.h"
#include "cpumask.h"
#include "log.h"
#include "err.h"
#include "atomic.h"
#include "process.h"

static void print_task(struct task *t, void *arg)
{
	char aff[64];
	(void)arg;
	if (cpulist_format(aff, sizeof(aff), &t->allowed) < 0) {
		snprintf(aff, sizeof(aff), "(many)");
	}
	char proc[12] = "-";
	if (t->tgid) {
		snprintf(proc, sizeof(proc), "%d", t->tgid);   /* a user thread's process */
	}
	console_printf("%5d %4u  %s  %-12s %9llu %5s  %-6s %s\n", t->pid, t->cpu,
		       task_state_name(t->state), aff, (unsigned long long)t->switches, proc,
		       t->tgid ? "user" : "kernel", t->name);
}

static int cmd_ps(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	console_printf("  PID  CPU  ST AFFINITY      SWITCHES  PROC  MODE   NAME\n");
	sched_for_each_task(print_task, NULL);
	return 0;
}
SHELL_COMMAND("ps", "ps", cmd_ps);

/* The task named by @text, with a reference the caller drops (task_put). */
static int parse_pid(const char *cmd, const char *text, struct task **out)
{
	unsigned long pid;
	if (!parse_ulong(text, &pid) || pid > 1000000) {
		return shell_fail(cmd, text, -EINVAL);
	}
	*out = sched_find_task((int)pid);
	return *out ? 0 : shell_fail(cmd, text, -ENOENT);
}

static int cmd_taskset(int argc, char **argv)
{
	struct cpumask mask;
	struct task *t;
	int err;

	if (argc != 3) {
		return shell_usage("taskset");
	}
	if ((err = parse_pid("taskset", argv[1], &t))) {
		return err;
	}
	err = cpulist_parse(argv[2], &mask);
	if (!err) {
		err = sched_set_affinity(t, &mask);
	}
	task_put(t);
	return err ? shell_fail("taskset", argv[2], err) : 0;
}
SHELL_COMMAND("taskset", "taskset PID CPULIST", cmd_taskset);

/* A task that keeps a CPU busy until told to stop; only the tick preempts it. */
static void busy_fn(void *arg)
{
	(void)arg;
	while (!READ_ONCE(current_task()->should_stop)) {
		barrier();
	}
}

static int cmd_busy(int argc, char **argv)
{
	struct cpumask mask;
	int err;

	if (argc != 2) {
		return shell_usage("busy");
	}
	if ((err = cpulist_parse(argv[1], &mask))) {
		return shell_fail("busy", argv[1], err);
	}
	struct task *t = kthread_create(busy_fn, NULL, "busy");
	if (!t) {
		return shell_fail("busy", "task", -ENOMEM);
	}
	/* The mask is checked before the task runs anywhere: nothing is started on error. */
	if ((err = sched_set_affinity(t, &mask))) {
		t->should_stop = true;
		wake_up_task(t);
		return shell_fail("busy", argv[1], err);
	}
	wake_up_task(t);
	console_printf("busy: started pid %d on %s\n", t->pid, argv[1]);
	return 0;
}
SHELL_COMMAND("busy", "busy CPULIST", cmd_busy);

static int cmd_kill(int argc, char **argv)
{
	struct task *t;
	int err;

	if (argc != 2) {
		return shell_usage("kill");
	}
	if ((err = parse_pid("kill", argv[1], &t))) {
		return err;
	}
	if (t->fn == busy_fn) {                /* a shell-started kernel task */
		WRITE_ONCE(t->should_stop, true);
	} else {
		err = process_kill(t, 137);             /* -EPERM for any other kernel task */
	}
	task_put(t);
	return err ? shell_fail("kill", argv[1], err) : 0;
}
SHELL_COMMAND("kill", "kill PID (user processes, tasks started by busy)", cmd_kill);

