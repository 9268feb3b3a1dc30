/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel log: "[seconds.micro] cpuN: text" lines, kept in a ring buffer for dmesg and
 * printed on the console when their level is below the console level (loglevel=).
 * Safe from any context and any number of CPUs at once: a line is formatted whole,
 * then stored and printed under one lock, so lines never interleave.
 */
#ifndef HP_LOG_H
#define HP_LOG_H

#include "kernel.h"

enum log_level {
	LOG_EMERG, LOG_ALERT, LOG_CRIT, LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG,
};

__printf(2, 3) void printk(int level, const char *fmt, ...);
#define pr_err(...)    printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...)   printk(LOG_WARNING, __VA_ARGS__)
#define pr_notice(...) printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...)   printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...)  printk(LOG_DEBUG, __VA_ARGS__)

void log_set_console_level(int level);
void log_set_timebase(uint64_t hz);
uint64_t log_timebase(void);
/* Prints the whole ring buffer through @out, oldest line first. */
void log_dump(void (*out)(const char *line, void *arg), void *arg);
/* From now on print without taking the lock (panic: the holder may be dead). */
void log_panic_mode(void);

/* Raw console output, for the shell: whole buffers, never interleaved with log lines. */
void console_write(const char *s, size_t len);
__printf(1, 2) void console_printf(const char *fmt, ...);

/* Pure formatting, shared with the host tests (kernel/logfmt.c). */
/* Writes "[    1.234567] cpu2: " into @buf; returns its length (truncated to fit). */
size_t log_format_prefix(char *buf, size_t len, uint64_t ticks, uint64_t hz, unsigned int cpu);
/* Level from a "<N>" prefix in @fmt, or @dflt; *@rest points past the prefix. */
int log_parse_level(const char *fmt, int dflt, const char **rest);

#endif
