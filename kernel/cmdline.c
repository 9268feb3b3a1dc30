/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel command line splitting and typed getters. */
#include <stdio.h>
#include <string.h>
#include "cmdline.h"
#include "err.h"

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_parse(struct cmdline *cl, const char *src, char *storage, size_t storage_len,
		  char *err, size_t errlen)
{
	const char *p = src ? src : "";
	size_t out = 0;

	cl->count = 0;
	if (storage_len < strlen(p) + 1) {
		snprintf(err, errlen, "command line longer than %zu bytes", storage_len - 1);
		return -E2BIG;
	}
	for (;;) {
		while (is_space(*p)) {
			p++;
		}
		if (!*p) {
			return 0;
		}
		const char *start = p;
		if (*p == '=') {
			snprintf(err, errlen, "parameter with an empty name at '%.20s'", start);
			return -EINVAL;
		}
		if (cl->count == CMDLINE_MAX_PARAMS) {
			snprintf(err, errlen, "more than %d parameters", CMDLINE_MAX_PARAMS);
			return -E2BIG;
		}
		struct bootparam *bp = &cl->params[cl->count];
		bp->name = storage + out;
		bp->value = NULL;
		bp->used = false;
		while (*p && !is_space(*p) && *p != '=') {
			storage[out++] = *p++;
		}
		storage[out++] = 0;
		if (*p == '=') {
			p++;
			bp->value = storage + out;
			if (*p == '"') {
				const char *close = strchr(p + 1, '"');
				if (!close) {
					snprintf(err, errlen, "unterminated quote in '%.40s'", start);
					return -EINVAL;
				}
				memcpy(storage + out, p + 1, (size_t)(close - p - 1));
				out += (size_t)(close - p - 1);
				p = close + 1;
				if (*p && !is_space(*p)) {
					snprintf(err, errlen, "text after closing quote in '%.40s'", start);
					return -EINVAL;
				}
			} else {
				while (*p && !is_space(*p)) {
					storage[out++] = *p++;
				}
			}
			storage[out++] = 0;
		}
		cl->count++;
	}
}

struct bootparam *cmdline_find(struct cmdline *cl, const char *name)
{
	struct bootparam *found = NULL;
	for (unsigned int i = 0; i < cl->count; i++) {
		if (strcmp(cl->params[i].name, name) == 0) {
			cl->params[i].used = true;
			found = &cl->params[i];
		}
	}
	return found;
}

bool parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0;

	if (!s || !*s) {
		return false;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return false;
		}
		unsigned long d = (unsigned long)(*s - '0');
		if (v > (~0ul - d) / 10) {
			return false;
		}
		v = v * 10 + d;
	}
	*out = v;
	return true;
}

int cmdline_get_uint(struct cmdline *cl, const char *name, unsigned long min, unsigned long max,
		     unsigned long *out, char *err, size_t errlen)
{
	struct bootparam *bp = cmdline_find(cl, name);
	unsigned long v;

	if (!bp) {
		return -ENOENT;
	}
	if (!bp->value || !parse_ulong(bp->value, &v)) {
		snprintf(err, errlen, "'%s=%s': not a number", name, bp->value ? bp->value : "");
		return -EINVAL;
	}
	if (v < min || v > max) {
		snprintf(err, errlen, "'%s=%s': out of range %lu-%lu", name, bp->value, min, max);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

bool cmdline_has_flag(struct cmdline *cl, const char *name)
{
	return cmdline_find(cl, name) != NULL;
}
