/*
 * The per-CPU tick and timed wake-ups. Each CPU's timer compare holds the earlier of
 * its next tick and its earliest sleeper, so a sleeper wakes at its deadline, not at
 * the next tick.
 */
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "arch.h"
#include "cpuhp_callbacks.h"

#define HZ 100

static uint64_t tick_period(void)
{
	return log_timebase() / HZ;
}

void sched_timer_reprogram(void)
{
	struct cpu *c = this_cpu();
	uint64_t next = c->next_tick;
	uint64_t sleeper = sched_next_sleeper();

	arch_timer_program(sleeper < next ? sleeper : next);
}

/* Starts this CPU's periodic tick; interrupts off. */
void time_start_tick(void)
{
	this_cpu()->next_tick = arch_time_now() + tick_period();
	sched_timer_reprogram();
}

void timer_interrupt(void)
{
	struct cpu *c = this_cpu();
	uint64_t now = arch_time_now();

	if (now >= c->next_tick) {
		c->ticks++;
		c->next_tick += tick_period();
		if (c->next_tick <= now) {
			c->next_tick = now + tick_period();   /* missed ticks are not replayed */
		}
		sched_tick();
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
	(void)cpu;
	this_cpu()->next_tick = ~0ull;
	arch_timer_program(~0ull);
}

int timers_prepare_cpu(unsigned int cpu)
{
	cpus[cpu].next_tick = ~0ull;
	return 0;
}

/* DEAD, on the control CPU: the dead CPU's timed sleepers are re-armed here. */
int timers_dead_cpu(unsigned int cpu)
{
	unsigned int moved = sched_move_sleepers(cpu, this_cpu_id());
	if (moved) {
		pr_info("timers: %u sleepers of CPU%u moved to CPU%u\n", moved, cpu, this_cpu_id());
	}
	return 0;
}
