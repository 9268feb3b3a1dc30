/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cross-CPU function calls. Each CPU has a queue of calls; a sender links its call
 * and raises IPI_CALL, the target runs the queue from its software interrupt. A call
 * to a CPU that is not online is refused with Linux's "IPI on offline CPU" line, and
 * a CPU that finds itself running calls while not online says the same.
 */
#include "smp.h"
#include "percpu.h"
#include "sched.h"
#include "alloc.h"
#include "log.h"
#include "err.h"
#include "atomic.h"
#include "cpuhp_callbacks.h"

struct call {
	struct list_head node;
	smp_call_fn fn;
	void *arg;
	bool wait;          /* the sender waits on @done; else the handler frees it */
	int done;
};

unsigned long smp_offline_ipi_count;
unsigned long smp_ipi_by_tick;
unsigned long smp_call_raced_offline;

void smp_send_ipi(unsigned int cpu, unsigned int reason)
{
	/*
	 * The reason must be visible before the interrupt that makes the target look. If
	 * reasons were pending already, an interrupt is on its way (the handler clears the
	 * pending interrupt before it takes the reasons) and will find this one too.
	 * Should the firmware refuse or lose it, the reasons stay pending and the
	 * target's next tick takes them (smp_ipi_poll): late, never lost.
	 */
	if (!__atomic_fetch_or(&cpus[cpu].ipi_pending, reason, __ATOMIC_SEQ_CST)) {
		struct cpumask *batch = this_cpu()->ipi_batch;
		if (batch) {
			cpumask_set(batch, cpu);
		} else {
			arch_post_ipi(cpu);     /* a refusal is reported where it is sent */
		}
	}
}

unsigned long smp_ipi_batch_begin(struct cpumask *batch)
{
	unsigned long flags = arch_irq_save();
	cpumask_clear(batch);
	this_cpu()->ipi_batch = batch;
	return flags;
}

void smp_ipi_batch_end(struct cpumask *batch, unsigned long flags)
{
	this_cpu()->ipi_batch = NULL;
	if (!cpumask_empty(batch)) {
		(void)arch_send_ipi_mask(batch);
	}
	arch_irq_restore(flags);
}

void smp_ipi_poll(void)
{
	if (READ_ONCE(this_cpu()->ipi_pending)) {
		atomic_add(&smp_ipi_by_tick, 1);    /* its IPI was lost, or is yet to come */
		smp_ipi_interrupt();
	}
}

static void warn_offline(unsigned int cpu)
{
	atomic_add(&smp_offline_ipi_count, 1);
	pr_warn("IPI on offline CPU %u\n", cpu);
}

/*
 * Runs what is queued here. @dying: called from smpcfd:dying, where online is already
 * clear but the calls were queued while it was set; anywhere else, running a call on
 * a CPU that is not online is the bug Linux warns about.
 */
static void flush_queue(bool dying)
{
	struct cpu *c = this_cpu();
	struct list_head todo, *pos, *tmp;
	unsigned long flags = arch_irq_save();

	list_init(&todo);
	raw_spin_lock(&c->call_lock);
	list_splice_tail_init(&c->call_queue, &todo);
	raw_spin_unlock(&c->call_lock);
	list_for_each_safe(pos, tmp, &todo) {
		struct call *call = list_entry(pos, struct call, node);
		list_del(pos);
		if (!dying && !cpu_online(c->id)) {
			warn_offline(c->id);
		}
		call->fn(call->arg);
		if (call->wait) {
			store_release(&call->done, 1);
		} else {
			kfree(call);
		}
	}
	arch_irq_restore(flags);
}

void smp_call_flush_queue(void)
{
	flush_queue(false);
}

void smp_ipi_interrupt(void)
{
	struct cpu *c = this_cpu();
	unsigned long reasons = atomic_xchg(&c->ipi_pending, 0);

	if (reasons & IPI_STOP) {
		arch_cpu_halt();
	}
	if (reasons & IPI_CALL) {
		smp_call_flush_queue();
	}
	if (reasons & IPI_RESCHED) {
		c->need_resched = 1;
	}
}

/* Linux's rule for senders (smp.h): say so once, where it is broken. */
static void check_sender(const char *fn)
{
	static bool warned;

	if (preemptible() && !warned) {
		warned = true;
		pr_err("WARNING: %s: called preemptible; a CPU seen online may go down before "
		       "its call is queued\n", fn);
	}
}

