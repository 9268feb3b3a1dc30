/* SPDX-License-Identifier: BSD-2-Clause */
/* Reading a teardown log (hartplug's console or Linux ftrace text) into struct log. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hplog.h"

const char *kind_name(enum log_kind k)
{
	switch (k) {
	case LOG_FULL: return "hartplug, hotplug=true";
	case LOG_MINIMAL: return "hartplug, hotplug=false";
	case LOG_LINUX: return "Linux ftrace";
	default: return "unknown kernel";
	}
}

/* ---- errors: a message naming the file and line, exit status 2 ---- */

void (*hplog_input_error)(void);

static void die_input(const struct log *lg, int line, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "hplog: %s", lg->path);
	if (line > 0) {
		fprintf(stderr, ":%d", line);
	}
	fprintf(stderr, ": ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	if (hplog_input_error) {
		hplog_input_error();
	}
	exit(2);
}

void free_log(struct log *lg)
{
	free(lg->line);
	lg->line = NULL;
	for (int cpu = 0; cpu < MAX_CPUS; cpu++) {
		if (lg->cpu[cpu]) {
			free(lg->cpu[cpu]->ev);
			free(lg->cpu[cpu]);
			lg->cpu[cpu] = NULL;
		}
	}
}

static void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n);
	if (!p) {
		fprintf(stderr, "hplog: out of memory\n");
		exit(2);
	}
	return p;
}

static struct cpu_log *cpu_of(struct log *lg, int cpu)
{
	if (!lg->cpu[cpu]) {
		lg->cpu[cpu] = xrealloc(NULL, sizeof(struct cpu_log));
		memset(lg->cpu[cpu], 0, sizeof(struct cpu_log));
		lg->cpu[cpu]->hart = -1;
	}
	if (cpu > lg->max_cpu) {
		lg->max_cpu = cpu;
	}
	return lg->cpu[cpu];
}

static struct event *push(struct log *lg, int cpu, enum ev_kind kind, int line)
{
	struct cpu_log *c = cpu_of(lg, cpu);
	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 32;
		c->ev = xrealloc(c->ev, c->cap * sizeof(*c->ev));
	}
	struct event *e = &c->ev[c->n++];
	memset(e, 0, sizeof(*e));
	e->kind = kind;
	e->line = line;
	e->time = -1;
	e->end_time = -1;
	e->exec = -1;
	e->shutdown = lg->in_shutdown;
	lg->events++;
	return e;
}

/* ---- a tiny scanner over one line ---- */

struct scan {
	const char *p;
	bool ok;
};

static void skip_spaces(struct scan *s)
{
	while (*s->p == ' ') {
		s->p++;
	}
}

/* Expects the literal @lit after optional spaces. */
static void expect(struct scan *s, const char *lit)
{
	skip_spaces(s);
	size_t n = strlen(lit);
	if (s->ok && strncmp(s->p, lit, n) == 0) {
		s->p += n;
	} else {
		s->ok = false;
	}
}

static long number(struct scan *s, long lo, long hi)
{
	skip_spaces(s);
	char *end;
	errno = 0;
	long v = strtol(s->p, &end, 10);
	if (!s->ok || end == s->p || errno || v < lo || v > hi) {
		s->ok = false;
		return 0;
	}
	s->p = end;
	return v;
}

/* A symbol in parentheses: (name) */
static void symbol(struct scan *s, char *out)
{
	expect(s, "(");
	size_t n = 0;
	while (s->ok && *s->p && *s->p != ')' && n + 1 < FN_LEN) {
		if (!isgraph((unsigned char)*s->p)) {
			s->ok = false;
		}
		out[n++] = *s->p++;
	}
	out[n] = 0;
	if (n == 0) {
		s->ok = false;
	}
	expect(s, ")");
}

static bool at_end(struct scan *s)
{
	while (*s->p == ' ' || *s->p == '\r' || *s->p == '\n') {
		s->p++;
	}
	return s->ok && *s->p == 0;
}

/*
 * The prefix before the event: hartplug's "[   0.104399] cpu0: " or ftrace's
 * "kworker/0:0-7 [000] .....  7.890916: ". Either gives the executing CPU and a time.
 */
