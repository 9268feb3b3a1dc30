"""CPU hotplug (issue: state machine with full teardown over SBI HSM): offline/online,
fault injection at every state, the last CPU, disable/enable, migration, soak."""
import re

from harness import boot

CPU = "/sys/devices/system/cpu"
ONLINE = 33


def states(b):
    """{number: name} from hotplug/states."""
    out = b.output_of(f"cat {CPU}/hotplug/states")
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\s*(\d+): (\S+)$", out, re.M)}


def test_offline_online_cycle(config):
    """echo 0/1 > cpu2/online: masks, hotplug/state and the firmware's HSM status follow
    (STOPPED when offline); the teardown log has Linux's trace lines. With hotplug
    compiled out the file is read-only (EPERM) and nothing changes."""
    c2 = f"{CPU}/cpu2"
    cmds = [f"cat {CPU}/hotplug/states", f"echo 0 > {c2}/online", f"cat {CPU}/online",
            f"cat {CPU}/active", f"cat {CPU}/offline", f"cat {c2}/online", f"cat {c2}/hotplug/state",
            f"cat {c2}/hsm_status", f"echo 1 > {c2}/online", f"cat {CPU}/online {CPU}/active",
            f"cat {c2}/hotplug/state", f"cat {c2}/hsm_status", "ipistorm 5"]
    b = boot(config, cmds, smp=4, append="trace_event=cpuhp")
    b.expect_clean()
    st = states(b)
    b.expect(st.get(0) == "offline" and st.get(ONLINE) == "online" and
             "cpu:bringup" in st.values() and "cpu:teardown" in st.values(), f"states {st}")
    if config == "nohotplug":
        b.expect(b.output_of(f"echo 0 > {c2}/online").strip().endswith("(EPERM)"), "read-only")
        b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-3", "nothing changed")
        return
    b.expect(b.output_of(f"echo 0 > {c2}/online", raw=False).strip() == "", "offline ok")
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-1,3", "online mask")
    b.expect(b.output_of(f"cat {CPU}/active").strip() == "0-1,3", "active mask")
    b.expect(b.output_of(f"cat {CPU}/offline").strip() == "2", "offline mask")
    b.expect(b.output_of(f"cat {c2}/hotplug/state").strip() == "0", "state 0")
    b.expect(b.output_of(f"cat {c2}/hsm_status", 0).strip() == "STOPPED", "hart stopped")
    b.expect(b.output_of(f"cat {CPU}/online {CPU}/active").split() == ["0-3", "0-3"], "back")
    b.expect(b.output_of(f"cat {c2}/hotplug/state", 1).strip() == str(ONLINE), "state online")
    b.expect(b.output_of(f"cat {c2}/hsm_status", 1).strip() == "STARTED", "hart started")
    enter = re.compile(r"cpu(\d+): cpuhp_enter: cpu: 0002 target: +(\d+) step: +(\d+) \((\w+)\)$")
    exit_ = re.compile(r"cpu\d+: cpuhp_exit:  cpu: 0002  state: +\d+ step: +\d+ ret: 0$")
    steps = [(m.group(1), int(m.group(3)), m.group(4)) for m in map(enter.search, b.out.splitlines()) if m]
    names = [s[2] for s in steps]
    for fn in ("cpuhp_kick_ap_work", "sched_cpu_deactivate", "takedown_cpu", "smpcfd_dying_cpu",
               "workqueue_dead_cpu", "bringup_cpu", "sched_cpu_starting", "sched_cpu_activate"):
        b.expect(fn in names, f"trace lacks {fn}")
    # Who runs what: DYING steps on the outgoing CPU, DEAD steps on the control CPU.
    for cpu, _, fn in steps:
        if fn in ("smpcfd_dying_cpu", "sched_cpu_starting", "sched_cpu_deactivate"):
            b.expect(cpu == "2", f"{fn} ran on cpu{cpu}")
        if fn in ("takedown_cpu", "workqueue_dead_cpu", "bringup_cpu"):
            b.expect(cpu != "2", f"{fn} ran on the CPU itself")
    b.expect(len([l for l in b.out.splitlines() if exit_.search(l)]) >= len(steps) - 2,
             "every enter has its exit line")


