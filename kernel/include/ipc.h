/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints and synchronous IPC (ipc.c), and the handles that name them (handle.c). */
#ifndef HP_IPC_H
#define HP_IPC_H

#include "kernel.h"
#include "list.h"
#include "arch.h"
#include "uapi/syscall_nr.h"
#include "uapi/hp_limits.h"


struct endpoint;
struct task;
struct process;

/* A wait's status (struct ipc_thread): or -errno, how it failed. */
enum { IPC_IDLE, IPC_PENDING, IPC_DONE };

/* A thread's side of IPC, in its struct task; fields under the endpoint's lock. */
struct ipc_thread {
	struct list_head node;          /* on an endpoint's senders or waiting list */
	struct endpoint *queued;        /* the endpoint it is queued on, or NULL */
	int status;                     /* its wait: pending, done, or -errno */
	bool is_call;                   /* queued to call (not send) */
	int awaiting_reply;             /* a receiver took its call: that call's number, or 0 */
	unsigned int call_seq;          /* the number of its last call (never 0) */
	unsigned int caller_seq;        /* the number of the call from @caller */
	unsigned int len;               /* words in msg */
	unsigned int buf_words;         /* its IPC buffer: words beyond the registers it takes */
	uintptr_t buf;                  /* the buffer's user address (0: none) */
	unsigned long msg[IPC_MSG_MAX];
	unsigned long badge;
	struct task *caller;            /* received a call: whom to reply to (referenced) */
	/*
	 * Asleep in the fast path, parked at its system call (ipc_fast.c): its argument
	 * registers (NULL when not parked); whether a message was put straight into them;
	 * whether it called (else it receives); the endpoint a parked receive holds.
	 */
	unsigned long *regs;
	bool in_regs;
	bool fast_call;
	struct endpoint *fast_ep;
	/* Where a parked thread resumes (the same for every park: made at its first IPC). */
	struct arch_context park_ctx;
	bool park_ready;
	/*
	 * A handle in transit (its obj referenced, NULL: none): the sender's, set before
	 * send; moved to the receiver with the message; installed by the receiver.
	 */
	struct handle_ref {
		void *obj;
		const struct handle_kind *kind;
		unsigned int rights;
		unsigned long badge;
	} xfer;
};

struct endpoint *endpoint_create(void);
/* References from handles; @rights: IPC_RIGHT_RECV ones are counted as receivers. */
void endpoint_get(struct endpoint *ep, unsigned int rights);
void endpoint_put(struct endpoint *ep, unsigned int rights);

/*
 * send/call: *@len words of @msg (IPC_MSG_MAX room) to a receiver of @ep with @badge;
 * a call waits for the reply, which comes back in @msg and *@len. 0, -ETIMEDOUT (no
 * receiver or no reply in time; 0 ms: only if one waits), -EPIPE (nobody can receive,
 * or the server ended first), -EINTR (killed), -EMSGSIZE (longer than the receiver
 * takes: 8 words and its buffer; or a reply longer than ours).
 */
long ipc_send(struct endpoint *ep, unsigned long badge, unsigned long *msg, unsigned int *len,
	      bool call, unsigned int timeout_ms);
/*
 * recv (after answering the last caller with @reply_len words of @reply, if not NULL):
 * a message, its length and badge. A queued sender whose message is longer than we take
 * gets -EMSGSIZE; we go on waiting.
 */
long ipc_recv(struct endpoint *ep, const unsigned long *reply, unsigned int reply_len,
	      unsigned long *msg, unsigned int *len, unsigned long *badge, unsigned int timeout_ms);
/* The rest of a fast call or receive whose wait did not end in a plain message. */
long ipc_call_resume(unsigned long *msg, unsigned int *len);
long ipc_recv_resume(struct endpoint *ep, unsigned long *msg, unsigned int *len,
		     unsigned long *badge);
/*
 * The IPC system calls (ipc_syscall.c): registers to messages and back. @a is the
 * system call's argument registers (a0 first), in the caller's trap frame.
 */
long ipc_syscall(unsigned long nr, unsigned long *a, struct task *self);
long ipc_syscall_buffer(struct task *self, unsigned long addr, unsigned long words);
/*
 * What came to a call or a receive (if @err is 0), into the caller's registers and
 * buffer; the system call's result.
 */
