/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hplog timeline LOG [LOG2] -o FILE.svg|FILE.html: a teardown log as a picture. One
 * lane per CPU, one bar per callback from its enter line to its exit line, coloured by
 * who ran it (the control CPU, the CPU itself with interrupts off coming up, its
 * stopper going down, its hotplug thread); a failed callback outlined, a rollback (the
 * target turning round after an injected failure, which has no line of its own) and
 * the HSM events marked as ticks; a time axis in microseconds. With two logs the runs
 * are drawn one above the other on one time scale, each from its own first event.
 *
 * Every bar carries a <title> (browsers show it on hover): the callback, its step, its
 * CPU and its duration in the SVG; the HTML page, which wraps the same drawing, puts
 * the trace line itself there. Bars are <rect class="bar">, one per invocation, with
 * data-run/data-cpu/data-step, and each lane's group its data-cpu and data-y, for tools
 * and tests.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "hplog.h"

#define WIDTH 1200
#define LEFT 110                /* lane labels */
#define RIGHT 30
#define LANE_H 26
#define BAR_H 18
#define TITLE_H 28
#define AXIS_H 34
#define LEGEND_H 30

/* Who ran a callback, from the CPU that printed it and where its step lies. */
enum runner { R_CONTROL, R_AP_IRQS_OFF, R_STOPPER, R_THREAD, R_UNKNOWN, R_COUNT };

static const struct {
	const char *name, *fill;
} runners[R_COUNT] = {
	[R_CONTROL] = { "control CPU", "#3b6fb6" },
	[R_AP_IRQS_OFF] = { "the CPU itself, interrupts off", "#e08a1e" },
	[R_STOPPER] = { "its stopper (stop_machine)", "#c0392b" },
	[R_THREAD] = { "its hotplug thread (cpuhp/N)", "#2e9e5b" },
	[R_UNKNOWN] = { "unknown CPU", "#8c8c8c" },
};

/*
 * The step of cpu:teardown splits the CPU's own callbacks: below it the STARTING and
 * DYING states (interrupts off; going down they run in the stopper), above it the
 * ONLINE states (its hotplug thread). Found in the log by its callback, takedown_cpu
 * (the name in both kernels); failing that, hartplug's number or Linux 6.12's.
 */
static int teardown_step(const struct log *lg)
{
	for (int cpu = 0; cpu <= lg->max_cpu; cpu++) {
		const struct cpu_log *c = lg->cpu[cpu];
		for (size_t i = 0; c && i < c->n; i++) {
			if (c->ev[i].kind == EV_CALL && strcmp(c->ev[i].name, "takedown_cpu") == 0) {
				return c->ev[i].step;
			}
		}
	}
	return lg->kind == LOG_LINUX ? 145 : 19;
}

static enum runner runner_of(const struct event *e, int cpu, int td_step)
{
	if (e->exec < 0) {
		return R_UNKNOWN;
	}
	if (e->exec != cpu) {
		return R_CONTROL;
	}
	if (e->step < td_step) {
		return is_down(e) ? R_STOPPER : R_AP_IRQS_OFF;
	}
	return R_THREAD;
}

/* The log's text, line by line, for the HTML tooltips. */
struct lines {
	char **line;
	size_t n;
};

static void read_lines(struct lines *l, const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	memset(l, 0, sizeof(*l));
	if (!f) {
		return;
	}
	while ((len = getline(&buf, &cap, f)) >= 0) {
		while (len > 0 && (buf[len - 1] == '\n' || buf[len - 1] == '\r')) {
			buf[--len] = 0;
		}
		l->line = realloc(l->line, (l->n + 1) * sizeof(*l->line));
		if (!l->line) {
			perror("hplog timeline");
			exit(2);
		}
		l->line[l->n++] = strdup(buf);
	}
	free(buf);
	fclose(f);
}

static void free_lines(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->line[i]);
	}
	free(l->line);
}

/* @s with XML's special characters escaped. */
static void put_text(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		default:
			if ((unsigned char)*s >= 0x20) {
				fputc(*s, out);
			}
		}
	}
}

struct run {
	struct log lg;
	struct lines text;
	double t0, t1;          /* first and last time in the log, seconds */
	int lanes;
};

