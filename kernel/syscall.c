/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System calls (docs/syscalls.md). Every pointer from user space goes through
 * arch_copy_from_user/arch_copy_to_user, which check the user range and turn a fault
 * into -EFAULT; lengths are bounded before anything is copied.
 */
#include "process.h"
#include "percpu.h"
#include "log.h"
#include "err.h"
#include "kernel.h"

#define SYS_exit     0
#define SYS_write    1
#define SYS_getpid   2
#define SYS_getcpu   3
#define SYS_yield    4
#define SYS_sleep    5

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

long syscall_dispatch(unsigned long nr, unsigned long *a)
{
	switch (nr) {
	case SYS_exit:
		process_exit((int)a[0]);
	case SYS_write:
		return sys_write(a[0], a[1], a[2]);
	case SYS_getpid:
		return current_task()->pid;
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
	default:
		return -ENOSYS;
	}
}
