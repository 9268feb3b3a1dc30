/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fixed hotplug callbacks of each subsystem, referenced by the state table
 * (kernel/hotplug/states.c). Each is called for one CPU with the context its
 * section gives (see cpuhp.h).
 */
#ifndef HP_CPUHP_CALLBACKS_H
#define HP_CPUHP_CALLBACKS_H

/* kernel/hotplug/percpu_threads.c */
int smpboot_create_threads(unsigned int cpu);
int smpboot_unpark_threads(unsigned int cpu);
int smpboot_park_threads(unsigned int cpu);
/* kernel/hotplug/up.c */
int bringup_cpu(unsigned int cpu);
int finish_cpu(unsigned int cpu);
/* takedown_cpu() is the take-down variant's (kernel/hotplug/variant.h) */
/* kernel/workqueue.c */
int workqueue_prepare_cpu(unsigned int cpu);
int workqueue_dead_cpu(unsigned int cpu);
/* kernel/smp.c */
int smpcfd_prepare_cpu(unsigned int cpu);
int smpcfd_dead_cpu(unsigned int cpu);
void smpcfd_dying_cpu(unsigned int cpu);
/* kernel/time.c */
int timers_prepare_cpu(unsigned int cpu);
int timers_dead_cpu(unsigned int cpu);
void tick_cpu_starting(unsigned int cpu);
void tick_cpu_dying(unsigned int cpu);
/* kernel/sched.c */
void sched_cpu_starting(unsigned int cpu);
void sched_cpu_dying(unsigned int cpu);
int sched_cpu_wait_empty(unsigned int cpu);
int sched_cpu_activate(unsigned int cpu);
int sched_cpu_deactivate(unsigned int cpu);

#endif