static void time_span(struct run *r)
{
	r->t0 = -1;
	r->t1 = -1;
	r->lanes = 0;
	for (int cpu = 0; cpu <= r->lg.max_cpu; cpu++) {
		const struct cpu_log *c = r->lg.cpu[cpu];
		if (!c || c->n == 0) {
			continue;
		}
		r->lanes++;
		for (size_t i = 0; i < c->n; i++) {
			const struct event *e = &c->ev[i];
			double end = e->end_time >= 0 ? e->end_time : e->time;
			if (e->time >= 0 && (r->t0 < 0 || e->time < r->t0)) {
				r->t0 = e->time;
			}
			if (end > r->t1) {
				r->t1 = end;
			}
		}
	}
}

static double x_of(double t, const struct run *r, double scale)
{
	return LEFT + (t - r->t0) * scale;
}

/* A tick for an HSM event or a rollback, with its text as the tooltip. */
static void tick(FILE *out, double x, int y, const char *colour, const char *cls, const char *title)
{
	fprintf(out, "<line class=\"%s\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\" "
		     "stroke-width=\"2\"><title>", cls, x, y, x, y + LANE_H - 2, colour);
	put_text(out, title);
	fputs("</title></line>\n", out);
}

static void draw_lane(FILE *out, const struct run *r, int run, int cpu, int y, double scale,
		      int td_step, bool html)
{
	const struct cpu_log *c = r->lg.cpu[cpu];
	const struct event *prev = NULL;

	fprintf(out, "<g class=\"lane\" data-run=\"%d\" data-cpu=\"%d\" data-y=\"%d\">\n", run, cpu, y);
	fprintf(out, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\"/>\n", y, WIDTH,
		LANE_H, cpu % 2 ? "#f4f4f4" : "#ffffff");
	fprintf(out, "<text x=\"8\" y=\"%d\" font-size=\"12\" font-family=\"sans-serif\">cpu %d",
		y + 17, cpu);
	if (c->hart >= 0) {
		fprintf(out, " (hart %ld)", c->hart);
	}
	fputs("</text>\n", out);
	for (size_t i = 0; i < c->n; i++) {
		const struct event *e = &c->ev[i];
		if (e->time < 0) {
			continue;                    /* nowhere to put it */
		}
		double x = x_of(e->time, r, scale);
		char title[FN_LEN + 160];
		if (e->kind == EV_HSM) {
			snprintf(title, sizeof(title), "cpu %d: HSM %s at %.6f s", cpu, e->name, e->time);
			tick(out, x, y + 1, "#6a1b9a", "hsm", title);
			continue;
		}
		if (e->kind == EV_UNDEAD) {
			snprintf(title, sizeof(title), "cpu %d: bring-up failed at %s: left online, inactive",
				 cpu, e->name);
			tick(out, x, y + 1, "#000000", "undead", title);
			continue;
		}
		if (e->kind != EV_CALL) {
			continue;
		}
		if (e->depth == 0) {
			/* An injected failure shows as the target turning round (hplog show's rule). */
			bool turned = prev && is_down(prev) != is_down(e) && prev->ret == 0 && !e->shutdown &&
				      (is_down(e) ? e->step <= prev->step : e->step >= prev->step);
			if (turned) {
				snprintf(title, sizeof(title), "cpu %d: target %d -> %d: the step after %d failed; "
					 "rolling back", cpu, prev->target, e->target, prev->step);
				tick(out, x, y + 1, "#000000", "rollback", title);
			}
			prev = e;
		}
		double end = e->end_time >= 0 ? e->end_time : e->time;
		double w = (end - e->time) * scale;
		enum runner who = runner_of(e, cpu, td_step);
		int inset = 2 * (e->depth < 4 ? e->depth : 4);
		fprintf(out, "<rect class=\"bar\" data-run=\"%d\" data-cpu=\"%d\" data-step=\"%d\" "
			     "x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"%s><title>",
			run, cpu, e->step, x, y + (LANE_H - BAR_H) / 2 + inset, w < 1 ? 1.0 : w,
			BAR_H - 2 * inset, runners[who].fill,
			e->ret ? " stroke=\"#000000\" stroke-width=\"1.5\"" : "");
		if (html && e->line > 0 && (size_t)e->line <= r->text.n) {
			put_text(out, r->text.line[e->line - 1]);
		} else {
			snprintf(title, sizeof(title), "cpu %d %s step %d: %s, %.1f us, ret %d (%s)", cpu,
				 is_down(e) ? "down" : "up", e->step, e->name, (end - e->time) * 1e6, e->ret,
				 runners[who].name);
			put_text(out, title);
		}
		fputs("</title></rect>\n", out);
	}
	fputs("</g>\n", out);
}

