/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * memtest basic|ro|unmapped|race [THREADS ROUNDS [hotplug]]: the memory system calls. basic checks
 * their results and error paths and prints "memtest: ok"; ro writes to a page it made
 * read-only and unmapped reads a page it unmapped (both must be killed). race has
 * THREADS threads, each on its own CPU, map, protect and unmap pages of one fresh 2 MiB
 * region at the same moment, round after round (a fresh 1 GiB one every 8 rounds), and
 * all unmap one shared page at once: every page map said it made must be there (protect
 * finds it, a read gives what was written, the other threads see it too); the test
 * compares meminfo's free pages before and after. With "hotplug" (granted the
 * CPU-control right) one more thread takes CPUs 1-3 offline and back meanwhile.
 */
#include <string.h>
#include "hp.h"

#define PAGE 4096ul

static int failures;

#define expect(what, got, want) hp_expect("memtest", &failures, what, got, want)

#define RACE_BASE 0x2800000000ul     /* below 192 GiB, where map never puts what it chooses */
#define RACE_MAX_THREADS 8
#define RACE_MAX_ROUNDS 2048         /* 32 GiB of regions: up to 192 GiB */
#define SHARED_PAGE 64               /* the page of each region that every thread unmaps */

static long race_threads, race_rounds;
static long bar_count, bar_gen;
static long race_bad;

/* Every racing thread waits here for the others, so their calls meet. */
static void barrier(void)
{
	long gen = __atomic_load_n(&bar_gen, __ATOMIC_ACQUIRE);
	if (__atomic_add_fetch(&bar_count, 1, __ATOMIC_ACQ_REL) == race_threads) {
		__atomic_store_n(&bar_count, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&bar_gen, gen + 1, __ATOMIC_RELEASE);
		return;
	}
	/*
	 * Each on its own CPU, spinning keeps them together; but a CPU that went down put
	 * two on one, and there the spinner must let the other run.
	 */
	for (unsigned long spins = 0; __atomic_load_n(&bar_gen, __ATOMIC_ACQUIRE) == gen; spins++) {
		if (spins > 20000) {
			hp_yield();
		}
	}
}

#define REGIONS 8                    /* fresh 2 MiB regions a round: one table each */
#define REGION (2ul << 20)

static uintptr_t region(long round, long k)
{
	return RACE_BASE + (uintptr_t)(round * REGIONS + k) * REGION;
}

static unsigned long pattern(long thread, long round, long k)
{
	return 0x5a5a000000000000ul | (unsigned long)thread << 24 | (unsigned long)round << 8 |
	       (unsigned long)k;
}

static void race_fail(long thread, long round, const char *what, long got)
{
	hp_printf("memtest: race: thread %ld round %ld: %s (%ld)\n", thread, round, what, got);
	__atomic_add_fetch(&race_bad, 1, __ATOMIC_RELAXED);
}

static long racer(void *arg)
{
	long me = (long)arg;
	bool mapped[REGIONS];
	hp_pin(me);                      /* a CPU that is down: it races from wherever it runs */
	for (long r = 0; r < race_rounds; r++) {
		uintptr_t shared = region(r, 0) + SHARED_PAGE * PAGE;
		if (me == 0) {
			long got = hp_map(shared, PAGE, PROT_R | PROT_W);
			if (got != (long)shared) {
				race_fail(me, r, "map of the shared page", got);
			}
		}
		barrier();
		/* The same fresh regions in the same order: each table is wanted by all at once. */
		for (long k = 0; k < REGIONS; k++) {
			uintptr_t mine = region(r, k) + (uintptr_t)me * PAGE;
			long got = hp_map(mine, PAGE, PROT_R | PROT_W);
			mapped[k] = got == (long)mine;
			if (!mapped[k]) {
				race_fail(me, r, "map", got);
			} else if ((got = hp_protect(mine, PAGE, PROT_R | PROT_W)) != 0) {
				mapped[k] = false;       /* a touch would be killed: say it instead */
				race_fail(me, r, "map said it mapped, protect finds nothing", got);
			} else {
				*(volatile unsigned long *)mine = pattern(me, r, k);
			}
		}
		barrier();
		for (long k = 0; k < REGIONS; k++) {
			for (long t = 0; t < race_threads && mapped[k]; t++) {
				uintptr_t page = region(r, k) + (uintptr_t)t * PAGE;
				/* Asked before a touch: a page lost with its table would kill us instead. */
				long err = hp_protect(page, PAGE, t == me ? PROT_R : PROT_R | PROT_W);
				if (err) {
					race_fail(me, r, t == me ? "protect of my page" : "protect of another's page", err);
				} else if (*(volatile unsigned long *)page != pattern(t, r, k)) {
					race_fail(me, r, "a page read back other words", t);
				}
			}
		}
		barrier();
		long got = hp_unmap(shared, PAGE);      /* all at once: freed once */
		if (got) {
			race_fail(me, r, "unmap of the shared page", got);
		}
		for (long k = 0; k < REGIONS; k++) {
			got = hp_unmap(region(r, k) + (uintptr_t)me * PAGE, PAGE);
			if (got) {
				race_fail(me, r, "unmap", got);
			}
		}
		barrier();
	}
	return 0;
}

