/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The hotplug engine (kernel/hotplug/core.c, register.c) on the host: the step loops,
 * the trace lines, fault injection rules and the registration API, with a table of fake
 * callbacks instead of the kernel's subsystems and a fake four-CPU machine.
 */
#include <stdarg.h>
#include <stdlib.h>
#include "check.h"
#include "internal.h"
#include "percpu.h"
#include "mutex.h"
#include "log.h"
#include "err.h"

/* ---- the fake machine ---- */

struct cpu cpus[NR_CPUS];
unsigned int nr_cpu_ids = 4;
struct cpuhp_step cpuhp_steps[CPUHP_STATE_COUNT];

void mutex_lock(struct mutex *m)
{
	(void)m;
}

void mutex_unlock(struct mutex *m)
{
	(void)m;
}

bool mutex_is_held(const struct mutex *m)
{
	(void)m;
	return true;
}

void mutex_report_not_held(const char *lock, const char *fn)
{
	(void)lock;
	(void)fn;
}

/* One thread here: the names lock has nothing to exclude. */
unsigned long spin_lock_irqsave(spinlock_t *l)
{
	(void)l;
	return 0;
}

void spin_unlock_irqrestore(spinlock_t *l, unsigned long flags)
{
	(void)l;
	(void)flags;
}

/*
 * The kernel's cpuhp_invoke_on_ap_thread() hands the call to cpuN's hotplug thread;
 * here "the thread" is a marker the callbacks read, so a test sees where they ran.
 */
static int on_thread = -1;
static unsigned int thread_calls;

int cpuhp_invoke_on_ap_thread(unsigned int cpu, int state, bool bringup,
			      struct cpuhp_instance *inst, bool may_fail)
{
	thread_calls++;
	on_thread = (int)cpu;
	int ret = cpuhp_invoke_single(cpu, state, bringup, inst, may_fail);
	on_thread = -1;
	return ret;
}

/* The clock the per-step profile reads: each callback below advances it. */
static uint64_t fake_clock;

uint64_t arch_time_now(void)
{
	return fake_clock;
}

static char printed[16384];

void printk(int level, const char *fmt, ...)
{
	va_list ap;
	size_t n = strlen(printed);
	(void)level;
	va_start(ap, fmt);
	vsnprintf(printed + n, sizeof(printed) - n, fmt, ap);
	va_end(ap);
}

/* ---- fake callbacks: each records "u<state>:<cpu>" or "d<state>:<cpu>" ---- */

static char calls[4096];
static int fail_startup_state = -1, fail_startup_cpu = -1;

static void record(char dir, int state, unsigned int cpu)
{
	size_t n = strlen(calls);
	fake_clock += 10 * (unsigned int)state;   /* each callback "takes" 10 ticks a state number */
	snprintf(calls + n, sizeof(calls) - n, "%c%d:%u ", dir, state, cpu);
}

#define FAKE(state)                                                                  \
	static int up_##state(unsigned int cpu)                                      \
	{                                                                            \
		record('u', state, cpu);                                             \
		return state == fail_startup_state && (int)cpu == fail_startup_cpu ? -ENOMEM : 0; \
	}                                                                            \
	static int down_##state(unsigned int cpu)                                    \
	{                                                                            \
		record('d', state, cpu);                                             \
		return 0;                                                            \
	}

FAKE(1)
FAKE(2)
FAKE(21)

static void starting(unsigned int cpu)
{
	record('s', CPUHP_AP_SCHED_STARTING, cpu);
}

static void dying(unsigned int cpu)
{
	record('y', CPUHP_AP_SCHED_STARTING, cpu);
}

static void reset(void)
{
	memset(cpuhp_steps, 0, sizeof(cpuhp_steps));
	cpuhp_steps[CPUHP_OFFLINE].name = "offline";
	cpuhp_steps[1] = (struct cpuhp_step){ .name = "a:prepare", .startup = up_1, .teardown = down_1,
					      .startup_name = "up_1", .teardown_name = "down_1" };
	cpuhp_steps[2] = (struct cpuhp_step){ .name = "b:prepare", .startup = up_2, .teardown = down_2,
					      .startup_name = "up_2", .teardown_name = "down_2" };
	cpuhp_steps[CPUHP_BRINGUP_CPU].name = "cpu:bringup";
	cpuhp_steps[CPUHP_AP_SCHED_STARTING] = (struct cpuhp_step){
		.name = "x:starting", .startup_atomic = starting, .teardown_atomic = dying,
		.startup_name = "starting", .teardown_name = "dying" };
	cpuhp_steps[CPUHP_TEARDOWN_CPU].name = "cpu:teardown";
	cpuhp_steps[CPUHP_AP_ONLINE_IDLE].name = "ap:online-idle";
	cpuhp_steps[21] = (struct cpuhp_step){ .name = "c:online", .startup = up_21, .teardown = down_21,
					       .startup_name = "up_21", .teardown_name = "down_21" };
	cpuhp_steps[CPUHP_ONLINE].name = "online";
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		cpus[cpu].hartid = cpu;
		cpuhp_state[cpu].state = CPUHP_OFFLINE;
		cpuhp_state[cpu].fail = CPUHP_INVALID;
	}
	calls[0] = 0;
	printed[0] = 0;
	fail_startup_state = fail_startup_cpu = -1;
	thread_calls = 0;
	cpuhp_set_trace(false);
}

