/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hartplug's system calls for user programs (docs/syscalls.md): a7 holds the number,
 * a0-a5 the arguments; a0 comes back with the result, or -errno.
 */
#ifndef HP_USER_H
#define HP_USER_H

#include <stddef.h>
#include <stdint.h>
#include "syscall_nr.h"


static inline long hp_syscall3(long n, long a0, long a1, long a2)
{
	register long r_a0 __asm__("a0") = a0;
	register long r_a1 __asm__("a1") = a1;
	register long r_a2 __asm__("a2") = a2;
	register long r_a7 __asm__("a7") = n;
	__asm__ __volatile__("ecall" : "+r"(r_a0) : "r"(r_a1), "r"(r_a2), "r"(r_a7) : "memory");
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
/* Waits for the child @pid; 0 and *status, or -ECHILD. */
static inline long hp_wait(long pid, int *status)
{
	return hp_syscall3(SYS_wait, pid, (long)status, 0);
}

/* Ends the child @pid (status 137); -ESRCH if the caller has no such child. */
static inline long hp_kill(long pid)
{
	return hp_syscall3(SYS_kill, pid, 0, 0);
}

/* printf to the console (fd 1) through one write; at most 256 bytes a call. */
__attribute__((format(printf, 1, 2))) int hp_printf(const char *fmt, ...);

static inline uint64_t hp_instret(void)
{
	uint64_t v;
	__asm__ __volatile__("rdinstret %0" : "=r"(v));
	return v;
}

#endif
