/* SPDX-License-Identifier: BSD-2-Clause */
/* Odds and ends every kernel file needs. */
#ifndef HP_KERNEL_H
#define HP_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "config.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NR_CPUS CONFIG_NR_CPUS
#define __noreturn __attribute__((noreturn))
#ifndef __noinline                  /* picolibc's sys/cdefs.h has it */
#define __noinline __attribute__((noinline))
#endif
#define __printf(a, b) __attribute__((format(printf, a, b)))
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define ALIGN_UP(x, a) (((x) + ((a) - 1)) & ~((uintptr_t)(a) - 1))
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* Prints the message, stops every other CPU and leaves QEMU with a failure status. */
__noreturn __printf(1, 2) void panic(const char *fmt, ...);

#endif
