/* SPDX-License-Identifier: BSD-2-Clause */
/* cmdline.*: splitting, quoting and typed getters of the kernel command line. */
#include "check.h"
#include "cmdline.h"
#include "err.h"

static char storage[8192];
static char err[128];

static void cmdline_splits_params(void)
{
	struct cmdline cl;
	CHECK(cmdline_parse(&cl, "  maxcpus=2 nosmt loglevel=7  ", storage, sizeof(storage), err,
			    sizeof(err)) == 0);
	CHECK(cl.count == 3);
	CHECK_STR(cl.params[0].name, "maxcpus");
	CHECK_STR(cl.params[0].value, "2");
	CHECK_STR(cl.params[1].name, "nosmt");
	CHECK(cl.params[1].value == NULL);
	CHECK(cmdline_has_flag(&cl, "nosmt"));
	CHECK(!cmdline_has_flag(&cl, "nosm"));
}

static void cmdline_quoted_value(void)
{
	struct cmdline cl;
	CHECK(cmdline_parse(&cl, "shell.run=\"ps; echo 1 > /x\" quiet", storage, sizeof(storage),
			    err, sizeof(err)) == 0);
	CHECK(cl.count == 2);
	CHECK_STR(cmdline_find(&cl, "shell.run")->value, "ps; echo 1 > /x");
	CHECK(cmdline_parse(&cl, "a=\"\"", storage, sizeof(storage), err, sizeof(err)) == 0);
	CHECK_STR(cl.params[0].value, "");
}

static void cmdline_long_value(void)
{
	static char line[6000];
	struct cmdline cl;
	int n = snprintf(line, sizeof(line), "shell.run=\"");
	for (int i = 0; i < 1000; i++) {
		n += snprintf(line + n, sizeof(line) - (size_t)n, "ps; ");
	}
	snprintf(line + n, sizeof(line) - (size_t)n, "\"");
	CHECK(cmdline_parse(&cl, line, storage, sizeof(storage), err, sizeof(err)) == 0);
	CHECK(strlen(cmdline_find(&cl, "shell.run")->value) == 4000);
	CHECK(cmdline_parse(&cl, line, storage, 100, err, sizeof(err)) == -E2BIG);
}

static void cmdline_malformed(void)
{
	struct cmdline cl;
	CHECK(cmdline_parse(&cl, "a=1 shell.run=\"ps", storage, sizeof(storage), err,
			    sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "unterminated quote") != NULL);
	CHECK(cl.count == 1);      /* what came before the bad one is kept */
	CHECK(cmdline_parse(&cl, "=3", storage, sizeof(storage), err, sizeof(err)) == -EINVAL);
	CHECK(cmdline_parse(&cl, "a=\"x\"y", storage, sizeof(storage), err, sizeof(err)) == -EINVAL);
}

static void cmdline_uint_getter(void)
{
	struct cmdline cl;
	unsigned long v = 99;
	CHECK(cmdline_parse(&cl, "maxcpus=2 loglevel=abc nr_cpus=0 big=99999999999999999999999",
			    storage, sizeof(storage), err, sizeof(err)) == 0);
	CHECK(cmdline_get_uint(&cl, "maxcpus", 0, 64, &v, err, sizeof(err)) == 0 && v == 2);
	CHECK(cmdline_get_uint(&cl, "loglevel", 0, 7, &v, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "not a number") != NULL);
	CHECK(cmdline_get_uint(&cl, "nr_cpus", 1, 64, &v, err, sizeof(err)) == -EINVAL);
	CHECK(strstr(err, "out of range") != NULL);
	CHECK(cmdline_get_uint(&cl, "big", 0, ~0ul, &v, err, sizeof(err)) == -EINVAL);
	CHECK(cmdline_get_uint(&cl, "absent", 0, 7, &v, err, sizeof(err)) == -ENOENT);
	CHECK(v == 2);
}

static void cmdline_marks_used(void)
{
	struct cmdline cl;
	CHECK(cmdline_parse(&cl, "a b=1 c", storage, sizeof(storage), err, sizeof(err)) == 0);
	cmdline_find(&cl, "b");
	CHECK(!cl.params[0].used && cl.params[1].used && !cl.params[2].used);
}

static void cmdline_last_wins(void)
{
	struct cmdline cl;
	CHECK(cmdline_parse(&cl, "x=1 x=2", storage, sizeof(storage), err, sizeof(err)) == 0);
	CHECK_STR(cmdline_find(&cl, "x")->value, "2");
}

int main(void)
{
	RUN(cmdline_splits_params);
	RUN(cmdline_quoted_value);
	RUN(cmdline_long_value);
	RUN(cmdline_malformed);
	RUN(cmdline_uint_getter);
	RUN(cmdline_marks_used);
	RUN(cmdline_last_wins);
	return check_summary();
}
