/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Spawning, running and reaping user processes. The loader maps each segment page by
 * page from fresh zeroed pages (W^X was checked by elf_check), then a 64 KiB stack
 * under the top of the user range with argc/argv on it; the thread leaves for user
 * mode from its kernel stack. The address space is freed only once the thread has
 * switched to the kernel's table, so no CPU can be walking it.
 */
#include <string.h>
#include <stdio.h>
#include "process.h"
#include "user_states.h"
#include "archive.h"
#include "elf_load.h"
#include "page_alloc.h"
#include "alloc.h"
#include "percpu.h"
#include "log.h"
#include "err.h"
#include "vm.h"
#include "spinlock.h"
#include "list.h"
#include "atomic.h"
#include "tty.h"
#include "arch.h"
#include "cpumask.h"

#define STACK_PAGES 16
#define STACK_TOP ARCH_USER_TOP

static spinlock_t proc_lock = SPINLOCK_INIT;
static struct list_head procs = LIST_HEAD_INIT(procs);

static unsigned int elf_to_arch_prot(unsigned int p)
{
	return ((p & ELF_PROT_R) ? ARCH_PROT_R : 0) | ((p & ELF_PROT_W) ? ARCH_PROT_W : 0) |
	       ((p & ELF_PROT_X) ? ARCH_PROT_X : 0);
}

/* One page at @va holding bytes [from, from + n) of the file at page offset @at. */
static int map_page(struct arch_as *as, uintptr_t va, const char *src, size_t n, size_t at,
		    unsigned int prot)
{
	void *page = page_alloc();
	if (!page) {
		return -ENOMEM;
	}
	if (n) {
		memcpy((char *)page + at, src, n);
	}
	int err = arch_as_map(as, va, page, prot);
	if (err) {
		page_free(page);
	}
	return err;
}