/* Ticks every "nice" number of microseconds across @span seconds. */
static void draw_axis(FILE *out, const struct run *r, int y, double scale, double span)
{
	double us = span * 1e6, step = 1;
	while (us / step > 10) {
		step *= us / step > 50 ? 10 : us / step > 20 ? 5 : 2;
	}
	fprintf(out, "<g class=\"axis\">\n<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#000\"/>\n",
		LEFT, y, WIDTH - RIGHT, y);
	for (double t = 0; t <= us + 1e-9; t += step) {
		double x = x_of(r->t0 + t / 1e6, r, scale);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#000\"/>"
			     "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" font-family=\"sans-serif\" "
			     "text-anchor=\"middle\">%.0f</text>\n", x, y, x, y + 5, x, y + 18, t);
	}
	fprintf(out, "<text x=\"%d\" y=\"%d\" font-size=\"11\" font-family=\"sans-serif\" "
		     "text-anchor=\"end\">us</text>\n</g>\n", LEFT - 14, y + 18);
}

static void draw(FILE *out, struct run *runs, int nruns, bool html)
{
	double span = 0;
	int height = LEGEND_H;
	for (int i = 0; i < nruns; i++) {
		time_span(&runs[i]);
		if (runs[i].t1 - runs[i].t0 > span) {
			span = runs[i].t1 - runs[i].t0;
		}
		height += TITLE_H + runs[i].lanes * LANE_H + AXIS_H;
	}
	if (span <= 0) {
		span = 1e-6;
	}
	double scale = (WIDTH - LEFT - RIGHT) / span;       /* pixels a second */
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		     "viewBox=\"0 0 %d %d\">\n<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n",
		WIDTH, height, WIDTH, height, WIDTH, height);
	int y = 0;
	for (int i = 0; i < nruns; i++) {
		struct run *r = &runs[i];
		int td = teardown_step(&r->lg);
		fprintf(out, "<text x=\"8\" y=\"%d\" font-size=\"14\" font-family=\"sans-serif\" "
			     "font-weight=\"bold\">", y + 19);
		put_text(out, r->lg.path);
		fprintf(out, " (%s)</text>\n", kind_name(r->lg.kind));
		y += TITLE_H;
		for (int cpu = 0; cpu <= r->lg.max_cpu; cpu++) {
			if (r->lg.cpu[cpu] && r->lg.cpu[cpu]->n) {
				draw_lane(out, r, i, cpu, y, scale, td, html);
				y += LANE_H;
			}
		}
		draw_axis(out, r, y + 4, scale, span);
		y += AXIS_H;
	}
	int x = 8;
	for (int k = 0; k < R_COUNT; k++) {
		fprintf(out, "<rect x=\"%d\" y=\"%d\" width=\"14\" height=\"14\" fill=\"%s\"/>"
			     "<text x=\"%d\" y=\"%d\" font-size=\"11\" font-family=\"sans-serif\">%s</text>\n",
			x, y + 8, runners[k].fill, x + 18, y + 19, runners[k].name);
		x += 18 + 7 * (int)strlen(runners[k].name) + 14;
	}
	fputs("</svg>\n", out);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

int cmd_timeline(const char *path_a, const char *path_b, const char *out_path)
{
	static struct run runs[2];
	int nruns = path_b ? 2 : 1;
	bool html = ends_with(out_path, ".html");

	if (!html && !ends_with(out_path, ".svg")) {
		fprintf(stderr, "hplog timeline: %s: the output must end in .svg or .html\n", out_path);
		return 2;
	}
	const char *paths[2] = { path_a, path_b };
	for (int i = 0; i < nruns; i++) {
		read_log(&runs[i].lg, paths[i]);
		read_lines(&runs[i].text, paths[i]);
	}
	FILE *out = fopen(out_path, "w");
	if (!out) {
		perror(out_path);
		return 2;
	}
	if (html) {
		fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>hplog timeline</title>"
		      "<style>body{margin:0;background:#fff}</style></head><body>\n", out);
	}
	draw(out, runs, nruns, html);
	if (html) {
		fputs("</body></html>\n", out);
	}
	int err = ferror(out) | fclose(out);
	for (int i = 0; i < nruns; i++) {
		free_lines(&runs[i].text);
		free_log(&runs[i].lg);
	}
	if (err) {
		fprintf(stderr, "hplog timeline: %s: write failed\n", out_path);
		return 2;
	}
	return 0;
}
