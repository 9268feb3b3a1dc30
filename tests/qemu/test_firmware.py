# SPDX-License-Identifier: BSD-2-Clause
"""Other firmware's IPI behaviour, emulated in the SBI layer (sbi.ipi=): OpenSBI v1.7-v1.8
refuse an IPI to a hart that is not STARTED or SUSPENDED, v1.1 and later upstream drop
it, and a faulty firmware may lose one. The kernel must never depend on such an IPI,
and must survive a lost one."""
import re

import harness
from harness import boot, cpulist, only, soak_counts

CPU = "/sys/devices/system/cpu"
EMULATED = r"sbi\.ipi=\w+: IPI to hart \d+ (refused|dropped)"


def kernel_us(b):
    m = re.search(r"boot: shell starting \d+ us after reset \(kernel: (\d+) us", b.out)
    b.expect(m is not None, "no boot time line")
    return int(m.group(1))


def test_no_ipi_to_a_hart_not_started(config):
    """At -smp 8, 32 and 64 under -icount, with sbi.ipi=refuse and sbi.ipi=drop: every
    CPU comes up, an offline/online cycle (full build) and a cross-call storm pass,
    `hotplug check` is clean, the emulation never had to refuse or drop an IPI (none
    was sent to a hart that was not STARTED), and the kernel's boot time stays within
    2x of a boot without emulation."""
    cycle = [f"echo 0 > {CPU}/cpu2/online", f"echo 1 > {CPU}/cpu2/online"] if config == "hotplug" else []
    cmds = cycle + [f"cat {CPU}/online", "ipistorm 5", "hotplug check"]
    for smp in (8, 32, 64):
        normal = kernel_us(boot(config, [], smp=smp, icount=True, timeout=240))
        for mode in ("refuse", "drop"):
            b = boot(config, cmds, smp=smp, icount=True, timeout=240, append=f"sbi.ipi={mode}")
            where = f"sbi.ipi={mode} -smp {smp}: "
            b.expect_clean()
            b.expect(cpulist(b.output_of(f"cat {CPU}/online")) == set(range(smp)), where + "CPUs lost")
            b.expect(b.output_of("hotplug check").strip() == f"check: {smp} CPUs, 0 inconsistencies",
                     where + b.output_of("hotplug check"))
            b.expect("lost 0, refused 0, offline IPIs 0" in b.output_of("ipistorm 5"), where + "storm")
            b.expect(not b.lines(EMULATED), where + f"IPIs to harts not started: {b.lines(EMULATED)[:3]}")
            us = kernel_us(b)
            b.expect(us <= 2 * normal, where + f"kernel boot {us} us, {normal} us without emulation")


def test_emulation_refuses_and_drops(config):
    """The emulation does what it claims: a bare IPI (debug ipi) or remote fence.i
    (debug rfence) to a CPU whose hart is STOPPED (maxcpus=2 leaves CPU3 unused) is
    refused with INVALID_PARAM, reported in one line and as EINVAL, or dropped; one to a
    started CPU is accepted, and without the emulation both go to the firmware as they
    are; a bad value is reported and ignored. IPIs to several CPUs go in one call
    (arch_send_ipi_mask, as stop_machine's): when the firmware refuses the mask because
    it names a stopped hart, each CPU is sent its own, so only that CPU's is refused."""
    cmds = ["debug ipi 3", "debug ipi 1", "debug rfence 3", "debug rfence 1", "debug rfence 9",
            "debug ipi 0-1,3", "debug ipi 0-1", "debug ipi 1,7"]
    b = boot(config, cmds, smp=4, append="maxcpus=2 sbi.ipi=refuse")
    b.expect(b.rc == 0, f"exit {b.rc}")
    for what, cmd in (("IPI", "ipi"), ("remote fence", "rfence")):
        b.expect(b.lines(rf"sbi\.ipi=refuse: {what} to hart \d+ refused \(HSM status 1\)"),
                 f"{what} refused")
        b.expect(b.output_of(f"debug {cmd} 3").strip().endswith("(EINVAL)"), b.output_of(f"debug {cmd} 3"))
        b.expect("accepted" in b.output_of(f"debug {cmd} 1"), b.output_of(f"debug {cmd} 1"))
    b.expect(b.lines(r"remote fence\.i on CPU3 \(hart \d+\) failed: SBI_ERR_INVALID_PARAM"),
             "refusal reported in one line")
    b.expect(b.output_of("debug rfence 9").strip().endswith("(EINVAL)"), "no CPU 9: " +
             b.output_of("debug rfence 9"))
    # debug ipi 3, then 0-1,3 refused as a mask and CPU3's alone again: three refusals,
    # and of the CPUs sent their own after the mask, CPU3's alone failed.
    refused = b.lines(r"sbi\.ipi=refuse: IPI to hart \d+ refused")
    b.expect(len(refused) == 3, f"IPI refusals: {refused}")
    b.expect(b.output_of("debug ipi 0-1,3").strip().endswith("(EINVAL)"), b.output_of("debug ipi 0-1,3"))
    failed = b.lines(r"IPI to CPU\d+ \(hart \d+\) failed")
    b.expect(len(failed) == 2 and all("IPI to CPU3 " in f for f in failed), f"failures: {failed}")
    b.expect("accepted" in b.output_of("debug ipi 0-1"), b.output_of("debug ipi 0-1"))
    b.expect(b.output_of("debug ipi 1,7").strip().endswith("(EINVAL)"), "no CPU 7: " +
             b.output_of("debug ipi 1,7"))
    b = boot(config, ["debug ipi 3", "debug rfence 3"], smp=4, append="maxcpus=2 sbi.ipi=drop")
    b.expect(b.rc == 0, f"exit {b.rc}")
    b.expect(b.lines(r"sbi\.ipi=drop: IPI to hart \d+ dropped"), "dropped")
    b.expect(b.lines(r"sbi\.ipi=drop: remote fence to hart \d+ dropped"), "fence dropped")
    b.expect("accepted" in b.output_of("debug ipi 3"), "a dropped IPI looks accepted")
    b.expect("accepted" in b.output_of("debug rfence 3"), "a dropped fence looks accepted")
    b = boot(config, ["debug rfence 3", "debug rfence 1"], smp=4, append="maxcpus=2")
    b.expect(b.rc == 0, f"exit {b.rc}")
    b.expect(not b.lines(r"sbi\.ipi="), "emulation lines without the emulation")
    b.expect("accepted" in b.output_of("debug rfence 1"), b.output_of("debug rfence 1"))
    b = boot(config, [f"cat {CPU}/online"], smp=2, append="sbi.ipi=sometimes")
    b.expect_clean()
    b.expect(b.lines(r"bad boot parameter 'sbi.ipi': refuse, drop, lossy or convoy"), "reported")


