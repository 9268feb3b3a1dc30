/*
 * hplog: reads CPU-hotplug teardown logs and compares them.
 *
 *   hplog show LOG          per CPU: every callback with its step, direction, the CPU
 *                           that ran it and its result, plus mask and HSM events
 *   hplog diff [--by cpu|hart] LOG_A LOG_B
 *                           aligns each CPU's callback sequence across two runs and
 *                           says whether they relate as expected, in one verdict line
 *
 * It reads hartplug's console log (booted with cpuhp.trace=1 or trace_event=cpuhp) and
 * Linux's ftrace text with the cpuhp events (the same TP_printk formats). The format
 * is documented in docs/teardown-log.md.
 *
 * Exit status: 0 the logs relate as expected (show: the log was read), 1 they do not,
 * 2 a log could not be read (missing, no cpuhp lines, garbled or truncated lines).
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CPUS 4096
#define FN_LEN 64
#define MAX_DEPTH 16

enum ev_kind { EV_CALL, EV_MASK, EV_HSM, EV_UNDEAD };

/* One callback invocation (enter and exit merged), or one mask/HSM/undead event. */
struct event {
	enum ev_kind kind;
	int line;
	double time;            /* seconds; < 0 when the line had none */
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
};

static const char *kind_name(enum log_kind k)
{
	switch (k) {
	case LOG_FULL: return "hartplug, hotplug=true";
	case LOG_MINIMAL: return "hartplug, hotplug=false";
	case LOG_LINUX: return "Linux ftrace";
	default: return "unknown kernel";
	}
}

/* ---- errors: a message naming the file and line, exit status 2 ---- */

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
	exit(2);
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

