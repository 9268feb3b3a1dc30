/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The boot archive's layout (tools/mkarchive writes it, kernel/archive.c reads it):
 * a header, then one entry per program, then the programs' bytes, each 8-aligned.
 * All numbers little-endian.
 */
#ifndef HP_ARCHIVE_FORMAT_H
#define HP_ARCHIVE_FORMAT_H

#include <stdint.h>

#define ARCHIVE_MAGIC "HPARCHV1"
#define ARCHIVE_NAME_LEN 32
#define ARCHIVE_MAX_ENTRIES 64

struct archive_header {
	char magic[8];
	uint32_t count;
	uint32_t reserved;
};

struct archive_entry {
	char name[ARCHIVE_NAME_LEN];    /* NUL-terminated */
	uint64_t offset;                /* from the archive's start */
	uint64_t size;
};

#endif
