/* SPDX-License-Identifier: BSD-2-Clause */
/* elf_check: a well-formed image passes; each kind of broken or hostile header is refused. */
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "elf_load.h"
#include "err.h"

#define LO 0x2000000000ull
#define HI 0x4000000000ull

struct img {
	unsigned char ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
	struct {
		uint32_t type, flags;
		uint64_t offset, vaddr, paddr, filesz, memsz, align;
	} ph[3];
	unsigned char body[3 * 4096];
};

static void good(struct img *m)
{
	memset(m, 0, sizeof(*m));
	memcpy(m->ident, "\177ELF\2\1\1", 7);
	m->type = 2;
	m->machine = 243;
	m->version = 1;
	m->entry = LO + 0x10;
	m->phoff = offsetof(struct img, ph);
	m->ehsize = 64;
	m->phentsize = 56;
	m->phnum = 2;
	m->ph[0].type = 1; m->ph[0].flags = 5; m->ph[0].offset = 0; m->ph[0].vaddr = LO;
	m->ph[0].filesz = m->ph[0].memsz = 4096;
	m->ph[1].type = 1; m->ph[1].flags = 6; m->ph[1].offset = 4096; m->ph[1].vaddr = LO + 4096;
	m->ph[1].filesz = 100; m->ph[1].memsz = 8192;
}

static int check(struct img *m, size_t len, char *err)
{
	struct elf_image out;
	return elf_check(m, len, LO, HI, &out, err, 80);
}

static void accepts_a_good_image(void)
{
	static struct img m;
	struct elf_image out;
	char err[80];
	good(&m);
	CHECK(elf_check(&m, sizeof(m), LO, HI, &out, err, sizeof(err)) == 0);
	CHECK(out.entry == LO + 0x10 && out.nsegs == 2);
	CHECK(out.segs[0].prot == (ELF_PROT_R | ELF_PROT_X) && out.segs[1].prot == (ELF_PROT_R | ELF_PROT_W));
	CHECK(out.segs[1].memsz == 8192 && out.segs[1].filesz == 100);
}

#define REFUSED(edit, why) do {                                    \
	static struct img m;                                       \
	char err[80] = "";                                         \
	good(&m);                                                  \
	edit;                                                      \
	CHECK(check(&m, sizeof(m), err) == -ENOEXEC);              \
	CHECK(strstr(err, why) != NULL);                           \
} while (0)

static void refuses_hostile_headers(void)
{
	REFUSED(m.ident[0] = 0, "bad magic");
	REFUSED(m.ident[4] = 1, "64-bit");
	REFUSED(m.machine = 62, "RISC-V");
	REFUSED(m.type = 3, "static");
	REFUSED(m.phentsize = 32, "header size");
	REFUSED(m.phnum = 0, "no program headers");
	REFUSED(m.phnum = 17, "more than 16");
	REFUSED(m.phoff = sizeof(m) - 10, "program headers past the end");
	REFUSED(m.phoff = ~0ull, "program headers past the end");
	REFUSED(m.ph[0].filesz = 8192, "file size exceeds");
	REFUSED(m.ph[1].offset = ~0ull - 10, "past the end of the file");
	REFUSED((m.ph[1].offset = 4096, m.ph[1].filesz = sizeof(m)), "file size exceeds");
	REFUSED(m.ph[0].vaddr = 0x80200000, "outside the user address range");
	REFUSED(m.ph[1].memsz = ~0ull - 4096, "outside the user address range");
	REFUSED(m.ph[1].vaddr = HI - 4096, "outside the user address range");
	REFUSED(m.ph[1].vaddr = LO + 4096 + 8, "disagree within a page");
	REFUSED(m.ph[1].flags = 7, "W^X");
	REFUSED(m.ph[1].vaddr = LO, "share a page");
	REFUSED(m.entry = LO + 4096, "entry point");
	REFUSED(m.entry = 0, "entry point");
}

static void refuses_truncated_files(void)
{
	static struct img m;
	char err[80];
	good(&m);
	for (size_t len = 0; len < m.phoff + 2 * 56; len++) {
		CHECK(check(&m, len, err) == -ENOEXEC);
	}
	/* Cut inside the second segment's bytes. */
	CHECK(check(&m, 4096 + 50, err) == -ENOEXEC);
	CHECK(strstr(err, "truncated") != NULL);
}

int main(void)
{
	RUN(accepts_a_good_image);
	RUN(refuses_hostile_headers);
	RUN(refuses_truncated_files);
	return check_summary();
}
