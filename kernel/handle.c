/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Handle tables: what a process can reach. A handle names an endpoint with rights
 * (send, receive) and a badge the receiver sees; a copy may only narrow them. The
 * table has its own lock; an endpoint lives while a handle (or an IPC in progress,
 * which holds a reference) names it.
 */
#include "ipc.h"
#include "process.h"
#include "spinlock.h"
#include "err.h"
#include "arch.h"

/* Short holds with interrupts off, no preemption count: the IPC path takes it each call. */
static unsigned long table_lock(struct process *p)
{
	unsigned long flags = arch_irq_save();
	raw_spin_lock(&p->handle_lock);
	return flags;
}

static void table_unlock(struct process *p, unsigned long flags)
{
	raw_spin_unlock(&p->handle_lock);
	arch_irq_restore(flags);
}

int handle_install(struct process *p, struct endpoint *ep, unsigned int rights, unsigned long badge)
{
	int ret = -ENOSPC;
	unsigned long flags = table_lock(p);
	for (int i = 0; i < HANDLES_MAX; i++) {
		if (!p->handles[i].ep) {
			p->handles[i] = (struct handle){ .ep = ep, .rights = rights, .badge = badge };
			endpoint_get(ep, rights);
			ret = i;
			break;
		}
	}
	table_unlock(p, flags);
	return ret;
}

int handle_get(struct process *p, long h, unsigned int need, struct endpoint **ep,
	       unsigned long *badge)
{
	int ret = 0;
	if (h < 0 || h >= HANDLES_MAX) {
		return -EBADF;
	}
	unsigned long flags = table_lock(p);
	struct handle *e = &p->handles[h];
	if (!e->ep) {
		ret = -EBADF;
	} else if ((e->rights & need) != need) {
		ret = -EPERM;
	} else {
		*ep = e->ep;
		*badge = e->badge;
		endpoint_get(e->ep, 0);
	}
	table_unlock(p, flags);
	return ret;
}

int handle_dup(struct process *from, long h, struct process *to, unsigned int rights,
	       unsigned long badge)
{
	struct endpoint *ep;
	unsigned long old;
	if (rights & ~(unsigned int)(IPC_RIGHT_SEND | IPC_RIGHT_RECV)) {
		return -EINVAL;
	}
	int err = handle_get(from, h, rights, &ep, &old);
	if (err) {
		return err;
	}
	if (old && badge && badge != old) {
		err = -EPERM;                /* a badge, once given, stays */
	} else {
		err = handle_install(to, ep, rights, badge ? badge : old);
	}
	endpoint_put(ep, 0);
	return err;
}

int handle_copy(struct process *from, long h, struct process *to)
{
	if (h < 0 || h >= HANDLES_MAX) {
		return -EBADF;
	}
	unsigned long flags = table_lock(from);
	struct handle e = from->handles[h];
	if (e.ep) {
		endpoint_get(e.ep, 0);
	}
	table_unlock(from, flags);
	if (!e.ep) {
		return -EBADF;
	}
	int ret = handle_install(to, e.ep, e.rights, e.badge);
	endpoint_put(e.ep, 0);
	return ret;
}

int handle_close(struct process *p, long h)
{
	if (h < 0 || h >= HANDLES_MAX) {
		return -EBADF;
	}
	unsigned long flags = table_lock(p);
	struct handle e = p->handles[h];
	p->handles[h].ep = NULL;
	table_unlock(p, flags);
	if (!e.ep) {
		return -EBADF;
	}
	endpoint_put(e.ep, e.rights);
	return 0;
}

void handle_close_all(struct process *p)
{
	for (int i = 0; i < HANDLES_MAX; i++) {
		handle_close(p, i);
	}
}