long ipc_syscall_results(struct task *self, unsigned long *a, bool receive, long err,
			 const unsigned long *msg, unsigned int len, unsigned long badge);
/*
 * The fast path (ipc_fast.c), asked first for a call or a reply_recv, with interrupts
 * still off and every user register in the frame of @a: NULL if it did nothing (the
 * slow path takes the call); else the argument registers of the partner that now runs
 * on @c, whose frame the system call returns through (this CPU's queue lock still
 * held: the arch calls sched_handoff_finish() once off our stack). Or it does not
 * return, having switched to the partner's saved context.
 */
struct cpu;
unsigned long *ipc_fastpath(unsigned long nr, unsigned long *a, struct cpu *c);
/* /sys/kernel/ipc/fastpath: what the fast path did (at boot). */
void ipc_fast_sysfs_init(void);
/* A thread ends: a call it took and did not answer gets -EPIPE. */
void ipc_thread_end(struct task *t);
/*
 * After a successful recv: the handle that came with the message, installed in the
 * receiver's table: its number, or -ENOSPC (the reference dropped); 0 if none came.
 */
long ipc_take_handle(struct task *self, struct process *p);
/* After a send: a handle the message carried that nobody took goes back. */
void ipc_drop_handle(struct task *self);

/*
 * Handles (handle.c): the process's table; a handle names an object (an endpoint, a
 * notification) with rights and a badge. Each kind of object says how a handle holds
 * it: get and put with the handle's rights.
 */
#define HANDLES_MAX PROCESS_MAX_HANDLES
struct handle_kind {
	const char *name;
	void (*get)(void *obj, unsigned int rights);
	void (*put)(void *obj, unsigned int rights);
};
extern const struct handle_kind endpoint_kind, notification_kind, cpu_control_kind, process_kind,
	thread_kind;

struct handle {
	void *obj;                      /* NULL: free */
	const struct handle_kind *kind;
	unsigned int rights;
	unsigned long badge;
};
/* A new handle in @p's table: its number, or -ENOSPC. */
int handle_install(struct process *p, const struct handle_kind *kind, void *obj,
		   unsigned int rights, unsigned long badge);
/*
 * Handle @h of @p, of @kind, with all of @need: its object, referenced for the caller
 * (who drops it with kind->put(obj, 0)), and its badge. -EBADF, -EINVAL (another
 * kind of object), -EPERM (a right missing).
 */
int handle_get(struct process *p, long h, const struct handle_kind *kind, unsigned int need,
	       void **obj, unsigned long *badge);
/* A copy of @h with @rights (a subset) and @badge (0: keep; a badged handle keeps its own). */
int handle_dup(struct process *from, long h, struct process *to, unsigned long rights,
	       unsigned long badge);
/* The same handle, rights and badge, in @to's table (spawn with SPAWN_HANDLE). */
int handle_copy(struct process *from, long h, struct process *to);
int handle_close(struct process *p, long h);
/* Entry @h of @p, its object referenced (for a transfer); -EBADF. */
int handle_ref(struct process *p, long h, struct handle_ref *out);
void handle_close_all(struct process *p);
/* The CPU-control right: a handle to it for @p (init, at spawn); whether @p holds one. */
int handle_install_cpu_control(struct process *p);
/* A handle to process @pid (with IPC_RIGHT_CONTROL) in @p's table; the pid a handle names. */
int handle_install_process(struct process *p, int pid);
int handle_process_pid(struct process *p, long h);
/* A thread handle (its process's pid and its tid), and what one names: 0 or -errno. */
int handle_install_thread(struct process *p, int pid, int tid);
int handle_thread(struct process *p, long h, int *pid, int *tid);
bool handle_holds_cpu_control(struct process *p);

/* Notifications (notify.c): a word of event bits; signal sets, wait takes them all. */
struct notification;
struct notification *notification_create(void);
long notification_signal(struct notification *n, unsigned long bits);
/* The bits set, cleared as they are taken; waits up to @timeout_ms (0: only looks). */
long notification_wait(struct notification *n, unsigned int timeout_ms);

#endif
