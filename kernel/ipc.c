/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Synchronous IPC through endpoints, in the L4/seL4 shape (docs/ipc.md): call sends and
 * waits for the reply, recv waits for a message, reply_recv answers the last caller and
 * waits again, send is one-way but still waits for a receiver to take it. A message is
 * a few machine words, carried in registers both ways; the receiver learns the
 * badge of the handle the sender used. A message is up to IPC_MSG_MAX words: the
 * system call carries the first IPC_REG_WORDS in registers and the rest in the
 * thread's IPC buffer; here it is @len words either way.
 *
 * Every wait is a thread's own: it sleeps until its ipc.status leaves IPC_PENDING (set
 * by the partner under the endpoint's lock, then a wake-up), a timeout passes, or it is
 * killed. So a waiter may sleep on any CPU and move with its CPU's hotplug like any
 * sleeping task: nothing of the wait is per CPU. A partner that ends answers -EPIPE
 * instead: a caller whose server dies, a sender queued on an endpoint that has lost
 * its last receive handle.
 */
#include <string.h>
#include "ipc_internal.h"
#include "process.h"
#include "alloc.h"
#include "spinlock.h"
#include "atomic.h"
#include "log.h"
#include "err.h"
#include "arch.h"

struct endpoint *endpoint_create(void)
{
	struct endpoint *ep = kzalloc(sizeof(*ep));
	if (!ep) {
		return NULL;
	}
	spin_lock_init(&ep->lock);
	list_init(&ep->senders);
	list_init(&ep->waiting);
	return ep;
}

void endpoint_get(struct endpoint *ep, unsigned int rights)
{
	atomic_add(&ep->refs, 1);
	if (rights & IPC_RIGHT_RECV) {
		unsigned long flags = raw_spin_lock_irqsave(&ep->lock);
		ep->receivers++;
		raw_spin_unlock_irqrestore(&ep->lock, flags);
	}
}

static void endpoint_kind_get(void *obj, unsigned int rights)
{
	endpoint_get(obj, rights);
}

static void endpoint_kind_put(void *obj, unsigned int rights)
{
	endpoint_put(obj, rights);
}

const struct handle_kind endpoint_kind = {
	.name = "endpoint", .get = endpoint_kind_get, .put = endpoint_kind_put,
};

void endpoint_put(struct endpoint *ep, unsigned int rights)
{
	struct task *wake[16];
	unsigned int n;

	if (rights & IPC_RIGHT_RECV) {
		do {
			n = 0;
			unsigned long flags = raw_spin_lock_irqsave(&ep->lock);
			if (rights & IPC_RIGHT_RECV) {
				ep->receivers--;
				rights &= ~IPC_RIGHT_RECV;
			}
			/* Nobody can receive any more: the senders would wait for ever. */
			while (ep->receivers == 0 && !list_empty(&ep->senders) && n < ARRAY_SIZE(wake)) {
				struct task *s = list_entry(ep->senders.next, struct task, ipc.node);
				finish_locked(s, -EPIPE);
				task_get(s);
				wake[n++] = s;
			}
			raw_spin_unlock_irqrestore(&ep->lock, flags);
			for (unsigned int i = 0; i < n; i++) {
				sched_try_wake(wake[i], TASK_SLEEPING);
				task_put(wake[i]);
			}
		} while (n == ARRAY_SIZE(wake));
	}
	endpoint_unref(ep, 1);
}

/*
 * Sleeps until the wait set up under the lock ends: 0 with a message (or, for a call,
 * once a receiver has taken it and the reply is awaited), or an error. A timeout or a
 * kill takes the thread off the endpoint, unless the partner got there first.
 */
