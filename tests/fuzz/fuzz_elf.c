/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * libFuzzer harness for the ELF checks (kernel/elf_check.c): any bytes are accepted or
 * refused without a read outside them (ASan), and what is accepted keeps every promise
 * the loader relies on. tools/fuzz elf.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "elf_load.h"

#define LO 0x2000000000ull
#define HI 0x3fffff0000ull

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct elf_image out;
	char err[80];
	/* A copy of exactly @size bytes, so ASan catches a read past the end. */
	uint8_t *img = malloc(size ? size : 1);

	memcpy(img, data, size);
	if (elf_check(img, size, LO, HI, &out, err, sizeof(err)) == 0) {
		int entry_ok = 0;
		if (out.nsegs == 0 || out.nsegs > ELF_MAX_SEGMENTS) {
			abort();
		}
		for (unsigned int i = 0; i < out.nsegs; i++) {
			const struct elf_segment *s = &out.segs[i];
			if (s->offset > size || s->filesz > size - s->offset || s->filesz > s->memsz ||
			    s->vaddr < LO || s->vaddr >= HI || s->memsz > HI - s->vaddr ||
			    ((s->prot & ELF_PROT_W) && (s->prot & ELF_PROT_X))) {
				abort();
			}
			if ((s->prot & ELF_PROT_X) && out.entry >= s->vaddr && out.entry - s->vaddr < s->memsz) {
				entry_ok = 1;
			}
		}
		if (!entry_ok) {
			abort();
		}
	}
	free(img);
	return 0;
}