/* ---- the step loops ---- */

static void up_and_down_run_every_step_in_order(void)
{
	reset();
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == 0);
	CHECK(cpuhp_cpu_state(1) == CPUHP_BRINGUP_CPU);
	CHECK_STR(calls, "u1:1 u2:1 ");
	calls[0] = 0;
	CHECK(cpuhp_down_callbacks(1, CPUHP_OFFLINE) == 0);
	CHECK(cpuhp_cpu_state(1) == CPUHP_OFFLINE);
	CHECK_STR(calls, "d2:1 d1:1 ");
}

static void profile_counts_each_callback(void)
{
	reset();
	cpuhp_profile_start();
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == 0);
	CHECK(cpuhp_down_callbacks(1, CPUHP_OFFLINE) == 0);
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == 0);
	cpuhp_profile_stop();
	CHECK(cpuhp_down_callbacks(1, CPUHP_OFFLINE) == 0);     /* not counted */
	struct cpuhp_step_cost up2 = cpuhp_profile_cost(2, true), down1 = cpuhp_profile_cost(1, false);
	CHECK(up2.calls == 2 && up2.ticks == 40);
	CHECK(down1.calls == 1 && down1.ticks == 10);
	CHECK(cpuhp_profile_cost(CPUHP_PROFILE_KICK, false).calls == 0);
	CHECK(cpuhp_profile_cost(CPUHP_PROFILE_SLOTS, true).calls == 0);   /* out of range: none */
	cpuhp_profile_start();
	CHECK(cpuhp_profile_cost(2, true).calls == 0);                    /* start clears */
	cpuhp_profile_stop();
}

static void failing_startup_stops_where_it_failed(void)
{
	reset();
	fail_startup_state = 2;
	fail_startup_cpu = 1;
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == -ENOMEM);
	CHECK(cpuhp_cpu_state(1) == 1);      /* the caller rolls back from here */
	cpuhp_run_down_nofail(1, CPUHP_OFFLINE);
	CHECK(cpuhp_cpu_state(1) == CPUHP_OFFLINE);
	CHECK_STR(calls, "u1:1 u2:1 d1:1 ");
}

static void trace_lines_are_linux_format(void)
{
	reset();
	cpuhp_set_trace(true);
	cpuhp_state[1].target = CPUHP_ONLINE;
	CHECK(cpuhp_up_callbacks(1, 1) == 0);
	char want[256];
	snprintf(want, sizeof(want), "cpuhp_enter: cpu: 0001 target: %3d step:   1 (up_1)\n"
		 "cpuhp_exit:  cpu: 0001  state:   1 step:   1 ret: 0\n", CPUHP_ONLINE);
	CHECK_STR(printed, want);
	printed[0] = 0;
	cpuhp_state[1].target = CPUHP_OFFLINE;
	CHECK(cpuhp_down_callbacks(1, CPUHP_OFFLINE) == 0);
	CHECK_STR(printed, "cpuhp_enter: cpu: 0001 target:   0 step:   1 (down_1)\n"
			   "cpuhp_exit:  cpu: 0001  state:   0 step:   1 ret: 0\n");
	printed[0] = 0;
	cpuhp_trace_mask(3, "online", false);
	cpuhp_trace_hsm(3, "hart_stop");
	CHECK_STR(printed, "cpuhp_mask:  cpu: 0003 online: 0\ncpuhp_hsm:   cpu: 0003 hart: 3 hart_stop\n");
}

static void rollback_failure_is_a_warning(void)
{
	reset();
	fail_startup_state = 2;
	fail_startup_cpu = 2;
	cpuhp_state[2].state = 1;
	cpuhp_run_up_nofail(2, 2);
	CHECK(cpuhp_cpu_state(2) == 2);          /* it goes on: there is no way back */
	CHECK(strstr(printed, "WARNING: CPU2: rollback step 2 (b:prepare) failed") != NULL);
}

