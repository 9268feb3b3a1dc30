/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * sh [--boot]: the console shell, a user program started by init.
 *
 * With --boot it first runs what the kernel published for boot: shell.run= (commands
 * separated by ';', /sys/kernel/boot/run), then the initrd's script (one command a
 * line, /sys/kernel/boot/script). Scripted commands are echoed after the prompt, so a
 * transcript reads like a typed session. A word is looked up as a builtin (files, echo,
 * sleep, dmesg, poweroff, ...), then as a kernel command (/sys/kernel/commands, run
 * through the kcmd system call), then as a program in /bin.
 */
#include <stdio.h>
#include <string.h>
#include "hp.h"
#include "sh.h"
#include "sh_words.h"

#define ARGS_MAX 16
#define JOBS_MAX 32
#define LIST_MAX 8192

static bool interactive;
/* Whether we hold the CPU-control right (init gives it as our handle 0). */
static bool cpu_control;

struct job {
	long pid;
	char name[32];
};
static struct job jobs[JOBS_MAX];
static int njobs;

static void fail(const char *cmd, const char *what, long err)
{
	hp_printf("%s: %s: %s (%s)\n", cmd, what, err_text((int)err), err_name((int)err));
}

/* All of @n bytes to the console (one write takes at most 4096). */
static void put(const char *s, size_t n)
{
	while (n) {
		long k = hp_write(1, s, n > 4096 ? 4096 : n);
		if (k <= 0) {
			return;
		}
		s += k;
		n -= (size_t)k;
	}
}

/* ---- background jobs ---- */

/* Reports background jobs that ended, waiting up to @ms for the first; how many. */
static int reap_jobs(unsigned int ms)
{
	int reaped = 0, status;
	while (njobs) {
		long pid = hp_wait_timeout(-1, &status, reaped ? 0 : ms);
		if (pid <= 0) {
			break;
		}
		for (int i = 0; i < njobs; i++) {
			if (jobs[i].pid == pid) {
				hp_printf("[%ld] %s: done, exit status %d\n", pid, jobs[i].name, status);
				jobs[i] = jobs[--njobs];
				break;
			}
		}
		reaped++;
	}
	return reaped;
}

/* ---- builtins ---- */

static long list(const char *path, char *buf, size_t len)
{
	long n = hp_sysfs_list(path, buf, len - 1);
	if (n >= 0) {
		buf[n] = 0;
	}
	return n;
}

static int b_ls(int argc, char **argv)
{
	static char buf[LIST_MAX];
	const char *path = argc > 1 ? argv[1] : "/";
	long n = list(path, buf, sizeof(buf));
	if (n < 0) {
		fail("ls", path, n);
		return 1;
	}
	put(buf, (size_t)n);
	return 0;
}

static int b_cat(int argc, char **argv)
{
	static char buf[LIST_MAX];
	int ret = 0;
	if (argc < 2) {
		hp_printf("usage: cat FILE...\n");
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		/* A shown file comes whole and shorter than the buffer; only a stream fills it. */
		size_t off = 0;
		long n;
		do {
			n = hp_sysfs_read_at(argv[i], buf, sizeof(buf), off);
			if (n < 0) {
				fail("cat", argv[i], n);
				ret = 1;
				break;
			}
			put(buf, (size_t)n);
			off += (size_t)n;
		} while (n == (long)sizeof(buf));
	}
	return ret;
}

static int b_echo(int argc, char **argv)
{
	char line[SH_LINE_MAX];
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		n += (size_t)snprintf(line + n, sizeof(line) - n, "%s%s", argv[i], i + 1 < argc ? " " : "");
		if (n >= sizeof(line) - 1) {
			n = sizeof(line) - 2;
			break;
		}
	}
	line[n++] = '\n';
	hp_write(1, line, n);
	return 0;
}

/*
 * A decimal number up to @max. Not strtoul: picolibc's sets errno, which lives in
 * thread-local storage these programs do not set up.
 */
static bool parse_num(const char *s, unsigned long max, unsigned long *v)
{
	*v = 0;
	if (!*s) {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || *v > max / 10) {
			return false;
		}
		*v = *v * 10 + (unsigned long)(*s - '0');
	}
	return *v <= max;
}

