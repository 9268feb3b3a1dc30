/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's snprintf and vsnprintf, in place of picolibc's (format.c says why). */
#include <stdio.h>
#include "format.h"

int vsnprintf(char *restrict buf, size_t size, const char *restrict fmt, va_list ap)
{
	return hp_vsnprintf(buf, size, fmt, ap);
}

int snprintf(char *restrict buf, size_t size, const char *restrict fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = hp_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