static int load_segments(struct arch_as *as, const char *img, const struct elf_image *elf)
{
	for (unsigned int i = 0; i < elf->nsegs; i++) {
		const struct elf_segment *s = &elf->segs[i];
		uintptr_t start = s->vaddr & ~(uintptr_t)(PAGE_SIZE - 1);
		uintptr_t end = (s->vaddr + s->memsz + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
		for (uintptr_t va = start; va < end; va += PAGE_SIZE) {
			/* The part of the file that falls into this page, if any. */
			uintptr_t lo = MAX(va, (uintptr_t)s->vaddr);
			uintptr_t hi = MIN(va + PAGE_SIZE, (uintptr_t)(s->vaddr + s->filesz));
			size_t n = hi > lo ? hi - lo : 0;
			int err = map_page(as, va, img + s->offset + (lo - s->vaddr), n, lo - va,
					   elf_to_arch_prot(s->prot));
			if (err) {
				return err;
			}
		}
	}
	return 0;
}

/*
 * The stack: STACK_PAGES pages under STACK_TOP; at its top the argument strings, then
 * the argv pointers (NULL-terminated), 16-byte aligned. *usp and *uargv come back.
 */
static int build_stack(struct arch_as *as, int argc, char *const argv[], uintptr_t *usp,
		       uintptr_t *uargv)
{
	void *top = NULL;
	for (int i = 0; i < STACK_PAGES; i++) {
		void *page = page_alloc();
		if (!page) {
			return -ENOMEM;
		}
		uintptr_t va = STACK_TOP - (uintptr_t)(i + 1) * PAGE_SIZE;
		int err = arch_as_map(as, va, page, ARCH_PROT_R | ARCH_PROT_W);
		if (err) {
			page_free(page);
			return err;
		}
		if (i == 0) {
			top = page;
		}
	}
	/* Everything goes in the top page, written through its kernel address. */
	char *k = (char *)top + PAGE_SIZE;
	uintptr_t u = STACK_TOP, ptrs[PROCESS_MAX_ARGS + 1];
	for (int i = argc - 1; i >= 0; i--) {
		size_t n = strlen(argv[i]) + 1;
		k -= n;
		u -= n;
		memcpy(k, argv[i], n);
		ptrs[i] = u;
	}
	ptrs[argc] = 0;
	size_t bytes = (size_t)(argc + 1) * sizeof(uintptr_t);
	uintptr_t down = (u - bytes) & ~(uintptr_t)15;
	k -= u - down;
	u = down;
	memcpy(k, ptrs, bytes);
	*uargv = u;
	*usp = u;
	return 0;
}

static void user_thread(void *arg)
{
	struct uthread *u = arg;

	process_user_return();
	arch_enter_user(u->entry, u->usp, u->a0, u->a1, task_stack_top(current_task()));
}

int process_spawn(const char *name, int argc, char *const argv[], unsigned int flags,
		  struct process **out)
{
	int err = process_create(name, argc, argv, flags & ~(unsigned int)SPAWN_HANDLE, -1, out);
	if (!err) {
		process_start(*out);
	}
	return err;
}

int process_create(const char *name, int argc, char *const argv[], unsigned int flags,
		   long h, struct process **out)
{
	const void *img;
	size_t len, args = 0;
	char why[80];
	struct elf_image elf;

	if (argc < 1 || argc > PROCESS_MAX_ARGS) {
		return -E2BIG;
	}
	for (int i = 0; i < argc; i++) {
		args += strlen(argv[i]) + 1;
	}
	if (args > PROCESS_ARGS_BYTES) {
		return -E2BIG;
	}
	int err = archive_find(name, &img, &len);
	if (err) {
		return err;
	}
	err = elf_check(img, len, ARCH_USER_BASE, STACK_TOP - STACK_PAGES * PAGE_SIZE, &elf, why,
			sizeof(why));
	if (err) {
		pr_err("%s: not run: %s\n", name, why);
		return err;
	}
	struct process *p = kzalloc(sizeof(*p));
	if (!p) {
		return -ENOMEM;
	}
	snprintf(p->name, sizeof(p->name), "%s", name);
	completion_init(&p->exited);
	wait_queue_init(&p->child_wq);
	wait_queue_init(&p->thread_wq);
	spin_lock_init(&p->handle_lock);
	mutex_init(&p->vm_lock);
	p->as = arch_as_create();
	struct uthread *u = &p->threads[0];
	u->entry = elf.entry;
	u->a0 = (uintptr_t)argc;
	if (!p->as) {
		err = -ENOMEM;
	} else if (!(err = load_segments(p->as, img, &elf))) {
		err = build_stack(p->as, argc, argv, &u->usp, &u->a1);
	}
	if (!err && (flags & PROCESS_CPU_CONTROL)) {
		err = handle_install_cpu_control(p);
		err = err < 0 ? err : 0;
	}
	if (!err && (flags & SPAWN_HANDLE)) {
		struct process *self = current_task()->proc;
		err = self ? handle_copy(self, h, p) : -EBADF;
		err = err < 0 ? err : 0;         /* the child's first handle: number 0 */
	}
	if (!err) {
		u->task = kthread_create(user_thread, u, p->name);
		err = u->task ? 0 : -ENOMEM;
	}
	if (err) {
		handle_close_all(p);
		arch_as_destroy(p->as);
		kfree(p);
		return err;
	}
	struct task *t = u->task;
	p->live = 1;
	t->as = p->as;
	t->proc = p;
	p->pid = t->pid;
	t->tgid = p->pid;
	p->parent = current_task()->proc;     /* NULL when the kernel spawns it */
	/* Privilege only narrows: init has it, and what it starts unless told otherwise. */
	p->privileged = !(flags & SPAWN_UNPRIVILEGED) && (!p->parent || p->parent->privileged);
	unsigned long irq = spin_lock_irqsave(&proc_lock);
	list_add_tail(&p->node, &procs);
	spin_unlock_irqrestore(&proc_lock, irq);
	*out = p;
	return 0;
}

void process_start(struct process *p)
{
	struct task *t = p->threads[0].task;
	task_get(t);
	kthread_start(t);
}

/* Frees an ended process: its address space, its threads' references, itself. */
static void process_free(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_del(&p->node);
	spin_unlock_irqrestore(&proc_lock, flags);
	arch_as_destroy(p->as);
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		if (p->threads[i].task) {
			task_put(p->threads[i].task);
		}
	}
	kfree(p);
}

/*
 * Frees an ended process once its threads are off their CPUs, so that when wait
 * returns the child is entirely gone (meminfo counts nothing of it). Other references
 * (ps, kill) are held for a few instructions; a thread's own goes in its CPU's switch.
 */
static void process_reap(struct process *p)
{
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		if (p->threads[i].task) {
			task_wait_unreferenced(p->threads[i].task);
		}
	}
	process_free(p);
}

static struct uthread *slot_of(struct process *p, struct task *t)
{
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		if (p->threads[i].task == t) {
			return &p->threads[i];
		}
	}
	panic("%s[%d]: a user thread not in its process", t->name, t->pid);
}

/* The thread leaves the address space: from here on it may be freed under us. */
static void leave_address_space(struct task *t)
{
	unsigned long flags = arch_irq_save();
	t->as = NULL;
	this_cpu()->active_as = NULL;
	arch_as_activate(NULL);
	arch_irq_restore(flags);
}

