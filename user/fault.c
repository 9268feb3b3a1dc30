/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * fault KIND: does one thing a process must not, to show that only it dies:
 * kread, kwrite (kernel memory), textwrite (its own code), kjump (into the kernel),
 * illegal (an illegal instruction), null (address 0), syscall-kptr (a kernel pointer
 * to write()), or exit N.
 */
#include <stdlib.h>
#include <string.h>
#include "hp.h"

#define KERNEL_ADDR 0x80200000ul

int main(int argc, char **argv)
{
	const char *k = argc > 1 ? argv[1] : "";

	if (strcmp(k, "kread") == 0) {
		return (int)*(volatile unsigned long *)KERNEL_ADDR;
	} else if (strcmp(k, "kwrite") == 0) {
		*(volatile unsigned long *)KERNEL_ADDR = 0;
	} else if (strcmp(k, "textwrite") == 0) {
		*(volatile unsigned int *)(void *)main = 0;
	} else if (strcmp(k, "kjump") == 0) {
		((void (*)(void))KERNEL_ADDR)();
	} else if (strcmp(k, "illegal") == 0) {
		__asm__ __volatile__(".word 0");
	} else if (strcmp(k, "null") == 0) {
		return (int)*(volatile int *)0;
	} else if (strcmp(k, "syscall-kptr") == 0) {
		long r = hp_write(1, (const void *)KERNEL_ADDR, 16);
		hp_printf("fault: write from a kernel pointer returned %ld\n", r);
		return r == -14 ? 0 : 1;
	} else if (strcmp(k, "exit") == 0 && argc > 2) {
		return atoi(argv[2]);
	} else {
		hp_printf("usage: fault kread|kwrite|textwrite|kjump|illegal|null|syscall-kptr|exit N\n");
		return 2;
	}
	hp_printf("fault: %s did not fault\n", k);
	return 1;
}
