/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot archive of user programs carried by the kernel image (archive.c). */
#ifndef HP_ARCHIVE_H
#define HP_ARCHIVE_H

#include <stddef.h>

/* Checks the archive once at boot; a malformed one is reported and left empty. */
void archive_init(void);
/* The program called @name: 0 and its bytes, or -ENOENT. */
int archive_find(const char *name, const void **data, size_t *len);
/* The @i-th program's name and size; NULL past the last. */
const char *archive_entry(unsigned int i, size_t *len);
size_t archive_size(void);

#endif
