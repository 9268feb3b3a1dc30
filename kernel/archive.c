/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot archive (archive_format.h), linked into the image's .user_archive section.
 * Checked once: every entry must lie inside the archive and be named, or the archive
 * is refused as a whole with one line and no program can be run.
 */
#include <string.h>
#include "archive.h"
#include "archive_format.h"
#include "log.h"
#include "err.h"

extern const char _binary_boot_archive_start[], _binary_boot_archive_end[];

static const struct archive_entry *entries;
static unsigned int count;

void archive_init(void)
{
	const char *base = _binary_boot_archive_start;
	size_t len = (size_t)(_binary_boot_archive_end - base);
	struct archive_header h;

	if (len < sizeof(h)) {
		pr_err("boot archive: %zu bytes, too short for its header; no programs\n", len);
		return;
	}
	memcpy(&h, base, sizeof(h));
	if (memcmp(h.magic, ARCHIVE_MAGIC, sizeof(h.magic)) != 0 || h.count > ARCHIVE_MAX_ENTRIES ||
	    sizeof(h) + (size_t)h.count * sizeof(struct archive_entry) > len) {
		pr_err("boot archive: bad header; no programs\n");
		return;
	}
	const struct archive_entry *e = (const struct archive_entry *)(base + sizeof(h));
	for (unsigned int i = 0; i < h.count; i++) {
		if (e[i].offset > len || e[i].size > len - e[i].offset || e[i].offset % 8 ||
		    memchr(e[i].name, '\0', ARCHIVE_NAME_LEN) == NULL || e[i].name[0] == '\0') {
			pr_err("boot archive: entry %u is malformed; no programs\n", i);
			return;
		}
	}
	entries = e;
	count = h.count;
	pr_info("boot archive: %u programs, %zu bytes\n", count, len);
}

int archive_find(const char *name, const void **data, size_t *len)
{
	for (unsigned int i = 0; i < count; i++) {
		if (strcmp(entries[i].name, name) == 0) {
			*data = _binary_boot_archive_start + entries[i].offset;
			*len = (size_t)entries[i].size;
			return 0;
		}
	}
	return -ENOENT;
}

const char *archive_entry(unsigned int i, size_t *len)
{
	if (i >= count) {
		return NULL;
	}
	*len = (size_t)entries[i].size;
	return entries[i].name;
}

size_t archive_size(void)
{
	return (size_t)(_binary_boot_archive_end - _binary_boot_archive_start);
}
