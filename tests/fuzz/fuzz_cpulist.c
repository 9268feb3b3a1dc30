/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the cpulist parser ("0-3,5"): any input parses or is refused,
 * and what parses formats back to a list that parses to the same mask. tools/fuzz cpulist.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "cpumask.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cpumask a, b;
	char text[4096];
	char *src = malloc(size + 1);

	memcpy(src, data, size);
	src[size] = 0;
	if (cpulist_parse(src, &a) == 0) {
		if (cpulist_format(text, sizeof(text), &a) < 0 || cpulist_parse(text, &b) != 0 ||
		    memcmp(&a, &b, sizeof(a)) != 0) {
			abort();             /* parse(format(m)) must give m back */
		}
	}
	free(src);
	return 0;
}