/* Sleeps @ms, reporting background jobs that end meanwhile as they end. */
static int b_sleep(int argc, char **argv)
{
	unsigned long ms;
	if (argc != 2 || !parse_num(argv[1], 600000, &ms)) {
		hp_printf("usage: sleep MS\n");
		return 1;
	}
	long end = hp_uptime_us() + (long)ms * 1000;
	for (long left = (long)ms * 1000; left > 0; left = end - hp_uptime_us()) {
		unsigned int slice = (unsigned int)((left + 999) / 1000);
		if (njobs) {
			reap_jobs(slice);
		} else {
			hp_sleep(slice > 60000 ? 60000 : slice);
		}
	}
	return 0;
}

static int b_dmesg(int argc, char **argv)
{
	static char buf[4096];
	size_t off = 0;
	long n;
	while ((n = hp_klog_read(buf, sizeof(buf), off)) > 0) {
		put(buf, (size_t)n);
		off += (size_t)n;
	}
	if (n < 0) {
		fail("dmesg", "the kernel log", n);
		return 1;
	}
	return 0;
}

static int b_poweroff(int argc, char **argv)
{
	long err = hp_reboot(argc && strcmp(argv[0], "reboot") == 0 ? REBOOT_RESTART : REBOOT_POWEROFF);
	fail(argv[0], "cannot", err);
	return 1;
}

static int b_exit(int argc, char **argv)
{
	unsigned long status = 0;
	if (argc > 2 || (argc == 2 && !parse_num(argv[1], 255, &status))) {
		hp_printf("usage: exit [STATUS]  (0-255)\n");
		return 1;
	}
	hp_exit((int)status);
}

static int b_help(int argc, char **argv);

struct builtin {
	const char *name, *usage;
	int (*run)(int argc, char **argv);
};

static const struct builtin builtins[] = {
	{ "cat", "cat FILE...", b_cat },
	{ "dmesg", "dmesg", b_dmesg },
	{ "echo", "echo TEXT | echo VALUE > FILE", b_echo },
	{ "exit", "exit [STATUS]", b_exit },
	{ "help", "help", b_help },
	{ "ls", "ls [DIR]", b_ls },
	{ "poweroff", "poweroff", b_poweroff },
	{ "reboot", "reboot", b_poweroff },
	{ "sleep", "sleep MS", b_sleep },
};

static const struct builtin *find_builtin(const char *name)
{
	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		if (strcmp(builtins[i].name, name) == 0) {
			return &builtins[i];
		}
	}
	return NULL;
}

static bool is_kernel_command(const char *name)
{
	char path[96];
	if (strchr(name, '/') || strlen(name) > 48) {
		return false;
	}
	snprintf(path, sizeof(path), "/sys/kernel/commands/%s", name);
	long n = hp_sysfs_read(path, path, 1);
	return n != -ENOENT && n != -EISDIR;     /* -ERANGE: it is there, its usage is long */
}

static int b_help(int argc, char **argv)
{
	static char names[LIST_MAX];
	char path[96], usage[1024];

	for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
		hp_printf("  %s\n", builtins[i].usage);
	}
	if (list("/sys/kernel/commands", names, sizeof(names)) > 0) {
		for (char *name = names, *nl; *name; name = nl + 1) {
			if (!(nl = strchr(name, '\n'))) {
				break;
			}
			*nl = 0;
			snprintf(path, sizeof(path), "/sys/kernel/commands/%s", name);
			long n = hp_sysfs_read(path, usage, sizeof(usage));
			if (n > 0) {
				hp_printf("  %.*s", (int)n, usage);
			}
		}
	}
	hp_printf("  PROGRAM [ARGS] [&]  (ls /bin)\n");
	hp_printf("  grant PROGRAM [ARGS] [&]  (the program holds the CPU-control right)\n");
	return 0;
}

/* ---- programs ---- */

