# SPDX-License-Identifier: BSD-2-Clause
"""SMT topology and nosmt (issue: -Dhotplug=false minimal rollback, nosmt on SMT
topologies): sibling masks from cpu-map, nosmt's cancelled bring-up in both builds,
smt/control at run time, and the use-after-free check on undead CPUs."""
import re

from harness import boot, cpulist

CPU = "/sys/devices/system/cpu"


def hart_of_cpu(b):
    """{cpu: hart} from the boot log (CPU0 is whichever hart the firmware booted)."""
    harts = {0: int(re.search(r"booting on hart (\d+)", b.out).group(1))}
    for m in re.finditer(r"cpu\d+: CPU(\d+): hart (\d+) online", b.out):
        harts[int(m.group(1))] = int(m.group(2))
    return harts


def test_topology(config):
    """tools/run --smt 2 at -smp 8: each CPU's thread_siblings_list holds the CPUs of the
    two harts tools/smt-dtb put in its core, and core_id is that core."""
    cmds = [f"cat {CPU}/cpu{c}/topology/{f}" for c in range(8)
            for f in ("thread_siblings_list", "core_id")]
    b = boot(config, cmds, smp=8, smt=2)
    b.expect_clean()
    harts = hart_of_cpu(b)
    b.expect(sorted(harts.values()) == list(range(8)), f"harts {harts}")
    cpu_of = {h: c for c, h in harts.items()}
    for c in range(8):
        core = harts[c] // 2
        want = {cpu_of[2 * core], cpu_of[2 * core + 1]}
        got = cpulist(b.output_of(f"cat {CPU}/cpu{c}/topology/thread_siblings_list"))
        b.expect(got == want, f"cpu{c} (hart {harts[c]}): siblings {got}, expected {want}")
        b.expect(b.output_of(f"cat {CPU}/cpu{c}/topology/core_id").strip() == str(core),
                 f"cpu{c}: core_id")


def nosmt_scenario(config, smp, param="nosmt", aia=False):
    cmds = [f"cat {CPU}/online", f"cat {CPU}/active", f"cat {CPU}/smt/control",
            f"cat {CPU}/smt/active"] + [f"cat {CPU}/cpu{c}/hsm_status" for c in range(smp)] + \
           ["ipistorm 3", "hotplug stopmachine", "sleep 50", "ps", "hotplug check"]
    b = boot(config, cmds, smp=smp, smt=2, append=param, aia=aia)
    b.expect_clean()
    harts = hart_of_cpu(b)
    secondary = {c for c, h in harts.items() if h % 2 == 1 and c != 0}
    every = set(range(smp))
    return b, secondary, every


