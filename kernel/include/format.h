/* SPDX-License-Identifier: BSD-2-Clause */
#ifndef HP_FORMAT_H
#define HP_FORMAT_H
#include <stdarg.h>
#include <stddef.h>

/*
 * C's vsnprintf without floating point, writing straight into @buf (format.c); the
 * kernel's snprintf and vsnprintf (format_libc.c) are this, in place of picolibc's.
 */
int hp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

#endif