/*
 * Under proc_lock: the process ends with @status; its other live threads are told to
 * end (killed -1: quietly, on their way back to user mode). False if it was ending.
 */
static bool begin_exit_locked(struct process *p, struct task *self, int status,
			      struct task **wake, unsigned int *nwake)
{
	if (p->exiting) {
		return false;
	}
	p->exiting = true;
	p->exit_status = status;
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		struct uthread *u = &p->threads[i];
		if (u->task && u->task != self && !u->ended) {
			if (!u->task->killed) {
				WRITE_ONCE(u->task->killed, -1);
			}
			task_get(u->task);
			wake[(*nwake)++] = u->task;
		}
	}
	return true;
}

static void wake_killed(struct task **wake, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		sched_release_killed(wake[i]);      /* a bound thread may end on any CPU */
		sched_try_wake(wake[i], TASK_SLEEPING);
		task_put(wake[i]);
	}
}

static __noreturn void process_finish(struct process *p, struct task *t);

/*
 * The calling thread ends. Interrupts stay off from its report to its final switch:
 * whoever joins or reaps it waits for its own reference, which goes only once it is off
 * its stack, and must not wait out a preemption in between.
 */
static __noreturn void thread_end(long value)
{
	struct task *t = current_task();
	struct process *p = t->proc;

	ipc_thread_end(t);
	leave_address_space(t);
	arch_irq_disable();
	raw_spin_lock(&proc_lock);
	struct uthread *u = slot_of(p, t);
	u->value = value;
	u->ended = true;
	bool last = --p->live == 0;
	if (!last) {
		t->proc = NULL;
		wake_up_all(&p->thread_wq);
		raw_spin_unlock(&proc_lock);
		task_exit();
	}
	raw_spin_unlock(&proc_lock);
	arch_irq_enable();
	process_finish(p, t);
}

void process_thread_exit(long value)
{
	thread_end(value);
}