def check_nosmt(config, smp, param, aia=False):
    b, secondary, every = nosmt_scenario(config, smp, param, aia)
    online = cpulist(b.output_of(f"cat {CPU}/online"))
    active = cpulist(b.output_of(f"cat {CPU}/active"))
    b.expect(len(secondary) >= smp // 2 - 1, f"secondary threads {secondary}")
    b.expect(active == every - secondary, f"active {active}, secondaries {secondary}")
    want_control = "forceoff" if param == "nosmt=force" else "off"
    b.expect(b.output_of(f"cat {CPU}/smt/control").strip() == want_control, "smt/control")
    # Only a boot CPU that is itself a secondary thread keeps two threads of a core active.
    boot_secondary = int(re.search(r"booting on hart (\d+)", b.out).group(1)) % 2 == 1
    b.expect(b.output_of(f"cat {CPU}/smt/active").strip() == ("1" if boot_secondary else "0"),
             "smt/active")
    for c in secondary:
        b.expect(b.lines(rf"smt: CPU{c} \(core \d+ thread 1\) booted once, then cancelled"),
                 f"cpu{c}: cancel reported")
        hsm = b.output_of(f"cat {CPU}/cpu{c}/hsm_status").strip()
        if config == "hotplug":
            b.expect(hsm == "STOPPED", f"cpu{c}: hsm {hsm}")
        else:
            b.expect(hsm in ("STARTED", "SUSPENDED"), f"cpu{c}: hsm {hsm}")
            b.expect(b.lines(rf"CPU{c}: bring-up failed at cpu:bringup \(ECANCELED\): left online, "
                             r"inactive \(hotplug disabled\)"), f"cpu{c}: the one-line report")
    b.expect(b.output_of("hotplug check").strip() == f"check: {smp} CPUs, 0 inconsistencies",
             b.output_of("hotplug check"))
    want_online = every - secondary if config == "hotplug" else every
    b.expect(online == want_online, f"online {online}, expected {want_online}")
    n = len(want_online)
    storm = b.output_of("ipistorm 3")
    b.expect(f"{n} CPUs x 3 rounds" in storm and "lost 0" in storm and "offline IPIs 0" in storm,
             storm)
    b.expect(f"with {n} CPUs stopped" in b.output_of("hotplug stopmachine"), "stop_machine")
    # Nothing runs on an undead CPU but its own parked or idle threads.
    for row in b.output_of("ps").splitlines()[1:]:
        f = row.split()
        if len(f) >= 6 and f[1].isdigit() and int(f[1]) in secondary and f[2] == "R":
            b.expect(f[-1].startswith(("idle/", "migration/", "cpuhp/", "kworker/")), f"on undead: {row}")


def test_nosmt_smp4(config):
    """nosmt at -smp 4 with 2 threads per core: the secondary threads boot once and are
    cancelled in BRINGUP_CPU; full build: offline with the hart STOPPED; minimal build:
    online, inactive, hart STARTED, one report line each. Masks, smt files, cross-calls
    to all online CPUs and stop_machine are checked; no BUG, no offline IPI."""
    check_nosmt(config, 4, "nosmt")


def test_nosmt_smp8(config):
    """As nosmt_smp4 at -smp 8, with nosmt=force (smt/control reads forceoff)."""
    check_nosmt(config, 8, "nosmt=force")


def test_smt_control_runtime(config):
    """smt/control at run time, -smp 8 with 2 threads per core. Full build: off takes
    every secondary thread down (the boot CPU too, if the firmware booted a secondary),
    online writes to them are then EPERM, on brings them back, bad values are EINVAL,
    forceoff cannot be undone (EPERM). Minimal build: writes are refused (EPERM) and
    nothing changes."""
    c = f"{CPU}/smt/control"
    tries = [f"echo 1 > {CPU}/cpu{n}/online" for n in range(8)]
    cmds = [f"echo off > {c}", f"cat {c}", f"cat {CPU}/online", f"cat {CPU}/smt/active"] + tries + \
           [f"echo on > {c}", f"cat {c}", f"cat {CPU}/online", f"cat {CPU}/smt/active",
            f"echo sideways > {c}", f"echo forceoff > {c}", f"echo on > {c}", f"cat {c}",
            f"cat {CPU}/online"]
    b = boot(config, cmds, smp=8, smt=2)
    b.expect_clean()
    harts = hart_of_cpu(b)
    secondary = {cpu for cpu, h in harts.items() if h % 2 == 1}
    every = set(range(8))
    outs = [o.strip() for _, o in b.cmds]
    if config == "nohotplug":
        b.expect(outs[0].endswith("(EPERM)") and outs[1] == "on", f"read-only: {outs[:2]}")
        b.expect(cpulist(outs[2]) == every, "nothing changed")
        return
    b.expect(outs[0] == "" and outs[1] == "off", f"off: {outs[:2]}")
    b.expect(cpulist(outs[2]) == every - secondary, f"online after off: {outs[2]}, {harts}")
    b.expect(outs[3] == "0", f"smt/active after off: {outs[3]}")
    for n in range(8):
        got = outs[4 + n]
        b.expect(got.endswith("(EPERM)") if n in secondary else got == "",
                 f"online write to cpu{n} while off: {got!r}")
    rest = outs[12:]
    b.expect(rest[0] == "" and rest[1] == "on" and cpulist(rest[2]) == every, f"on: {rest[:3]}")
    b.expect(rest[3] == "1", "smt/active after on")
    b.expect(rest[4].endswith("(EINVAL)"), f"bad value: {rest[4]}")
    b.expect(rest[5] == "" and rest[6].endswith("(EPERM)") and rest[7] == "forceoff",
             f"forceoff for good: {rest[5:8]}")
    b.expect(cpulist(rest[8]) == every - secondary, f"online after forceoff: {rest[8]}")


def test_smt_not_supported(config):
    """Without thread nodes in cpu-map: smt/control reads notsupported, smt/active 0,
    writes are ENODEV (EPERM with hotplug compiled out), and nosmt changes nothing."""
    c = f"{CPU}/smt/control"
    b = boot(config, [f"cat {c}", f"cat {CPU}/smt/active", f"echo off > {c}", f"cat {CPU}/online"],
             smp=4, append="nosmt")
    b.expect_clean()
    b.expect(b.output_of(f"cat {c}").strip() == "notsupported", "notsupported")
    b.expect(b.output_of(f"cat {CPU}/smt/active").strip() == "0", "inactive")
    want = "(ENODEV)" if config == "hotplug" else "(EPERM)"
    b.expect(b.output_of(f"echo off > {c}").strip().endswith(want), "write refused")
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-3", "all online")


def test_bad_nosmt_value(config):
    """nosmt=sideways is reported and ignored: SMT stays on."""
    b = boot(config, [f"cat {CPU}/smt/control", f"cat {CPU}/online"], smp=4, smt=2,
             append="nosmt=sideways")
    b.expect_clean()
    b.expect(b.lines(r"bad boot parameter 'nosmt': use nosmt or nosmt=force"), "reported")
    b.expect(b.output_of(f"cat {CPU}/smt/control").strip() == "on", "on")
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-3", "all online")


def test_use_after_free_check(config):
    """The check that would catch the Linux bug: cpuhp.unsafe_rollback=1 makes the minimal
    rollback free an undead CPU's tick state (its DEAD steps) while it runs; that CPU
    reports the poisoned memory at its next tick. Without it (the nosmt tests), nothing
    is reported. The full build refuses the parameter."""
    b = boot(config, ["sleep 50"], smp=4, smt=2, append="nosmt cpuhp.unsafe_rollback=1")
    b.expect(b.rc == 0, f"exit {b.rc}")
    if config == "hotplug":
        b.expect(b.lines("bad boot parameter 'cpuhp.unsafe_rollback'"), "refused")
        b.expect_clean()
        return
    harts = hart_of_cpu(b)
    secondary = {c for c, h in harts.items() if h % 2 == 1 and c != 0}
    for c in secondary:
        b.expect(b.lines(rf"cpu{c}: BUG: CPU{c} uses its tick state after it was freed "
                         r"\(magic 6b6b6b6b\): use-after-free"), f"cpu{c}: caught")
