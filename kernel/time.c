/*
 * The per-CPU tick and timed wake-ups. Each CPU's timer compare holds the earlier of
 * its next tick and its earliest sleeper, so a sleeper wakes at its deadline, not at
 * the next tick.
 */
#include "sched.h"
#include "percpu.h"
#include "log.h"
#include "arch.h"

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
