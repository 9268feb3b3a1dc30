/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memtest basic|ro|unmapped: the memory system calls. basic checks their results and
 * error paths and prints "memtest: ok"; ro writes to a page it made read-only and
 * unmapped reads a page it unmapped (both must be killed).
 */
#include <string.h>
#include "hp.h"

#define PAGE 4096ul

static int failures;

#define expect(what, got, want) hp_expect("memtest", &failures, what, got, want)

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	long a = hp_map(0, 3 * PAGE, PROT_R | PROT_W);
	if (a < 0) {
		hp_printf("memtest: map: %ld\n", a);
		return 1;
	}
	volatile char *p = (volatile char *)a;
	if (strcmp(mode, "ro") == 0) {
		hp_protect((uintptr_t)a, PAGE, PROT_R);
		p[0] = 1;
		return 1;
	}
	if (strcmp(mode, "unmapped") == 0) {
		hp_unmap((uintptr_t)a, PAGE);
		return p[0];
	}
	for (unsigned long i = 0; i < 3 * PAGE; i++) {
		expect("fresh pages are zero", p[i], 0);
		p[i] = (char)i;
		if (failures) {
			break;
		}
	}
	expect("what was written reads back", p[PAGE + 5], (char)(PAGE + 5));
	expect("the same address again", hp_map((uintptr_t)a, PAGE, PROT_R), -17);
	expect("writable and executable", hp_map(0, PAGE, PROT_R | PROT_W | PROT_X), -22);
	expect("no permission", hp_map(0, PAGE, 0), -22);
	expect("unaligned", hp_map((uintptr_t)a + 8, PAGE, PROT_R), -22);
	expect("kernel address", hp_map(0x80200000ul, PAGE, PROT_R), -22);
	expect("zero length", hp_map(0, 0, PROT_R), -22);
	expect("huge", hp_map(0, 1ul << 40, PROT_R), -22);
	expect("protect W+X", hp_protect((uintptr_t)a, PAGE, PROT_W | PROT_X | PROT_R), -22);
	expect("protect unmapped", hp_protect(0x3f00000000ul, PAGE, PROT_R), -12);
	expect("protect to R", hp_protect((uintptr_t)a, PAGE, PROT_R), 0);
	expect("still readable", p[5], 5);
	expect("unmap", hp_unmap((uintptr_t)a, 3 * PAGE), 0);
	expect("unmap again (nothing there)", hp_unmap((uintptr_t)a, 3 * PAGE), 0);
	expect("unmap kernel", hp_unmap(0x80200000ul, PAGE), -22);
	long b = hp_map((uintptr_t)a, PAGE, PROT_R | PROT_W);
	expect("map where it was", b, a);
	expect("a remapped page is zero", ((volatile char *)b)[5], 0);
	expect("write from an unmapped buffer", hp_write(1, (void *)(a + PAGE), 4), -14);
	expect("unknown system call", hp_syscall0(999), -38);
	if (failures) {
		return 1;
	}
	hp_printf("memtest: ok\n");
	return 0;
}