static void parse_prefix(const char *line, const char *event, double *time, int *exec)
{
	const char *p = line;
	while (*p == ' ') {
		p++;
	}
	if (*p == '[') {
		/* hartplug */
		char *end;
		double t = strtod(p + 1, &end);
		if (end != p + 1 && *end == ']') {
			*time = t;
			const char *c = strstr(end, "] cpu");
			if (c && c < event) {
				*exec = (int)strtol(c + 5, NULL, 10);
			}
		}
		return;
	}
	/* ftrace: the first "[NNN]" is the CPU, the last number before the event its time. */
	const char *b = strchr(p, '[');
	if (b && b < event) {
		char *end;
		long cpu = strtol(b + 1, &end, 10);
		if (end != b + 1 && *end == ']' && cpu >= 0 && cpu < MAX_CPUS) {
			*exec = (int)cpu;
		}
	}
	const char *q = event;
	while (q > line && (q[-1] == ' ' || q[-1] == ':')) {
		q--;
	}
	while (q > line && (isdigit((unsigned char)q[-1]) || q[-1] == '.')) {
		q--;
	}
	if (isdigit((unsigned char)*q)) {
		*time = strtod(q, NULL);
	}
}

static void parse_call(struct log *lg, const char *line, const char *ev, bool multi, int lineno)
{
	struct scan s = { ev + strlen(multi ? "cpuhp_multi_enter:" : "cpuhp_enter:"), true };
	char fn[FN_LEN];

	expect(&s, "cpu:");
	int cpu = (int)number(&s, 0, MAX_CPUS - 1);
	expect(&s, "target:");
	int target = (int)number(&s, -1, 100000);
	expect(&s, "step:");
	int step = (int)number(&s, 0, 100000);
	symbol(&s, fn);
	if (!at_end(&s)) {
		die_input(lg, lineno, "malformed cpuhp_%senter line: %s", multi ? "multi_" : "", line);
	}
	struct cpu_log *c = cpu_of(lg, cpu);
	if (c->depth == MAX_DEPTH) {
		die_input(lg, lineno, "cpu %d: callbacks nested deeper than %d (garbled log?)", cpu,
			  MAX_DEPTH);
	}
	struct event *e = push(lg, cpu, EV_CALL, lineno);
	parse_prefix(line, ev, &e->time, &e->exec);
	e->target = target;
	e->step = step;
	e->multi = multi;
	e->depth = c->depth;
	snprintf(e->name, sizeof(e->name), "%s", fn);
	c->open[c->depth++] = c->n - 1;
}

static void parse_exit(struct log *lg, const char *line, const char *ev, int lineno)
{
	struct scan s = { ev + strlen("cpuhp_exit:"), true };

	expect(&s, "cpu:");
	int cpu = (int)number(&s, 0, MAX_CPUS - 1);
	expect(&s, "state:");
	int state = (int)number(&s, -1, 100000);
	expect(&s, "step:");
	int step = (int)number(&s, 0, 100000);
	expect(&s, "ret:");
	int ret = (int)number(&s, -4095, 4095);
	if (!at_end(&s)) {
		die_input(lg, lineno, "malformed cpuhp_exit line: %s", line);
	}
	struct cpu_log *c = cpu_of(lg, cpu);
	if (c->depth == 0) {
		die_input(lg, lineno, "cpu %d: exit of step %d that was never entered (log cut at the "
			  "start, or garbled)", cpu, step);
	}
	struct event *e = &c->ev[c->open[c->depth - 1]];
	if (e->step != step) {
		die_input(lg, lineno, "cpu %d: exit of step %d while step %d (%s, line %d) is open", cpu,
			  step, e->step, e->name, e->line);
	}
	c->depth--;
	e->exited = true;
	e->state = state;
	e->ret = ret;
	int exit_exec = -1;
	parse_prefix(line, ev, &e->end_time, &exit_exec);
}

