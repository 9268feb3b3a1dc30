/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The per-step profile behind `hotplug bench` (issue 13): how long each callback of
 * the down and the up path took, by the clock the teardown log's timestamps come from
 * (arch_time_now), summed over the operations a bench measures. It is on only while a
 * bench runs, and the bench is then the only hotplug operation, whose steps run one
 * after another (on whichever CPU each belongs to): plain sums do. The control CPU's
 * hand-over of the ONLINE range to cpuhp/N counts as a step of its own, as in the log.
 */
#include <string.h>
#include "internal.h"
#include "arch.h"

bool cpuhp_profiling;
static struct cpuhp_step_cost costs[CPUHP_PROFILE_SLOTS][2];

void cpuhp_profile_start(void)
{
	memset(costs, 0, sizeof(costs));
	cpuhp_profiling = true;
}

void cpuhp_profile_stop(void)
{
	cpuhp_profiling = false;
}

uint64_t cpuhp_profile_clock(void)
{
	return arch_time_now();
}

void cpuhp_profile_add(int slot, bool bringup, uint64_t t0)
{
	if (slot >= 0 && slot < CPUHP_PROFILE_SLOTS) {
		costs[slot][bringup].ticks += arch_time_now() - t0;
		costs[slot][bringup].calls++;
	}
}

struct cpuhp_step_cost cpuhp_profile_cost(int slot, bool bringup)
{
	struct cpuhp_step_cost none = { 0, 0 };
	return slot >= 0 && slot < CPUHP_PROFILE_SLOTS ? costs[slot][bringup] : none;
}
