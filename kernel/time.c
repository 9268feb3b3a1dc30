/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-CPU tick and timed wake-ups. Each CPU's timer compare holds the earlier of
 * its next tick and its earliest sleeper, so a sleeper wakes at its deadline, not at
 * the next tick.
 */
#include "sched.h"
#include "smp.h"
#include "percpu.h"
#include "log.h"
#include "arch.h"
#include "cpuhp_callbacks.h"
#include "alloc.h"
#include "err.h"

#define HZ 100
#define TICK_MAGIC 0x5449434bu    /* "TICK" */

/*
 * Allocated when the CPU is prepared and freed in its DEAD step, like Linux's per-CPU
 * cross-call data: so a CPU that is still running after its resources were torn down
 * (the hotplug=false rollback gone wrong) touches freed, poisoned memory, and the
 * magic below says so on that very CPU at its next tick.
 */
struct tick_base {
	uint32_t magic;
	bool reported;
	uint64_t next_tick;
	uint64_t ticks;
};

static uint64_t tick_period(void)
{
	return log_timebase() / HZ;
}

/* This CPU's tick state, or NULL (and one BUG line) if it was freed under us. */
static struct tick_base *this_tick(void)
{
	struct tick_base *tb = this_cpu()->tick;

	if (tb && tb->magic == TICK_MAGIC) {
		return tb;
	}
	static bool reported[NR_CPUS];
	if (!reported[this_cpu_id()]) {
		reported[this_cpu_id()] = true;
		pr_err("BUG: CPU%u uses its tick state after it was freed (magic %08x): use-after-free\n",
		       this_cpu_id(), tb ? tb->magic : 0);
	}
	return NULL;
}

void sched_timer_reprogram(void)
{
	struct tick_base *tb = this_tick();
	uint64_t next = tb ? tb->next_tick : ~0ull;
	uint64_t sleeper = sched_next_sleeper();

	arch_timer_program(sleeper < next ? sleeper : next);
}

/* Starts this CPU's periodic tick; interrupts off. */
void time_start_tick(void)
{
	struct tick_base *tb = this_tick();

	if (tb) {
		tb->next_tick = arch_time_now() + tick_period();
	}
	sched_timer_reprogram();
}

void timer_interrupt(void)
{
	struct tick_base *tb = this_tick();
	uint64_t now = arch_time_now();

	if (tb && now >= tb->next_tick) {
		tb->ticks++;
		tb->next_tick += tick_period();
		if (tb->next_tick <= now) {
			tb->next_tick = now + tick_period();   /* missed ticks are not replayed */
		}
		sched_tick();
		smp_ipi_poll();          /* reasons whose IPI the firmware refused or lost */
	}
	sched_wake_sleepers(now);
	sched_timer_reprogram();
}

/* ---- hotplug ---- */

void tick_cpu_starting(unsigned int cpu)
{
	(void)cpu;
	time_start_tick();
}

/* DYING: no more ticks on the outgoing CPU. */
void tick_cpu_dying(unsigned int cpu)
{
	struct tick_base *tb = this_tick();

	(void)cpu;
	if (tb) {
		tb->next_tick = ~0ull;
	}
	arch_timer_program(~0ull);
}

int timers_prepare_cpu(unsigned int cpu)
{
	struct tick_base *tb = kzalloc(sizeof(*tb));

	if (!tb) {
		return -ENOMEM;
	}
	tb->magic = TICK_MAGIC;
	tb->next_tick = ~0ull;
	cpus[cpu].tick = tb;
	return 0;
}

/* DEAD, on the control CPU: the dead CPU's timed sleepers are re-armed here. */
int timers_dead_cpu(unsigned int cpu)
{
	unsigned int moved = sched_move_sleepers(cpu, this_cpu_id());
	if (moved) {
		pr_info("timers: %u sleepers of CPU%u moved to CPU%u\n", moved, cpu, this_cpu_id());
	}
	/*
	 * The pointer is left as it is, like Linux's per-CPU pointers after a DEAD step:
	 * nothing may use it until timers:prepare replaces it, and if something does, it
	 * reads poison (see this_tick()).
	 */
	kfree(cpus[cpu].tick);
	return 0;
}
