/* SPDX-License-Identifier: BSD-2-Clause */
/* hplog diff: two logs aligned per CPU, and whether they relate as expected. */
#include <stdio.h>
#include <string.h>
#include "hplog.h"

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

/* A CPU that only came up, every step succeeding: the outcome a boot CPU has too. */
static bool plain_bringup(const struct seq *s)
{
	if (s->undead || s->truncated) {
		return false;
	}
	for (size_t i = 0; i < s->n; i++) {
		const struct event *e = s->ev[i];
		if (e->kind != EV_CALL || is_down(e) || e->ret != 0) {
			return false;
		}
	}
	return true;
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

int cmd_diff(const char *path_a, const char *path_b, bool by_cpu)
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
	unsigned identical = 0, split = 0, ordered = 0, bad = 0, boot_cpu = 0, no_evidence = 0;
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
			/*
			 * The firmware booted a different hart in each run. The boot CPU is simply
			 * online: that matches a plain bring-up in the other run, and nothing else
			 * can be judged without the bring-up this run never made.
			 */
			const char *boot = pr->cpu_a == 0 ? "A" : "B", *other = pr->cpu_a == 0 ? "B" : "A";
			if (plain_bringup(pr->cpu_a == 0 ? &sb : &sa)) {
				printf("%s: the boot CPU of run %s, brought up plainly in run %s: the same "
				       "outcome\n", label, boot, other);
				boot_cpu++;
			} else {
				printf("%s: the boot CPU of run %s, but more than a plain bring-up in run %s: "
				       "no evidence to compare\n", label, boot, other);
				no_evidence++;
			}
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
	char boot_note[80];
	snprintf(boot_note, sizeof(boot_note), " (boot harts differ: %u compared by outcome only)",
		 boot_cpu);
	if (bad) {
		printf("verdict: NOT as expected: %u of %zu CPUs differ unexpectedly (first: %s)\n", bad,
		       np, first_bad);
		return 1;
	}
	if (no_evidence) {
		printf("verdict: inconclusive: %u CPUs could not be compared (the boot CPU in one run, "
		       "more than a plain bring-up in the other); boot both runs on the same hart "
		       "(--icount always boots hart 0)\n", no_evidence);
		return 3;
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