/* Links @call on @cpu's queue and kicks it; -ENXIO if @cpu is not online. */
static int queue_call(unsigned int cpu, struct call *call)
{
	struct cpu *c = &cpus[cpu];
	unsigned long flags = arch_irq_save();

	raw_spin_lock(&c->call_lock);
	/* Checked under the queue lock so the answer holds until the call is linked. */
	if (!cpu_online(cpu)) {
		raw_spin_unlock(&c->call_lock);
		arch_irq_restore(flags);
		return -ENXIO;
	}
	list_add_tail(&call->node, &c->call_queue);
	raw_spin_unlock(&c->call_lock);
	smp_send_ipi(cpu, IPI_CALL);
	arch_irq_restore(flags);
	return 0;
}

/*
 * Waits for @call to be run. Our own queue is served meanwhile: two CPUs calling each
 * other with interrupts off would otherwise wait for ever.
 */
static void wait_done(struct call *call)
{
	while (!load_acquire(&call->done)) {
		smp_call_flush_queue();
		arch_wait_brief(20);
	}
}

int smp_call_function_single(unsigned int cpu, smp_call_fn fn, void *arg, bool wait)
{
	struct call stack_call, *call;
	int err;

	check_sender(__func__);
	if (cpu >= NR_CPUS) {
		return -EINVAL;
	}
	if (cpu == this_cpu_id()) {
		unsigned long flags = arch_irq_save();
		fn(arg);
		arch_irq_restore(flags);
		return 0;
	}
	call = wait ? &stack_call : kmalloc(sizeof(*call));
	if (!call) {
		return -ENOMEM;
	}
	call->fn = fn;
	call->arg = arg;
	call->wait = wait;
	call->done = 0;
	err = queue_call(cpu, call);
	if (err) {
		if (!wait) {
			kfree(call);
		}
		return err;
	}
	if (wait) {
		wait_done(call);
	}
	return 0;
}

int smp_call_function_many(const struct cpumask *mask, smp_call_fn fn, void *arg, bool wait)
{
	struct call *calls[NR_CPUS] = { NULL };
	struct cpumask targets = *mask;     /* @mask may be the online mask, which moves */
	unsigned int cpu, self = this_cpu_id();
	int queued = 0;

	check_sender(__func__);
	for_each_cpu(cpu, &targets) {
		if (cpu == self || !cpu_online(cpu)) {
			continue;
		}
		struct call *call = kmalloc(sizeof(*call));
		if (!call) {
			continue;
		}
		call->fn = fn;
		call->arg = arg;
		call->wait = wait;
		call->done = 0;
		if (queue_call(cpu, call)) {
			atomic_add(&smp_call_raced_offline, 1);
			kfree(call);
			continue;
		}
		calls[cpu] = call;
		queued++;
	}
	if (wait) {
		for_each_cpu(cpu, &targets) {
			if (calls[cpu]) {
				wait_done(calls[cpu]);
				kfree(calls[cpu]);
			}
		}
	}
	return queued;
}

void smp_stop_others(void)
{
	unsigned int cpu, self = this_cpu_id();
	struct cpumask others;

	others = cpu_online_mask;
	cpumask_unset(&others, self);
	for_each_cpu(cpu, &others) {
		smp_send_ipi(cpu, IPI_STOP);
	}
	/* Give them a moment to take the interrupt; they never answer, they just stop. */
	uint64_t until = arch_time_now() + log_timebase() / 1000;
	while (arch_time_now() < until) {
		arch_wait_brief(log_timebase() / 100000 + 1);
	}
}

/* ---- hotplug ---- */

int smpcfd_prepare_cpu(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	__atomic_store_n(&c->ipi_pending, 0, __ATOMIC_SEQ_CST);
	if (!list_empty(&c->call_queue)) {
		pr_err("smpcfd: CPU%u has stale cross-calls queued\n", cpu);
	}
	return 0;
}

/* DYING, on the outgoing CPU with interrupts off, after online was cleared. */
void smpcfd_dying_cpu(unsigned int cpu)
{
	(void)cpu;
	flush_queue(true);
}

int smpcfd_dead_cpu(unsigned int cpu)
{
	struct cpu *c = &cpus[cpu];
	unsigned long flags = arch_irq_save();
	raw_spin_lock(&c->call_lock);
	bool lost = !list_empty(&c->call_queue);
	raw_spin_unlock(&c->call_lock);
	arch_irq_restore(flags);
	if (lost) {
		pr_err("smpcfd: CPU%u died with cross-calls still queued\n", cpu);
	}
	return 0;
}
