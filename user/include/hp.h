/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hartplug's system calls for user programs (docs/syscalls.md): a7 holds the number,
 * a0-a5 the arguments; a0 comes back with the result, or -errno.
 */
#ifndef HP_USER_H
#define HP_USER_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>
#include "syscall_nr.h"
#include "err.h"


static inline long hp_syscall3(long n, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = n;
	__asm__ __volatile__("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
	return r_a0;
}

static inline long hp_syscall4(long n, long a0, long a1, long a2, long a3)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a3 __asm__("a3") = a3;
	register long r_a7 __asm__("a7") = n;
	__asm__ __volatile__("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a3), "r"(r_a7)
			     : "memory");
	return r_a0;
}

static inline long hp_syscall0(long n)
{
	return hp_syscall3(n, 0, 0, 0);
}

__attribute__((noreturn)) void hp_exit(int code);
long hp_write(int fd, const void *buf, size_t len);
static inline long hp_getpid(void) { return hp_syscall0(SYS_getpid); }
static inline long hp_getcpu(void) { return hp_syscall0(SYS_getcpu); }
static inline long hp_yield(void) { return hp_syscall0(SYS_yield); }
static inline long hp_uptime_us(void) { return hp_syscall0(SYS_uptime); }
static inline long hp_sleep(unsigned long ms) { return hp_syscall3(SYS_sleep, (long)ms, 0, 0); }

/* CPU n is bit n % 64 of mask[n / 64]; words: how many 64-bit words mask has. */
static inline long hp_setaffinity(const uint64_t *mask, size_t words)
{
	return hp_syscall3(SYS_setaffinity, (long)mask, (long)words, 0);
}
static inline long hp_getaffinity(uint64_t *mask, size_t words)
{
	return hp_syscall3(SYS_getaffinity, (long)mask, (long)words, 0);
}

/* Anonymous zeroed pages at @addr (0: the kernel picks); the address or -errno. */
static inline long hp_map(uintptr_t addr, size_t len, int prot)
{
	return hp_syscall3(SYS_map, (long)addr, (long)len, prot);
}
static inline long hp_unmap(uintptr_t addr, size_t len)
{
	return hp_syscall3(SYS_unmap, (long)addr, (long)len, 0);
}
static inline long hp_protect(uintptr_t addr, size_t len, int prot)
{
	return hp_syscall3(SYS_protect, (long)addr, (long)len, prot);
}

/* Runs the program argv[0] names; its pid or -errno. */
static inline long hp_spawn(char *const argv[], int argc)
{
	return hp_syscall3(SYS_spawn, (long)argv, argc, 0);
}
/* hp_spawn with SPAWN_ flags (SPAWN_UNPRIVILEGED). */
static inline long hp_spawn_flags(char *const argv[], int argc, int flags)
{
	return hp_syscall3(SYS_spawn, (long)argv, argc, flags);
}
/* Waits for the child @pid (-1: any); its pid and *status, or -ECHILD. */
static inline long hp_wait(long pid, int *status)
{
	return hp_syscall3(SYS_wait, pid, (long)status, (long)WAIT_FOREVER);
}
/* hp_wait for at most @ms milliseconds (0: only look); 0 when none ended. */
static inline long hp_wait_timeout(long pid, int *status, unsigned int ms)
{
	return hp_syscall3(SYS_wait, pid, (long)status, (long)ms);
}

/* The console: at least one byte (blocks), or -EINTR. */
static inline long hp_read(int fd, void *buf, size_t len)
{
	return hp_syscall3(SYS_read, fd, (long)buf, (long)len);
}
/* The file tree (/sys, /bin): entries "name\n" or "dir/\n"; a file's whole text (-ERANGE if
 * it does not fit). */
static inline long hp_sysfs_list(const char *path, char *buf, size_t len)
{
	return hp_syscall3(SYS_sysfs_list, (long)path, (long)buf, (long)len);
}
static inline long hp_sysfs_read(const char *path, char *buf, size_t len)
{
	return hp_syscall4(SYS_sysfs_read, (long)path, (long)buf, (long)len, 0);
}
/* A stream file (the boot scripts) from byte @off: a part of it, 0 at its end. */
static inline long hp_sysfs_read_at(const char *path, char *buf, size_t len, size_t off)
{
	return hp_syscall4(SYS_sysfs_read, (long)path, (long)buf, (long)len, (long)off);
}
static inline long hp_sysfs_write(const char *path, const char *value)
{
	return hp_syscall3(SYS_sysfs_write, (long)path, (long)value, 0);
}
/* The kernel log from byte @offset; 0 at its end. */
static inline long hp_klog_read(char *buf, size_t len, size_t offset)
{
	return hp_syscall3(SYS_klog_read, (long)buf, (long)len, (long)offset);
}
/* Privileged (init and what it starts): REBOOT_POWEROFF / REBOOT_RESTART. */
static inline long hp_reboot(int how)
{
	return hp_syscall3(SYS_reboot, how, 0, 0);
}
/* Privileged: runs the kernel command argv[0]; -ENOSYS when there is none of that name. */
static inline long hp_kcmd(char *const argv[], int argc)
{
	return hp_syscall3(SYS_kcmd, (long)argv, argc, 0);
}
/* Privileged: Ctrl-C on the console ends process @pid (0: Ctrl-C is read as input). */
static inline long hp_setfg(long pid)
{
	return hp_syscall3(SYS_setfg, pid, 0, 0);
}

