/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User processes (process.c): a program from the boot archive, loaded into its own
 * address space and run by one user thread; waited for by whoever spawned it.
 */
#ifndef HP_PROCESS_H
#define HP_PROCESS_H

#include "sched.h"

#define PROCESS_MAX_ARGS 16
#define PROCESS_ARGS_BYTES 1024

struct process {
	int pid;                        /* its thread's */
	char name[TASK_NAME_LEN];
	struct arch_as *as;
	struct task *thread;            /* referenced until the process is reaped */
	int status;                     /* exit code, or 128 + signal when killed */
	uintptr_t entry, usp, uargv;    /* where its thread starts in user mode */
	int argc;
	/* vm.c: CPUs that may cache its entries; its last narrowing; each CPU's last fence */
	struct cpumask tlb_cpus;
	uint64_t tlb_gen;
	uint64_t fenced[NR_CPUS];
	uintptr_t map_next;
	bool stale_reported;
	/* process.c, under proc_lock: who spawned it (NULL: the kernel), and its end */
	struct process *parent;
	struct list_head node;          /* every process */
	bool ended;                     /* its thread is past process_exit's report */
	bool orphan;                    /* its parent ended first: it frees itself */
	struct completion exited;
};

/*
 * Loads @name from the boot archive and starts it with @argv (argv[0] is its name).
 * 0 and *out; -ENOENT, -ENOEXEC (a malformed ELF, reported in one line), -E2BIG,
 * -ENOMEM. Nothing is left behind on failure.
 */
int process_spawn(const char *name, int argc, char *const argv[], struct process **out);
/* Waits for it to end, frees it, and returns its status. */
int process_wait(struct process *p);
/*
 * Asks @t's process to end (status 137, as SIGKILL): it stops sleeping and ends on its
 * way back to user mode. -EPERM for a kernel task, -ESRCH if it is ending already.
 */
int process_kill(struct task *t);
/* The kill system call: the caller's child @pid; -ESRCH if it has none of that pid. */
int process_kill_child(int pid);
/* On every way back to user mode (trap.c, the first entry): a kill, the TLB check. */
void process_user_return(void);

/* For the wait system call: the caller's child @pid waited for; -ECHILD if none. */
int process_wait_child(int pid, int *status);
/* The current user thread ends its process with @status. */
__noreturn void process_exit(int status);
/* The current user thread faulted: one line, then the process ends with @status. */
__noreturn void process_fault(const char *cause, unsigned long addr, unsigned long pc, int status);

/*
 * The shell's way to a program (programs.c): runs /bin/@argv[0] and waits; a non-zero
 * status is printed. -ENOENT when there is no such program.
 */
int program_run(int argc, char **argv);
/* "prog args &": starts it, prints "[PID] NAME", and says "[PID] NAME: done, ..." later. */
int program_run_background(int argc, char **argv);
/* Checks the boot archive and lists its programs under /bin (main.c, at boot). */
void programs_init(void);

/* The system call entry (syscall.c): @nr and a0-a5; the result or -errno. */
long syscall_dispatch(unsigned long nr, unsigned long *args);

#endif
