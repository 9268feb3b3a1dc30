/* SPDX-License-Identifier: BSD-2-Clause */
/* /bin: the boot archive's programs, listed in the file tree (the shell runs them). */
#include <stdio.h>
#include "process.h"
#include "archive.h"
#include "sysfs.h"
#include "log.h"
#include "err.h"

static int show_program(void *arg, char *buf, size_t len)
{
	const char *name = arg;
	const void *data;
	size_t size;
	if (archive_find(name, &data, &size)) {
		return -ENOENT;
	}
	return snprintf(buf, len, "%s: user program, %zu bytes\n", name, size);
}

void programs_init(void)
{
	size_t size;
	const char *name;
	char path[64];

	archive_init();
	sysfs_mkdir("/bin");
	for (unsigned int i = 0; (name = archive_entry(i, &size)) != NULL; i++) {
		snprintf(path, sizeof(path), "/bin/%s", name);
		sysfs_add_file(path, show_program, NULL, (void *)name);
	}
}
