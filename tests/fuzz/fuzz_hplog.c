/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for hplog's reader: any file (binary junk between records
 * included) is read or refused with a message, never a crash; what is read can be
 * shown and compared with itself. tools/fuzz hplog.
 */
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "hplog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static jmp_buf refused;

static void on_error(void)
{
	longjmp(refused, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct log lg;
	FILE *f = fmemopen((void *)data, size ? size : 1, "r");

	if (!f) {
		return 0;
	}
	hplog_input_error = on_error;
	if (setjmp(refused) == 0) {
		read_log_file(&lg, f, "fuzz");
		char end[96];
		for (int cpu = 0; cpu <= lg.max_cpu; cpu++) {
			if (lg.cpu[cpu]) {
				describe_end(lg.cpu[cpu], end, sizeof(end));
			}
		}
	}
	free_log(&lg);
	fclose(f);
	return 0;
}
