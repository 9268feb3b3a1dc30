/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * stop_machine(): runs a function on one set of CPUs while every online CPU spins with
 * interrupts off, in lock-step stages: PREPARE, DISABLE_IRQ_INACTIVE (the CPUs not
 * running the function disable interrupts first), DISABLE_IRQ_ACTIVE, RUN, EXIT. So
 * once an active CPU stops taking interrupts, no other CPU can send it a cross-call.
 */
#ifndef HP_STOP_MACHINE_H
#define HP_STOP_MACHINE_H

#include "kernel.h"
#include "cpumask.h"

struct task;

/* Runs @fn(@data) on the CPUs of @cpus; returns its result (the last non-zero one). */
int stop_machine(int (*fn)(void *), void *data, const struct cpumask *cpus);
/* The same, for callers that already hold the CPU hotplug lock. */
int stop_machine_cpuslocked(int (*fn)(void *), void *data, const struct cpumask *cpus);

/* The per-CPU stopper threads (migration/N), managed by kernel/hotplug/percpu_threads.c. */
void stopper_thread_fn(void *arg);
struct task *stop_machine_thread(unsigned int cpu);
struct task *stop_machine_set_thread(unsigned int cpu, struct task *t);
void stop_machine_unpark(unsigned int cpu);
/* From the outgoing CPU's stopper: park once the current work is done. */
void stop_machine_park_self(void);
extern unsigned long stop_machine_runs;

#endif
