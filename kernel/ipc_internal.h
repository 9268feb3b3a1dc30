/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What ipc.c (the endpoints and the slow path) and ipc_fast.c (the fast path) share:
 * the endpoint itself and the steps of a wait that both take under its lock.
 */
#ifndef HP_IPC_INTERNAL_H
#define HP_IPC_INTERNAL_H

#include "ipc.h"
#include "sched.h"
#include "alloc.h"
#include "spinlock.h"
#include "atomic.h"

struct endpoint {
	spinlock_t lock;
	int refs;                       /* handles naming it, IPCs in progress: atomic */
	int receivers;                  /* handles with IPC_RIGHT_RECV; under the lock */
	struct list_head senders;       /* tasks queued to send (their ipc.node) */
	struct list_head waiting;       /* tasks queued to receive */
};

/* Drops @n references that are not a handle's (no receiver count to change). */
static inline void endpoint_unref(struct endpoint *ep, int n)
{
	if (atomic_sub(&ep->refs, n) == 0) {
		/* Nothing names it and no IPC is on it (each holds a reference): none queued. */
		kfree(ep);
	}
}

/* Under ep->lock: @t's wait ends with @status (a message, or an error). */
static inline void finish_locked(struct task *t, int status)
{
	list_del(&t->ipc.node);
	t->ipc.queued = NULL;
	store_release(&t->ipc.status, status == 0 ? IPC_DONE : status);
}

/*
 * A caller awaits the reply to one call: awaiting_reply holds that call's number (never
 * 0) and the receiver keeps it as caller_seq, so a reply to a call the caller has left
 * (timed out, then called again) cannot land in the later call.
 */
static inline void await_reply(struct task *caller, struct task *server)
{
	unsigned int seq = caller->ipc.call_seq + 1;
	caller->ipc.call_seq = seq ? seq : 1;
	caller->ipc.awaiting_reply = (int)caller->ipc.call_seq;
	server->ipc.caller_seq = caller->ipc.call_seq;
	__atomic_add_fetch(&caller->refs, 1, __ATOMIC_RELAXED);   /* task_get: it is running */
	server->ipc.caller = caller;         /* its reply goes there */
}

/* The reply to the call @server took ends the caller's wait: whoever is first decides. */
static inline bool claim_reply(struct task *server, struct task *caller)
{
	int seq = (int)server->ipc.caller_seq;
	return __atomic_compare_exchange_n(&caller->ipc.awaiting_reply, &seq, 0, false,
					   __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

#endif