static void parse_mask(struct log *lg, const char *line, const char *ev, int lineno)
{
	struct scan s = { ev + strlen("cpuhp_mask:"), true };
	char name[16] = "";

	expect(&s, "cpu:");
	int cpu = (int)number(&s, 0, MAX_CPUS - 1);
	skip_spaces(&s);
	if (strncmp(s.p, "online:", 7) == 0 || strncmp(s.p, "active:", 7) == 0) {
		memcpy(name, s.p, 6);
		s.p += 7;
	} else {
		s.ok = false;
	}
	int v = (int)number(&s, 0, 1);
	if (!at_end(&s)) {
		die_input(lg, lineno, "malformed cpuhp_mask line: %s", line);
	}
	struct event *e = push(lg, cpu, EV_MASK, lineno);
	parse_prefix(line, ev, &e->time, &e->exec);
	snprintf(e->name, sizeof(e->name), "%s", name);
	e->value = v;
}

static void parse_hsm(struct log *lg, const char *line, const char *ev, int lineno)
{
	struct scan s = { ev + strlen("cpuhp_hsm:"), true };

	expect(&s, "cpu:");
	int cpu = (int)number(&s, 0, MAX_CPUS - 1);
	expect(&s, "hart:");
	long hart = number(&s, 0, 1L << 30);
	skip_spaces(&s);
	if (!s.ok || !*s.p) {
		die_input(lg, lineno, "malformed cpuhp_hsm line: %s", line);
	}
	struct event *e = push(lg, cpu, EV_HSM, lineno);
	parse_prefix(line, ev, &e->time, &e->exec);
	snprintf(e->name, sizeof(e->name), "%.*s", (int)strcspn(s.p, "\r\n"), s.p);
	cpu_of(lg, cpu)->hart = hart;
}

/* "CPU3: bring-up failed at cpu:bringup (ECANCELED): left online, inactive ..." */
static void parse_undead(struct log *lg, const char *line, const char *at, int lineno)
{
	const char *p = at;
	while (p > line && isdigit((unsigned char)p[-1])) {
		p--;
	}
	if (p == at || p - 3 < line || strncmp(p - 3, "CPU", 3) != 0) {
		return;
	}
	int cpu = (int)strtol(p, NULL, 10);
	if (cpu < 0 || cpu >= MAX_CPUS) {
		return;
	}
	struct event *e = push(lg, cpu, EV_UNDEAD, lineno);
	parse_prefix(line, strstr(line, "CPU"), &e->time, &e->exec);
	const char *st = strstr(at, "failed at ");
	if (st) {
		snprintf(e->name, sizeof(e->name), "%.*s", (int)strcspn(st + 10, " "), st + 10);
	}
}

static void parse_line(struct log *lg, const char *line, int lineno)
{
	const char *ev;

	if ((ev = strstr(line, "cpuhp_multi_enter:"))) {
		parse_call(lg, line, ev, true, lineno);
	} else if ((ev = strstr(line, "cpuhp_enter:"))) {
		parse_call(lg, line, ev, false, lineno);
	} else if ((ev = strstr(line, "cpuhp_exit:"))) {
		parse_exit(lg, line, ev, lineno);
	} else if ((ev = strstr(line, "cpuhp_mask:"))) {
		parse_mask(lg, line, ev, lineno);
	} else if ((ev = strstr(line, "cpuhp_hsm:"))) {
		parse_hsm(lg, line, ev, lineno);
	} else if ((ev = strstr(line, ": bring-up failed at ")) && strstr(line, "left online, inactive")) {
		parse_undead(lg, line, ev, lineno);
	} else if (strstr(line, "] cpu") && strstr(line, ": reboot: ")) {
		lg->in_shutdown = true;   /* what follows is the shutdown, not the scenario */
	} else if (strstr(line, "(hotplug enabled), booting on hart ")) {
		lg->kind = LOG_FULL;
		struct cpu_log *c = cpu_of(lg, 0);
		c->hart = strtol(strstr(line, "booting on hart ") + 16, NULL, 10);
	} else if (strstr(line, "(hotplug compiled out), booting on hart ")) {
		lg->kind = LOG_MINIMAL;
		struct cpu_log *c = cpu_of(lg, 0);
		c->hart = strtol(strstr(line, "booting on hart ") + 16, NULL, 10);
	} else if (strncmp(line, "# tracer:", 9) == 0) {
		lg->kind = LOG_LINUX;
	}
}