def test_lost_ipis_are_survived(config):
    """sbi.ipi=lossy loses one IPI in eight, whatever the target: the boot, a cross-call
    storm and (full build) a 300-operation soak under load still finish with nothing
    lost, and the emulation reports that it did lose IPIs (each CPU's tick takes reasons
    whose IPI never came)."""
    soak = ["busy 1-3", "hotplug soak 300"] if config == "hotplug" else []
    b = boot(config, soak + ["hotplug check", "ipistorm 20"], smp=4, timeout=240,
             append="sbi.ipi=lossy")
    b.expect_clean()
    if soak:
        out = b.output_of("hotplug soak 300")
        n = soak_counts(out)
        b.expect(n is not None and n["operations"] == 300, out)
        b.expect(n["failed"] == 0 and n["offline_ipis"] == 0 and n["raced"] == 0 and
                 n["queued"] == n["executed"], out)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "check")
    b.expect(re.search(r"lost 0, refused 0, offline IPIs 0", b.output_of("ipistorm 20")), "storm")
    m = re.search(r"sbi\.ipi=lossy: (\d+) of (\d+) IPIs lost", b.out)
    b.expect(m is not None and int(m.group(1)) > 0, "the emulation lost no IPI: it proved nothing")


def test_ipis_do_not_queue_on_a_firmware_lock(config):
    """sbi.ipi=convoy holds a first-come-first-served lock around every IPI call, as
    OpenSBI v1.5 and later hold their domain's (arch/riscv/ipi_combine.c). Eight CPUs
    sending to each other at once under -icount: on v1.5.1 93 of 280 IPIs came a tick
    late and at -smp 16 the storm never ended; the kernel sends one call at a time, so
    none is late and none lost, and the soak beside it stays clean."""
    b = boot(config, ["ipistorm 5", "hotplug check"], smp=8, icount=True, timeout=120,
             append="sbi.ipi=convoy")
    b.expect_clean()
    b.expect(re.search(r"sent (\d+), handled \1, lost 0, refused 0, offline IPIs 0, taken by the tick 0$",
                       b.output_of("ipistorm 5").strip()), "storm: " + b.output_of("ipistorm 5"))
    b.expect(b.output_of("hotplug check").strip() == "check: 8 CPUs, 0 inconsistencies", "check")


def boot_not_on(hart, config, cmds, **kw):
    """Boots until the firmware's lottery picks a boot hart other than @hart (a fault
    injected on the boot hart would never fire); at most 8 tries."""
    for _ in range(8):
        b = boot(config, cmds, **kw)
        m = re.search(r"booting on hart (\d+)", b.out)
        if m and int(m.group(1)) != hart:
            return b
    raise AssertionError(f"the firmware booted hart {hart} eight times running")


