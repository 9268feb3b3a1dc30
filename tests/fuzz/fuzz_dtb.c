/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the device-tree reader: any input must either parse or give
 * an error message, never read outside the buffer (AddressSanitizer checks).
 * Built and run by tools/fuzz dtb; the corpus beside it doubles as regression cases
 * for tests/host/test_dtb.c.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "dtb.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dt_platform plat;
	char err[DT_ERR_LEN];

	/* An exact-size copy: a read one byte past the input is caught. */
	uint8_t *copy = malloc(size ? size : 1);
	memcpy(copy, data, size);
	err[0] = 0;
	if (dt_parse_platform(copy, size, &plat, err, sizeof(err)) != 0 && err[0] == 0) {
		abort();   /* a failure must always say why */
	}
	free(copy);
	return 0;
}
