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
	struct process *p = arg;

	process_user_return();
	arch_enter_user(p->entry, p->usp, (uintptr_t)p->argc, p->uargv,
			task_stack_top(current_task()));
}

int process_spawn(const char *name, int argc, char *const argv[], struct process **out)
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
	p->as = arch_as_create();
	p->entry = elf.entry;
	p->argc = argc;
	if (!p->as) {
		err = -ENOMEM;
	} else if (!(err = load_segments(p->as, img, &elf))) {
		err = build_stack(p->as, argc, argv, &p->usp, &p->uargv);
	}
	if (!err) {
		p->thread = kthread_create(user_thread, p, p->name);
		err = p->thread ? 0 : -ENOMEM;
	}
	if (err) {
		arch_as_destroy(p->as);
		kfree(p);
		return err;
	}
	struct task *t = p->thread;
	t->as = p->as;
	t->proc = p;
	p->pid = t->pid;
	p->parent = current_task()->proc;     /* NULL when the kernel spawns it */
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_add_tail(&p->node, &procs);
	spin_unlock_irqrestore(&proc_lock, flags);
	task_get(t);
	kthread_start(t);
	*out = p;
	return 0;
}

/* Frees an ended process: its address space, its thread reference, itself. */
static void process_free(struct process *p)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_del(&p->node);
	spin_unlock_irqrestore(&proc_lock, flags);
	arch_as_destroy(p->as);
	task_put(p->thread);
	kfree(p);
}

void process_exit(int status)
{
	struct task *t = current_task();
	struct process *p = t->proc, *done[16];
	unsigned int ndone = 0;
	struct list_head *pos, *tmp;
	bool orphan = false;

	p->status = status;
	/* Off the process's table before anyone may free it. */
	unsigned long flags = arch_irq_save();
	struct cpu *c = this_cpu();
	t->as = NULL;
	c->active_as = NULL;
	arch_as_activate(NULL);
	arch_irq_restore(flags);
	/* Our children: the ended ones we free, the others free themselves when they end. */
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
		if (ndone < ARRAY_SIZE(done)) {
			/* Reported under the lock: whoever frees us sees ended only after this. */
			p->ended = true;
			orphan = p->orphan;
			t->proc = NULL;
			if (!orphan) {
				complete(&p->exited);
			}
		}
		spin_unlock_irqrestore(&proc_lock, flags);
		for (unsigned int i = 0; i < ndone; i++) {
			process_free(done[i]);
		}
	} while (ndone == ARRAY_SIZE(done));
	if (orphan) {
		/* Nobody will wait for us: we are off our table, so we can free it all. */
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
	process_free(p);
	return status;
}

int process_wait_child(int pid, int *status)
{
	struct process *self = current_task()->proc, *child = NULL;
	struct list_head *pos, *tmp;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_for_each_safe(pos, tmp, &procs) {
		struct process *q = list_entry(pos, struct process, node);
		if (q->pid == pid && q->parent == self && self && !q->orphan) {
			child = q;
			q->parent = NULL;        /* one waiter: a second wait finds no child */
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!child) {
		return -ECHILD;
	}
	*status = process_wait(child);
	return 0;
}

int process_kill(struct task *t)
{
	unsigned long flags = spin_lock_irqsave(&proc_lock);
	struct process *p = t->proc;
	int err = !p ? -EPERM : p->ended ? -ESRCH : 0;
	if (!err) {
		WRITE_ONCE(t->killed, true);
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!err) {
		sched_try_wake(t, TASK_SLEEPING);
	}
	return err;
}

int process_kill_child(int pid)
{
	struct process *self = current_task()->proc;
	struct list_head *pos, *tmp;
	struct task *victim = NULL;

	unsigned long flags = spin_lock_irqsave(&proc_lock);
	list_for_each_safe(pos, tmp, &procs) {
		struct process *q = list_entry(pos, struct process, node);
		if (q->pid == pid && self && q->parent == self && !q->ended) {
			victim = q->thread;
			task_get(victim);
			break;
		}
	}
	spin_unlock_irqrestore(&proc_lock, flags);
	if (!victim) {
		return -ESRCH;
	}
	int err = process_kill(victim);
	task_put(victim);
	return err;
}

void process_user_return(void)
{
	struct task *t = current_task();
	if (READ_ONCE(t->killed)) {
		pr_info("%s[%d]: killed\n", t->name, t->pid);
		process_exit(137);
	}
	vm_check_user_entry();
}