def cpu_of_hart(b, hart, ncpus):
    ids = [b.output_of(f"cat {CPU}/cpu{n}/hart_id").strip() for n in range(ncpus)]
    return ids.index(str(hart))


FAULT_CHECK = [f"cat {CPU}/cpu{n}/hart_id" for n in range(4)] + \
              [f"cat {CPU}/cpu{n}/hotplug/unusable" for n in range(4)]


def test_hart_start_error(config):
    """sbi.fault=start_error:3: hart_start of hart 3 fails. Boot reports it in one line
    and marks its CPU unusable with the reason in cpuN/hotplug/unusable; the others come
    up; an online write is refused (EIO with a log line; EPERM where hotplug is compiled
    out); `hotplug check` is clean."""
    cmds = [f"cat {CPU}/online"] + FAULT_CHECK
    cmds += [f"echo 1 > {CPU}/cpu{n}/online" for n in (1, 2, 3)] + ["hotplug check"]
    b = boot_not_on(3, config, cmds, smp=4, append="sbi.fault=start_error:3")
    b.expect_clean()
    cpu = cpu_of_hart(b, 3, 4)
    b.expect(b.lines(rf"CPU{cpu} \(hart 3\): failed to start: SBI_ERR_FAILED"), "reported")
    b.expect(b.output_of(f"cat {CPU}/cpu{cpu}/hotplug/unusable").strip() ==
             "the firmware failed to start it", "reason in sysfs")
    b.expect(cpulist(b.output_of(f"cat {CPU}/online")) == {0, 1, 2, 3} - {cpu}, "others up")
    refused = b.output_of(f"echo 1 > {CPU}/cpu{cpu}/online").strip()
    if config == "hotplug":
        b.expect(refused.endswith("(EIO)") and b.lines(rf"CPU{cpu}: unusable \(the firmware failed "
                                                       r"to start it\): not started again"), refused)
    else:
        b.expect(refused.endswith("(EPERM)"), refused)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "check")


def test_hart_that_never_runs(config):
    """sbi.fault=no_arrive:3: hart_start of hart 3 succeeds but the hart never runs. After
    the arrival timeout its CPU is reported with its HSM status, marked unusable (reason
    in sysfs) and skipped; boot goes on; an online write is refused; `hotplug check` is
    clean."""
    cmds = [f"cat {CPU}/online"] + FAULT_CHECK
    cmds += [f"echo 1 > {CPU}/cpu{n}/online" for n in (1, 2, 3)] + ["hotplug check"]
    b = boot_not_on(3, config, cmds, smp=4, timeout=120, append="sbi.fault=no_arrive:3")
    b.expect_clean()
    cpu = cpu_of_hart(b, 3, 4)
    b.expect(b.lines(rf"CPU{cpu} \(hart 3\): did not come online within \d+ ms \(HSM status \w+\); "
                     "skipped"), "timeout report")
    b.expect(b.output_of(f"cat {CPU}/cpu{cpu}/hotplug/unusable").strip() == "did not come online",
             "reason in sysfs")
    b.expect(cpulist(b.output_of(f"cat {CPU}/online")) == {0, 1, 2, 3} - {cpu}, "others up")
    refused = b.output_of(f"echo 1 > {CPU}/cpu{cpu}/online").strip()
    b.expect(refused.endswith("(EIO)" if config == "hotplug" else "(EPERM)"), refused)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "check")


@only("hotplug")
def test_hart_stuck_stopping(config):
    """sbi.fault=stuck_stop:3: once hart 3 asks to stop, the firmware says STOP_PENDING for
    good. Taking its CPU down reports the hart that did not stop with its status, marks
    the CPU unusable (reason in sysfs), and the offline still completes; bringing it
    back is refused (EIO, one line); the other CPUs cycle normally; `hotplug check` is
    clean."""
    cmds = [f"cat {CPU}/cpu{n}/hart_id" for n in range(4)]
    cmds += [f"echo 0 > {CPU}/cpu{n}/online" for n in (1, 2, 3)]
    cmds += [f"cat {CPU}/cpu{n}/hotplug/unusable" for n in (1, 2, 3)]
    cmds += [f"echo 1 > {CPU}/cpu{n}/online" for n in (1, 2, 3)]
    cmds += [f"cat {CPU}/online", "hotplug check"]
    b = boot_not_on(3, config, cmds, smp=4, append="sbi.fault=stuck_stop:3")
    b.expect_clean()
    cpu = cpu_of_hart(b, 3, 4)
    b.expect(b.lines(rf"CPU{cpu}: hart 3 did not stop within \d+ ms \(HSM status STOP_PENDING\)"),
             "reported")
    for n in (1, 2, 3):
        why = b.output_of(f"cat {CPU}/cpu{n}/hotplug/unusable").strip()
        back = b.output_of(f"echo 1 > {CPU}/cpu{n}/online").strip()
        if n == cpu:
            b.expect(why == "its hart did not stop" and back.endswith("(EIO)"), f"cpu{n}: {why} / {back}")
        else:
            b.expect(why == "0" and back == "", f"cpu{n}: {why} / {back}")
    b.expect(cpulist(b.output_of(f"cat {CPU}/online")) == {0, 1, 2, 3} - {cpu}, "online")
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "check")


