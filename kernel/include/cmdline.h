/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Kernel command line: "name", "name=value", "name=\"quoted value\"" separated by
 * spaces. Parsing splits and unquotes; checking values is the caller's business,
 * through the typed getters. Pure C, shared with host tests.
 */
#ifndef HP_CMDLINE_H
#define HP_CMDLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CMDLINE_MAX_PARAMS 64

struct bootparam {
	const char *name;
	const char *value;         /* NULL for a bare "name" */
	bool used;                 /* consumed by a getter (unknown ones are reported) */
};

struct cmdline {
	struct bootparam params[CMDLINE_MAX_PARAMS];
	unsigned int count;
};

/*
 * Splits @src into @cl, using @storage (at least strlen(src)+1 bytes) for the strings.
 * Returns 0, or a negative errno with a message in @err; on error the parameters
 * before the bad one are kept.
 */
int cmdline_parse(struct cmdline *cl, const char *src, char *storage, size_t storage_len,
		  char *err, size_t errlen);
/* The last occurrence of @name, marked used; NULL if absent. */
struct bootparam *cmdline_find(struct cmdline *cl, const char *name);
/*
 * Reads an unsigned decimal value of @name into *@out within [min, max].
 * 0 found, -ENOENT absent, -EINVAL malformed or out of range (message in @err).
 */
int cmdline_get_uint(struct cmdline *cl, const char *name, unsigned long min, unsigned long max,
		     unsigned long *out, char *err, size_t errlen);
bool cmdline_has_flag(struct cmdline *cl, const char *name);
/* Parses an unsigned decimal number with no trailing text; false if malformed. */
bool parse_ulong(const char *s, unsigned long *out);

#endif