void read_log(struct log *lg, const char *path)
{
	memset(lg, 0, sizeof(*lg));
	lg->path = path;
	lg->max_cpu = -1;
	FILE *f = fopen(path, "r");
	if (!f) {
		die_input(lg, 0, "cannot open: %s", strerror(errno));
	}
	read_log_file(lg, f, path);
	fclose(f);
}

void read_log_file(struct log *lg, FILE *f, const char *name)
{
	memset(lg, 0, sizeof(*lg));
	lg->path = name;
	lg->max_cpu = -1;
	ssize_t n;
	int lineno = 0;
	bool last_had_newline = true;
	while ((n = getline(&lg->line, &lg->line_cap, f)) > 0) {
		char *line = lg->line;
		lineno++;
		/*
		 * A console capture holds more than the kernel's records: firmware banners
		 * with stray NUL bytes, say. Such a line is skipped; a NUL inside a kernel
		 * record (or a trace event) means the log itself is damaged.
		 */
		if (memchr(line, 0, (size_t)n)) {
			if (memmem(line, (size_t)n, "cpuhp_", 6) || memmem(line, (size_t)n, "] cpu", 5)) {
				die_input(lg, lineno, "binary data (NUL bytes) in a kernel log record");
			}
			continue;
		}
		last_had_newline = line[n - 1] == '\n';
		if (!last_had_newline && strstr(line, "cpuhp_")) {
			die_input(lg, lineno, "truncated: the last line stops mid-event");
		}
		parse_line(lg, line, lineno);
	}
	if (ferror(f)) {
		die_input(lg, 0, "read error: %s", strerror(errno));
	}
	free(lg->line);
	lg->line = NULL;
	if (lg->events == 0) {
		die_input(lg, 0, "no cpuhp trace lines (boot hartplug with cpuhp.trace=1, or enable "
			  "the cpuhp events in Linux's ftrace)");
	}
	for (int cpu = 0; cpu <= lg->max_cpu; cpu++) {
		struct cpu_log *c = lg->cpu[cpu];
		if (c && c->depth) {
			struct event *e = &c->ev[c->open[c->depth - 1]];
			die_input(lg, e->line, "truncated: cpu %d step %d (%s) was entered and never exited",
				  cpu, e->step, e->name);
		}
	}
	if (lg->kind == LOG_UNKNOWN) {
		lg->kind = LOG_LINUX;    /* bare trace lines without a header: most likely ftrace */
	}
}

/* ---- what a CPU's sequence says ---- */

bool is_down(const struct event *e)
{
	return e->target < e->step;
}

/* Where the CPU ended: the last known state and masks. */
void describe_end(const struct cpu_log *c, char *buf, size_t len)
{
	int state = -1, online = -1, active = -1;
	bool undead = false, stopped = false;

	for (size_t i = 0; i < c->n; i++) {
		const struct event *e = &c->ev[i];
		if (e->shutdown) {
			break;
		}
		if (e->kind == EV_CALL && e->exited && e->depth == 0) {
			/* A step that succeeded and was the last traced went on to its target. */
			state = e->ret == 0 ? e->target : e->state;
		} else if (e->kind == EV_MASK) {
			*(strcmp(e->name, "online") == 0 ? &online : &active) = e->value;
		} else if (e->kind == EV_UNDEAD) {
			undead = true;
		} else if (e->kind == EV_HSM) {
			stopped = strstr(e->name, "STOPPED") != NULL;
		}
	}
	if (state < 0 && online < 0 && active < 0 && !undead) {
		snprintf(buf, len, "no hotplug operation before the shutdown");
	} else if (undead) {
		snprintf(buf, len, "online, inactive (left online-inactive, state %d)", state);
	} else if (state == 0) {
		snprintf(buf, len, "offline (state 0%s)", stopped ? ", hart STOPPED" : "");
	} else {
		snprintf(buf, len, "state %d%s%s", state,
			 online == 1 ? ", online" : online == 0 ? ", not online" : "",
			 active == 1 ? ", active" : active == 0 ? ", inactive" : "");
	}
}

