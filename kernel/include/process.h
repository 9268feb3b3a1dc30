/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * User processes (process.c): a program from the boot archive, loaded into its own
 * address space and run by one user thread; waited for by whoever spawned it.
 */
#ifndef HP_PROCESS_H
#define HP_PROCESS_H

#include "sched.h"
#include "uapi/syscall_nr.h"
#include "uapi/hp_limits.h"
#include "ipc.h"
#include "vm.h"
#include "mutex.h"

#define PROCESS_MAX_ARGS 16
#define PROCESS_ARGS_BYTES 1024

/* One user thread of a process (process.c; its fields under proc_lock). */
struct uthread {
	struct task *task;              /* NULL: a free slot; referenced until joined or reaped */
	uintptr_t entry, usp, a0, a1;   /* where it starts in user mode */
	long value;                     /* what it passed to thread_exit */
	bool busy;                      /* taken, its task being made */
	bool ended;
	bool joining;                   /* a thread waits in thread_join for it */
};

struct process {
	/*
	 * First, so that IPC's fast path reaches them with short offsets (after the
	 * threads, which grow with the CPU count, they were past a load's 2 KiB reach).
	 */
	spinlock_t handle_lock;
	struct handle handles[HANDLES_MAX];
	int pid;                        /* its first thread's */
	char name[TASK_NAME_LEN];
	struct arch_as *as;
	int status;                     /* exit code, or 128 + signal when killed */
	/* process.c, under proc_lock: its threads; slot 0 is the first */
	struct uthread threads[PROCESS_MAX_THREADS];
	unsigned int live;              /* threads not ended yet: the last one ends it */
	bool exiting;                   /* exit, a fault or a kill: the others end too */
	int exit_status;
	struct wait_queue thread_wq;    /* woken when one of its threads ends */
	/*
	 * vm.c: the owner of every change to its address space once it runs (map, unmap,
	 * protect from any of its threads, on any CPU): two threads filling one fresh page
	 * table, or freeing one page, would otherwise both do it. A mutex: an unmap's
	 * shootdown waits for other CPUs with it held.
	 */
	struct mutex vm_lock;
	/* vm.c: CPUs that may cache its entries; its last narrowing; each CPU's last fence */
	struct cpumask tlb_cpus;
	uint64_t tlb_gen;
	/*
	 * The narrowing whose shootdown has finished (every target fenced): what the
	 * stale-TLB check compares with. A thread entering user mode on another CPU while
	 * an unmap is still fencing is no bug (the page is not freed until it is done).
	 */
	uint64_t tlb_done;
	uint64_t fenced[NR_CPUS];
	uintptr_t map_next;
	bool stale_reported;
	/* process.c, under proc_lock: who spawned it (NULL: the kernel), and its end */
	struct process *parent;
	struct list_head node;          /* every process */
	bool ended;                     /* its thread is past process_exit's report */
	bool orphan;                    /* its parent ended first: it frees itself */
	bool privileged;                /* may use the kernel-command and reboot calls */
	int hpstates;                   /* hotplug states and instances it owns (user_states.c) */
	struct completion exited;       /* spawned by the kernel: its end */
	struct wait_queue child_wq;     /* woken when one of its children ends */
};

/*
 * Loads @name from the boot archive and starts it with @argv (argv[0] is its name).
 * 0 and *out; -ENOENT, -ENOEXEC (a malformed ELF, reported in one line), -E2BIG,
 * -ENOMEM. Nothing is left behind on failure.
 */
int process_spawn(const char *name, int argc, char *const argv[], unsigned int flags,
		  struct process **out);
/*
 * spawn in two halves: process_create loads it and leaves it ready but not running,
 * process_start lets it run. With SPAWN_HANDLE, @h of the caller becomes the child's
 * handle 0; with PROCESS_CPU_CONTROL (the kernel's, for init) the CPU-control handle
 * does. A created process must be started: it is already in ps and its parent's.
 */
#define PROCESS_CPU_CONTROL (1u << 16)
int process_create(const char *name, int argc, char *const argv[], unsigned int flags,
		   long h, struct process **out);
void process_start(struct process *p);
/* For the kernel's own spawns (init): waits for it to end, frees it, its status. */
int process_wait(struct process *p);
/*
 * Asks @t's process to end with @status (137 as SIGKILL, 130 as SIGINT): it stops
 * sleeping and ends on its way back to user mode. -EPERM for a kernel task, -ESRCH if
 * it is ending already.
 */
int process_kill(struct task *t, int status);
/* The kill system call: the caller's child @pid; -ESRCH if it has none of that pid. */
int process_kill_child(int pid);
/* Whether @pid is a child of the caller that has not ended. */
bool process_is_child(int pid);
/* Whether @tid is a live thread of @p. */
bool process_thread_of(struct process *p, int tid);
/* task->killed for a thread ended alone (thread_kill), not its process. */
#define KILLED_THREAD (-2)
int process_kill_thread(int pid, int tid);
/* Any process by pid (the console's Ctrl-C); -ESRCH if there is none. */
int process_kill_pid(int pid, int status);
/* On every way back to user mode (trap.c, the first entry): a kill, the TLB check. */
void process_user_return(void);

/*
 * For the wait system call: the caller's child @pid (-1: any) once it has ended, waiting
 * at most @timeout_ms (WAIT_FOREVER, or 0 to only look). Its pid and *status; 0 when
 * none ended in time; -ECHILD when the caller has no such child.
 */
int process_wait_child(int pid, int *status, unsigned int timeout_ms);
/*
 * The current user thread ends its process with @status (exit, a fault, a kill): the
 * other threads end on their way back to user mode; the last one out ends the process.
 */
__noreturn void process_exit(int status);
/* The thread calls: a new thread of the caller's process, its tid; its end; joining one. */
long process_thread_create(uintptr_t entry, uintptr_t usp, uintptr_t a0, uintptr_t a1);
__noreturn void process_thread_exit(long value);
long process_thread_join(int tid, long *value);
/* The current user thread faulted: one line, then the process ends with @status. */
__noreturn void process_fault(const char *cause, unsigned long addr, unsigned long pc, int status);

/* Checks the boot archive and lists its programs under /bin (main.c, at boot). */
void programs_init(void);

/* The system call entry (syscall.c): @nr and a0-a5 of @self; the result or -errno. */
long syscall_dispatch(unsigned long nr, unsigned long *args, struct task *self);

/*
 * vm_activated()'s common case inline (the scheduler's switch, IPC's fast path): this
 * CPU already caches @p's space and the switch did not flush, so nothing is news.
 */
static inline void vm_note_activated(struct process *p, unsigned int cpu, bool flushed)
{
	if (flushed || !cpumask_test(&p->tlb_cpus, cpu)) {
		vm_activated(p, cpu, flushed);
	}
}

#endif
