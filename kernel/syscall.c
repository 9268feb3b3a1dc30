/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System calls (docs/syscalls.md). Every pointer from user space goes through
 * arch_copy_from_user/arch_copy_to_user, which check the user range and turn a fault
 * into -EFAULT; lengths are bounded before anything is copied.
 */
#include "process.h"
#include "uapi/syscall_nr.h"
#include "percpu.h"
#include "log.h"
#include "err.h"
#include "kernel.h"
#include "cpumask.h"
#include "vm.h"
#include "alloc.h"


#define WRITE_MAX 4096

static long sys_write(unsigned long fd, unsigned long buf, unsigned long len)
{
	char chunk[128];
	unsigned long done = 0;

	if (fd != 1 && fd != 2) {
		return -EINVAL;
	}
	if (len > WRITE_MAX) {
		return -EINVAL;
	}
	while (done < len) {
		size_t n = MIN(sizeof(chunk), len - done);
		int err = arch_copy_from_user(chunk, buf + done, n);
		if (err) {
			return done ? (long)done : err;
		}
		console_write(chunk, n);
		done += n;
	}
	return (long)done;
}

/*
 * The mask is an array of one or two 64-bit words, CPU n in bit n % 64 of word n / 64
 * (the ABI's 128 CPUs); bits of CPUs this kernel cannot have are ignored.
 */
#define ABI_MASK_WORDS 2

static long sys_setaffinity(unsigned long umask, unsigned long words)
{
	uint64_t w[ABI_MASK_WORDS] = { 0, 0 };
	struct cpumask m;

	if (words == 0 || words > ABI_MASK_WORDS) {
		return -EINVAL;
	}
	int err = arch_copy_from_user(w, umask, words * sizeof(uint64_t));
	if (err) {
		return err;
	}
	cpumask_clear(&m);
	for (unsigned int cpu = 0; cpu < NR_CPUS && cpu < 64 * ABI_MASK_WORDS; cpu++) {
		if (w[cpu / 64] & (1ull << (cpu % 64))) {
			cpumask_set(&m, cpu);
		}
	}
	return sched_set_affinity(current_task(), &m);
}

static long sys_getaffinity(unsigned long umask, unsigned long words)
{
	uint64_t w[ABI_MASK_WORDS] = { 0, 0 };

	if (words == 0 || words > ABI_MASK_WORDS) {
		return -EINVAL;
	}
	for (unsigned int cpu = 0; cpu < NR_CPUS && cpu < 64 * ABI_MASK_WORDS; cpu++) {
		if (cpumask_test(&current_task()->allowed, cpu)) {
			w[cpu / 64] |= 1ull << (cpu % 64);
		}
	}
	return arch_copy_to_user(umask, w, words * sizeof(uint64_t));
}

/* A NUL-terminated user string of at most @max bytes (with the NUL) into @dst. */
static int copy_string(char *dst, unsigned long src, size_t max)
{
	for (size_t i = 0; i < max; i++) {
		int err = arch_copy_from_user(&dst[i], src + i, 1);
		if (err) {
			return err;
		}
		if (dst[i] == '\0') {
			return (int)i;
		}
	}
	return -E2BIG;
}

/* spawn(argv, argc): runs the program argv[0] names with those arguments; its pid. */
static long sys_spawn(unsigned long uargv, unsigned long argc)
{
	unsigned long ptrs[PROCESS_MAX_ARGS];
	char *argv[PROCESS_MAX_ARGS];
	size_t used = 0;
	long ret;

	if (argc == 0 || argc > PROCESS_MAX_ARGS) {
		return -E2BIG;
	}
	int err = arch_copy_from_user(ptrs, uargv, argc * sizeof(ptrs[0]));
	if (err) {
		return err;
	}
	char *buf = kmalloc(PROCESS_ARGS_BYTES);
	if (!buf) {
		return -ENOMEM;
	}
	for (unsigned long i = 0; i < argc; i++) {
		int n = copy_string(buf + used, ptrs[i], PROCESS_ARGS_BYTES - used);
		if (n < 0) {
			kfree(buf);
			return n;
		}
		argv[i] = buf + used;
		used += (size_t)n + 1;
	}
	struct process *p;
	ret = process_spawn(argv[0], (int)argc, argv, &p);
	if (!ret) {
		ret = p->pid;
	}
	kfree(buf);
	return ret;
}

static long sys_wait(unsigned long pid, unsigned long ustatus)
{
	int status;
	if (pid > 0x7fffffff) {
		return -ECHILD;
	}
	int err = process_wait_child((int)pid, &status);
	if (err) {
		return err;
	}
	return ustatus ? arch_copy_to_user(ustatus, &status, sizeof(status)) : 0;
}

long syscall_dispatch(unsigned long nr, unsigned long *a)
{
	switch (nr) {
	case SYS_exit:
		process_exit((int)a[0]);
	case SYS_write:
		return sys_write(a[0], a[1], a[2]);
	case SYS_getpid:
		return arch_this_cpu_current()->pid;
	case SYS_getcpu:
		return this_cpu_id();
	case SYS_yield:
		yield();
		return 0;
	case SYS_sleep:
		if (a[0] > 60000) {
			return -EINVAL;
		}
		msleep((unsigned int)a[0]);
		return 0;
	case SYS_setaffinity:
		return sys_setaffinity(a[0], a[1]);
	case SYS_getaffinity:
		return sys_getaffinity(a[0], a[1]);
	case SYS_uptime:
		return (long)(arch_time_now() * 1000000 / log_timebase());
	case SYS_map:
		return vm_map(current_task()->proc, a[0], a[1], (unsigned int)a[2]);
	case SYS_unmap:
		return vm_unmap(current_task()->proc, a[0], a[1]);
	case SYS_protect:
		return vm_protect(current_task()->proc, a[0], a[1], (unsigned int)a[2]);
	case SYS_spawn:
		return sys_spawn(a[0], a[1]);
	case SYS_wait:
		return sys_wait(a[0], a[1]);
	case SYS_kill:
		return a[0] > 0x7fffffff ? -ESRCH : process_kill_child((int)a[0]);
	default:
		return -ENOSYS;
	}
}
