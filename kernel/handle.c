/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Handle tables: what a process can reach. A handle names an object (an endpoint or a
 * notification) with rights (send, receive, signal) and a badge a receiver sees; a copy
 * may only narrow them. The table has its own lock (held briefly, with interrupts off:
 * every IPC takes it); an object lives while a handle (or
 * an operation in progress, which holds a reference) names it.
 */
#include "ipc.h"
#include "process.h"
#include "spinlock.h"
#include "err.h"
#include "alloc.h"
#include "atomic.h"

int handle_install(struct process *p, const struct handle_kind *kind, void *obj,
		   unsigned int rights, unsigned long badge)
{
	int ret = -ENOSPC;
	unsigned long flags = raw_spin_lock_irqsave(&p->handle_lock);
	for (int i = 0; i < HANDLES_MAX; i++) {
		if (!p->handles[i].obj) {
			p->handles[i] = (struct handle){ .obj = obj, .kind = kind, .rights = rights,
							 .badge = badge };
			kind->get(obj, rights);
			ret = i;
			break;
		}
	}
	raw_spin_unlock_irqrestore(&p->handle_lock, flags);
	return ret;
}

/* Under the table lock: entry @h, referenced for the caller, or -EBADF. */
static int take_locked(struct process *p, long h, struct handle *out)
{
	if (h < 0 || h >= HANDLES_MAX || !p->handles[h].obj) {
		return -EBADF;
	}
	*out = p->handles[h];
	out->kind->get(out->obj, 0);
	return 0;
}

int handle_get(struct process *p, long h, const struct handle_kind *kind, unsigned int need,
	       void **obj, unsigned long *badge)
{
	struct handle e;
	unsigned long flags = raw_spin_lock_irqsave(&p->handle_lock);
	int ret = take_locked(p, h, &e);
	raw_spin_unlock_irqrestore(&p->handle_lock, flags);
	if (ret) {
		return ret;
	}
	if (e.kind != kind || (e.rights & need) != need) {
		e.kind->put(e.obj, 0);
		return e.kind != kind ? -EINVAL : -EPERM;
	}
	*obj = e.obj;
	*badge = e.badge;
	return 0;
}

int handle_dup(struct process *from, long h, struct process *to, unsigned long rights,
	       unsigned long badge)
{
	struct handle e;
	if ((rights & ~(unsigned long)(IPC_RIGHT_SEND | IPC_RIGHT_RECV | IPC_RIGHT_SIGNAL |
				      IPC_RIGHT_CONTROL)) || (badge & HPSTATE_BADGE)) {
		return -EINVAL;         /* that badge bit says "the kernel calls" */
	}
	unsigned long flags = raw_spin_lock_irqsave(&from->handle_lock);
	int err = take_locked(from, h, &e);
	raw_spin_unlock_irqrestore(&from->handle_lock, flags);
	if (err) {
		return err;
	}
	if ((e.rights & rights) != rights || (e.badge && badge && badge != e.badge)) {
		err = -EPERM;                /* rights only narrow; a badge, once given, stays */
	} else {
		err = handle_install(to, e.kind, e.obj, rights, badge ? badge : e.badge);
	}
	e.kind->put(e.obj, 0);
	return err;
}

int handle_copy(struct process *from, long h, struct process *to)
{
	struct handle e;
	unsigned long flags = raw_spin_lock_irqsave(&from->handle_lock);
	int ret = take_locked(from, h, &e);
	raw_spin_unlock_irqrestore(&from->handle_lock, flags);
	if (ret) {
		return ret;
	}
	ret = handle_install(to, e.kind, e.obj, e.rights, e.badge);
	e.kind->put(e.obj, 0);
	return ret;
}

int handle_ref(struct process *p, long h, struct handle_ref *out)
{
	struct handle e;
	unsigned long flags = raw_spin_lock_irqsave(&p->handle_lock);
	int ret = take_locked(p, h, &e);
	raw_spin_unlock_irqrestore(&p->handle_lock, flags);
	if (!ret) {
		*out = (struct handle_ref){ e.obj, e.kind, e.rights, e.badge };
	}
	return ret;
}

