/* SPDX-License-Identifier: BSD-2-Clause */
/* tools/hplog: the model of a teardown log that hplog_read.c builds, and the commands. */
#ifndef HPLOG_H
#define HPLOG_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#define MAX_CPUS 4096
#define FN_LEN 64
#define MAX_DEPTH 16

enum ev_kind { EV_CALL, EV_MASK, EV_HSM, EV_UNDEAD };

/* One callback invocation (enter and exit merged), or one mask/HSM/undead event. */
struct event {
	enum ev_kind kind;
	int line;
	double time;            /* seconds; < 0 when the line had none */
	double end_time;        /* a call's exit line's time; < 0 when it had none */
	int exec;               /* CPU that printed it; -1 unknown */
	int target, step, state, ret;
	bool multi, exited, shutdown;
	int depth;              /* nesting under another callback of the same CPU */
	char name[FN_LEN];      /* callback, mask name, HSM text or failed state */
	int value;              /* mask value */
};

struct cpu_log {
	struct event *ev;
	size_t n, cap;
	long hart;              /* -1 unknown */
	size_t open[MAX_DEPTH]; /* indices of entered, not yet exited callbacks */
	int depth;
};

enum log_kind { LOG_UNKNOWN, LOG_FULL, LOG_MINIMAL, LOG_LINUX };

struct log {
	const char *path;
	enum log_kind kind;
	struct cpu_log *cpu[MAX_CPUS];
	int max_cpu;
	size_t events;
	bool in_shutdown;
	char *line;             /* getline's buffer while reading */
	size_t line_cap;
};


const char *kind_name(enum log_kind k);
/* Reads and checks @path; on unreadable input prints why and exits with status 2. */
void read_log(struct log *lg, const char *path);
/* The same from an open stream; @name names it in messages. */
void read_log_file(struct log *lg, FILE *f, const char *name);
/* Frees what read_log() allocated. */
void free_log(struct log *lg);
/*
 * Called instead of exit(2) on unreadable input when set (the fuzzer returns from
 * it with longjmp; the log is then valid for free_log).
 */
extern void (*hplog_input_error)(void);
bool is_down(const struct event *e);
/* Where the CPU ended, before any shutdown, in words. */
void describe_end(const struct cpu_log *c, char *buf, size_t len);

int cmd_show(const char *path);
int cmd_diff(const char *path_a, const char *path_b, bool by_cpu);
/* hplog timeline LOG [LOG2] -o FILE.svg|FILE.html (hplog_timeline.c). */
int cmd_timeline(const char *path_a, const char *path_b, const char *out);

#endif
