/* SPDX-License-Identifier: BSD-2-Clause */
/* Log line formatting, free of kernel state so the host tests can check it. */
#include <stdio.h>
#include "log.h"

size_t log_format_prefix(char *buf, size_t len, uint64_t ticks, uint64_t hz, unsigned int cpu)
{
	uint64_t secs = 0, usecs = 0;

	if (len == 0) {
		return 0;
	}
	if (hz) {
		secs = ticks / hz;
		/* Split first so that ticks * 1e6 cannot overflow for long uptimes. */
		usecs = (ticks % hz) * 1000000u / hz;
	}
	int n = snprintf(buf, len, "[%5llu.%06llu] cpu%u: ", (unsigned long long)secs,
			 (unsigned long long)usecs, cpu);
	if (n < 0) {
		buf[0] = 0;
		return 0;
	}
	return (size_t)n < len ? (size_t)n : len - 1;
}

int log_parse_level(const char *fmt, int dflt, const char **rest)
{
	*rest = fmt;
	if (fmt[0] == '<' && fmt[1] >= '0' && fmt[1] <= '7' && fmt[2] == '>') {
		*rest = fmt + 3;
		return fmt[1] - '0';
	}
	return dflt;
}
