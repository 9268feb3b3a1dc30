/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel log. One raw lock (taken with interrupts off) covers the ring buffer and
 * the console, so a line is stored and printed whole: lines from several CPUs or from
 * interrupt context never interleave. A record keeps its time and CPU as numbers and
 * its "[    0.021687] cpu3: " prefix is written only where the line is shown (console,
 * dmesg), as Linux's printk does: a line the console level hides costs its message's
 * formatting alone (a CPU's "online" line is printed on every bring-up).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "log.h"
#include "param.h"
#include "percpu.h"
#include "spinlock.h"
#include "arch.h"

#define LOG_RECORDS 512
#define LOG_TEXT 200                   /* a message, newline included */
#define LOG_LINE (LOG_TEXT + 40)       /* with its "[%5llu.%06llu] cpu%u: " */

struct log_record {
	uint64_t seq;
	uint64_t ticks;
	uint16_t cpu;
	uint8_t level;
	char text[LOG_TEXT];
};

static spinlock_t log_lock = SPINLOCK_INIT;
static struct log_record ring[LOG_RECORDS];
static uint64_t next_seq;              /* records written so far; log_lock */
static int console_level = LOG_DEBUG;  /* print levels below this (Linux: loglevel=7) */
static uint64_t timebase_hz;
static bool panic_mode;

void log_set_console_level(int level)
{
	console_level = level;
}

void log_set_timebase(uint64_t hz)
{
	timebase_hz = hz;
}

uint64_t log_timebase(void)
{
	return timebase_hz;
}

void log_panic_mode(void)
{
	__atomic_store_n(&panic_mode, true, __ATOMIC_SEQ_CST);
}

/*
 * In panic mode the lock holder may be a halted CPU: try for a while, then print
 * anyway; a garbled line beats a silent hang.
 */
static unsigned long log_lock_take(bool *locked)
{
	unsigned long flags = arch_irq_save();

	*locked = true;
	if (!__atomic_load_n(&panic_mode, __ATOMIC_SEQ_CST)) {
		raw_spin_lock(&log_lock);
		return flags;
	}
	for (int i = 0; i < 1000; i++) {
		if (raw_spin_trylock(&log_lock)) {
			return flags;
		}
		arch_wait_brief(100);
	}
	*locked = false;
	return flags;
}

static void log_lock_give(bool locked, unsigned long flags)
{
	if (locked) {
		raw_spin_unlock(&log_lock);
	}
	arch_irq_restore(flags);
}

static void console_out(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\n') {
			arch_console_putc('\r');
		}
		arch_console_putc(s[i]);
	}
}

/* @r's line as shown: its prefix, then its message; the length. */
static size_t record_line(const struct log_record *r, char *line, size_t len)
{
	size_t n = log_format_prefix(line, len, r->ticks, timebase_hz, r->cpu);
	size_t m = strlen(r->text);
	if (m > len - 1 - n) {
		m = len - 1 - n;
	}
	memcpy(line + n, r->text, m);
	line[n + m] = 0;
	return n + m;
}

void printk(int level, const char *fmt, ...)
{
	char text[LOG_TEXT];
	const char *body;
	va_list ap;
	bool locked;
	uint64_t ticks = arch_time_now();

	level = log_parse_level(fmt, level, &body);
	va_start(ap, fmt);
	int m = vsnprintf(text, sizeof(text), body, ap);
	va_end(ap);
	size_t n = m < 0 ? 0 : (size_t)m;
	if (n >= sizeof(text) - 1) {
		n = sizeof(text) - 2;   /* truncated: keep room for the newline */
	}
	if (n == 0 || text[n - 1] != '\n') {
		text[n++] = '\n';
	}
	text[n] = 0;

	unsigned long flags = log_lock_take(&locked);
	struct log_record *r = &ring[next_seq % LOG_RECORDS];
	r->seq = next_seq++;
	r->ticks = ticks;
	r->cpu = (uint16_t)this_cpu_id();
	r->level = (uint8_t)level;
	memcpy(r->text, text, n + 1);
	if (level < console_level) {
		char line[LOG_LINE];
		console_out(line, record_line(r, line, sizeof(line)));
	}
	log_lock_give(locked, flags);
}

void log_dump(void (*out)(const char *line, void *arg), void *arg)
{
	char line[LOG_LINE];
	bool locked;
	unsigned long flags = log_lock_take(&locked);
	uint64_t end = next_seq;
	uint64_t seq = end > LOG_RECORDS ? end - LOG_RECORDS : 0;
	log_lock_give(locked, flags);

	for (; seq < end; seq++) {
		flags = log_lock_take(&locked);
		struct log_record *r = &ring[seq % LOG_RECORDS];
		bool valid = r->seq == seq;      /* not overwritten since we looked */
		if (valid) {
			record_line(r, line, sizeof(line));
		}
		log_lock_give(locked, flags);
		if (valid) {
			out(line, arg);
		}
	}
}

void console_write(const char *s, size_t len)
{
	bool locked;
	unsigned long flags = log_lock_take(&locked);
	console_out(s, len);
	log_lock_give(locked, flags);
}

void console_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		return;
	}
	console_write(buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

static int param_loglevel(struct cmdline *cl, struct bootparam *bp, char *err, size_t len)
{
	unsigned long v;
	int ret = cmdline_get_uint(cl, bp->name, 0, 7, &v, err, len);
	if (!ret) {
		log_set_console_level((int)v);
	}
	return ret;
}
BOOT_PARAM("loglevel", param_loglevel);

