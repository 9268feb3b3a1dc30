# SPDX-License-Identifier: BSD-2-Clause
"""Other firmware's IPI behaviour, emulated in the SBI layer (sbi.ipi=): OpenSBI v1.7-v1.8
refuse an IPI to a hart that is not STARTED or SUSPENDED, v1.1 and later upstream drop
it, and a faulty firmware may lose one. The kernel must never depend on such an IPI,
and must survive a lost one."""
import re

from harness import boot, cpulist

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
    """The emulation does what it claims: a bare IPI (debug ipi) to a CPU whose hart is
    STOPPED (maxcpus=2 leaves CPU3 unused) is refused with INVALID_PARAM, reported in one
    line and as EINVAL, or dropped; one to a started CPU is accepted; a bad value is
    reported and ignored."""
    b = boot(config, ["debug ipi 3", "debug ipi 1"], smp=4, append="maxcpus=2 sbi.ipi=refuse")
    b.expect(b.rc == 0, f"exit {b.rc}")
    b.expect(b.lines(r"sbi\.ipi=refuse: IPI to hart \d+ refused \(HSM status 1\)"), "refused")
    b.expect(b.output_of("debug ipi 3").strip().endswith("(EINVAL)"), b.output_of("debug ipi 3"))
    b.expect("accepted" in b.output_of("debug ipi 1"), b.output_of("debug ipi 1"))
    b = boot(config, ["debug ipi 3"], smp=4, append="maxcpus=2 sbi.ipi=drop")
    b.expect(b.rc == 0, f"exit {b.rc}")
    b.expect(b.lines(r"sbi\.ipi=drop: IPI to hart \d+ dropped"), "dropped")
    b.expect("accepted" in b.output_of("debug ipi 3"), "a dropped IPI looks accepted")
    b = boot(config, [f"cat {CPU}/online"], smp=2, append="sbi.ipi=sometimes")
    b.expect_clean()
    b.expect(b.lines(r"bad boot parameter 'sbi.ipi': refuse, drop or lossy"), "reported")


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
        m = re.search(r"soak: 300 operations, (\d+) failed; \d+ cross-calls, offline IPIs (\d+), "
                      r"raced offline (\d+); work queued (\d+), executed (\d+)", out)
        b.expect(m is not None, out)
        failed, offline, raced, queued, executed = map(int, m.groups())
        b.expect(failed == 0 and offline == 0 and raced == 0 and queued == executed, out)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "check")
    b.expect(re.search(r"lost 0, refused 0, offline IPIs 0", b.output_of("ipistorm 20")), "storm")
    m = re.search(r"sbi\.ipi=lossy: (\d+) of (\d+) IPIs lost", b.out)
    b.expect(m is not None and int(m.group(1)) > 0, "the emulation lost no IPI: it proved nothing")
