/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC system calls: a message between user registers (and the IPC buffer) and
 * ipc.c's endpoints. The common call and reply_recv take ipc_fast.c's path first.
 */
#include <string.h>
#include "ipc.h"
#include "process.h"
#include "arch.h"
#include "atomic.h"
#include "err.h"

/*
 * IPC (ipc.c, docs/ipc.md): a0 the handle, the message's words 0-3 in a1-a4 and 4-7 in
 * the arch's four more registers (t3-t6), the rest in the thread's IPC buffer; a5 the
 * timeout in ms (and IPC_PASS_HANDLE above it), a6 the length in words. The result in
 * a0; what was received in the same places, a receive's badge in a5, its length in a6.
 */
static int msg_in(struct task *self, unsigned long *a, unsigned long *msg, unsigned int len)
{
	unsigned long *more = arch_syscall_more_args(a);
	for (unsigned int i = 0; i < len && i < IPC_REG_WORDS; i++) {
		msg[i] = i < 4 ? a[1 + i] : more[i - 4];
	}
	if (len <= IPC_REG_WORDS) {
		return 0;
	}
	return arch_copy_from_user(&msg[IPC_REG_WORDS], self->ipc.buf,
				   (len - IPC_REG_WORDS) * sizeof(msg[0]));
}

static int msg_out(struct task *self, unsigned long *a, const unsigned long *msg,
		   unsigned int len)
{
	unsigned long *more = arch_syscall_more_args(a);
	for (unsigned int i = 0; i < len && i < IPC_REG_WORDS; i++) {
		if (i < 4) {
			a[1 + i] = msg[i];
		} else {
			more[i - 4] = msg[i];
		}
	}
	a[6] = len;
	if (len <= IPC_REG_WORDS) {
		return 0;
	}
	return arch_copy_to_user(self->ipc.buf, &msg[IPC_REG_WORDS],
				 (len - IPC_REG_WORDS) * sizeof(msg[0]));
}

long ipc_syscall_results(struct task *self, unsigned long *a, bool receive, long err,
			 const unsigned long *msg, unsigned int len, unsigned long badge)
{
	long got = 0;
	if (err) {
		return err;
	}
	if (receive) {
		a[5] = badge;
		got = ipc_take_handle(self, self->proc);
	}
	err = msg_out(self, a, msg, len);
	if (!err && got) {
		a[4] = (unsigned long)got;       /* w3: the new handle (or -ENOSPC) */
		err = 1;                         /* 1: w3 holds a handle */
	}
	return err;
}

long ipc_syscall(unsigned long nr, unsigned long *a, struct task *self)
{
	struct endpoint *ep;
	unsigned long badge, msg[IPC_MSG_MAX];
	bool receive = nr == SYS_ipc_recv || nr == SYS_ipc_reply_recv;
	unsigned long timeout = a[5] & 0xffffffffu, flags = a[5] >> 32;
	long err;

	/* IPC_PASS_HANDLE: w3 names a handle of the sender's that the receiver gets a copy of. */
	if (flags & ~(IPC_PASS_HANDLE >> 32) || (receive && flags)) {
		return -EINVAL;
	}
	/* What we send (a reply_recv's reply too) must fit our registers and buffer. */
	unsigned int len = nr == SYS_ipc_recv ? 0 : (unsigned int)MIN(a[6], IPC_MSG_MAX + 1ul);
	if (len > IPC_MSG_MAX || len > IPC_REG_WORDS + self->ipc.buf_words) {
		return -EMSGSIZE;
	}
	void *obj;
	err = handle_get(self->proc, (long)a[0], &endpoint_kind,
			 receive ? IPC_RIGHT_RECV : IPC_RIGHT_SEND, &obj, &badge);
	if (err) {
		return err;
	}
	ep = obj;
	err = msg_in(self, a, msg, len);
	if (!err && flags) {
		err = handle_ref(self->proc, (long)a[4], &self->ipc.xfer);
	}
	if (err) {
		endpoint_put(ep, 0);
		return err;
	}
	if (receive) {
		err = ipc_recv(ep, nr == SYS_ipc_reply_recv ? msg : NULL, len, msg, &len, &badge,
			       (unsigned int)timeout);
	} else {
		err = ipc_send(ep, badge, msg, &len, nr == SYS_ipc_call, (unsigned int)timeout);
		ipc_drop_handle(self);           /* not taken: the send failed */
	}
	if (nr != SYS_ipc_send) {
		err = ipc_syscall_results(self, a, receive, err, msg, len, badge);
	}
	endpoint_put(ep, 0);
	return err;
}

/* ipc_buffer(addr, words): the calling thread's IPC buffer (0 words: none). */
long ipc_syscall_buffer(struct task *self, unsigned long addr, unsigned long words)
{
	if (words > IPC_MSG_MAX - IPC_REG_WORDS || (words && (addr == 0 || addr % 8))) {
		return -EINVAL;
	}
	/* Checked now, so a bad buffer is the caller's error here, not a lost message later. */
	unsigned long probe[IPC_MSG_MAX - IPC_REG_WORDS];
	int err = words ? arch_copy_from_user(probe, addr, words * sizeof(probe[0])) : 0;
	if (!err && words) {
		err = arch_copy_to_user(addr, probe, words * sizeof(probe[0]));
	}
	if (err) {
		return err;
	}
	self->ipc.buf = words ? addr : 0;
	self->ipc.buf_words = (unsigned int)words;
	return 0;
}
