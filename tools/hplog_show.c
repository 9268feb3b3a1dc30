/* SPDX-License-Identifier: BSD-2-Clause */
/* hplog show: one log as a table per CPU. */
#include <stdio.h>
#include <string.h>
#include "hplog.h"

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

int cmd_show(const char *path)
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