static void read_log(struct log *lg, const char *path)
{
	memset(lg, 0, sizeof(*lg));
	lg->path = path;
	lg->max_cpu = -1;
	FILE *f = fopen(path, "r");
	if (!f) {
		die_input(lg, 0, "cannot open: %s", strerror(errno));
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0;
	bool last_had_newline = true;
	while ((n = getline(&line, &cap, f)) > 0) {
		lineno++;
		if (memchr(line, 0, (size_t)n)) {
			die_input(lg, lineno, "binary data (NUL bytes): not a text log");
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
	free(line);
	fclose(f);
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

static bool is_down(const struct event *e)
{
	return e->target < e->step;
}

/* Where the CPU ended: the last known state and masks. */
static void describe_end(const struct cpu_log *c, char *buf, size_t len)
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

/* ---- show ---- */

static const char *errno_name(int ret)
{
	static const struct { int err; const char *name; } names[] = {
		{ 1, "EPERM" }, { 5, "EIO" }, { 11, "EAGAIN" }, { 12, "ENOMEM" }, { 16, "EBUSY" },
		{ 19, "ENODEV" }, { 22, "EINVAL" }, { 95, "EOPNOTSUPP" }, { 110, "ETIMEDOUT" },
		{ 125, "ECANCELED" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (-ret == names[i].err) {
			return names[i].name;
		}
	}
	return ret ? "error" : "ok";
}

static void fmt_time(const struct event *e, char *buf, size_t len)
{
	if (e->time >= 0) {
		snprintf(buf, len, "%12.6f", e->time);
	} else {
		snprintf(buf, len, "%12s", "-");
	}
}

static int cmd_show(const char *path)
{
	static struct log lg;
	read_log(&lg, path);
	printf("%s (%s)\n", path, kind_name(lg.kind));
	for (int cpu = 0; cpu <= lg.max_cpu; cpu++) {
		struct cpu_log *c = lg.cpu[cpu];
		if (!c || c->n == 0) {
			continue;
		}
		printf("\ncpu %d", cpu);
		if (c->hart >= 0) {
			printf(" (hart %ld)", c->hart);
		}
		printf("\n  %12s  %-5s %-4s %5s  %-32s %6s  %s\n", "time", "on", "dir", "step",
		       "callback / event", "target", "result");
		bool shutdown_shown = false;
		const struct event *prev = NULL;
		for (size_t i = 0; i < c->n; i++) {
			const struct event *e = &c->ev[i];
			char t[24], on[12], what[FN_LEN + 32];
			if (e->shutdown && !shutdown_shown) {
				printf("  -- shutdown --\n");
				shutdown_shown = true;
			}
			/*
			 * An injected failure has no trace line of its own (Linux fails before the
			 * trace point): it shows as the target turning round mid-operation.
			 */
			if (e->kind == EV_CALL && e->depth == 0) {
				/* A new operation starts where the last one ended; a rollback turns back. */
				bool turned = prev && is_down(prev) != is_down(e) && prev->ret == 0 &&
					      (is_down(e) ? e->step <= prev->step : e->step >= prev->step);
				if (turned && !e->shutdown) {
					printf("  -- target %d -> %d: the step after %d failed; rolling back --\n",
					       prev->target, e->target, prev->step);
				}
				prev = e;
			}
			fmt_time(e, t, sizeof(t));
			snprintf(on, sizeof(on), e->exec >= 0 ? "cpu%d" : "?", e->exec);
			switch (e->kind) {
			case EV_CALL:
				snprintf(what, sizeof(what), "%*s%s%s", 2 * e->depth, "", e->name,
					 e->multi ? " [multi]" : "");
				printf("  %s  %-5s %-4s %5d  %-32s %6d  ret %d%s%s%s\n", t, on,
				       is_down(e) ? "down" : "up", e->step, what, e->target, e->ret,
				       e->ret ? " (" : "", e->ret ? errno_name(e->ret) : "", e->ret ? ")" : "");
				break;
			case EV_MASK:
				printf("  %s  %-5s %-4s %5s  %s %s\n", t, on, "", "", e->name,
				       e->value ? "set" : "cleared");
				break;
			case EV_HSM:
				printf("  %s  %-5s %-4s %5s  HSM %s\n", t, on, "", "", e->name);
				break;
			case EV_UNDEAD:
				printf("  %s  %-5s %-4s %5s  bring-up failed at %s: left online, inactive\n",
				       t, on, "", "", e->name);
				break;
			}
		}
		char end[96];
		describe_end(c, end, sizeof(end));
		printf("  end: %s\n", end);
	}
	return 0;
}

/* ---- diff ---- */

/* The comparable part of one CPU's run: callbacks (and HSM stops) before any shutdown. */
struct seq {
	const struct event *ev[4096];
	size_t n;
	bool undead, truncated;
};

static void make_seq(const struct cpu_log *c, struct seq *s)
{
	memset(s, 0, sizeof(*s));
	if (!c) {
		return;
	}
	for (size_t i = 0; i < c->n; i++) {
		const struct event *e = &c->ev[i];
		if (e->shutdown) {
			break;
		}
		if (e->kind == EV_UNDEAD) {
			s->undead = true;
		}
		bool hsm_stop = e->kind == EV_HSM && strcmp(e->name, "hart_stop") == 0;
		if (e->kind != EV_CALL && !hsm_stop) {
			continue;
		}
		if (s->n == sizeof(s->ev) / sizeof(s->ev[0])) {
			s->truncated = true;
			break;
		}
		s->ev[s->n++] = e;
	}
}

/*
 * Same callback? Between two hartplug logs, step numbers and who ran it (the CPU
 * itself or another) must match too; against Linux only the name and result can.
 */
static bool same(const struct event *a, const struct event *b, bool by_name, int cpu_a, int cpu_b)
{
	if (a->kind != b->kind) {
		return false;
	}
	if (a->kind == EV_HSM) {
		return true;
	}
	if (strcmp(a->name, b->name) != 0 || a->ret != b->ret || is_down(a) != is_down(b)) {
		return false;
	}
	if (by_name) {
		return true;
	}
	bool self_a = a->exec == cpu_a, self_b = b->exec == cpu_b;
	return a->step == b->step && a->target == b->target &&
	       (a->exec < 0 || b->exec < 0 || self_a == self_b);
}

static void list_rest(const char *who, const struct seq *s, size_t from)
{
	printf("    %s:", who);
	if (from == s->n) {
		printf(" nothing more");
	}
	for (size_t i = from; i < s->n; i++) {
		const struct event *e = s->ev[i];
		if (e->kind == EV_HSM) {
			printf("%s [HSM hart_stop]", i > from ? "," : "");
		} else {
			printf("%s %s %s(%d)%s", i > from ? "," : "", is_down(e) ? "down" : "up", e->name,
			       e->step, e->ret ? " FAILED" : "");
		}
	}
	printf("\n");
}

/* Step numbers of two landmark callbacks, taken from the log itself. */
static int step_of(const struct seq *s, const char *fn)
{
	for (size_t i = 0; i < s->n; i++) {
		if (s->ev[i]->kind == EV_CALL && strcmp(s->ev[i]->name, fn) == 0) {
			return s->ev[i]->step;
		}
	}
	return -1;
}

/*
 * The relation between a full and a minimal run of one CPU that diverged at @p: the
 * last common step is a failed bring-up, the full run then takes the CPU down
 * (TEARDOWN_CPU, DYING steps, HSM stop, DEAD steps) and the minimal run does none of
 * that and leaves the CPU online-inactive.
 */
static const char *check_takedown_split(const struct seq *full, const struct seq *min, size_t p)
{
	if (!min->undead) {
		return "the hotplug=false run does not leave this CPU online-inactive";
	}
	/* The failed bring-up step is the last failed top-level call they share. */
	size_t f = p;
	while (f > 0 && !(full->ev[f - 1]->kind == EV_CALL && full->ev[f - 1]->depth == 0 &&
			  full->ev[f - 1]->ret != 0)) {
		f--;
	}
	if (f == 0 || is_down(full->ev[f - 1])) {
		return "the runs do not part at a failed bring-up step";
	}
	int teardown = step_of(full, "takedown_cpu");
	int bringup = step_of(full, "bringup_cpu");
	if (teardown < 0 || bringup < 0) {
		return "the hotplug=true run never takes this CPU down (no takedown_cpu)";
	}
	bool stopped = false;
	for (size_t i = p; i < full->n; i++) {
		const struct event *e = full->ev[i];
		if (e->kind == EV_HSM) {
			stopped = true;
		} else if (!is_down(e)) {
			return "the hotplug=true run goes up again after the failure";
		}
	}
	if (!stopped) {
		return "the hotplug=true run takes the CPU down without stopping its hart";
	}
	for (size_t i = p; i < min->n; i++) {
		const struct event *e = min->ev[i];
		if (e->kind == EV_HSM) {
			return "the hotplug=false run stops the hart of a CPU it cannot take down";
		}
		if (is_down(e) && e->step <= teardown) {
			return "the hotplug=false run has take-down steps (TEARDOWN_CPU, DYING or DEAD)";
		}
	}
	return NULL;
}

/* One operation: consecutive top-level callbacks in one direction (and what they nest). */
struct op {
	size_t start, end;
	bool down;
};

static size_t split_ops(const struct seq *s, struct op *ops, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++) {
		const struct event *e = s->ev[i];
		if (e->kind != EV_CALL || e->depth != 0) {
			continue;
		}
		if (n == 0 || ops[n - 1].down != is_down(e)) {
			if (n == max) {
				break;
			}
			if (n) {
				ops[n - 1].end = i;
			}
			ops[n++] = (struct op){ i, s->n, is_down(e) };
		}
	}
	return n;
}

static bool has_name(const struct seq *s, const struct op *o, const char *name)
{
	for (size_t k = o->start; k < o->end; k++) {
		if (s->ev[k]->kind == EV_CALL && strcmp(s->ev[k]->name, name) == 0) {
			return true;
		}
	}
	return false;
}

/* Callbacks of op @oa that op @ob also has must appear in @ob in the same order. */
static const char *order_mismatch(const struct seq *a, const struct op *oa, const struct seq *b,
				  const struct op *ob, size_t *common)
{
	size_t j = ob->start;
	for (size_t i = oa->start; i < oa->end; i++) {
		const struct event *e = a->ev[i];
		if (e->kind != EV_CALL || !has_name(b, ob, e->name)) {
			continue;
		}
		while (j < ob->end && !(b->ev[j]->kind == EV_CALL && strcmp(b->ev[j]->name, e->name) == 0)) {
			j++;
		}
		if (j == ob->end) {
			return e->name;
		}
		j++;
		(*common)++;
	}
	return NULL;
}

/*
 * Against Linux the state numbers and most callbacks differ; what must hold is that in
 * every offline and every online, the callbacks both kernels have come in the same
 * order. Returns the first callback out of order, or NULL.
 */
static const char *check_common_order(const struct seq *a, const struct seq *b, size_t *common)
{
	static struct op oa[256], ob[256];
	size_t na = split_ops(a, oa, 256), nb = split_ops(b, ob, 256);
	*common = 0;
	for (size_t i = 0; i < na; i++) {
		for (size_t k = 0; k < nb; k++) {
			size_t c = 0;
			const char *bad;
			if (oa[i].down != ob[k].down) {
				continue;
			}
			if ((bad = order_mismatch(a, &oa[i], b, &ob[k], &c)) ||
			    (bad = order_mismatch(b, &ob[k], a, &oa[i], &c))) {
				return bad;
			}
			if (c / 2 > *common) {
				*common = c / 2;
			}
		}
	}
	return NULL;
}

struct pairing {
	int cpu_a, cpu_b;
	long hart;
};

/*
 * Pairs the CPUs of two runs by hart when both logs know every CPU's hart (CPU numbers
 * follow the random boot hart; SMT topology follows harts), unless told to pair by CPU
 * number (an injected failure names a CPU).
 */
static size_t pair_cpus(const struct log *a, const struct log *b, struct pairing *out, bool by_cpu)
{
	bool by_hart = !by_cpu;
	size_t n = 0;
	for (int cpu = 0; cpu <= a->max_cpu; cpu++) {
		if (a->cpu[cpu] && a->cpu[cpu]->n && a->cpu[cpu]->hart < 0) {
			by_hart = false;
		}
	}
	for (int cpu = 0; cpu <= b->max_cpu; cpu++) {
		if (b->cpu[cpu] && b->cpu[cpu]->n && b->cpu[cpu]->hart < 0) {
			by_hart = false;
		}
	}
	int top = a->max_cpu > b->max_cpu ? a->max_cpu : b->max_cpu;
	for (int cpu = 0; cpu <= top; cpu++) {
		const struct cpu_log *ca = cpu <= a->max_cpu ? a->cpu[cpu] : NULL;
		if (!by_hart) {
			const struct cpu_log *cb = cpu <= b->max_cpu ? b->cpu[cpu] : NULL;
			if ((ca && ca->n) || (cb && cb->n)) {
				out[n++] = (struct pairing){ cpu, cpu, -1 };
			}
			continue;
		}
		if (!ca || !ca->n) {
			continue;
		}
		struct pairing pr = { cpu, -1, ca->hart };
		for (int k = 0; k <= b->max_cpu; k++) {
			if (b->cpu[k] && b->cpu[k]->n && b->cpu[k]->hart == ca->hart) {
				pr.cpu_b = k;
			}
		}
		out[n++] = pr;
	}
	if (by_hart) {
		/* CPUs only B has. */
		for (int k = 0; k <= b->max_cpu; k++) {
			const struct cpu_log *cb = b->cpu[k];
			bool seen = false;
			for (size_t i = 0; i < n && !seen; i++) {
				seen = out[i].cpu_b == k;
			}
			if (cb && cb->n && !seen) {
				out[n++] = (struct pairing){ -1, k, cb->hart };
			}
		}
	}
	return n;
}

static int cmd_diff(const char *path_a, const char *path_b, bool by_cpu)
{
	static struct log a, b;
	static struct seq sa, sb;
	static struct pairing pairs[2 * MAX_CPUS];

	read_log(&a, path_a);
	read_log(&b, path_b);
	printf("A: %s (%s)\nB: %s (%s)\n", path_a, kind_name(a.kind), path_b, kind_name(b.kind));
	bool linux_involved = a.kind == LOG_LINUX || b.kind == LOG_LINUX;
	bool full_vs_min = (a.kind == LOG_FULL && b.kind == LOG_MINIMAL) ||
			   (a.kind == LOG_MINIMAL && b.kind == LOG_FULL);
	size_t np = pair_cpus(&a, &b, pairs, by_cpu);
	unsigned identical = 0, split = 0, ordered = 0, bad = 0, boot_cpu = 0;
	const char *first_bad = NULL;
	char label[64];

	for (size_t i = 0; i < np; i++) {
		struct pairing *pr = &pairs[i];
		make_seq(pr->cpu_a >= 0 ? a.cpu[pr->cpu_a] : NULL, &sa);
		make_seq(pr->cpu_b >= 0 ? b.cpu[pr->cpu_b] : NULL, &sb);
		if (pr->hart >= 0) {
			snprintf(label, sizeof(label), "hart %ld (A cpu%d, B cpu%d)", pr->hart, pr->cpu_a,
				 pr->cpu_b);
		} else {
			snprintf(label, sizeof(label), "cpu %d", pr->cpu_a);
		}
		if (pr->hart >= 0 && (pr->cpu_a == 0) != (pr->cpu_b == 0)) {
			/* The firmware booted a different hart in each run: nothing to compare. */
			printf("%s: the boot CPU of run %s, never brought up there; not compared\n", label,
			       pr->cpu_a == 0 ? "A" : "B");
			boot_cpu++;
			continue;
		}
		if (sa.truncated || sb.truncated) {
			printf("%s: too many events to compare (more than %zu)\n", label,
			       sizeof(sa.ev) / sizeof(sa.ev[0]));
			bad++;
			first_bad = first_bad ? first_bad : "a CPU with too many events";
			continue;
		}
		if (linux_involved) {
			size_t common = 0;
			const char *out_of_order = check_common_order(&sa, &sb, &common);
			if (out_of_order) {
				printf("%s: callbacks both kernels have run in a different order (first: %s)\n",
				       label, out_of_order);
				bad++;
				first_bad = first_bad ? first_bad : "common callbacks out of order";
			} else {
				printf("%s: same order in every offline and online (up to %zu callbacks in "
				       "common per operation; A has %zu steps, B %zu)\n", label, common, sa.n, sb.n);
				ordered++;
			}
			continue;
		}
		size_t p = 0;
		while (p < sa.n && p < sb.n && same(sa.ev[p], sb.ev[p], false, pr->cpu_a, pr->cpu_b)) {
			p++;
		}
		char end_a[96] = "absent", end_b[96] = "absent";
		if (pr->cpu_a >= 0) {
			describe_end(a.cpu[pr->cpu_a], end_a, sizeof(end_a));
		}
		if (pr->cpu_b >= 0) {
			describe_end(b.cpu[pr->cpu_b], end_b, sizeof(end_b));
		}
		if (p == 0 && sa.n == 0 && sb.n == 0 && sa.undead == sb.undead) {
			printf("%s: no hotplug operation in either run\n", label);
			identical++;
			continue;
		}
		if (p == sa.n && p == sb.n && sa.undead == sb.undead) {
			printf("%s: identical (%zu steps); ends %s\n", label, p, end_a);
			identical++;
			continue;
		}
		printf("%s: same for %zu steps", label, p);
		if (p > 0 && sa.ev[p - 1]->kind == EV_CALL) {
			printf(" (up to %s, ret %d)", sa.ev[p - 1]->name, sa.ev[p - 1]->ret);
		}
		printf("; then\n");
		list_rest("A", &sa, p);
		list_rest("B", &sb, p);
		printf("    ends: A %s; B %s\n", end_a, end_b);
		const char *why = "the two runs of one configuration differ";
		if (full_vs_min) {
			why = a.kind == LOG_FULL ? check_takedown_split(&sa, &sb, p)
						 : check_takedown_split(&sb, &sa, p);
		}
		if (why) {
			printf("    unexpected: %s\n", why);
			bad++;
			first_bad = first_bad ? first_bad : why;
		} else {
			printf("    expected: the full build takes it down (TEARDOWN_CPU, DYING, HSM stop, "
			       "DEAD); the minimal build leaves it online-inactive\n");
			split++;
		}
	}
	char boot_note[64];
	snprintf(boot_note, sizeof(boot_note), " (boot harts differ: %u not compared)", boot_cpu);
	if (bad) {
		printf("verdict: NOT as expected: %u of %zu CPUs differ unexpectedly (first: %s)\n", bad,
		       np, first_bad);
		return 1;
	}
	if (linux_involved) {
		printf("verdict: as expected: the callbacks both kernels have run in the same order on "
		       "all %u CPUs\n", ordered);
	} else if (full_vs_min) {
		printf("verdict: as expected for hotplug=true vs hotplug=false: %u CPUs identical, %u "
		       "rolled back fully in the full build and left online-inactive in the minimal one"
		       "%s\n", identical, split, boot_cpu ? boot_note : "");
	} else {
		printf("verdict: as expected: the runs are identical on all %u CPUs%s\n", identical,
		       boot_cpu ? boot_note : "");
	}
	return 0;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: hplog show LOG\n"
		   "       hplog diff [--by cpu|hart] LOG_A LOG_B\n"
		   "diff pairs CPUs by hart when both logs name every CPU's hart, else by number;\n"
		   "--by cpu compares CPU numbers (an injected failure names a CPU number).\n"
		   "LOG: a hartplug console log (cpuhp.trace=1) or Linux ftrace text with the cpuhp "
		   "events.\nexit: 0 as expected, 1 not as expected, 2 unreadable input\n");
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "show") == 0) {
		return cmd_show(argv[2]);
	}
	if (argc == 4 && strcmp(argv[1], "diff") == 0) {
		return cmd_diff(argv[2], argv[3], false);
	}
	if (argc == 6 && strcmp(argv[1], "diff") == 0 && strcmp(argv[2], "--by") == 0 &&
	    (strcmp(argv[3], "cpu") == 0 || strcmp(argv[3], "hart") == 0)) {
		return cmd_diff(argv[4], argv[5], strcmp(argv[3], "cpu") == 0);
	}
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