/* ---- fault injection ---- */

static void injection_rules(void)
{
	reset();
	/* Offline CPU: PREPARE and ONLINE states may be armed; atomic and empty ones not. */
	CHECK(cpuhp_fail_store(1, 2) == 0);
	CHECK(cpuhp_fail_store(1, 21) == 0);
	CHECK(cpuhp_fail_store(1, CPUHP_AP_SCHED_STARTING) == -EINVAL);
	CHECK(cpuhp_fail_store(1, CPUHP_AP_ONLINE_IDLE) == -EINVAL);
	CHECK(cpuhp_fail_store(1, CPUHP_ONLINE + 1) == -EINVAL);
	CHECK(cpuhp_fail_store(1, CPUHP_INVALID) == 0);
	/* Online CPU: its DEAD steps cannot fail. */
	cpuhp_state[1].state = CPUHP_ONLINE;
	CHECK(cpuhp_fail_store(1, 2) == -EINVAL);
	CHECK(cpuhp_fail_store(1, 21) == 0);
	/* The boot parameter form. */
	CHECK(cpuhp_set_fail("2:1") == 0 && cpuhp_state[2].fail == 1);
	CHECK(cpuhp_set_fail("2") == -EINVAL);
	CHECK(cpuhp_set_fail("x:1") == -EINVAL);
	CHECK(cpuhp_set_fail("2:99") == -EINVAL);
	CHECK(cpuhp_set_fail("99999:1") == -EINVAL);
}

static void injected_failure_fails_before_the_callback_once(void)
{
	reset();
	cpuhp_set_trace(true);
	CHECK(cpuhp_fail_store(1, 2) == 0);
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == -EAGAIN);
	CHECK_STR(calls, "u1:1 ");               /* up_2 never ran */
	CHECK(strstr(printed, "step:   2") == NULL);   /* and has no trace line, as Linux */
	CHECK(cpuhp_state[1].fail == CPUHP_INVALID && cpuhp_state[1].failed_at == 2);
	CHECK(cpuhp_up_callbacks(1, CPUHP_BRINGUP_CPU) == 0);   /* consumed */
}

/* ---- registration ---- */

static int dyn_up(unsigned int cpu)
{
	record('U', 0, cpu);
	return fail_startup_cpu == (int)cpu ? -EIO : 0;
}

static int dyn_down(unsigned int cpu)
{
	record('D', 0, cpu);
	return 0;
}

static void setup_state_invokes_on_cpus_past_it(void)
{
	reset();
	cpuhp_state[0].state = CPUHP_ONLINE;
	cpuhp_state[2].state = CPUHP_ONLINE;
	int s = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:dyn", dyn_up, dyn_down);
	CHECK(s >= CPUHP_AP_ONLINE_DYN && s <= CPUHP_AP_ONLINE_DYN_END);
	CHECK_STR(calls, "U0:0 U0:2 ");
	CHECK_STR(cpuhp_state_name(s), "test:dyn");
	int t = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:dyn2", dyn_up, dyn_down);
	CHECK(t > s);
	calls[0] = 0;
	CHECK(cpuhp_remove_state(s) == 0);
	CHECK_STR(calls, "D0:0 D0:2 ");
	CHECK_STR(cpuhp_state_name(s), "(free)");
	calls[0] = 0;
	CHECK(cpuhp_remove_state_nocalls(t) == 0);
	CHECK_STR(calls, "");
}

static void setup_state_failure_undoes_the_done_cpus(void)
{
	reset();
	for (unsigned int cpu = 0; cpu < 4; cpu++) {
		cpuhp_state[cpu].state = CPUHP_ONLINE;
	}
	fail_startup_cpu = 2;
	int s = cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "test:fails", dyn_up, dyn_down);
	CHECK(s == -EIO);
	CHECK_STR(calls, "U0:0 U0:1 U0:2 D0:0 D0:1 ");
	CHECK(cpuhp_steps[CPUHP_BP_PREPARE_DYN].name == NULL);     /* the slot is free again */
}

