/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * hplog: reads CPU-hotplug teardown logs and compares them.
 *
 *   hplog show LOG          per CPU: every callback with its step, direction, the CPU
 *                           that ran it and its result, plus mask and HSM events
 *   hplog diff [--by cpu|hart] LOG_A LOG_B
 *                           aligns each CPU's callback sequence across two runs and
 *                           says whether they relate as expected, in one verdict line
 *   hplog timeline LOG [LOG2] -o FILE.svg|FILE.html
 *                           draws the log (two: one above the other, one time scale):
 *                           a lane per CPU, a bar per callback (hplog_timeline.c)
 *
 * It reads hartplug's console log (booted with cpuhp.trace=1 or trace_event=cpuhp) and
 * Linux's ftrace text with the cpuhp events (the same TP_printk formats). The format
 * is documented in docs/teardown-log.md.
 *
 * Exit status: 0 the logs relate as expected (show: the log was read), 1 they do not,
 * 2 a log could not be read (missing, no cpuhp lines, garbled or truncated lines),
 * 3 inconclusive: the CPUs that would show a difference could not be compared.
 */
#include <stdio.h>
#include <string.h>
#include "hplog.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: hplog show LOG\n"
		   "       hplog diff [--by cpu|hart] LOG_A LOG_B\n"
		   "       hplog timeline LOG [LOG2] -o FILE.svg|FILE.html\n"
		   "diff pairs CPUs by hart when both logs name every CPU's hart, else by number;\n"
		   "--by cpu compares CPU numbers (an injected failure names a CPU number).\n"
		   "LOG: a hartplug console log (cpuhp.trace=1) or Linux ftrace text with the cpuhp "
		   "events.\nexit: 0 as expected, 1 not as expected, 2 unreadable input, 3 inconclusive\n");
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
	if ((argc == 5 || argc == 6) && strcmp(argv[1], "timeline") == 0 &&
	    strcmp(argv[argc - 2], "-o") == 0) {
		return cmd_timeline(argv[2], argc == 6 ? argv[3] : NULL, argv[argc - 1]);
	}
	if (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0)) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return 2;
}
