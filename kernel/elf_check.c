/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ELF checks (elf_load.h). Every field is read through bounds-checked copies, so a
 * truncated or hostile file can only be refused, never make the kernel read outside it.
 */
#include <stdio.h>
#include <string.h>
#include "elf_load.h"
#include "err.h"

#define EI_NIDENT 16
#define ET_EXEC 2
#define EM_RISCV 243
#define PT_LOAD 1
#define PF_X 1u
#define PF_W 2u
#define PF_R 4u
#define PAGE 4096ull

struct ehdr {
	unsigned char ident[EI_NIDENT];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static int refuse(char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	return -ENOEXEC;
}

int elf_check(const void *img, size_t len, uint64_t user_lo, uint64_t user_hi,
	      struct elf_image *out, char *err, size_t errlen)
{
	struct ehdr h;

	if (len < sizeof(h)) {
		return refuse(err, errlen, "truncated: shorter than an ELF header");
	}
	memcpy(&h, img, sizeof(h));
	if (memcmp(h.ident, "\177ELF", 4) != 0) {
		return refuse(err, errlen, "not an ELF file (bad magic)");
	}
	if (h.ident[4] != 2 || h.ident[5] != 1 || h.ident[6] != 1) {
		return refuse(err, errlen, "not a 64-bit little-endian ELF of version 1");
	}
	if (h.type != ET_EXEC || h.machine != EM_RISCV || h.version != 1) {
		return refuse(err, errlen, "not a static RISC-V executable (type, machine or version)");
	}
	if (h.ehsize != sizeof(h) || h.phentsize != sizeof(struct phdr)) {
		return refuse(err, errlen, "unexpected ELF or program header size");
	}
	if (h.phnum == 0 || h.phnum > 16) {
		return refuse(err, errlen, "no program headers, or more than 16");
	}
	if (h.phoff > len || (uint64_t)h.phnum * sizeof(struct phdr) > len - h.phoff) {
		return refuse(err, errlen, "truncated: program headers past the end of the file");
	}
	out->entry = h.entry;
	out->nsegs = 0;
	for (unsigned int i = 0; i < h.phnum; i++) {
		struct phdr p;
		memcpy(&p, (const char *)img + h.phoff + i * sizeof(p), sizeof(p));
		if (p.type != PT_LOAD || p.memsz == 0) {
			continue;            /* nothing to map */
		}
		if (out->nsegs == ELF_MAX_SEGMENTS) {
			return refuse(err, errlen, "more than 8 loadable segments");
		}
		if (p.filesz > p.memsz) {
			return refuse(err, errlen, "a segment's file size exceeds its memory size");
		}
		if (p.offset > len || p.filesz > len - p.offset) {
			return refuse(err, errlen, "truncated: a segment lies past the end of the file");
		}
		if (p.vaddr < user_lo || p.vaddr >= user_hi || p.memsz > user_hi - p.vaddr) {
			return refuse(err, errlen, "a segment lies outside the user address range");
		}
		if (p.vaddr % PAGE != p.offset % PAGE) {
			return refuse(err, errlen, "a segment's address and file offset disagree within a page");
		}
		if ((p.flags & PF_W) && (p.flags & PF_X)) {
			return refuse(err, errlen, "a segment is both writable and executable (W^X)");
		}
		uint64_t lo = p.vaddr & ~(PAGE - 1), hi = (p.vaddr + p.memsz + PAGE - 1) & ~(PAGE - 1);
		for (unsigned int j = 0; j < out->nsegs; j++) {
			const struct elf_segment *q = &out->segs[j];
			uint64_t qlo = q->vaddr & ~(PAGE - 1), qhi = (q->vaddr + q->memsz + PAGE - 1) & ~(PAGE - 1);
			if (lo < qhi && qlo < hi) {
				return refuse(err, errlen, "two segments share a page");
			}
		}
		struct elf_segment *s = &out->segs[out->nsegs++];
		s->vaddr = p.vaddr;
		s->memsz = p.memsz;
		s->offset = p.offset;
		s->filesz = p.filesz;
		s->prot = ((p.flags & PF_R) ? ELF_PROT_R : 0) | ((p.flags & PF_W) ? ELF_PROT_W : 0) |
			  ((p.flags & PF_X) ? ELF_PROT_X : 0);
	}
	for (unsigned int j = 0; j < out->nsegs; j++) {
		const struct elf_segment *s = &out->segs[j];
		if ((s->prot & ELF_PROT_X) && h.entry >= s->vaddr && h.entry - s->vaddr < s->memsz) {
			return 0;
		}
	}
	return refuse(err, errlen, "the entry point is not in an executable segment");
}
