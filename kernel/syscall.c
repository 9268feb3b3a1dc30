/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * System calls (docs/syscalls.md). Every pointer from user space goes through
 * arch_copy_from_user/arch_copy_to_user, which check the user range and turn a fault
 * into -EFAULT; lengths are bounded before anything is copied. The calls are kept out of
 * line so that the dispatcher stays a jump table with no frame of its own: the small
 * calls (getpid, getcpu) then cost a few instructions.
 */
#include <string.h>
#include "process.h"
#include "uapi/syscall_nr.h"
#include "percpu.h"
#include "log.h"
#include "err.h"
#include "kernel.h"
#include "cpumask.h"
#include "vm.h"
#include "alloc.h"
#include "sysfs.h"
#include "tty.h"
#include "kcmd.h"
#include "reboot.h"
#include "ipc.h"
#include "user_states.h"


#define WRITE_MAX 4096

static __noinline long sys_write(unsigned long fd, unsigned long buf, unsigned long len)
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

static __noinline long sys_setaffinity(unsigned long umask, unsigned long words)
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

static __noinline long sys_getaffinity(unsigned long umask, unsigned long words)
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

/*
 * argv[0..argc) from user space into @buf (PROCESS_ARGS_BYTES), pointers in @argv; the
 * number of bytes used, or -errno.
 */
static int copy_argv(unsigned long uargv, unsigned long argc, char **argv, char *buf)
{
	unsigned long ptrs[PROCESS_MAX_ARGS];
	size_t used = 0;

	if (argc == 0 || argc > PROCESS_MAX_ARGS) {
		return -E2BIG;
	}
	int err = arch_copy_from_user(ptrs, uargv, argc * sizeof(ptrs[0]));
	if (err) {
		return err;
	}
	for (unsigned long i = 0; i < argc; i++) {
		int n = copy_string(buf + used, ptrs[i], PROCESS_ARGS_BYTES - used);
		if (n < 0) {
			return n;
		}
		argv[i] = buf + used;
		used += (size_t)n + 1;
	}
	return (int)used;
}

/* spawn(argv, argc, flags): runs the program argv[0] names with those arguments; its pid. */
static __noinline long sys_spawn(unsigned long uargv, unsigned long argc, unsigned long flags,
				 unsigned long h)
{
	char *argv[PROCESS_MAX_ARGS];
	long ret;

	if (flags & ~(unsigned long)(SPAWN_UNPRIVILEGED | SPAWN_HANDLE)) {
		return -EINVAL;
	}
	char *buf = kmalloc(PROCESS_ARGS_BYTES);
	if (!buf) {
		return -ENOMEM;
	}
	struct process *p = NULL;
	ret = copy_argv(uargv, argc, argv, buf);
	if (ret >= 0) {
		ret = process_create(argv[0], (int)argc, argv, (unsigned int)flags, (long)h, &p);
	}
	/*
	 * The arguments are on the child's stack now. Freeing their buffer before the child
	 * runs means the child never sees its parent's spawn still in flight: a meminfo it
	 * runs first counts only what stays.
	 */
	kfree(buf);
	if (ret < 0) {
		return ret;
	}
	long pid = p->pid;     /* read first: another thread of ours may reap it at once */
	process_start(p);
	return pid;
}

/* wait(pid, status, timeout_ms): pid -1 is any child; its pid, 0 on timeout, -ECHILD. */
static __noinline long sys_wait(unsigned long pid, unsigned long ustatus, unsigned long timeout)
{
	int status;
	if ((long)pid != -1 && pid > 0x7fffffff) {
		return -ECHILD;
	}
	if (timeout > WAIT_FOREVER) {
		return -EINVAL;
	}
	int ret = process_wait_child((int)pid, &status, (unsigned int)timeout);
	if (ret <= 0) {
		return ret;
	}
	/* The child is gone either way; a bad status pointer only loses its status. */
	int err = ustatus ? arch_copy_to_user(ustatus, &status, sizeof(status)) : 0;
	return err ? err : ret;
}

static bool privileged(void)
{
	struct process *p = current_task()->proc;
	return p && p->privileged;
}

static __noinline long sys_kcmd(unsigned long uargv, unsigned long argc)
{
	char *argv[PROCESS_MAX_ARGS + 1];

	char *buf = kmalloc(PROCESS_ARGS_BYTES);
	if (!buf) {
		return -ENOMEM;
	}
	long ret = copy_argv(uargv, argc, argv, buf);
	if (ret >= 0) {
		argv[argc] = NULL;
		/* The diagnostic commands change CPUs: they need the CPU-control right. */
		if (!kcmd_exists(argv[0])) {
			ret = -ENOSYS;
		} else if (!handle_holds_cpu_control(current_task()->proc)) {
			ret = -EPERM;
		} else {
			ret = kcmd_run((int)argc, argv);
		}
	}
	kfree(buf);
	return ret;
}

