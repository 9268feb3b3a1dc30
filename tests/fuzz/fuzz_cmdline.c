/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the kernel command line: any input splits into parameters or
 * fails with a message, the typed getters never read outside it (AddressSanitizer),
 * and every parameter found is a string inside the storage. tools/fuzz cmdline.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cmdline.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct cmdline cl;
	char err[128];
	char *src = malloc(size + 1);
	char *storage = malloc(size + 1);

	memcpy(src, data, size);
	src[size] = 0;               /* the kernel's command line is a C string too */
	err[0] = 0;
	if (cmdline_parse(&cl, src, storage, size + 1, err, sizeof(err)) != 0 && err[0] == 0) {
		abort();                 /* a failure must always say why */
	}
	for (unsigned int i = 0; i < cl.count; i++) {
		unsigned long v;
		if (cl.params[i].name < storage || cl.params[i].name >= storage + size + 1) {
			abort();
		}
		cmdline_get_uint(&cl, cl.params[i].name, 0, 1000, &v, err, sizeof(err));
		cmdline_has_flag(&cl, cl.params[i].name);
	}
	cmdline_find(&cl, "maxcpus");
	free(src);
	free(storage);
	return 0;
}