int handle_close(struct process *p, long h)
{
	if (h < 0 || h >= HANDLES_MAX) {
		return -EBADF;
	}
	unsigned long flags = raw_spin_lock_irqsave(&p->handle_lock);
	struct handle e = p->handles[h];
	p->handles[h].obj = NULL;
	raw_spin_unlock_irqrestore(&p->handle_lock, flags);
	if (!e.obj) {
		return -EBADF;
	}
	e.kind->put(e.obj, e.rights);
	return 0;
}

void handle_close_all(struct process *p)
{
	for (int i = 0; i < HANDLES_MAX; i++) {
		if (p->handles[i].obj) {
			handle_close(p, i);
		}
	}
}

/*
 * CPU control: one object, no state; holding a handle to it with IPC_RIGHT_CONTROL is
 * the right to change CPUs (docs/ipc.md). The kernel gives init the first one.
 */
static void cpu_control_get(void *obj, unsigned int rights)
{
	(void)obj;
	(void)rights;
}

const struct handle_kind cpu_control_kind = {
	.name = "cpu control", .get = cpu_control_get, .put = cpu_control_get,
};
static int cpu_control_object;

int handle_install_cpu_control(struct process *p)
{
	return handle_install(p, &cpu_control_kind, &cpu_control_object, IPC_RIGHT_CONTROL, 0);
}

bool handle_holds_cpu_control(struct process *p)
{
	bool held = false;
	if (!p) {
		return false;
	}
	unsigned long flags = raw_spin_lock_irqsave(&p->handle_lock);
	for (int i = 0; i < HANDLES_MAX && !held; i++) {
		held = p->handles[i].kind == &cpu_control_kind && p->handles[i].obj &&
		       (p->handles[i].rights & IPC_RIGHT_CONTROL);
	}
	raw_spin_unlock_irqrestore(&p->handle_lock, flags);
	return held;
}

/*
 * Processes and threads: a handle names a process by its pid, a thread by its tid too
 * (neither is ever reused), so it may outlive what it names; IPC_RIGHT_CONTROL is the
 * right to end it. The holder reaches
 * the process only through the handle, wherever it got it (its parent made it, or it
 * came in a message).
 */
struct process_ref {
	int refs;
	int pid;
	int tid;                              /* a thread handle's thread; 0 for a process */
};

static void process_ref_get(void *obj, unsigned int rights)
{
	(void)rights;
	atomic_add(&((struct process_ref *)obj)->refs, 1);
}

static void process_ref_put(void *obj, unsigned int rights)
{
	(void)rights;
	if (atomic_sub(&((struct process_ref *)obj)->refs, 1) == 0) {
		kfree(obj);
	}
}

const struct handle_kind process_kind = {
	.name = "process", .get = process_ref_get, .put = process_ref_put,
};

/* Threads the same way: a thread handle names its process's pid and the thread's tid. */
const struct handle_kind thread_kind = {
	.name = "thread", .get = process_ref_get, .put = process_ref_put,
};

static int install_ref(struct process *p, const struct handle_kind *kind, int pid, int tid)
{
	struct process_ref *r = kzalloc(sizeof(*r));
	if (!r) {
		return -ENOMEM;
	}
	r->pid = pid;
	r->tid = tid;
	process_ref_get(r, 0);                /* ours while we install it */
	int h = handle_install(p, kind, r, IPC_RIGHT_CONTROL, 0);
	process_ref_put(r, 0);                /* freed if the table was full */
	return h;
}

/* What @h names, if it is of @kind and holds the control right; or -errno. */
static int ref_of(struct process *p, long h, const struct handle_kind *kind, int *pid, int *tid)
{
	void *obj;
	unsigned long badge;
	int err = handle_get(p, h, kind, IPC_RIGHT_CONTROL, &obj, &badge);
	if (err) {
		return err;
	}
	*pid = ((struct process_ref *)obj)->pid;
	*tid = ((struct process_ref *)obj)->tid;
	process_ref_put(obj, 0);
	return 0;
}

int handle_install_process(struct process *p, int pid)
{
	return install_ref(p, &process_kind, pid, 0);
}

int handle_process_pid(struct process *p, long h)
{
	int pid, tid;
	int err = ref_of(p, h, &process_kind, &pid, &tid);
	return err ? err : pid;
}

int handle_install_thread(struct process *p, int pid, int tid)
{
	return install_ref(p, &thread_kind, pid, tid);
}

int handle_thread(struct process *p, long h, int *pid, int *tid)
{
	return ref_of(p, h, &thread_kind, pid, tid);
}