#define PATH_MAX_BYTES 128
#define SYSFS_BUF 8192

static __noinline long sys_read(unsigned long fd, unsigned long buf, unsigned long len)
{
	if (fd != 0) {
		return -EINVAL;
	}
	return tty_read(buf, MIN(len, (unsigned long)WRITE_MAX));
}

struct list_out {
	char *buf;
	size_t len, used;
	bool overflow;
};

static void list_entry_out(const char *name, bool is_dir, void *arg)
{
	struct list_out *o = arg;
	size_t n = strlen(name) + (is_dir ? 2 : 1);
	if (o->used + n > o->len) {
		o->overflow = true;
		return;
	}
	memcpy(o->buf + o->used, name, n - (is_dir ? 2 : 1));
	if (is_dir) {
		o->buf[o->used + n - 2] = '/';
	}
	o->buf[o->used + n - 1] = '\n';
	o->used += n;
}

/* sysfs_list(path, buf, len): "name\n" or "dir/\n" per entry; the bytes, -ERANGE if short. */
static __noinline long sys_sysfs_list(unsigned long upath, unsigned long ubuf, unsigned long len)
{
	char path[PATH_MAX_BYTES];
	int err = copy_string(path, upath, sizeof(path));
	if (err < 0) {
		return err == -E2BIG ? -EINVAL : err;
	}
	struct list_out o = { .len = MIN(len, (unsigned long)SYSFS_BUF) };
	o.buf = kmalloc(SYSFS_BUF);
	if (!o.buf) {
		return -ENOMEM;
	}
	long ret = sysfs_list(path, list_entry_out, &o);
	if (!ret) {
		ret = o.overflow ? -ERANGE : (long)o.used;
	}
	if (ret > 0) {
		err = arch_copy_to_user(ubuf, o.buf, o.used);
		ret = err ? err : ret;
	}
	kfree(o.buf);
	return ret;
}

/*
 * sysfs_read(path, buf, len, offset): a file's whole text (offset 0; -ERANGE if it does
 * not fit, never a part of it), or a stream's bytes from offset (0 at its end).
 */
static __noinline long sys_sysfs_read(unsigned long upath, unsigned long ubuf, unsigned long len,
				      unsigned long off)
{
	char path[PATH_MAX_BYTES];
	int err = copy_string(path, upath, sizeof(path));
	if (err < 0) {
		return err == -E2BIG ? -EINVAL : err;
	}
	size_t size = MIN(len, (unsigned long)SYSFS_BUF);
	if (!size) {
		return -ERANGE;
	}
	char *buf = kmalloc(size);
	if (!buf) {
		return -ENOMEM;
	}
	long ret = sysfs_read_at(path, buf, size, off);
	if (ret > 0) {
		err = arch_copy_to_user(ubuf, buf, (size_t)ret);
		ret = err ? err : ret;
	}
	kfree(buf);
	return ret;
}

/* sysfs_write(path, value): what the file's store says. */
static __noinline long sys_sysfs_write(unsigned long upath, unsigned long uvalue)
{
	char path[PATH_MAX_BYTES], value[256];
	int err = copy_string(path, upath, sizeof(path));
	if (err < 0) {
		return err == -E2BIG ? -EINVAL : err;
	}
	err = copy_string(value, uvalue, sizeof(value));
	if (err < 0) {
		return err == -E2BIG ? -EINVAL : err;
	}
	if (sysfs_needs_cpu_control(path) && !handle_holds_cpu_control(current_task()->proc)) {
		return -EPERM;
	}
	return sysfs_write(path, value);
}

struct klog_out {
	char *buf;
	size_t from, len, pos, used;
};

static void klog_line(const char *line, void *arg)
{
	struct klog_out *o = arg;
	size_t n = strlen(line);
	for (size_t i = 0; i < n; i++, o->pos++) {
		if (o->pos >= o->from && o->used < o->len) {
			o->buf[o->used++] = line[i];
		}
	}
}

/*
 * klog_read(buf, len, offset): the kernel log as dmesg prints it, from byte @offset;
 * the bytes copied, 0 at its end. The log is a ring: reading it in pieces while it
 * grows may see a line twice or miss one, as with Linux's /dev/kmsg.
 */