/* Ends the child @pid (status 137); -ESRCH if the caller has no such child. */
static inline long hp_kill(long pid)
{
	return hp_syscall3(SYS_kill, pid, 0, 0);
}

/*
 * Threads: @fn(@arg) runs in a new thread of this process on the stack that ends at
 * @stack_top (16-byte aligned; the caller maps it), with the caller's affinity; what
 * it returns is its thread_exit value. The new thread's tid, or -errno.
 */
long hp_thread_create(long (*fn)(void *), void *arg, void *stack_top);
__attribute__((noreturn)) void hp_thread_exit(long value);
/* Waits for thread @tid of this process to end: 0 and *value; -ESRCH, -EINTR. */
static inline long hp_thread_join(long tid, long *value)
{
	return hp_syscall3(SYS_thread_join, tid, (long)value, 0);
}

/*
 * IPC (docs/ipc.md). A message is up to IPC_MSG_MAX words: w[0..7] travel in registers,
 * words 8 and on in the thread's IPC buffer (hp_ipc_buffer), at buffer[0] and on. @len
 * says how many are sent (0: four, the common case) and, after a receive or a call's
 * reply, how many came; a receive also learns the badge of the sender's handle.
 * @ms: WAIT_FOREVER, or a timeout (0: only if a partner waits).
 * Sending with IPC_PASS_HANDLE in @ms passes a copy of handle w[3] (hp_call_handle):
 * the receive then returns 1 with the receiver's new handle (or -ENOSPC) in w[3].
 */
struct hp_msg {
	unsigned long w[IPC_REG_WORDS];
	unsigned long badge;
	unsigned long len;
};

static inline long hp_ipc_pass(long n, long h, struct hp_msg *m, unsigned int ms,
			       unsigned long pass)
{
	register long r_a0 __asm__("a0") = h;
	register long r_a1 __asm__("a1") = (long)m->w[0];
	register long r_a2 __asm__("a2") = (long)m->w[1];
	register long r_a3 __asm__("a3") = (long)m->w[2];
	register long r_a4 __asm__("a4") = (long)m->w[3];
	register long r_a5 __asm__("a5") = (long)ms | (long)pass;
	register long r_a6 __asm__("a6") = m->len ? (long)m->len : 4;
	register long r_t3 __asm__("t3") = (long)m->w[4];
	register long r_t4 __asm__("t4") = (long)m->w[5];
	register long r_t5 __asm__("t5") = (long)m->w[6];
	register long r_t6 __asm__("t6") = (long)m->w[7];
	register long r_a7 __asm__("a7") = n;
	__asm__ __volatile__("ecall"
			     : "+r"(r_a0), "+r"(r_a1), "+r"(r_a2), "+r"(r_a3), "+r"(r_a4), "+r"(r_a5),
			       "+r"(r_a6), "+r"(r_t3), "+r"(r_t4), "+r"(r_t5), "+r"(r_t6)
			     : "r"(r_a7)
			     : "memory");
	if (r_a0 >= 0 && n != SYS_ipc_send) {
		m->w[0] = (unsigned long)r_a1;
		m->w[1] = (unsigned long)r_a2;
		m->w[2] = (unsigned long)r_a3;
		m->w[3] = (unsigned long)r_a4;
		m->w[4] = (unsigned long)r_t3;
		m->w[5] = (unsigned long)r_t4;
		m->w[6] = (unsigned long)r_t5;
		m->w[7] = (unsigned long)r_t6;
		m->len = (unsigned long)r_a6;
		if (n != SYS_ipc_call) {
			m->badge = (unsigned long)r_a5;
		}
	}
	return r_a0;
}
/* This thread's IPC buffer: @words beyond the registers (at most IPC_MSG_MAX - 8). */
static inline long hp_ipc_buffer(unsigned long *buf, unsigned long words)
{
	return hp_syscall3(SYS_ipc_buffer, (long)buf, (long)words, 0);
}
static inline long hp_ipc(long n, long h, struct hp_msg *m, unsigned int ms)
{
	return hp_ipc_pass(n, h, m, ms, 0);
}
static inline long hp_call(long h, struct hp_msg *m, unsigned int ms) { return hp_ipc(SYS_ipc_call, h, m, ms); }
/* A call passing a copy of handle m->w[3] (its rights and badge) to the receiver. */
static inline long hp_call_handle(long h, struct hp_msg *m, unsigned int ms)
{
	return hp_ipc_pass(SYS_ipc_call, h, m, ms, IPC_PASS_HANDLE);
}
static inline long hp_send(long h, struct hp_msg *m, unsigned int ms) { return hp_ipc(SYS_ipc_send, h, m, ms); }
static inline long hp_recv(long h, struct hp_msg *m, unsigned int ms) { return hp_ipc(SYS_ipc_recv, h, m, ms); }
/* Answers the last caller with @m, then waits for the next message into @m. */
static inline long hp_reply_recv(long h, struct hp_msg *m, unsigned int ms)
{
	return hp_ipc(SYS_ipc_reply_recv, h, m, ms);
}
/* A new endpoint: a handle with IPC_RIGHT_SEND | IPC_RIGHT_RECV. */
static inline long hp_ep_create(void) { return hp_syscall0(SYS_ep_create); }
/* A copy of @h with fewer @rights and a @badge (0: keep its own). */
static inline long hp_handle_dup(long h, int rights, unsigned long badge)
{
	return hp_syscall3(SYS_handle_dup, h, rights, (long)badge);
}
static inline long hp_handle_close(long h) { return hp_syscall3(SYS_handle_close, h, 0, 0); }
/*
 * User-space hotplug states (docs/ipc.md; CPU control needed). The kernel calls @ep
 * with w0 HPSTATE_STARTUP/HPSTATE_TEARDOWN, w1 the CPU, w2 the state, w3 the instance;
 * the reply's w0 is the result. @ms: the reply timeout (0: HPSTATE_TIMEOUT_MS).
 */