static bool race_done;
static long cycles, cycle_failures;

/*
 * With "hotplug" (and the CPU-control right, grant): CPUs 1-3 go offline and back
 * while the race runs, so its shootdowns meet CPUs leaving and coming.
 */
static long cycler(void *arg)
{
	unsigned long r = 0x9e3779b97f4a7c15ul;
	(void)arg;
	while (!__atomic_load_n(&race_done, __ATOMIC_ACQUIRE)) {
		r ^= r << 13;
		r ^= r >> 7;
		r ^= r << 17;
		long cpu = 1 + (long)(r % 3);
		if (hp_cpu_file_write(cpu, "online", 0) == 0) {
			if (hp_cpu_file_write(cpu, "online", 1) != 0) {
				cycle_failures++;
			}
			cycles++;
		}
	}
	return 0;
}

static int race(long threads, long rounds, bool hotplug)
{
	static long tids[RACE_MAX_THREADS + 1];
	if (threads < 2 || threads > RACE_MAX_THREADS || rounds < 1 || rounds > RACE_MAX_ROUNDS) {
		hp_printf("usage: memtest race [THREADS(2-%d) [ROUNDS(1-%d) [hotplug]]]\n", RACE_MAX_THREADS,
			  RACE_MAX_ROUNDS);
		return 2;
	}
	race_threads = threads;
	race_rounds = rounds;
	long stacks = hp_map(0, (size_t)(threads + 1) * 4 * PAGE, PROT_R | PROT_W);
	if (stacks < 0) {
		hp_printf("memtest: race: stacks: %s\n", err_name((int)stacks));
		return 1;
	}
	for (long i = 0; i < threads; i++) {
		tids[i] = hp_thread_create(racer, (void *)i, (void *)(stacks + (i + 1) * 4 * PAGE));
		if (tids[i] < 0) {
			hp_printf("memtest: race: thread %ld: %s\n", i, err_name((int)tids[i]));
			return 1;   /* the ones started wait at the barrier: the process ends them */
		}
	}
	long cycler_tid = hotplug ? hp_thread_create(cycler, NULL,
						     (void *)(stacks + (threads + 1) * 4 * PAGE)) : -1;
	if (hotplug && cycler_tid < 0) {
		hp_printf("memtest: race: hotplug thread: %s\n", err_name((int)cycler_tid));
		return 1;
	}
	for (long i = 0; i < threads; i++) {
		long value;
		hp_thread_join(tids[i], &value);
	}
	__atomic_store_n(&race_done, true, __ATOMIC_RELEASE);
	if (hotplug) {
		long value;
		hp_thread_join(cycler_tid, &value);
		hp_printf("memtest: race: %ld CPU offline/online cycles, %ld that did not come back\n",
			  cycles, cycle_failures);
		if (!cycles || cycle_failures) {
			return 1;
		}
	}
	if (race_bad) {
		hp_printf("memtest: race: %ld threads, %ld rounds: %ld failures\n", threads, rounds, race_bad);
		return 1;
	}
	hp_printf("memtest: race: %ld threads, %ld rounds: ok\n", threads, rounds);
	return 0;
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "basic";
	if (strcmp(mode, "race") == 0) {
		return race(argc > 2 ? hp_number(argv[2], NULL) : 4,
			    argc > 3 ? hp_number(argv[3], NULL) : 64,
			    argc > 4 && strcmp(argv[4], "hotplug") == 0);
	}
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
	/* The whole flag word counts: a bit past 32 is unknown, not cut away. */
	expect("map with bit 32 set", hp_syscall3(SYS_map, 0, (long)PAGE, (1l << 32) | PROT_R), -22);
	expect("protect with bit 63 set",
	       hp_syscall3(SYS_protect, a, (long)PAGE, (long)(1ul << 63) | PROT_R), -22);
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
	/*
	 * A fixed map does not move where the kernel picks from, and a pick steps over
	 * what is mapped: with the highest free page taken by hand (the stack is above
	 * it), a pick still succeeds, at 192 GiB or above, and not on that page.
	 */
	uintptr_t last = 0x4000000000ul - PAGE;
	long got;
	while ((got = hp_map(last, PAGE, PROT_R)) == -17 && last > 0x3f00000000ul) {
		last -= PAGE;
	}
	expect("map the highest free page", got, (long)last);
	long c = hp_map(0, 2 * PAGE, PROT_R);
	expect("a pick after a fixed map at the top succeeds", c > 0, 1);
	expect("a pick is in the kernel's area", c >= 0x3000000000l && c + 2 * (long)PAGE <= (long)last, 1);
	expect("unmap the pick", hp_unmap((uintptr_t)c, 2 * PAGE), 0);
	expect("unmap the last page", hp_unmap(last, PAGE), 0);
	expect("unknown system call", hp_syscall0(999), -38);
	if (failures) {
		return 1;
	}
	hp_printf("memtest: ok\n");
	return 0;
}