/* @grant: the program gets a copy of our CPU-control handle, as its handle 0. */
static int run_program(int argc, char **argv, bool grant)
{
	bool background = argc > 1 && strcmp(argv[argc - 1], "&") == 0;
	if (background) {
		argc--;
		if (njobs == JOBS_MAX) {
			hp_printf("sh: %d background jobs already\n", JOBS_MAX);
			return 1;
		}
	}
	long pid = grant ? hp_spawn_handle(argv, argc, 0, 0) : hp_spawn(argv, argc);
	if (pid == -ENOENT) {
		hp_printf("sh: %s: command not found (try 'help' or 'ls /bin')\n", argv[0]);
		return 127;
	}
	if (pid < 0) {
		hp_printf("%s: cannot run: %s (%s)\n", argv[0], err_text((int)pid), err_name((int)pid));
		return 126;
	}
	if (background) {
		hp_printf("[%ld] %s\n", pid, argv[0]);
		jobs[njobs].pid = pid;
		snprintf(jobs[njobs].name, sizeof(jobs[njobs].name), "%s", argv[0]);
		njobs++;
		return 0;
	}
	int status = 0;
	if (interactive) {
		hp_setfg(pid);
	}
	long r = hp_wait(pid, &status);
	if (interactive) {
		hp_setfg(0);
	}
	if (r < 0) {
		fail(argv[0], "wait", r);
		return 1;
	}
	if (status) {
		hp_printf("%s: exit status %d\n", argv[0], status);
	}
	return status;
}

static int execute(char *line)
{
	char *argv[ARGS_MAX + 1];
	struct shell_line sl;

	switch (shell_split(line, argv, ARGS_MAX, &sl)) {
	case SHELL_EMPTY:
		return 0;
	case SHELL_BAD_REDIRECT:
		hp_printf("sh: redirection is only 'echo VALUE > FILE'\n");
		return 1;
	case SHELL_TOO_MANY:
		hp_printf("sh: too many arguments (at most %d)\n", ARGS_MAX);
		return 1;
	case SHELL_REDIRECT: {
		long err = hp_sysfs_write(sl.path, sl.value);
		if (err) {
			fail("echo", sl.path, err);
		}
		return err ? 1 : 0;
	}
	case SHELL_WORDS:
		break;
	}
	argv[sl.argc] = NULL;
	if (strcmp(argv[0], "grant") == 0) {
		if (sl.argc < 2) {
			hp_printf("usage: grant PROGRAM [ARGS] [&]  (runs it with the CPU-control right)\n");
			return 1;
		}
		if (!cpu_control) {
			hp_printf("sh: grant: this shell does not hold the CPU-control right (EPERM)\n");
			return 1;
		}
		return run_program(sl.argc - 1, argv + 1, true);
	}
	const struct builtin *b = find_builtin(argv[0]);
	if (b) {
		return b->run(sl.argc, argv);
	}
	if (is_kernel_command(argv[0])) {
		if (!cpu_control) {
			hp_printf("sh: %s: kernel commands need the CPU-control right (EPERM)\n", argv[0]);
			return 1;
		}
		if (interactive) {
			hp_setfg(hp_getpid());      /* Ctrl-C: stop this kernel command */
		}
		long err = hp_kcmd(argv, sl.argc);
		if (interactive) {
			hp_setfg(0);
		}
		return err ? 1 : 0;         /* the command printed its own errors */
	}
	return run_program(sl.argc, argv, false);
}

/* ---- scripts ---- */

/* Echoes and runs one scripted command, as if typed at the prompt. */
static void run_scripted(const char *cmd, size_t len)
{
	char line[SH_LINE_MAX];

	if (len >= sizeof(line)) {
		hp_printf(SH_PROMPT "%.40s...\nsh: command longer than %d bytes: skipped\n", cmd,
			  SH_LINE_MAX - 1);
		return;
	}
	memcpy(line, cmd, len);
	line[len] = 0;
	char *t = shell_trim(line);
	if (!*t || *t == '#') {
		return;
	}
	reap_jobs(0);
	hp_printf(SH_PROMPT "%s\n", t);
	execute(t);
}

/*
 * Runs the boot script /sys/kernel/boot/@name, split at any of @seps. It is read in
 * pieces (a script may be far longer than any buffer): a command cut by the end of a
 * piece is carried over to the next.
 */