static void nocalls_and_refusals(void)
{
	reset();
	cpuhp_state[1].state = CPUHP_ONLINE;
	int s = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "test:quiet", dyn_up, dyn_down);
	CHECK(s == CPUHP_BP_PREPARE_DYN);
	CHECK_STR(calls, "");
	/* STARTING states cannot take callbacks that may fail. */
	CHECK(cpuhp_setup_state(CPUHP_AP_SCHED_STARTING, "test:starting", dyn_up, dyn_down) == -EINVAL);
	/* Fixed slots belong to the table. */
	CHECK(cpuhp_setup_state(1, "test:fixed", dyn_up, dyn_down) == -EBUSY);
	CHECK(cpuhp_setup_state(CPUHP_ONLINE, "test:online", dyn_up, dyn_down) == -EINVAL);
	CHECK(cpuhp_remove_state(1) == -EINVAL);
	/* The dynamic range runs out. */
	int last = 0;
	for (int i = 1; i <= CPUHP_BP_PREPARE_DYN_END - CPUHP_BP_PREPARE_DYN; i++) {
		last = cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "test:fill", NULL, NULL);
	}
	CHECK(last == CPUHP_BP_PREPARE_DYN_END);
	CHECK(cpuhp_setup_state_nocalls(CPUHP_BP_PREPARE_DYN, "test:full", NULL, NULL) == -ENOSPC);
}

struct thing {
	struct cpuhp_instance node;
	int id;
};

static int inst_up(unsigned int cpu, struct cpuhp_instance *in)
{
	struct thing *t = (struct thing *)in;
	record('I', t->id, cpu);
	return t->id == 3 && cpu == 2 ? -EBUSY : 0;
}

static int inst_down(unsigned int cpu, struct cpuhp_instance *in)
{
	record('R', ((struct thing *)in)->id, cpu);
	return 0;
}

static void multi_instance_states(void)
{
	struct thing a = { .id = 1 }, b = { .id = 2 }, bad = { .id = 3 };

	reset();
	cpuhp_state[0].state = CPUHP_ONLINE;
	cpuhp_state[2].state = CPUHP_ONLINE;
	int s = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "test:multi", inst_up, inst_down);
	CHECK(s >= CPUHP_AP_ONLINE_DYN);
	CHECK_STR(calls, "");                /* no instance yet: nothing to call */
	CHECK(cpuhp_state_add_instance(s, &a.node) == 0);
	CHECK(cpuhp_state_add_instance(s, &b.node) == 0);
	CHECK_STR(calls, "I1:0 I1:2 I2:0 I2:2 ");
	calls[0] = 0;
	/* An instance failing on CPU2 is undone on CPU0 and not added. */
	CHECK(cpuhp_state_add_instance(s, &bad.node) == -EBUSY);
	CHECK_STR(calls, "I3:0 I3:2 R3:0 ");
	CHECK(cpuhp_remove_state(s) == -EBUSY);     /* instances first */
	/* A CPU coming up runs every instance; one failing undoes the others there. */
	calls[0] = 0;
	cpuhp_state[1].state = s - 1;
	CHECK(cpuhp_up_callbacks(1, s) == 0);
	CHECK_STR(calls, "I2:1 I1:1 ");
	calls[0] = 0;
	CHECK(cpuhp_state_remove_instance(s, &a.node) == 0);
	CHECK_STR(calls, "R1:0 R1:1 R1:2 ");
	CHECK(cpuhp_state_remove_instance(s, &a.node) == -ENOENT);
	CHECK(cpuhp_state_remove_instance(s, &b.node) == 0);
	CHECK(cpuhp_remove_state(s) == 0);
}

/* Records "W<cpu>@<thread>": which CPU it was for, and whose hotplug thread ran it. */
static int where_up(unsigned int cpu)
{
	size_t n = strlen(calls);
	snprintf(calls + n, sizeof(calls) - n, "W%u@%d ", cpu, on_thread);
	return 0;
}

static void online_callbacks_run_on_each_cpus_thread(void)
{
	reset();
	for (unsigned int cpu = 0; cpu < 3; cpu++) {
		cpuhp_state[cpu].state = CPUHP_ONLINE;
	}
	int s = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:where", where_up, NULL);
	CHECK(s >= CPUHP_AP_ONLINE_DYN);
	CHECK_STR(calls, "W0@0 W1@1 W2@2 ");          /* each on its own CPU's thread */
	calls[0] = 0;
	/* PREPARE states are the control CPU's: no thread is asked. */
	thread_calls = 0;
	CHECK(cpuhp_setup_state(CPUHP_BP_PREPARE_DYN, "test:where-bp", where_up, NULL) ==
	      CPUHP_BP_PREPARE_DYN);
	CHECK_STR(calls, "W0@-1 W1@-1 W2@-1 ");
	CHECK(thread_calls == 0);
}