static int wait_ipc(struct task *self, struct endpoint *ep, uint64_t deadline)
{
	for (;;) {
		__atomic_store_n(&self->state, TASK_SLEEPING, __ATOMIC_SEQ_CST);
		int st = load_acquire(&self->ipc.status);
		if (st != IPC_PENDING) {
			__atomic_store_n(&self->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
			return st == IPC_DONE ? 0 : st;
		}
		bool late = deadline_passed(deadline), killed = READ_ONCE(self->killed);
		if (late || killed) {
			__atomic_store_n(&self->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
			bool taken = false;
			unsigned long flags = raw_spin_lock_irqsave(&ep->lock);
			if (self->ipc.status == IPC_PENDING && self->ipc.queued == ep) {
				finish_locked(self, killed ? -EINTR : -ETIMEDOUT);
			} else if (self->ipc.status == IPC_PENDING) {
				taken = true;        /* a call a receiver took: its reply is next */
			}
			raw_spin_unlock_irqrestore(&ep->lock, flags);
			if (taken) {
				return 0;
			}
			continue;                /* the status says how it ended */
		}
		schedule_until(deadline);
	}
}

/* Whether @t takes a message of @len words: its registers and its buffer. */
static bool fits(const struct task *t, unsigned int len)
{
	return len <= IPC_REG_WORDS + t->ipc.buf_words;
}

/* Delivers @self's message to the receiver @r (under ep->lock). */
static void deliver_locked(struct task *self, struct task *r, const unsigned long *msg,
			   unsigned int len, unsigned long badge, bool call)
{
	memcpy(r->ipc.msg, msg, len * sizeof(msg[0]));
	r->ipc.len = len;
	r->ipc.badge = badge;
	r->ipc.xfer = self->ipc.xfer;        /* the handle travels with the message */
	self->ipc.xfer.obj = NULL;
	if (call) {
		self->ipc.status = IPC_PENDING;
		await_reply(self, r);
	}
	finish_locked(r, 0);
}

static long wait_reply(struct task *self, uint64_t deadline, unsigned long *msg,
		       unsigned int *len);

long ipc_send(struct endpoint *ep, unsigned long badge, unsigned long *msg, unsigned int *len,
	      bool call, unsigned int timeout_ms)
{
	struct task *self = current_task();
	struct task *r = NULL;

	unsigned long flags = raw_spin_lock_irqsave(&ep->lock);
	if (ep->receivers == 0) {
		raw_spin_unlock_irqrestore(&ep->lock, flags);
		return -EPIPE;
	}
	if (!list_empty(&ep->waiting)) {
		r = list_entry(ep->waiting.next, struct task, ipc.node);
		if (!fits(r, *len)) {
			raw_spin_unlock_irqrestore(&ep->lock, flags);
			return -EMSGSIZE;        /* it goes on waiting for one it can take */
		}
		deliver_locked(self, r, msg, *len, badge, call);
		task_get(r);
	} else if (timeout_ms == 0) {
		raw_spin_unlock_irqrestore(&ep->lock, flags);
		return -ETIMEDOUT;
	} else {
		memcpy(self->ipc.msg, msg, *len * sizeof(msg[0]));
		self->ipc.len = *len;
		self->ipc.badge = badge;
		self->ipc.is_call = call;
		self->ipc.status = IPC_PENDING;
		self->ipc.queued = ep;
		list_add_tail(&self->ipc.node, &ep->senders);
	}
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	uint64_t deadline = deadline_after_ms(timeout_ms);
	int err = 0;
	if (r) {
		sched_try_wake(r, TASK_SLEEPING);
		task_put(r);
	} else {
		err = wait_ipc(self, ep, deadline);
	}
	if (err || !call) {
		return err;
	}
	return wait_reply(self, deadline, msg, len);   /* taken: now the reply, in the same time */
}

/* Sleeps until the reply to the call a receiver took comes (or the server's end). */
static long wait_reply(struct task *self, uint64_t deadline, unsigned long *msg, unsigned int *len)
{
	for (;;) {
		__atomic_store_n(&self->state, TASK_SLEEPING, __ATOMIC_SEQ_CST);
		int st = load_acquire(&self->ipc.status);
		if (st != IPC_PENDING) {
			__atomic_store_n(&self->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
			if (st == IPC_DONE) {
				memcpy(msg, self->ipc.msg, self->ipc.len * sizeof(msg[0]));
				*len = self->ipc.len;
				return 0;
			}
			return st;
		}
		if (deadline_passed(deadline) || READ_ONCE(self->killed)) {
			/*
			 * The server holds our reply slot: tell it we left. Whoever clears
			 * awaiting_reply first decides; a late reply is dropped.
			 */
			__atomic_store_n(&self->state, TASK_RUNNING, __ATOMIC_SEQ_CST);
			if (__atomic_exchange_n(&self->ipc.awaiting_reply, 0, __ATOMIC_ACQ_REL)) {
				return READ_ONCE(self->killed) ? -EINTR : -ETIMEDOUT;
			}
			continue;                /* the reply is on its way: take it */
		}
		schedule_until(deadline);
	}
}

/* Answers the caller @self holds, if any: @len words of @msg, or an error status. */
static void reply_to_caller(struct task *self, const unsigned long *msg, unsigned int len,
			    int status)
{
	struct task *c = self->ipc.caller;
	if (!c) {
		return;
	}
	self->ipc.caller = NULL;
	if (msg && !fits(c, len)) {
		msg = NULL;
		status = -EMSGSIZE;          /* a reply longer than the caller takes */
	}
	if (claim_reply(self, c)) {
		if (msg) {
			memcpy(c->ipc.msg, msg, len * sizeof(msg[0]));
			c->ipc.len = len;
		}
		store_release(&c->ipc.status, status == 0 ? IPC_DONE : status);
		sched_try_wake(c, TASK_SLEEPING);
	}
	task_put(c);
}

static void take_message(struct task *self, unsigned long *msg, unsigned int *len,
			 unsigned long *badge)
{
	memcpy(msg, self->ipc.msg, self->ipc.len * sizeof(msg[0]));
	*len = self->ipc.len;
	*badge = self->ipc.badge;
}

long ipc_recv(struct endpoint *ep, const unsigned long *reply, unsigned int reply_len,
	      unsigned long *msg, unsigned int *len, unsigned long *badge, unsigned int timeout_ms)
{
	struct task *self = current_task();
	struct task *s = NULL;
	bool woke_sender = false;
	struct task *refused[8];
	unsigned int nrefused = 0;

	if (reply) {
		reply_to_caller(self, reply, reply_len, 0);
	} else if (self->ipc.caller) {
		reply_to_caller(self, NULL, 0, -EPIPE);  /* a new recv drops an unanswered call */
	}
	unsigned long flags = raw_spin_lock_irqsave(&ep->lock);
	/* Senders with more than we take are refused (a few at a time: each is a wake-up). */
	while (!list_empty(&ep->senders) && nrefused < ARRAY_SIZE(refused)) {
		struct task *big = list_entry(ep->senders.next, struct task, ipc.node);
		if (fits(self, big->ipc.len)) {
			break;
		}
		finish_locked(big, -EMSGSIZE);
		task_get(big);
		refused[nrefused++] = big;
	}
	if (!list_empty(&ep->senders) &&
	    fits(self, list_entry(ep->senders.next, struct task, ipc.node)->ipc.len)) {
		s = list_entry(ep->senders.next, struct task, ipc.node);
		memcpy(self->ipc.msg, s->ipc.msg, s->ipc.len * sizeof(s->ipc.msg[0]));
		self->ipc.len = s->ipc.len;
		self->ipc.badge = s->ipc.badge;
		self->ipc.xfer = s->ipc.xfer;
		s->ipc.xfer.obj = NULL;
		if (s->ipc.is_call) {
			await_reply(s, self);
			list_del(&s->ipc.node);
			s->ipc.queued = NULL;    /* still pending: now for the reply */
		} else {
			finish_locked(s, 0);
			task_get(s);
			woke_sender = true;
		}
	} else if (timeout_ms != 0) {
		self->ipc.status = IPC_PENDING;
		self->ipc.queued = ep;
		list_add_tail(&self->ipc.node, &ep->waiting);
	}
	raw_spin_unlock_irqrestore(&ep->lock, flags);
	for (unsigned int i = 0; i < nrefused; i++) {
		sched_try_wake(refused[i], TASK_SLEEPING);
		task_put(refused[i]);
	}
	if (!s && timeout_ms == 0) {
		return -ETIMEDOUT;               /* nobody was sending, and we only looked */
	}
	int err = 0;
	if (woke_sender) {
		sched_try_wake(s, TASK_SLEEPING);
		task_put(s);
	} else if (!s) {
		err = wait_ipc(self, ep, deadline_after_ms(timeout_ms));
	}
	if (err) {
		return err;
	}
	take_message(self, msg, len, badge);
	return 0;
}

/* After the hand-off, a wait the fast path set up that did not end in a plain message. */
long ipc_call_resume(unsigned long *msg, unsigned int *len)
{
	return wait_reply(current_task(), DEADLINE_NEVER, msg, len);
}

long ipc_recv_resume(struct endpoint *ep, unsigned long *msg, unsigned int *len,
		     unsigned long *badge)
{
	struct task *self = current_task();
	long err = wait_ipc(self, ep, DEADLINE_NEVER);
	if (!err) {
		take_message(self, msg, len, badge);
	}
	return err;
}

void ipc_thread_end(struct task *t)
{
	reply_to_caller(t, NULL, 0, -EPIPE);
	ipc_drop_handle(t);
}

long ipc_take_handle(struct task *self, struct process *p)
{
	struct handle_ref x = self->ipc.xfer;
	if (!x.obj) {
		return 0;
	}
	self->ipc.xfer.obj = NULL;
	long h = handle_install(p, x.kind, x.obj, x.rights, x.badge);
	x.kind->put(x.obj, 0);               /* the transit reference; the table has its own */
	return h;
}

void ipc_drop_handle(struct task *self)
{
	struct handle_ref x = self->ipc.xfer;
	if (x.obj) {
		self->ipc.xfer.obj = NULL;
		x.kind->put(x.obj, 0);
	}
}