def test_boot_injection(config):
    """cpuhp.fail=1:STATE at boot: a PREPARE failure leaves CPU1 offline in both builds;
    an ONLINE-state failure leaves it offline (hotplug) or online but inactive, with the
    one-line report (hotplug compiled out)."""
    b = boot(config, [f"cat {CPU}/online", f"cat {CPU}/active"], smp=4, append="cpuhp.fail=1:2")
    b.expect_clean()
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0,2-3", "PREPARE failure: offline")
    b.expect(b.lines(r"CPU1: bring-up failed: .*\(EAGAIN\)"), "reported")
    b = boot(config, [f"cat {CPU}/online", f"cat {CPU}/active", f"cat {CPU}/cpu1/hsm_status",
                      "ipistorm 5", "hotplug stopmachine"], smp=4, append="cpuhp.fail=1:22")
    b.expect_clean()
    if config == "hotplug":
        b.expect(b.output_of(f"cat {CPU}/online").strip() == "0,2-3", "rolled back to offline")
        b.expect(b.output_of(f"cat {CPU}/cpu1/hsm_status").strip() == "STOPPED", "hart stopped")
    else:
        b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-3", "left online")
        b.expect(b.output_of(f"cat {CPU}/active").strip() == "0,2-3", "but inactive")
        b.expect(b.lines(r"CPU1: bring-up failed at smpboot/threads:online \(EAGAIN\): left online, "
                         r"inactive \(hotplug disabled\)"), "the one-line report")
        b.expect("4 CPUs x 5 rounds" in b.output_of("ipistorm 5"), "the undead CPU answers calls")
        b.expect("with 4 CPUs stopped" in b.output_of("hotplug stopmachine"), "and stop_machine")


def test_last_cpu_and_disable(config):
    """The last online CPU cannot go (EBUSY); while hotplug is disabled (nesting), online
    writes give EBUSY; after the matching enables they work again."""
    if config == "nohotplug":
        return
    b = boot(config, [f"echo 0 > {CPU}/cpu1/online", f"echo 0 > {CPU}/cpu0/online",
                      "hotplug disable", "hotplug disable", f"echo 1 > {CPU}/cpu1/online",
                      "hotplug enable", f"echo 1 > {CPU}/cpu1/online", "hotplug enable",
                      f"echo 1 > {CPU}/cpu1/online", f"cat {CPU}/online"], smp=2)
    b.expect_clean()
    b.expect(b.output_of(f"echo 0 > {CPU}/cpu0/online").strip().endswith("(EBUSY)"), "last CPU")
    outs = [b.output_of(f"echo 1 > {CPU}/cpu1/online", i).strip() for i in range(3)]
    b.expect(outs[0].endswith("(EBUSY)") and outs[1].endswith("(EBUSY)") and outs[2] == "", f"{outs}")
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-1", "online again")


def test_busy_task_migrates(config):
    """LTP cpuhotplug02/03: a busy task on CPU 2 moves when CPU 2 goes offline (its
    affinity widened, with Linux's log line), and can run there again after online."""
    if config == "nohotplug":
        return
    first = boot(config, ["busy 2"], smp=4)
    pid = re.search(r"started pid (\d+)", first.out).group(1)
    b = boot(config, ["busy 2", f"echo 0 > {CPU}/cpu2/online", "sleep 30", "ps",
                      f"echo 1 > {CPU}/cpu2/online", f"taskset {pid} 2", "sleep 30", "ps"], smp=4)
    b.expect_clean()
    b.expect(b.lines(rf"process {pid} \(busy\) no longer affine to cpu2"), "affinity broken")
    rows = [[r.split() for r in b.output_of("ps", i).splitlines() if r.endswith(" busy")][0]
            for i in (0, 1)]
    b.expect(rows[0][1] != "2", f"moved off CPU 2: {rows[0]}")
    b.expect(rows[1][1] == "2", f"back on CPU 2: {rows[1]}")


def test_soak(config):
    """500 random offline/online operations with a cross-call and deferred-work load and
    two busy tasks: none fails, no IPI reaches an offline CPU, every work item runs,
    every offline CPU's hart is STOPPED."""
    if config == "nohotplug":
        return
    b = boot(config, ["busy 1-3", "busy 1-3", "hotplug soak 500"], smp=4, timeout=300)
    b.expect_clean()
    out = b.output_of("hotplug soak 500")
    m = re.search(r"soak: 500 operations, (\d+) failed; \d+ cross-calls, offline IPIs (\d+); work "
                  r"queued (\d+), executed (\d+), handed over \d+; offline CPUs not STOPPED (\d+)", out)
    b.expect(m is not None, out)
    failed, offline, queued, executed, bad = map(int, m.groups())
    b.expect(failed == 0 and offline == 0 and bad == 0, out)
    b.expect(queued > 0 and queued == executed, out)


def test_reboot_cpu(config):
    """reboot_cpu=2: poweroff moves to CPU 2 and takes the others down through hotplug
    (hotplug) or stops them with the stop IPI (compiled out); QEMU exits 0."""
    b = boot(config, [f"echo 0 > {CPU}/cpu3/online"], smp=4, append="reboot_cpu=2")
    b.expect_clean()
    if config == "hotplug":
        b.expect(b.lines(r"reboot: on CPU2, taking the other CPUs down"), "moved to CPU2")
    b.expect(b.lines("reboot: Power down"), "powered off")