long process_thread_create(uintptr_t entry, uintptr_t usp, uintptr_t a0, uintptr_t a1)
{
	struct task *self = current_task();
	struct process *p = self->proc;
	struct uthread *u = NULL;

	if (entry < ARCH_USER_BASE || entry >= ARCH_USER_TOP || usp % 16 || usp <= ARCH_USER_BASE ||
	    usp > ARCH_USER_TOP) {
		return -EINVAL;
	}
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS && !p->exiting; i++) {
		if (!p->threads[i].task && !p->threads[i].busy) {
			u = &p->threads[i];
			u->busy = true;
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!u) {
		return -EAGAIN;
	}
	struct task *t = kthread_create(user_thread, u, p->name);
	if (!t) {
		flags = spin_lock_irqsave(&proc_lock);
		u->busy = false;
		spin_unlock_irqrestore(&proc_lock, flags);
		return -ENOMEM;
	}
	u->entry = entry;
	u->usp = usp;
	u->a0 = a0;
	u->a1 = a1;
	u->ended = false;
	t->as = p->as;
	t->proc = p;
	t->tgid = p->pid;
	t->allowed = self->allowed;
	task_get(t);                         /* the slot's: until joined or reaped */
	flags = spin_lock_irqsave(&proc_lock);
	u->task = t;
	u->busy = false;
	p->live++;
	if (p->exiting) {
		t->killed = -1;                  /* born into an exit: it ends at once */
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	int tid = t->pid;
	kthread_start(t);
	return tid;
}

long process_thread_join(int tid, long *value)
{
	struct task *self = current_task();
	struct process *p = self->proc;
	struct uthread *u = NULL;
	struct waiter w = { .queued = false };

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		struct uthread *c = &p->threads[i];
		if (c->task && c->task->pid == tid && c->task != self && !c->joining) {
			u = c;
			u->joining = true;
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!u) {
		return -ESRCH;
	}
	bool ended;
	for (;;) {
		prepare_to_wait(&p->thread_wq, &w);
		flags = spin_lock_irqsave(&proc_lock);
		ended = u->ended;
		spin_unlock_irqrestore(&proc_lock, flags);
		if (ended || READ_ONCE(self->killed)) {
			break;
		}
		schedule();
	}
	finish_wait(&p->thread_wq, &w);
	if (!ended) {
		flags = spin_lock_irqsave(&proc_lock);
		u->joining = false;
		spin_unlock_irqrestore(&proc_lock, flags);
		return -EINTR;
	}
	task_wait_unreferenced(u->task);
	task_put(u->task);
	*value = u->value;
	flags = spin_lock_irqsave(&proc_lock);
	u->task = NULL;                      /* a free slot again */
	u->joining = false;
	u->ended = false;
	spin_unlock_irqrestore(&proc_lock, flags);
	return 0;
}

void process_exit(int status)
{
	struct task *t = current_task();
	struct process *p = t->proc;
	struct task *wake[PROCESS_MAX_THREADS];
	unsigned int nwake = 0;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	begin_exit_locked(p, t, status, wake, &nwake);
	spin_unlock_irqrestore(&proc_lock, flags);
	wake_killed(wake, nwake);
	thread_end(0);
}

/* The last thread out ends the process: its children, its report, its own end. */
static __noreturn void process_finish(struct process *p, struct task *t)
{
	struct process *done[16];
	unsigned int ndone = 0;
	struct list_head *pos, *tmp;
	bool orphan = false;

	p->status = p->exiting ? p->exit_status : 0;
	tty_process_ended(p->pid);
	/*
	 * Its hotplug states are skipped from now on, then its endpoints lose a receiver
	 * (callers queued on them get -EPIPE now), then the states go (user_states.c).
	 */
	user_states_owner_ending(p);
	handle_close_all(p);
	user_states_owner_ended(p);
	unsigned long flags;
	/*
	 * Our children: the ended ones we free, the others free themselves when they end.
	 * One scan decides every child (our other threads have ended: no more children
	 * come); the loop is only for more ended children than the batch holds.
	 */
	do {
		ndone = 0;
		flags = spin_lock_irqsave(&proc_lock);
		list_for_each_safe(pos, tmp, &procs) {
			struct process *q = list_entry(pos, struct process, node);
			if (q->parent == p && !q->orphan) {
				if (q->ended && ndone < ARRAY_SIZE(done)) {
					q->orphan = true;
					done[ndone++] = q;
				} else if (!q->ended) {
					q->orphan = true;
				}
			}
		}
		spin_unlock_irqrestore(&proc_lock, flags);
		for (unsigned int i = 0; i < ndone; i++) {
			process_reap(done[i]);
		}
	} while (ndone == ARRAY_SIZE(done));
	/*
	 * Reported under the lock: whoever frees us sees ended only after this.
	 * Interrupts stay off from here to the final switch: our reaper waits for our
	 * own reference, which goes only once we are off our stack, and must not wait
	 * out a preemption in between.
	 */
	arch_irq_disable();
	raw_spin_lock(&proc_lock);
	p->ended = true;
	orphan = p->orphan;
	t->proc = NULL;
	if (!orphan && p->parent) {
		wake_up_all(&p->parent->child_wq);
	} else if (!orphan) {
		complete(&p->exited);
	}
	raw_spin_unlock(&proc_lock);
	if (orphan) {
		/* Nobody will wait for us: we are off our table, so we can free it all. */
		arch_irq_enable();
		process_free(p);
	}
	task_exit();
}

void process_fault(const char *cause, unsigned long addr, unsigned long pc, int status)
{
	struct task *t = current_task();
	pr_err("%s[%d]: killed: %s at 0x%lx (pc 0x%lx)\n", t->name, t->pid, cause, addr, pc);
	process_exit(status);
}

int process_wait(struct process *p)
{
	wait_for_completion(&p->exited);
	int status = p->status;
	process_reap(p);
	return status;
}

int process_wait_child(int pid, int *status, unsigned int timeout_ms)
{
	struct process *self = current_task()->proc, *found = NULL;
	struct list_head *pos;
	struct waiter w = { .queued = false };
	uint64_t deadline = deadline_after_ms(timeout_ms);
	bool any;

	if (!self) {
		return -ECHILD;
	}
	for (;;) {
		prepare_to_wait(&self->child_wq, &w);
		any = false;
		unsigned long flags = spin_lock_irqsave(&proc_lock);
		list_for_each(pos, &procs) {
			struct process *q = list_entry(pos, struct process, node);
			if (q->parent == self && !q->orphan && (pid == -1 || q->pid == pid)) {
				any = true;
				if (q->ended) {
					found = q;
					q->parent = NULL;   /* ours to reap: nobody else sees it */
					break;
				}
			}
		}
		spin_unlock_irqrestore(&proc_lock, flags);
		if (found || !any || deadline_passed(deadline) || READ_ONCE(current_task()->killed)) {
			break;
		}
		schedule_until(deadline);
	}
	finish_wait(&self->child_wq, &w);
	if (!any) {
		return -ECHILD;
	}
	if (!found) {
		return 0;                    /* still running: timed out, or we are killed */
	}
	int ret = found->pid;
	*status = found->status;
	process_reap(found);
	return ret;
}

/* Under proc_lock: tells every live thread of @p to end with @status; -ESRCH if ending. */
static int kill_locked(struct process *p, int status, struct task **wake, unsigned int *nwake)
{
	if (p->ended || p->exiting) {
		return -ESRCH;
	}
	for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
		struct uthread *u = &p->threads[i];
		if (u->task && !u->ended) {
			if (!u->task->killed) {
				WRITE_ONCE(u->task->killed, status);
			}
			task_get(u->task);
			wake[(*nwake)++] = u->task;
		}
	}
	return 0;
}

