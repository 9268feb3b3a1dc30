/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC's fast path (docs/ipc.md): a call, or a reply_recv that answers a caller, of
 * register words only, passing no handle and waiting for ever, whose partner sleeps on
 * this CPU and may run here. The message goes straight to the partner, which gets the
 * CPU at once: no wake-up, no run queue (sched_handoff_*).
 *
 * The thread that makes such a call sleeps "parked at its system call": entry.S saved
 * every user register in its frame for these two calls, its kernel stack holds
 * nothing else, and its saved context runs fast_continue(), which finishes the system
 * call from the frame. So a partner that answers it later on this path need not
 * switch to it at all: it writes the answer into the parked thread's registers and
 * leaves for user mode from that frame, as L4 and seL4 return to the receiver.
 * Whoever else ends the wait (the slow path, another CPU, a kill, a peer that died)
 * wakes it as any sleeper, and fast_continue() finishes as the slow path would.
 *
 * Who takes the fast path is decided under the same locks as the slow path's, in the
 * same order (handle table, then endpoint, then this CPU's queue), so the two mix
 * freely: a thread may call on one path and be answered on the other.
 */
#include <stdio.h>
#include "ipc_internal.h"
#include "sched_handoff.h"
#include "process.h"
#include "percpu.h"
#include "sysfs.h"
#include "arch.h"
#include "atomic.h"


/*
 * @len words of the sender's argument registers @from into @to's: words 0-3 in a1-a4,
 * 4-7 in the arch's four more. Only @len: the receiver's other registers stay its own,
 * and nothing the sender did not send reaches it.
 */
static inline void copy_words(unsigned long *to, const unsigned long *from, unsigned int len)
{
	unsigned long *tm = to + arch_syscall_more_index;
	const unsigned long *fm = from + arch_syscall_more_index;

	switch (len) {
	case 8: tm[3] = fm[3]; /* fall through */
	case 7: tm[2] = fm[2]; /* fall through */
	case 6: tm[1] = fm[1]; /* fall through */
	case 5: tm[0] = fm[0]; /* fall through */
	case 4: to[4] = from[4]; /* fall through */
	case 3: to[3] = from[3]; /* fall through */
	case 2: to[2] = from[2]; /* fall through */
	case 1: to[1] = from[1]; /* fall through */
	default: break;
	}
}

/*
 * The message in @a to @r, whose wait it ends: into its registers if it is parked
 * here (its system call's result too), else into its message for the slow path. A
 * fast-path sender carries no handle, and @r holds none in transit (it takes each
 * with its message), so ipc.xfer is left alone.
 */
static inline void deliver(struct task *r, const unsigned long *a, unsigned int len,
			   unsigned long badge, bool receive)
{
	unsigned long *ra = r->ipc.regs;
	if (ra) {
		copy_words(ra, a, len);
		ra[0] = 0;
		ra[6] = len;
		if (receive) {
			ra[5] = badge;
		}
		r->ipc.in_regs = true;
		return;
	}
	unsigned long *m = r->ipc.msg;
	for (unsigned int i = 0; i < len; i++) {
		m[i] = i < 4 ? a[1 + i] : a[arch_syscall_more_index + i - 4];
	}
	r->ipc.len = len;
	r->ipc.badge = badge;
}

/* @h's endpoint if it has the rights @need, referenced; NULL otherwise (the slow path says why). */
static inline struct endpoint *lookup(struct process *p, unsigned long h, unsigned int need,
				      unsigned long *badge)
{
	struct endpoint *ep = NULL;

	if (h >= HANDLES_MAX || !raw_spin_trylock_inline(&p->handle_lock)) {
		return NULL;
	}
	const struct handle *e = &p->handles[h];
	if (e->obj && e->kind == &endpoint_kind && (e->rights & need) == need) {
		ep = e->obj;
		*badge = e->badge;
		__atomic_add_fetch(&ep->refs, 1, __ATOMIC_RELAXED);   /* the handle holds one */
	}
	raw_spin_unlock_inline(&p->handle_lock);
	return ep;
}

/* A call to a receiver waiting on @ep, asleep on this CPU: the receiver, or NULL. */
static inline struct task *call_locked(struct cpu *c, struct task *self, struct endpoint *ep,
				       const unsigned long *a, unsigned int len,
				       unsigned long badge)
{
	if (!ep->receivers || list_empty(&ep->waiting)) {
		return NULL;
	}
	struct task *r = list_entry(ep->waiting.next, struct task, ipc.node);
	if (!sched_handoff_begin(c, r)) {
		return NULL;
	}
	deliver(r, a, len, badge, true);
	self->ipc.status = IPC_PENDING;
	await_reply(self, r);
	finish_locked(r, 0);
	return r;
}

/* reply_recv: the reply to our caller, asleep on this CPU, and our receive queued. */
static inline struct task *reply_recv_locked(struct cpu *c, struct task *self,
					     struct endpoint *ep, const unsigned long *a,
					     unsigned int len)
{
	struct task *caller = self->ipc.caller;

	/* A queued sender would be taken at once: the slow path does that. */
	if (!list_empty(&ep->senders) || !sched_handoff_begin(c, caller)) {
		return NULL;
	}
	if (!claim_reply(self, caller)) {
		sched_handoff_abort(c);          /* it left: the slow path drops the reply */
		return NULL;
	}
	deliver(caller, a, len, 0, false);
	store_release(&caller->ipc.status, IPC_DONE);
	self->ipc.caller = NULL;
	task_put_not_last(caller);           /* ours; asleep, it holds its own */
	self->ipc.status = IPC_PENDING;
	self->ipc.queued = ep;
	list_add_tail(&self->ipc.node, &ep->waiting);
	return caller;
}

/* A parked thread's wait ended some other way than a message put in its registers. */
static __noinline long finish_slow(struct task *self, unsigned long *a, bool call,
				   struct endpoint *ep)
{
	unsigned long msg[IPC_MSG_MAX], badge = 0;
	unsigned int len = 0;

	arch_irq_enable();
	long err = call ? ipc_call_resume(msg, &len) : ipc_recv_resume(ep, msg, &len, &badge);
	err = ipc_syscall_results(self, a, !call, err, msg, len, badge);
	arch_irq_disable();
	return err;
}

/* Where a parked thread's saved context resumes: on its kernel stack, under its frame. */
static __noreturn void fast_continue(void)
{
	sched_finish_switch();
	struct task *self = current_task();
	struct cpu *c = this_cpu();
	unsigned long *a = self->ipc.regs;
	struct endpoint *ep = self->ipc.fast_ep;
	bool call = self->ipc.fast_call;

	self->ipc.regs = NULL;
	self->ipc.fast_ep = NULL;
	c->ipc_resumed++;
	if (!(load_acquire(&self->ipc.status) == IPC_DONE && self->ipc.in_regs)) {
		c->ipc_finished_slow++;
		a[0] = (unsigned long)finish_slow(self, a, call, ep);
	}
	if (ep) {
		endpoint_put(ep, 0);
	}
	arch_syscall_return(a);
}

/* A thread's first fast-path call: where it will resume when parked (its frame never moves). */
static __noinline void prepare(struct task *self, unsigned long *a)
{
	arch_syscall_park(&self->ipc.park_ctx, a, fast_continue);
	self->ipc.park_ready = true;
}

/* The peer sleeps elsewhere in the kernel (not parked): its saved context finishes its wait. */
static __noinline __noreturn void switch_to_peer(struct cpu *c, struct task *peer)
{
	struct arch_context unused;             /* we resume from our park context */

	c->ipc_switched++;
	sched_switch_mm(c);
	arch_context_switch(&unused, task_resume_context(peer));
	__builtin_unreachable();
}

unsigned long *ipc_fastpath(unsigned long nr, unsigned long *a, struct cpu *c)
{
	struct task *self = c->current, *peer;
	unsigned int len = (unsigned int)a[6];
	bool call = nr == SYS_ipc_call;
	unsigned long badge;

	if (a[5] != WAIT_FOREVER || a[6] > IPC_REG_WORDS || c->need_resched ||
	    (!call && !self->ipc.caller)) {
		return NULL;
	}
	if (unlikely(!self->ipc.park_ready)) {
		prepare(self, a);
		return NULL;                     /* this once, the slow path */
	}
	struct endpoint *ep = lookup(self->proc, a[0], call ? IPC_RIGHT_SEND : IPC_RIGHT_RECV,
				     &badge);
	if (!ep) {
		return NULL;
	}
	peer = NULL;
	if (raw_spin_trylock_inline(&ep->lock)) {
		peer = call ? call_locked(c, self, ep, a, len, badge)
			    : reply_recv_locked(c, self, ep, a, len);
		raw_spin_unlock_inline(&ep->lock);
	}
	if (!peer) {
		endpoint_unref(ep, 1);
		return NULL;
	}
	/* Committed: we sleep parked here (a receive keeps its endpoint while queued). */
	self->ipc.in_regs = false;
	self->ipc.fast_call = call;
	self->ipc.fast_ep = call ? NULL : ep;
	self->ipc.regs = a;
	sched_handoff_commit(c, self, peer);
	if (call) {
		/* Not the last: the receiver we took holds one until it returns. */
		__atomic_sub_fetch(&ep->refs, 1, __ATOMIC_RELAXED);
	}
	unsigned long *pa = peer->ipc.regs;
	if (!pa) {
		switch_to_peer(c, peer);
	}
	/* The peer was parked too and has its answer: it returns to user mode from there. */
	struct endpoint *pep = peer->ipc.fast_ep;
	peer->ipc.regs = NULL;
	peer->ipc.fast_ep = NULL;
	if (pep) {
		endpoint_unref(pep, 1);          /* its receive's */
	}
	if (peer->as != c->active_as) {
		sched_take_mm(c);
	}
	c->ipc_direct++;
	return pa;
}

/*
 * /sys/kernel/ipc/fastpath, summed over the CPUs (each counts its own): hand-offs that
 * returned straight to a parked partner, those that switched to a partner's saved
 * context; parked threads resumed from their park context by someone else, and those
 * of them whose wait ended in anything but a message in their registers.
 */
static int show_fastpath(void *arg, char *buf, size_t len)
{
	unsigned long direct = 0, switched = 0, resumed = 0, slow = 0;
	for (unsigned int i = 0; i < NR_CPUS; i++) {
		direct += READ_ONCE(cpus[i].ipc_direct);
		switched += READ_ONCE(cpus[i].ipc_switched);
		resumed += READ_ONCE(cpus[i].ipc_resumed);
		slow += READ_ONCE(cpus[i].ipc_finished_slow);
	}
	return snprintf(buf, len, "direct %lu\nswitched %lu\nresumed %lu\nfinished_slow %lu\n",
			direct, switched, resumed, slow);
}

void ipc_fast_sysfs_init(void)
{
	sysfs_add_file("/sys/kernel/ipc/fastpath", show_fastpath, NULL, NULL);
}