static void run_boot_script(const char *name, const char *seps)
{
	static char buf[SH_LINE_MAX + 4096];
	char path[64];
	size_t have = 0, off = 0;
	bool skipping = false;          /* inside a command too long to run */

	snprintf(path, sizeof(path), "/sys/kernel/boot/%s", name);
	for (;;) {
		long n = hp_sysfs_read_at(path, buf + have, sizeof(buf) - have, off);
		if (n < 0) {
			fail("sh", path, n);
			return;
		}
		off += (size_t)n;
		have += (size_t)n;
		bool end = n == 0;
		size_t start = 0;
		for (size_t i = 0; i < have; i++) {
			if (strchr(seps, buf[i]) || buf[i] == 0) {
				if (!skipping) {
					run_scripted(buf + start, i - start);
				}
				skipping = false;
				start = i + 1;
			}
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (end) {
			if (have && !skipping) {
				run_scripted(buf, have);
			}
			return;
		}
		if (have == sizeof(buf)) {
			/* No separator in a whole buffer: say so once, then drop to the next one. */
			if (!skipping) {
				run_scripted(buf, have);
			}
			skipping = true;
			have = 0;
		}
	}
}

/* ---- completion (sh_edit.c calls it on Tab) ---- */

struct matches {
	char first[SH_LINE_MAX];
	size_t common;          /* length of the prefix all matches share */
	int count;
	char all[1024];         /* "a  b  c", for the listing */
	size_t all_len;
};

static void match(struct matches *m, const char *name, size_t namelen, const char *prefix)
{
	size_t plen = strlen(prefix);
	if (namelen < plen || strncmp(name, prefix, plen) != 0 || namelen >= sizeof(m->first)) {
		return;
	}
	if (m->count == 0) {
		memcpy(m->first, name, namelen);
		m->first[namelen] = 0;
		m->common = namelen;
	} else {
		size_t i = 0;
		while (i < m->common && i < namelen && m->first[i] == name[i]) {
			i++;
		}
		m->common = i;
	}
	if (m->all_len + namelen + 2 < sizeof(m->all)) {
		memcpy(m->all + m->all_len, name, namelen);
		m->all_len += namelen;
		memcpy(m->all + m->all_len, "  ", 2);
		m->all_len += 2;
	}
	m->count++;
}

static void match_listing(struct matches *m, const char *dir, const char *prefix, bool files)
{
	static char names[LIST_MAX];
	if (list(dir, names, sizeof(names)) <= 0) {
		return;
	}
	for (char *e = names; *e;) {
		char *nl = strchr(e, '\n');
		size_t n = nl ? (size_t)(nl - e) : strlen(e);
		if (files || e[n - 1] != '/') {
			match(m, e, n, prefix);
		}
		e += n + (nl ? 1 : 0);
	}
}

int sh_complete(const char *word, bool first, char *add, size_t len)
{
	struct matches m = { .count = 0 };
	const char *prefix = word;
	char dir[SH_LINE_MAX];

	if (first && !strchr(word, '/')) {
		for (size_t i = 0; i < sizeof(builtins) / sizeof(builtins[0]); i++) {
			match(&m, builtins[i].name, strlen(builtins[i].name), word);
		}
		match_listing(&m, "/sys/kernel/commands", word, false);
		match_listing(&m, "/bin", word, false);
	} else if (word[0] == '/') {
		const char *slash = strrchr(word, '/');
		size_t dlen = (size_t)(slash - word);
		memcpy(dir, word, dlen);
		dir[dlen ? dlen : 1] = 0;
		if (!dlen) {
			dir[0] = '/';
		}
		prefix = slash + 1;
		match_listing(&m, dir, prefix, true);
	}
	add[0] = 0;
	size_t plen = strlen(prefix);
	if (m.count == 0) {
		return 0;
	}
	if (m.count == 1) {
		bool is_dir = m.first[m.common - 1] == '/';
		snprintf(add, len, "%s%s", m.first + plen, is_dir ? "" : " ");
		return 0;
	}
	if (m.common > plen) {
		snprintf(add, len, "%.*s", (int)(m.common - plen), m.first + plen);
		return 0;
	}
	hp_printf("\n%.*s\n", (int)(m.all_len > 2 ? m.all_len - 2 : 0), m.all);
	return -1;
}

/* ---- the console ---- */

static void interact(void)
{
	char line[SH_LINE_MAX];

	interactive = true;
	for (;;) {
		reap_jobs(0);
		hp_write(1, SH_PROMPT, strlen(SH_PROMPT));
		int n = sh_readline(line);
		if (n == -1) {
			return;
		}
		if (n > 0) {
			execute(line);
		}
	}
}

int main(int argc, char **argv)
{
	/* A copy with the control right can be made only from a handle that has it. */
	long probe = hp_handle_dup(0, IPC_RIGHT_CONTROL, 0);
	cpu_control = probe >= 0;
	if (cpu_control) {
		hp_handle_close(probe);
	}
	if (argc > 1 && strcmp(argv[1], "--boot") == 0) {
		run_boot_script("run", ";");
		run_boot_script("script", "\n");
	}
	interact();
	return 0;
}