int process_kill(struct task *t, int status)
{
	struct task *wake[PROCESS_MAX_THREADS];
	unsigned int nwake = 0;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	struct process *p = t->proc;
	int err = p ? kill_locked(p, status, wake, &nwake) : -EPERM;
	spin_unlock_irqrestore(&proc_lock, flags);
	wake_killed(wake, nwake);
	return err;
}

/* Kills the process @pid, if @parent is NULL or is its parent. */
static int kill_pid(int pid, struct process *parent, int status)
{
	struct task *wake[PROCESS_MAX_THREADS];
	unsigned int nwake = 0;
	struct list_head *pos;
	int err = -ESRCH;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_for_each(pos, &procs) {
		struct process *q = list_entry(pos, struct process, node);
		if (q->pid == pid && (!parent || q->parent == parent)) {
			err = kill_locked(q, status, wake, &nwake);
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	wake_killed(wake, nwake);
	return err;
}

/*
 * Thread @tid of process @pid ends alone, as if it called thread_exit(137), on its way
 * back to user mode (a sleep or an IPC wait ends first, -EINTR); the last live thread
 * of its process ends the process, with 137. -ESRCH if it has ended or was told to.
 */
int process_kill_thread(int pid, int tid)
{
	struct task *t = NULL;
	struct list_head *pos;
	int err = -ESRCH;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_for_each(pos, &procs) {
		struct process *q = list_entry(pos, struct process, node);
		if (q->pid != pid || q->ended || q->exiting) {
			continue;
		}
		for (unsigned int i = 0; i < PROCESS_MAX_THREADS; i++) {
			struct uthread *u = &q->threads[i];
			if (u->task && u->task->pid == tid && !u->ended && !u->task->killed) {
				WRITE_ONCE(u->task->killed, KILLED_THREAD);
				t = u->task;
				task_get(t);
				err = 0;
			}
		}
		break;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (t) {
		wake_killed(&t, 1);
	}
	return err;
}

bool process_thread_of(struct process *p, int tid)
{
	bool found = false;
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	for (unsigned int i = 0; p && i < PROCESS_MAX_THREADS; i++) {
		found |= p->threads[i].task && p->threads[i].task->pid == tid && !p->threads[i].ended;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return found;
}

bool process_is_child(int pid)
{
	struct process *self = current_task()->proc;
	struct list_head *pos;
	bool found = false;
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_for_each(pos, &procs) {
		struct process *q = list_entry(pos, struct process, node);
		found |= self && q->pid == pid && q->parent == self && !q->ended;
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	return found;
}

int process_kill_child(int pid)
{
	struct process *self = current_task()->proc;
	return self ? kill_pid(pid, self, 137) : -ESRCH;
}

int process_kill_pid(int pid, int status)
{
	return kill_pid(pid, NULL, status);
}

void process_user_return(void)
{
	struct task *t = current_task();
	int killed = READ_ONCE(t->killed);
	if (killed == KILLED_THREAD) {
		/* This thread alone (thread_kill); the last one ends its process with 137. */
		struct task *wake[PROCESS_MAX_THREADS];
		unsigned int nwake = 0;
		unsigned long flags = spin_lock_irqsave(&proc_lock);
		bool last = t->proc->live == 1 && begin_exit_locked(t->proc, t, 137, wake, &nwake);
		spin_unlock_irqrestore(&proc_lock, flags);
		if (last) {
			pr_info("%s[%d]: killed\n", t->name, t->pid);
		}
		thread_end(137);
	}
	if (killed) {
		struct task *wake[PROCESS_MAX_THREADS];
		unsigned int nwake = 0;
		/* The first thread to see a kill ends the process and says so; -1 is a sibling's exit. */
		unsigned long flags = spin_lock_irqsave(&proc_lock);
		bool first = begin_exit_locked(t->proc, t, killed > 0 ? killed : 0, wake, &nwake);
		spin_unlock_irqrestore(&proc_lock, flags);
		wake_killed(wake, nwake);
		if (first && killed > 0) {
			pr_info("%s[%d]: killed\n", t->name, t->pid);
		}
		thread_end(0);
	}
	vm_check_user_entry();
}
