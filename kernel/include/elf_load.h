/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Checking a user program's ELF image before anything is mapped (elf_check.c, pure
 * logic): static 64-bit RISC-V executables only, every header field checked against
 * the file's size and the user address range, W^X enforced.
 */
#ifndef HP_ELF_LOAD_H
#define HP_ELF_LOAD_H

#include <stddef.h>
#include <stdint.h>

#define ELF_MAX_SEGMENTS 8
#define ELF_PROT_R 1u
#define ELF_PROT_W 2u
#define ELF_PROT_X 4u

struct elf_segment {
	uint64_t vaddr, memsz;      /* where and how much, in the user space */
	uint64_t offset, filesz;    /* what comes from the file; the rest is zero */
	unsigned int prot;          /* ELF_PROT_* */
};

struct elf_image {
	uint64_t entry;
	unsigned int nsegs;
	struct elf_segment segs[ELF_MAX_SEGMENTS];
};

/*
 * 0 and *out filled in, or -ENOEXEC with a one-line reason in err. Segments must lie in
 * [user_lo, user_hi), not overlap each other (page-wise), and the entry point must be in
 * an executable one.
 */
int elf_check(const void *img, size_t len, uint64_t user_lo, uint64_t user_hi,
	      struct elf_image *out, char *err, size_t errlen);

#endif