def test_a_cpu_lost_in_the_firmware(config):
    """A CPU whose firmware call never returns (hsmtest's torture meets OpenSBI 1.1 doing
    that; `debug lose CPU` makes one on any firmware: a thread bound there spins with
    interrupts off). It is reported in one line, made inactive, and hotplug is disabled
    (EBUSY, or EPERM where take-down is compiled out); the rest of the system goes on
    (user programs, `ps`); `hotplug check` names it; losing it twice, an offline CPU or
    the last active one is refused; and poweroff, asked to reboot on the lost CPU
    (reboot_cpu=), goes on without it: another CPU powers the machine down (exit 0)."""
    cmds = ["debug lose 2", "debug lose 2", "debug lose 9", f"echo 0 > {CPU}/cpu1/online",
            f"cat {CPU}/online", f"cat {CPU}/active", "ps", "hotplug check"]
    b = boot(config, cmds, smp=4, append="reboot_cpu=2", timeout=60)
    b.expect_clean()
    b.expect(b.lines(r"CPU2: lost in the firmware \(debug lose\): inactive, hotplug disabled, reboot goes on "
                     r"without it"), "no report of the lost CPU")
    b.expect(b.output_of("debug lose 2", 0).strip() == "debug: CPU2 spins with interrupts off",
             b.output_of("debug lose 2", 0))
    b.expect(b.output_of("debug lose 2", 1).strip().endswith("(EBUSY)"), "lost twice")
    b.expect(b.output_of("debug lose 9").strip().endswith("(EINVAL)"), "no CPU 9")
    refused = b.output_of(f"echo 0 > {CPU}/cpu1/online").strip()
    b.expect(refused.endswith("(EBUSY)" if config == "hotplug" else "(EPERM)"), refused)
    b.expect(cpulist(b.output_of(f"cat {CPU}/online")) == {0, 1, 2, 3}, "online")
    b.expect(cpulist(b.output_of(f"cat {CPU}/active")) == {0, 1, 3}, "active")
    b.expect(re.search(r"\bR +2 .* kernel +lost$", b.output_of("ps"), re.M), "the lost thread in ps")
    check = b.output_of("hotplug check").strip().splitlines()
    b.expect(len(check) == 2 and re.fullmatch(r"check: CPU2 \(state \d+\): lost in the firmware", check[0]) and
             check[1] == "check: 4 CPUs, 1 inconsistencies", f"check: {check}")
    m = re.search(r"reboot: on CPU(\d+), (a CPU is lost in the firmware: stopping the others as they are|"
                  r"stopping the other CPUs \(hotplug compiled out\))", b.out)
    b.expect(m and m.group(1) != "2", "reboot on a CPU that runs")
    b.expect(("a CPU is lost" in m.group(2)) == (config == "hotplug"), m.group(0))
    b.expect("reboot: Power down" in b.out, "no power down")


def test_hotplug_suite_in_each_emulation(config):
    """The whole hotplug suite (tests/qemu/test_hotplug.py) again with sbi.ipi=refuse and
    then sbi.ipi=drop on every boot: each of its tests passes as it does without the
    emulation, and in none of those boots did the emulation refuse or drop an IPI."""
    import test_hotplug
    tests = [(n, getattr(test_hotplug, n)) for n in sorted(dir(test_hotplug))
             if n.startswith("test_") and callable(getattr(test_hotplug, n))]
    tests = [(n, fn) for n, fn in tests if config in getattr(fn, "configs", harness.CONFIGS)]
    failures, ran = [], 0
    for mode in ("refuse", "drop"):
        harness.EXTRA_APPEND, harness.BOOTS = f"sbi.ipi={mode}", []
        try:
            for name, fn in tests:
                try:
                    fn(config)
                    ran += 1
                except harness.Failure as e:
                    failures.append(f"sbi.ipi={mode} {name}: {str(e)[:600]}")
            for b in harness.BOOTS:
                hits = b.lines(EMULATED)
                if hits:
                    failures.append(f"sbi.ipi={mode}: IPIs to harts not started: {hits[:3]}")
            boots = len(harness.BOOTS)
        finally:
            harness.EXTRA_APPEND, harness.BOOTS = "", None
        print(f"  sbi.ipi={mode}: {len(tests)} hotplug tests, {boots} boots")
    if failures:
        raise harness.Failure("\n".join(failures))
    if ran != 2 * len(tests) or not tests:
        raise harness.Failure(f"ran {ran} of {2 * len(tests)}")