static void registration_is_traced_and_injectable(void)
{
	struct thing a = { .id = 1 }, b = { .id = 2 };

	reset();
	cpuhp_set_trace(true);
	cpuhp_state[0].state = CPUHP_ONLINE;
	cpuhp_state[1].state = CPUHP_ONLINE;
	cpuhp_state[0].target = cpuhp_state[1].target = CPUHP_ONLINE;
	/* A new state's startups: Linux's trace lines, one pair per CPU. */
	int s = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:traced", dyn_up, dyn_down);
	char want[512];
	snprintf(want, sizeof(want),
		 "cpuhp_enter: cpu: 0000 target: %3d step: %3d (dyn_up)\n"
		 "cpuhp_exit:  cpu: 0000  state: %3d step: %3d ret: 0\n"
		 "cpuhp_enter: cpu: 0001 target: %3d step: %3d (dyn_up)\n"
		 "cpuhp_exit:  cpu: 0001  state: %3d step: %3d ret: 0\n", CPUHP_ONLINE, s, s, s,
		 CPUHP_ONLINE, s, s, s);
	CHECK_STR(printed, want);
	CHECK(cpuhp_remove_state(s) == 0);
	/* Injection fails a registration's startup on that CPU, and it is undone on the others. */
	calls[0] = 0;
	printed[0] = 0;
	cpuhp_state[1].fail = CPUHP_AP_ONLINE_DYN;
	s = cpuhp_setup_state(CPUHP_AP_ONLINE_DYN, "test:injected", dyn_up, dyn_down);
	CHECK(s == -EAGAIN);
	CHECK_STR(calls, "U0:0 D0:0 ");
	CHECK(cpuhp_state[1].fail == CPUHP_INVALID);             /* consumed */
	CHECK(cpuhp_steps[CPUHP_AP_ONLINE_DYN].name == NULL);
	/* Adding an instance: multi_enter lines, on each CPU's thread, and injectable. */
	s = cpuhp_setup_state_multi(CPUHP_AP_ONLINE_DYN, "test:multi", inst_up, inst_down);
	calls[0] = 0;
	printed[0] = 0;
	thread_calls = 0;
	CHECK(cpuhp_state_add_instance(s, &a.node) == 0);
	CHECK_STR(calls, "I1:0 I1:1 ");
	CHECK(thread_calls == 2);
	CHECK(strstr(printed, "cpuhp_multi_enter: cpu: 0000") != NULL);
	CHECK(strstr(printed, "cpuhp_multi_enter: cpu: 0001") != NULL);
	calls[0] = 0;
	cpuhp_state[1].fail = s;
	CHECK(cpuhp_state_add_instance(s, &b.node) == -EAGAIN);
	CHECK_STR(calls, "I2:0 R2:0 ");                   /* undone on CPU0, never on CPU1 */
	CHECK(cpuhp_steps[s].instances == &a.node);       /* not added */
	/* Removing one: its teardown alone, traced. */
	calls[0] = 0;
	printed[0] = 0;
	CHECK(cpuhp_state_remove_instance(s, &a.node) == 0);
	CHECK_STR(calls, "R1:0 R1:1 ");
	CHECK(strstr(printed, "cpuhp_multi_enter: cpu: 0001") != NULL);
	CHECK(cpuhp_remove_state(s) == 0);
}

static void disable_nests(void)
{
	reset();
	cpu_hotplug_disable();
	cpu_hotplug_disable();
	CHECK(cpu_hotplug_disabled == 2);
	cpu_hotplug_enable();
	cpu_hotplug_enable();
	CHECK(cpu_hotplug_disabled == 0);
	cpu_hotplug_enable();                     /* unbalanced: reported, not negative */
	CHECK(cpu_hotplug_disabled == 0);
	CHECK(strstr(printed, "unbalanced") != NULL);
}

int main(void)
{
	RUN(up_and_down_run_every_step_in_order);
	RUN(profile_counts_each_callback);
	RUN(failing_startup_stops_where_it_failed);
	RUN(trace_lines_are_linux_format);
	RUN(rollback_failure_is_a_warning);
	RUN(injection_rules);
	RUN(injected_failure_fails_before_the_callback_once);
	RUN(setup_state_invokes_on_cpus_past_it);
	RUN(setup_state_failure_undoes_the_done_cpus);
	RUN(nocalls_and_refusals);
	RUN(multi_instance_states);
	RUN(online_callbacks_run_on_each_cpus_thread);
	RUN(registration_is_traced_and_injectable);
	RUN(disable_nests);
	return check_summary();
}
