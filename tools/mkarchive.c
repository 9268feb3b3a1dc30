/* SPDX-License-Identifier: BSD-2-Clause */
/* mkarchive OUT FILE...: packs programs into a boot archive (archive_format.h), each by its base name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "archive_format.h"

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return NULL;
	}
	unsigned char *buf = NULL;
	size_t cap = 0, n = 0, got;
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			unsigned char *nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				fclose(f);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, f);
		n += got;
	} while (got > 0);
	fclose(f);
	*len = n;
	return buf;
}

int main(int argc, char **argv)
{
	int count = argc - 2;
	if (count < 1 || count > ARCHIVE_MAX_ENTRIES) {
		fprintf(stderr, "usage: mkarchive OUT FILE... (1-%d files)\n", ARCHIVE_MAX_ENTRIES);
		return 2;
	}
	struct archive_header h = { .count = (uint32_t)count };
	memcpy(h.magic, ARCHIVE_MAGIC, sizeof(h.magic));
	struct archive_entry *e = calloc((size_t)count, sizeof(*e));
	unsigned char **data = calloc((size_t)count, sizeof(*data));
	if (!e || !data) {
		return 1;
	}
	uint64_t off = sizeof(h) + (uint64_t)count * sizeof(*e);
	for (int i = 0; i < count; i++) {
		const char *path = argv[i + 2], *base = strrchr(path, '/');
		base = base ? base + 1 : path;
		if (strlen(base) >= ARCHIVE_NAME_LEN) {
			fprintf(stderr, "mkarchive: %s: name longer than %d characters\n", base,
				ARCHIVE_NAME_LEN - 1);
			return 1;
		}
		size_t len;
		if (!(data[i] = slurp(path, &len))) {
			return 1;
		}
		strcpy(e[i].name, base);
		off = (off + 7) & ~7ull;
		e[i].offset = off;
		e[i].size = len;
		off += len;
	}
	FILE *out = fopen(argv[1], "wb");
	if (!out) {
		perror(argv[1]);
		return 1;
	}
	static const unsigned char zeros[8];
	uint64_t at = sizeof(h) + (uint64_t)count * sizeof(*e);
	fwrite(&h, sizeof(h), 1, out);
	fwrite(e, sizeof(*e), (size_t)count, out);
	for (int i = 0; i < count; i++) {
		fwrite(zeros, 1, (size_t)(e[i].offset - at), out);
		fwrite(data[i], 1, (size_t)e[i].size, out);
		at = e[i].offset + e[i].size;
	}
	if (fclose(out) != 0) {
		perror(argv[1]);
		return 1;
	}
	return 0;
}