static inline long hp_state_add(const char *name, long ep, int flags, unsigned int ms)
{
	return hp_syscall4(SYS_hpstate_add, (long)name, ep, flags, (long)ms);
}
static inline long hp_state_remove(long state, int flags)
{
	return hp_syscall3(SYS_hpstate_remove, state, flags, 0);
}
/* An instance of multi-instance @state served at @ep: its id (> 0). */
static inline long hp_state_instance_add(long state, long ep, int flags)
{
	return hp_syscall3(SYS_hpstate_instance_add, state, ep, flags);
}
static inline long hp_state_instance_remove(long state, long id, int flags)
{
	return hp_syscall3(SYS_hpstate_instance_remove, state, id, flags);
}
/*
 * Binds the calling thread to @cpu (-1: unbinds it); CPU control needed. A bound
 * thread runs only there, only while that CPU is active: when it goes down, the
 * thread waits (held) until it is back, never running elsewhere.
 */
static inline long hp_thread_bind(long cpu) { return hp_syscall3(SYS_thread_bind, cpu, 0, 0); }
/*
 * A handle to child @pid with the right to end it (IPC_RIGHT_CONTROL); it may be passed
 * to another process in a message. hp_proc_kill ends the process it names (137).
 */
static inline long hp_proc_handle(long pid) { return hp_syscall3(SYS_proc_handle, pid, 0, 0); }
static inline long hp_proc_kill(long h) { return hp_syscall3(SYS_proc_kill, h, 0, 0); }
/*
 * A handle to thread @tid of our own process, with IPC_RIGHT_CONTROL: whoever holds it
 * (it may be passed in a message) can end that thread alone (its join value 137; the
 * last thread of a process ends the process, status 137). -ESRCH once it has ended.
 */
static inline long hp_thread_handle(long tid) { return hp_syscall3(SYS_thread_handle, tid, 0, 0); }
static inline long hp_thread_kill(long h) { return hp_syscall3(SYS_thread_kill, h, 0, 0); }
/* Notifications: a word of event bits (bit 63 kept clear). */
static inline long hp_notify_create(void) { return hp_syscall0(SYS_notify_create); }
static inline long hp_notify_signal(long h, unsigned long bits)
{
	return hp_syscall3(SYS_notify_signal, h, (long)bits, 0);
}
/* Takes every bit set, waiting up to @ms for one (0: only look); the bits, or -errno. */
static inline long hp_notify_wait(long h, unsigned int ms)
{
	return hp_syscall3(SYS_notify_wait, h, (long)ms, 0);
}

/* spawn, and the caller's handle @h becomes the child's handle 0. */
static inline long hp_spawn_handle(char *const argv[], int argc, int flags, long h)
{
	return hp_syscall4(SYS_spawn, (long)argv, argc, flags | SPAWN_HANDLE, h);
}

/* printf to the console (fd 1) through one write; at most 256 bytes a call. */
__attribute__((format(printf, 1, 2))) int hp_printf(const char *fmt, ...);
/* Test programs: one line "PROG: WHAT: got G, expected W" and a count, if @got is not @want. */
void hp_expect(const char *prog, int *failures, const char *what, long got, long want);
/*
 * A decimal number after any spaces, maybe negative; *@end (if not NULL) past it.
 * picolibc's strtol would want a thread-local errno these programs do not set up.
 */
long hp_number(const char *p, const char **end);
/* A command-line argument that is all digits: its value, else -1. */
long hp_arg_number(const char *s);
/* Runs the calling thread on @cpu only (affinity, not binding). */
bool hp_pin(long cpu);
/* Writes @value to /sys/devices/system/cpu/cpuCPU/FILE ("online", "hotplug/fail"). */
long hp_cpu_file_write(long cpu, const char *file, long value);
/* The error's name and text (err.c, shared with the kernel): "ENOENT", "No such ...". */
const char *err_name(int err);
const char *err_text(int err);

static inline uint64_t hp_instret(void)
{
	uint64_t v;
	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

#endif
