/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Boot flow of the boot CPU: device tree, firmware, command line, memory, CPUs,
 * then init and the shell. Secondaries start in secondary_boot.c.
 */
#include <string.h>
#include <stdio.h>
#include "kernel.h"
#include "arch.h"
#include "percpu.h"
#include "dtb.h"
#include "cmdline.h"
#include "log.h"
#include "alloc.h"
#include "page_alloc.h"
#include "process.h"
#include "sched.h"
#include "cpu_boot.h"
#include "kcmd.h"
#include "ipc.h"
#include "tty.h"
#include "err.h"
#include "cpuhp.h"
#include "workqueue.h"
#include "param.h"

void kmain(unsigned long hartid, const void *dtb);
void cpu_sysfs_init(void);

extern char __kernel_start[], __kernel_data_end[], __kernel_end[];

static struct dt_platform platform;
static struct cmdline cmdline;
static char cmdline_storage[8192];

static const char *initrd_script;
static size_t initrd_len;

/* Splits the command line; each subsystem's BOOT_PARAM handlers then take their own. */
static void parse_boot_options(const char *bootargs)
{
	char err[128];

	pr_info("Kernel command line: %s\n", bootargs ? bootargs : "");
	if (cmdline_parse(&cmdline, bootargs, cmdline_storage, sizeof(cmdline_storage), err,
			  sizeof(err))) {
		pr_err("command line: %s; parameters after it are ignored\n", err);
	}
	boot_params_apply(&cmdline, false);
}

/*
 * The memory above the kernel, up to whatever the firmware put above it: a quarter of
 * it (at most 32 MiB, plenty at 64 CPUs) is the heap, the rest the page allocator's.
 * All RAM is mapped for the kernel at its physical address.
 */
static void memory_init(const void *dtb)
{
	uintptr_t start = (uintptr_t)__kernel_end;
	uintptr_t end = (uintptr_t)(platform.mem_base + platform.mem_size);
	uintptr_t blockers[] = { (uintptr_t)dtb, (uintptr_t)platform.initrd_start };

	for (unsigned int i = 0; i < ARRAY_SIZE(blockers); i++) {
		if (blockers[i] >= start && blockers[i] < end) {
			end = blockers[i];
		}
	}
	if (end <= start || end - start < (2u << 20)) {
		panic("no memory above the kernel (kernel ends at %p, RAM ends at 0x%llx)",
		      (void *)start, (unsigned long long)(platform.mem_base + platform.mem_size));
	}
	uintptr_t heap = MIN((end - start) / 4, (uintptr_t)32 << 20);
	uintptr_t split = (start + heap + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1);
	alloc_init(start, split);
	page_alloc_init(split, end);
	size_t pages, nfree;
	page_alloc_stats(&pages, &nfree);
	pr_info("memory: %llu MiB at 0x%llx; kernel image %lu KiB, heap %lu KiB, %zu pages\n",
		(unsigned long long)(platform.mem_size >> 20), (unsigned long long)platform.mem_base,
		(unsigned long)(__kernel_data_end - __kernel_start) / 1024,
		(unsigned long)(split - start) / 1024, pages);
	arch_mmu_init(platform.mem_base, platform.mem_size);
}

static uint64_t boot_entered;

static void init_fn(void *arg)
{
	uint64_t hz = platform.timebase_hz;

	(void)arg;
	smp_boot_secondaries(boot_max_cpus);
	cpu_sysfs_init();
	cpuhp_sysfs_init();
	programs_init();
	ipc_fast_sysfs_init();
	page_alloc_sysfs_init();
	uint64_t now = arch_time_now();
	pr_info("boot: shell starting %llu us after reset (kernel: %llu us, firmware before it: %llu us)\n",
		(unsigned long long)(now * 1000000 / hz),
		(unsigned long long)((now - boot_entered) * 1000000 / hz),
		(unsigned long long)(boot_entered * 1000000 / hz));
	tty_init();
	init_run(initrd_script, initrd_len);
}

static const char *boot_isa(unsigned long hartid)
{
	for (unsigned int i = 0; i < platform.hart_count; i++) {
		if (platform.harts[i].hartid == hartid) {
			return platform.harts[i].isa;
		}
	}
	return NULL;
}

void kmain(unsigned long hartid, const void *dtb)
{
	char err[DT_ERR_LEN];
	uint64_t entered = arch_time_now();

	smp_setup_boot_cpu(hartid);
	arch_early_init();
	uint32_t dtb_size = dt_total_size(dtb, 40);
	if (dtb_size == 0 || dtb_size > (4u << 20)) {
		panic("no valid device tree at %p (bad magic or size %u)", dtb, (unsigned)dtb_size);
	}
	if (dt_parse_platform(dtb, dtb_size, &platform, err, sizeof(err))) {
		panic("device tree at %p is invalid: %s", dtb, err);
	}
	arch_platform_init(boot_isa(hartid), platform.exit_device);
	log_set_timebase(platform.timebase_hz);
	pr_info("hartplug %s (hotplug %s), booting on hart %lu\n", CONFIG_NAME,
		CONFIG_HOTPLUG ? "enabled" : "compiled out", hartid);
	arch_platform_report();
	pr_info("device tree: %u bytes, %u cpu nodes, %u cores in cpu-map, timebase %llu Hz\n",
		(unsigned)platform.totalsize, platform.hart_count, platform.core_count,
		(unsigned long long)platform.timebase_hz);
	parse_boot_options(platform.bootargs);
	memory_init(dtb);

	smp_setup_cpus(&platform, hartid, boot_nr_cpus);
	arch_platform_setup(&platform);
	cpu_smt_init();
	workqueue_init();
	cpuhp_boot_cpu_init();
	/* After the CPUs are numbered and their hotplug state is set up. */
	boot_params_apply(&cmdline, true);
	arch_cpu_init();
	time_start_tick();
	if (platform.initrd_start && platform.initrd_end > platform.initrd_start) {
		initrd_script = (const char *)(uintptr_t)platform.initrd_start;
		initrd_len = (size_t)(platform.initrd_end - platform.initrd_start);
	}
	boot_entered = entered;
	/* Bringing CPUs up sleeps; the idle task must not: a thread does it. */
	if (!kthread_run(init_fn, NULL, "kinit")) {
		panic("cannot create the init thread");
	}
	arch_irq_enable();
	cpu_idle_loop();
}
