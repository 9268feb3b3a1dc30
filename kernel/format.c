/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's vsnprintf (format_libc.c makes it the kernel's snprintf and vsnprintf).
 * picolibc's goes through a FILE that takes one character per call; this writes
 * straight into the buffer, a fifth fewer instructions for a log line (a CPU logs one
 * on every bring-up: about 300 instructions of a -smp 4 offline+online cycle under
 * --icount). It knows what the kernel writes: the flags - + space # 0, a width and a
 * precision (either may be *), the lengths hh h l ll z j t, and the conversions
 * d i u x X o c s p %; no floating point. A conversion it does not know is copied as it
 * stands. Checked against the host's snprintf (tests/host/test_format.c).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include "format.h"

struct out {
	char *buf;
	size_t size, len;       /* len: what the whole result would take */
};

/* How many of @n more bytes fit before the terminating NUL's place. */
static size_t room(const struct out *o, size_t n)
{
	size_t left = o->len + 1 < o->size ? o->size - 1 - o->len : 0;
	return n < left ? n : left;
}

static void put(struct out *o, char c)
{
	if (room(o, 1)) {
		o->buf[o->len] = c;
	}
	o->len++;
}

static void put_n(struct out *o, char c, int n)
{
	if (n <= 0) {
		return;
	}
	size_t k = room(o, (size_t)n);
	for (size_t i = 0; i < k; i++) {
		o->buf[o->len + i] = c;
	}
	o->len += (size_t)n;
}

static void put_s(struct out *o, const char *s, size_t n)
{
	size_t k = room(o, n);
	for (size_t i = 0; i < k; i++) {
		o->buf[o->len + i] = s[i];
	}
	o->len += n;
}

struct spec {
	bool left, plus, space, alt, zero;
	int width, prec;        /* prec < 0: none */
};

/* @s (@n bytes) in a field of the spec's width. */
static void field(struct out *o, const struct spec *sp, const char *s, size_t n)
{
	int pad = sp->width > (int)n ? sp->width - (int)n : 0;
	if (!sp->left) {
		put_n(o, ' ', pad);
	}
	put_s(o, s, n);
	if (sp->left) {
		put_n(o, ' ', pad);
	}
}

/* An integer: @v's magnitude, its sign, in @base, with the spec's prefix, precision and padding. */
static void number(struct out *o, const struct spec *sp, uint64_t v, bool negative, unsigned int base,
		   bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	int zeros = sp->prec > n ? sp->prec - n : 0;
	if (sp->prec < 0 && n == 0) {
		zeros = 1;                       /* a plain 0 */
	}
	char prefix[2];
	int np = 0;
	if (negative) {
		prefix[np++] = '-';
	} else if (sp->plus) {
		prefix[np++] = '+';
	} else if (sp->space) {
		prefix[np++] = ' ';
	}
	if (sp->alt && base == 16 && n) {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}
	if (sp->alt && base == 8 && zeros == 0) {
		zeros = 1;                       /* # makes an octal number begin with 0 */
	}
	int body = np + zeros + n;
	int pad = sp->width > body ? sp->width - body : 0;
	if (sp->zero && !sp->left && sp->prec < 0) {
		zeros += pad;
		pad = 0;
	}
	if (!sp->left) {
		put_n(o, ' ', pad);
	}
	put_s(o, prefix, (size_t)np);
	put_n(o, '0', zeros);
	char digits_out[24];
	for (int i = 0; i < n; i++) {
		digits_out[i] = tmp[n - 1 - i];
	}
	put_s(o, digits_out, (size_t)n);
	if (sp->left) {
		put_n(o, ' ', pad);
	}
}

static int decimal(const char **p)
{
	int v = 0;
	while (**p >= '0' && **p <= '9') {
		v = v * 10 + (*(*p)++ - '0');
	}
	return v;
}

int hp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			/* The text up to the next conversion, at once. */
			const char *q = p;
			while (*q && *q != '%') {
				q++;
			}
			put_s(&o, p, (size_t)(q - p));
			p = q - 1;
			continue;
		}
		const char *start = p++;
		struct spec sp = { .prec = -1 };
		for (;; p++) {
			if (*p == '-') {
				sp.left = true;
			} else if (*p == '+') {
				sp.plus = true;
			} else if (*p == ' ') {
				sp.space = true;
			} else if (*p == '#') {
				sp.alt = true;
			} else if (*p == '0') {
				sp.zero = true;
			} else {
				break;
			}
		}
		if (*p == '*') {
			p++;
			sp.width = va_arg(ap, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
		} else {
			sp.width = decimal(&p);
		}
		if (*p == '.') {
			p++;
			if (*p == '*') {
				p++;
				sp.prec = va_arg(ap, int);
				sp.prec = sp.prec < 0 ? -1 : sp.prec;
			} else {
				sp.prec = decimal(&p);
			}
		}
		int longs = 0;                   /* 1: l, z, j, t; 2: ll; -1: h; -2: hh */
		for (;; p++) {
			if (*p == 'l') {
				longs = longs == 1 ? 2 : 1;
			} else if (*p == 'z' || *p == 'j' || *p == 't') {
				longs = 1;
			} else if (*p == 'h') {
				longs = longs == -1 ? -2 : -1;
			} else {
				break;
			}
		}
		switch (*p) {
		case 'd':
		case 'i': {
			int64_t v = longs >= 1 ? (longs == 2 ? va_arg(ap, long long) : va_arg(ap, long))
					       : va_arg(ap, int);
			v = longs == -1 ? (short)v : longs == -2 ? (signed char)v : v;
			number(&o, &sp, v < 0 ? -(uint64_t)v : (uint64_t)v, v < 0, 10, false);
			break;
		}
		case 'u':
		case 'x':
		case 'X':
		case 'o': {
			uint64_t v = longs >= 1 ? (longs == 2 ? va_arg(ap, unsigned long long)
							      : va_arg(ap, unsigned long))
						: va_arg(ap, unsigned int);
			v = longs == -1 ? (unsigned short)v : longs == -2 ? (unsigned char)v : v;
			sp.plus = sp.space = false;
			number(&o, &sp, v, false, *p == 'u' ? 10 : *p == 'o' ? 8 : 16, *p == 'X');
			break;
		}
		case 'p':
			sp.alt = true;
			sp.plus = sp.space = false;
			number(&o, &sp, (uintptr_t)va_arg(ap, void *), false, 16, false);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);
			field(&o, &sp, &c, 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			s = s ? s : "(null)";
			size_t n = 0;
			while ((sp.prec < 0 || n < (size_t)sp.prec) && s[n]) {
				n++;
			}
			field(&o, &sp, s, n);
			break;
		}
		case '%':
			put(&o, '%');
			break;
		default:
			/* Not ours: the text as it stands (and the end of the format, if that is where we are). */
			put_s(&o, start, (size_t)(p - start) + (*p != 0));
			if (!*p) {
				p--;
			}
			break;
		}
	}
	if (size) {
		buf[o.len < size ? o.len : size - 1] = 0;
	}
	return o.len > INT32_MAX ? INT32_MAX : (int)o.len;
}