static __noinline long sys_klog_read(unsigned long ubuf, unsigned long len, unsigned long offset)
{
	struct klog_out o = { .from = offset, .len = MIN(len, (unsigned long)WRITE_MAX) };
	o.buf = kmalloc(WRITE_MAX);
	if (!o.buf) {
		return -ENOMEM;
	}
	log_dump(klog_line, &o);
	long ret = (long)o.used;
	if (o.used) {
		int err = arch_copy_to_user(ubuf, o.buf, o.used);
		ret = err ? err : ret;
	}
	kfree(o.buf);
	return ret;
}

static __noinline long sys_reboot(unsigned long how)
{
	if (!privileged()) {
		return -EACCES;
	}
	if (how == REBOOT_POWEROFF) {
		kernel_poweroff();
	}
	if (how == REBOOT_RESTART) {
		kernel_restart();
	}
	return -EINVAL;
}

static __noinline long sys_thread_join(unsigned long tid, unsigned long uvalue)
{
	long value;
	if (tid > 0x7fffffff) {
		return -ESRCH;
	}
	long ret = process_thread_join((int)tid, &value);
	if (ret) {
		return ret;
	}
	/* Joined either way; a bad value pointer only loses the value. */
	return uvalue ? arch_copy_to_user(uvalue, &value, sizeof(value)) : 0;
}

static __noinline long sys_ep_create(struct task *self)
{
	struct endpoint *ep = endpoint_create();
	if (!ep) {
		return -ENOMEM;
	}
	endpoint_get(ep, 0);                 /* ours while we install it */
	long h = handle_install(self->proc, &endpoint_kind, ep, IPC_RIGHT_SEND | IPC_RIGHT_RECV, 0);
	endpoint_put(ep, 0);                 /* frees it if nothing took it */
	return h;
}

/*
 * User-space hotplug states (user_states.c), all for holders of CPU control:
 * hpstate_add(name, endpoint, flags, timeout_ms), hpstate_remove(state, flags),
 * hpstate_instance_add(state, endpoint, flags), hpstate_instance_remove(state, id, flags).
 * The kernel calls the endpoint, so a handle to it needs the send right.
 */
static __noinline long sys_hpstate(unsigned long nr, unsigned long *a, struct task *self)
{
	struct process *p = self->proc;
	char name[HPSTATE_NAME_MAX + 1];
	void *ep = NULL;
	unsigned long badge;
	long ret;

	if (!handle_holds_cpu_control(p)) {
		return -EPERM;
	}
	/* Flags and timeouts are 32-bit; a state number that does not fit names none. */
	unsigned long flags = nr == SYS_hpstate_remove ? a[1] : a[2];
	if (flags > 0xffffffffu || (nr == SYS_hpstate_add && a[3] > 0xffffffffu)) {
		return -EINVAL;
	}
	if (nr != SYS_hpstate_add && a[0] > 0x7fffffff) {
		return -ENOENT;
	}
	if (nr == SYS_hpstate_remove) {
		return user_state_remove(p, (int)a[0], (unsigned int)flags);
	}
	if (nr == SYS_hpstate_instance_remove) {
		return user_state_instance_remove(p, (int)a[0], (long)a[1], (unsigned int)flags);
	}
	if (nr == SYS_hpstate_add) {
		ret = copy_string(name, a[0], sizeof(name));
		if (ret < 0) {
			return ret == -E2BIG ? -EINVAL : ret;
		}
	}
	bool multi = nr == SYS_hpstate_add && (flags & HPSTATE_MULTI);
	if (!multi) {
		ret = handle_get(p, (long)a[1], &endpoint_kind, IPC_RIGHT_SEND, &ep, &badge);
		if (ret) {
			return ret;
		}
	}
	if (nr == SYS_hpstate_add) {
		ret = user_state_add(p, name, ep, (unsigned int)flags, (unsigned int)a[3]);
	} else {
		ret = user_state_instance_add(p, (int)a[0], ep, (unsigned int)flags);
	}
	if (ep) {
		endpoint_put(ep, 0);
	}
	return ret;
}

/* notify_create(), notify_signal(h, bits), notify_wait(h, timeout): notify.c. */
static __noinline long sys_notify(unsigned long nr, unsigned long *a, struct task *self)
{
	void *obj;
	unsigned long badge;
	long ret;

	if (nr == SYS_notify_create) {
		struct notification *n = notification_create();
		if (!n) {
			return -ENOMEM;
		}
		notification_kind.get(n, 0);
		ret = handle_install(self->proc, &notification_kind, n, IPC_RIGHT_SIGNAL | IPC_RIGHT_RECV, 0);
		notification_kind.put(n, 0);
		return ret;
	}
	if (nr == SYS_notify_wait && a[1] > WAIT_FOREVER) {
		return -EINVAL;
	}
	ret = handle_get(self->proc, (long)a[0], &notification_kind,
			 nr == SYS_notify_signal ? IPC_RIGHT_SIGNAL : IPC_RIGHT_RECV, &obj, &badge);
	if (ret) {
		return ret;
	}
	ret = nr == SYS_notify_signal ? notification_signal(obj, a[1])
				      : notification_wait(obj, (unsigned int)a[1]);
	notification_kind.put(obj, 0);
	return ret;
}

