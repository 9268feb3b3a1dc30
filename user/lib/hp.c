/* SPDX-License-Identifier: BSD-2-Clause */
/* The system call stubs that are more than one instruction, hp_printf, and small helpers. */
#include <stdarg.h>
#include <stdio.h>
#include "hp.h"

void hp_exit(int code)
{
	for (;;) {
		hp_syscall3(SYS_exit, code, 0, 0);
	}
}

void hp_thread_exit(long value)
{
	for (;;) {
		hp_syscall3(SYS_thread_exit, value, 0, 0);
	}
}

/* crt0.S: a new thread starts there with a0 = arg, a1 = fn. */
void hp_thread_start(void);

long hp_thread_create(long (*fn)(void *), void *arg, void *stack_top)
{
	return hp_syscall4(SYS_thread_create, (long)hp_thread_start, (long)stack_top, (long)arg,
			   (long)fn);
}

long hp_write(int fd, const void *buf, size_t len)
{
	return hp_syscall3(SYS_write, fd, (long)buf, (long)len);
}

int hp_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return n;
	}
	size_t len = (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1;
	return (int)hp_write(1, buf, len);
}

void hp_expect(const char *prog, int *failures, const char *what, long got, long want)
{
	if (got != want) {
		hp_printf("%s: %s: got %ld, expected %ld\n", prog, what, got, want);
		(*failures)++;
	}
}

long hp_number(const char *p, const char **end)
{
	while (*p == ' ') {
		p++;
	}
	bool neg = *p == '-';
	long v = 0;
	p += neg;
	while (*p >= '0' && *p <= '9') {
		v = v * 10 + (*p++ - '0');
	}
	if (end) {
		*end = p;
	}
	return neg ? -v : v;
}

long hp_arg_number(const char *s)
{
	const char *end;
	long v = hp_number(s, &end);
	return *s >= '0' && *s <= '9' && *end == 0 ? v : -1;
}

bool hp_pin(long cpu)
{
	uint64_t mask[2] = { 0, 0 };
	if (cpu < 0 || cpu >= 128) {
		return false;
	}
	mask[cpu / 64] = 1ull << (cpu % 64);
	return hp_setaffinity(mask, 2) == 0;
}

long hp_cpu_file_write(long cpu, const char *file, long value)
{
	char path[96], v[24];
	snprintf(path, sizeof(path), "/sys/devices/system/cpu/cpu%ld/%s", cpu, file);
	snprintf(v, sizeof(v), "%ld", value);
	return hp_sysfs_write(path, v);
}