static __noinline long sys_setfg(unsigned long pid)
{
	if (!privileged()) {
		return -EACCES;
	}
	return pid > 0x7fffffff ? -ESRCH : tty_set_foreground((int)pid);
}

long syscall_dispatch(unsigned long nr, unsigned long *a, struct task *self)
{
	switch (nr) {
	case SYS_exit:
		process_exit((int)a[0]);
	case SYS_write:
		return sys_write(a[0], a[1], a[2]);
	case SYS_getpid:
		return self->pid;
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
		return vm_map(current_task()->proc, a[0], a[1], a[2]);
	case SYS_unmap:
		return vm_unmap(current_task()->proc, a[0], a[1]);
	case SYS_protect:
		return vm_protect(current_task()->proc, a[0], a[1], a[2]);
	case SYS_spawn:
		return sys_spawn(a[0], a[1], a[2], a[3]);
	case SYS_wait:
		return sys_wait(a[0], a[1], a[2]);
	case SYS_kill:
		return a[0] > 0x7fffffff ? -ESRCH : process_kill_child((int)a[0]);
	case SYS_read:
		return sys_read(a[0], a[1], a[2]);
	case SYS_sysfs_list:
		return sys_sysfs_list(a[0], a[1], a[2]);
	case SYS_sysfs_read:
		return sys_sysfs_read(a[0], a[1], a[2], a[3]);
	case SYS_sysfs_write:
		return sys_sysfs_write(a[0], a[1]);
	case SYS_klog_read:
		return sys_klog_read(a[0], a[1], a[2]);
	case SYS_reboot:
		return sys_reboot(a[0]);
	case SYS_kcmd:
		return sys_kcmd(a[0], a[1]);
	case SYS_setfg:
		return sys_setfg(a[0]);
	case SYS_thread_create:
		return process_thread_create(a[0], a[1], a[2], a[3]);
	case SYS_thread_exit:
		process_thread_exit((long)a[0]);
	case SYS_thread_join:
		return sys_thread_join(a[0], a[1]);
	case SYS_ep_create:
		return sys_ep_create(self);
	case SYS_handle_dup:
		return handle_dup(self->proc, (long)a[0], self->proc, a[1], a[2]);
	case SYS_handle_close:
		return handle_close(self->proc, (long)a[0]);
	case SYS_ipc_call:
	case SYS_ipc_send:
	case SYS_ipc_recv:
	case SYS_ipc_reply_recv:
		return ipc_syscall(nr, a, self);
	case SYS_notify_create:
	case SYS_notify_signal:
	case SYS_notify_wait:
		return sys_notify(nr, a, self);
	case SYS_hpstate_add:
	case SYS_hpstate_remove:
	case SYS_hpstate_instance_add:
	case SYS_hpstate_instance_remove:
		return sys_hpstate(nr, a, self);
	case SYS_proc_handle:
		/* Only one's own children: a process reaches only what it holds or made. */
		if (a[0] > 0x7fffffff || !process_is_child((int)a[0])) {
			return -ESRCH;
		}
		return handle_install_process(self->proc, (int)a[0]);
	case SYS_proc_kill: {
		int pid = handle_process_pid(self->proc, (long)a[0]);
		return pid < 0 ? pid : process_kill_pid(pid, 137);
	}
	case SYS_thread_handle:
		/* Only a thread of one's own process, as proc_handle only one's children. */
		if (a[0] > 0x7fffffff || !process_thread_of(self->proc, (int)a[0])) {
			return -ESRCH;
		}
		return handle_install_thread(self->proc, self->proc->pid, (int)a[0]);
	case SYS_thread_kill: {
		int pid, tid;
		long err = handle_thread(self->proc, (long)a[0], &pid, &tid);
		return err ? err : process_kill_thread(pid, tid);
	}
	case SYS_ipc_buffer:
		return ipc_syscall_buffer(self, a[0], a[1]);
	case SYS_thread_bind:
		/* A bound thread takes part in hotplug (its CPU waits for it): CPU control. */
		if (!handle_holds_cpu_control(self->proc)) {
			return -EPERM;
		}
		return (long)a[0] == -1 ? sched_bind_user(-1)
					: a[0] >= NR_CPUS ? -EINVAL : sched_bind_user((int)a[0]);
	default:
		return -ENOSYS;
	}
}
