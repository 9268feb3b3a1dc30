# SPDX-License-Identifier: BSD-2-Clause
"""CPU hotplug (issue: state machine with full teardown over SBI HSM): offline/online,
fault injection at every state, the last CPU, disable/enable, migration, soak."""
import re

from harness import boot, cpulist, hotplug_states, only, soak_counts, torture_counts

CPU = "/sys/devices/system/cpu"


def states(b):
    """{number: name} from hotplug/states."""
    out = b.output_of(f"cat {CPU}/hotplug/states")
    return {int(m.group(1)): m.group(2) for m in re.finditer(r"^\s*(\d+): (\S+)$", out, re.M)}


def test_offline_online_cycle(config):
    """echo 0/1 > cpu2/online: masks, hotplug/state and the firmware's HSM status follow
    (STOPPED when offline); the teardown log has Linux's trace lines. With hotplug
    compiled out writes are refused (EPERM) and nothing changes."""
    c2 = f"{CPU}/cpu2"
    cmds = [f"cat {CPU}/hotplug/states", f"echo 0 > {c2}/online", f"cat {CPU}/online",
            f"cat {CPU}/active", f"cat {CPU}/offline", f"cat {c2}/online", f"cat {c2}/hotplug/state",
            f"cat {c2}/hsm_status", f"echo 1 > {c2}/online", f"cat {CPU}/online {CPU}/active",
            f"cat {c2}/hotplug/state", f"cat {c2}/hsm_status", "ipistorm 5"]
    b = boot(config, cmds, smp=4, append="trace_event=cpuhp")
    b.expect_clean()
    st = states(b)
    st_num = hotplug_states(config)
    ONLINE = st_num["online"]
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
    b.expect(b.output_of(f"cat {c2}/hotplug/state").strip() == str(st_num["offline"]), "offline")
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
    S = hotplug_states(config)
    b = boot(config, [f"cat {CPU}/online", f"cat {CPU}/active"], smp=4,
             append=f"cpuhp.fail=1:{S['workqueue:prepare']}")
    b.expect_clean()
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0,2-3", "PREPARE failure: offline")
    b.expect(b.lines(r"CPU1: bring-up failed: .*\(EAGAIN\)"), "reported")
    b = boot(config, [f"cat {CPU}/online", f"cat {CPU}/active", f"cat {CPU}/cpu1/hsm_status",
                      "ipistorm 5", "hotplug stopmachine"], smp=4,
             append=f"cpuhp.fail=1:{S['smpboot/threads:online']}")
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


@only("hotplug")
def test_last_cpu_and_disable(config):
    """The last online CPU cannot go (EBUSY); while hotplug is disabled (nesting), online
    writes give EBUSY; after the matching enables they work again."""
    b = boot(config, [f"echo 0 > {CPU}/cpu1/online", f"echo 0 > {CPU}/cpu0/online",
                      "hotplug disable", "hotplug disable", f"echo 1 > {CPU}/cpu1/online",
                      "hotplug enable", f"echo 1 > {CPU}/cpu1/online", "hotplug enable",
                      f"echo 1 > {CPU}/cpu1/online", f"cat {CPU}/online"], smp=2)
    b.expect_clean()
    b.expect(b.output_of(f"echo 0 > {CPU}/cpu0/online").strip().endswith("(EBUSY)"), "last CPU")
    outs = [b.output_of(f"echo 1 > {CPU}/cpu1/online", i).strip() for i in range(3)]
    b.expect(outs[0].endswith("(EBUSY)") and outs[1].endswith("(EBUSY)") and outs[2] == "", f"{outs}")
    b.expect(b.output_of(f"cat {CPU}/online").strip() == "0-1", "online again")


@only("hotplug")
def test_busy_task_migrates(config):
    """LTP cpuhotplug02/03: a busy task on CPU 2 moves when CPU 2 goes offline (its
    affinity widened, with Linux's log line), and can run there again after online."""
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


@only("hotplug")
def test_soak(config):
    """500 random offline/online operations with a cross-call and deferred-work load and
    two busy tasks: none fails, no call is run by an offline CPU and none queued to a CPU
    that went offline after the sender saw it online, every work item runs, every
    offline CPU's hart is STOPPED."""
    b = boot(config, ["busy 1-3", "busy 1-3", "hotplug soak 500", "hotplug check"], smp=4, timeout=300)
    b.expect_clean()
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "consistent")
    out = b.output_of("hotplug soak 500")
    n = soak_counts(out)
    b.expect(n is not None and n["operations"] == 500, out)
    b.expect(n["failed"] == 0 and n["offline_ipis"] == 0 and n["raced"] == 0 and n["not_stopped"] == 0,
             out)
    queued, executed = n["queued"], n["executed"]
    b.expect(queued > 0 and queued == executed, out)


def test_reboot_cpu(config):
    """reboot_cpu=2: poweroff moves to CPU 2 and takes the others down through hotplug
    (hotplug) or stops them with the stop IPI (compiled out); QEMU exits 0."""
    b = boot(config, [f"echo 0 > {CPU}/cpu3/online"], smp=4, append="reboot_cpu=2")
    b.expect_clean()
    if config == "hotplug":
        b.expect(b.lines(r"reboot: on CPU2, taking the other CPUs down"), "moved to CPU2")
    b.expect(b.lines("reboot: Power down"), "powered off")


def injection_group(cpu, state, up):
    """Shell commands for one injection point: arm cpuN's fail file with state, then take
    it down (or, from offline, bring it up), read back where everything ended, disarm and
    put the CPU back online. Always the same number of commands."""
    c = f"{CPU}/cpu{cpu}"
    pre = [f"echo 0 > {c}/online"] if up else [f"echo 1 > {c}/online"]
    act = f"echo 1 > {c}/online" if up else f"echo 0 > {c}/online"
    return pre + [f"echo {state} > {c}/hotplug/fail", act, f"cat {c}/hotplug/state",
                  f"cat {c}/hsm_status", f"cat {CPU}/online", f"cat {CPU}/active",
                  f"cat {c}/hotplug/fail", "hotplug check", f"echo -1 > {c}/hotplug/fail",
                  f"echo 1 > {c}/online", "hotplug check"]


GROUP_LEN = len(injection_group(0, 0, False))


def check_injection(b, smp, st, points):
    """Walks the transcript group by group. An armed state must make the operation fail
    with EAGAIN and leave the CPU exactly where it started (online: the last state, hart
    STARTED, in the online and active masks; offline: state 0, hart STOPPED, in neither)
    with the injection consumed. A refused state must be one Linux refuses too, and the
    operation then succeeds."""
    cmds = [c for c in b.cmds if c[0] != "poweroff"]
    first = next(i for i, (c, _) in enumerate(cmds) if c.endswith("/online"))
    cmds = cmds[first:]
    b.expect(len(cmds) == GROUP_LEN * len(points), f"{len(cmds)} commands for {len(points)} points")
    bringup = next(s for s, n in st.items() if n == "cpu:bringup")
    teardown = next(s for s, n in st.items() if n == "cpu:teardown")
    idle = next(s for s, n in st.items() if n == "ap:online-idle")
    for k, (cpu, state, up) in enumerate(points):
        g = [o.strip() for _, o in cmds[k * GROUP_LEN:(k + 1) * GROUP_LEN]]
        arm, act, cur, hsm, online, active, left, check = g[1:9]
        where = f"cpu{cpu} {'up' if up else 'down'} fail={state} ({st[state]}) at -smp {smp}: "
        b.expect(g[0] == "" and g[-2] == "" and g[-3] == "", where + f"setup/restore {g}")
        for c in (check, g[-1]):
            b.expect(c == f"check: {smp} CPUs, 0 inconsistencies", where + c)
        atomic = bringup < state < teardown
        # Linux's fail_store(): states that cannot fail, or DEAD steps of an online CPU.
        refusable = state in (0, idle, max(st)) or atomic or (not up and state <= bringup)
        if arm:
            b.expect(arm.endswith("(EINVAL)") and refusable, where + f"arming gave {arm!r}")
        else:
            b.expect(not refusable, where + "a state that cannot fail was accepted")
        # TEARDOWN_CPU has no startup: armed on the way up it waits for the next take-down.
        fails = not arm and not (up and state == teardown)
        if fails:
            b.expect(act.endswith("(EAGAIN)"), where + f"operation gave {act!r}")
            b.expect(left == "-1", where + f"injection not consumed: {left}")
        else:
            b.expect(act == "", where + f"operation gave {act!r}")
        online_now = up != fails
        b.expect(cur == str(max(st) if online_now else 0), where + f"hotplug/state {cur}")
        b.expect(hsm == ("STARTED" if online_now else "STOPPED"), where + f"hsm_status {hsm}")
        b.expect((cpu in cpulist(online)) == online_now and (cpu in cpulist(active)) == online_now,
                 where + f"online {online}, active {active}")
        b.expect(cpulist(online) | {cpu} == set(range(smp)), where + f"others moved: {online}")


@only("hotplug")
def test_injection_matrix(config):
    """Every (CPU, state) injection point, down and up, at -smp 2, 4 and 8 (the issue's
    matrix): each ends consistent with the right error. With hotplug compiled out the
    online file refuses writes, and boot-time injection is covered elsewhere."""
    import os
    import tempfile
    st = states(boot(config, [f"cat {CPU}/hotplug/states"], smp=2))
    for smp in (2, 4, 8):
        points = [(cpu, s, up) for cpu in range(smp) for up in (False, True) for s in sorted(st)]
        lines = [c for p in points for c in injection_group(*p)]
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "script")
            with open(path, "w") as f:
                f.write("\n".join(lines + ["poweroff"]) + "\n")
            b = boot(config, script=path, smp=smp, timeout=240)
        b.expect_clean()
        check_injection(b, smp, st, points)


@only("hotplug")
def test_dead_step_failure_rolls_forward_on_the_cpu(config):
    """A failure armed at a PREPARE state while the CPU sits there is kept while the CPU
    comes up past it, and fires on the way down in that state's DEAD step (found by
    model/rollback.pml). The take-down fails with EAGAIN and rolls forward as a bring-up:
    back online and active, its ONLINE states run by its own cpuhp/N (never by the
    control CPU), the injection used up and nothing inconsistent. The same from an
    intermediate target: the CPU stays where it was, at its target."""
    S = hotplug_states(config)
    prep, first, idle = S["timers:prepare"], S["threads:prepare"], S["ap:online-idle"]
    c = f"{CPU}/cpu3"
    cmds = [f"echo 0 > {c}/online", f"echo {prep} > {c}/hotplug/target",
            f"echo {prep} > {c}/hotplug/fail", f"echo 1 > {c}/online", f"echo 0 > {c}/online",
            f"cat {c}/hotplug/state", f"cat {c}/hotplug/fail", f"cat {c}/hsm_status",
            f"cat {CPU}/online", f"cat {CPU}/active", "hotplug check",
            f"echo {first} > {c}/hotplug/target", f"echo {first} > {c}/hotplug/fail",
            f"echo 0 > {c}/hotplug/target", f"cat {c}/hotplug/state", "hotplug check"]
    b = boot(config, cmds, smp=4, append="trace_event=cpuhp")
    b.expect_clean()
    b.expect(b.output_of(f"echo 1 > {c}/online").strip() == "", "brought up past the armed state")
    b.expect(b.output_of(f"echo 0 > {c}/online", 1).strip().endswith("(EAGAIN)"),
             "take-down: " + b.output_of(f"echo 0 > {c}/online", 1))
    b.expect(b.output_of(f"cat {c}/hotplug/state").strip() == str(S["online"]),
             "state " + b.output_of(f"cat {c}/hotplug/state"))
    b.expect(b.output_of(f"cat {c}/hotplug/fail").strip() == "-1", "injection not used up")
    b.expect(b.output_of(f"cat {c}/hsm_status").strip() == "STARTED", "hart not running")
    b.expect(3 in cpulist(b.output_of(f"cat {CPU}/online")) and
             3 in cpulist(b.output_of(f"cat {CPU}/active")), "not back online and active")
    for k in (0, 1):
        b.expect(b.output_of("hotplug check", k).strip() == "check: 4 CPUs, 0 inconsistencies",
                 b.output_of("hotplug check", k))
    b.expect(b.output_of(f"echo 0 > {c}/hotplug/target").strip().endswith("(EAGAIN)"),
             "from threads:prepare: " + b.output_of(f"echo 0 > {c}/hotplug/target"))
    b.expect(b.output_of(f"cat {c}/hotplug/state", 1).strip() == str(first), "left threads:prepare")
    online_steps = [(m.group(1), int(m.group(2)), m.group(3)) for m in re.finditer(
        r"cpu(\d+): cpuhp_enter: cpu: 0003 target: +\d+ step: +(\d+) \((\w+)\)", b.out)]
    wrong = [t for t in online_steps if t[1] > idle and t[2] != "cpuhp_kick_ap_work" and t[0] != "3"]
    b.expect(online_steps and not wrong, f"ONLINE steps of CPU3 run elsewhere: {wrong}")


@only("hotplug")
def test_intermediate_targets(config):
    """cpu_up/cpu_down to states in between through hotplug/target: the CPU stops exactly
    there, and the masks and the hart follow (online and STARTED above BRINGUP_CPU,
    active only at sched:active and above); targets where nothing may stop are EINVAL."""
    st = states(boot(config, [f"cat {CPU}/hotplug/states"], smp=2))
    by = {n: s for s, n in st.items()}
    walk = [by["smpboot/threads:online"], by["ap:online-idle"], by["timers:prepare"],
            by["threads:prepare"], by["sched:waitempty"], by["sched:active"], by["offline"],
            by["online"], by["cpu:bringup"], by["cpu:teardown"]]
    t = f"{CPU}/cpu1/hotplug"
    cmds = []
    for s in walk:
        cmds += [f"echo {s} > {t}/target", f"cat {t}/state", f"cat {CPU}/online",
                 f"cat {CPU}/active", f"cat {CPU}/cpu1/hsm_status", "hotplug check"]
    b = boot(config, cmds, smp=4)
    b.expect_clean()
    cur = by["online"]
    for k, s in enumerate(walk):
        res, state, online, active, hsm, check = [o.strip() for _, o in b.cmds[k * 6:k * 6 + 6]]
        b.expect(check == "check: 4 CPUs, 0 inconsistencies", f"target {s}: {check}")
        if st[s] in ("cpu:bringup", "cpu:teardown"):
            b.expect(res.endswith("(EINVAL)") and int(state) == cur, f"target {s}: {res} {state}")
        else:
            b.expect(res == "" and int(state) == s, f"target {s}: {res!r}, state {state}")
            cur = s
        up = cur > by["cpu:bringup"]
        b.expect((1 in cpulist(online)) == up, f"target {s}: online {online}")
        b.expect((1 in cpulist(active)) == (cur >= by["sched:active"]), f"target {s}: active {active}")
        b.expect(hsm == ("STARTED" if up else "STOPPED"), f"target {s}: hsm {hsm}")


def test_reboot_races_offline(config):
    """LTP-style: a thread flaps the reboot CPU (reboot_cpu=2) offline and online while
    poweroff runs. The poweroff waits its turn for the hotplug lock, disables hotplug
    (the flapper's next attempt is refused with EBUSY), moves to CPU 2 if it is online
    at that moment, else to the first online CPU, and powers off cleanly. With hotplug
    compiled out the flapper is refused at once (EPERM) and the stop IPI path runs."""
    b = boot(config, ["hotplug flap 2", "sleep 20"], smp=4, append="reboot_cpu=2")
    b.expect_clean()
    b.expect(b.lines("reboot: Power down"), "powered off")
    ends = [re.search(r"flap: CPU2: (\d+) operations, then (\w+)", l) for l in b.lines("flap: CPU2: \\d+")]
    if config == "nohotplug":
        b.expect(ends and ends[0].group(1) == "0" and ends[0].group(2) == "EPERM", "refused at once")
        return
    b.expect(b.lines("flap: CPU2: first operation done"), "the flapper ran before the poweroff")
    on = b.lines(r"reboot: on CPU\d, taking the other CPUs down")
    b.expect(len(on) == 1, "one move to the reboot CPU")
    moved = re.search(r"cpu(\d+): reboot: on CPU(\d)", on[0])
    b.expect(moved.group(1) == moved.group(2) and moved.group(2) in ("0", "2"), on[0])
    # The flapper may lose the race to the reset to print its end; if it did print, it
    # was refused because hotplug was disabled, never by a failed operation.
    b.expect(all(m.group(2) == "EBUSY" for m in ends if m), f"flapper ended with {ends}")
    b.expect(not b.lines("did not go down"), "every other CPU went down")


def test_registered_state_runs_on_hotplug_threads(config):
    """hotplug register: a dynamic ONLINE state registered at run time has its startup
    run once per online CPU, each on that CPU's own cpuhp/N thread (Linux's semantics),
    and its teardown the same way when removed; it is listed meanwhile. In the minimal
    build with nosmt, the undead CPUs (below the state) are not called."""
    b = boot(config, ["hotplug register", "hotplug check"], smp=4)
    b.expect_clean()
    out = b.output_of("hotplug register")
    b.expect(re.search(r"register: state \d+: 4 startups and 4 teardowns for 4 online CPUs, 0 "
                       r"not on the CPU's own hotplug thread; removed: ok", out), out)
    b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies", "consistent")
    b = boot(config, ["cat /sys/devices/system/cpu/online", "cat /sys/devices/system/cpu/active",
                      "hotplug register"], smp=4, smt=2, append="nosmt")
    b.expect_clean()
    online = cpulist(b.output_of("cat /sys/devices/system/cpu/online"))
    active = cpulist(b.output_of("cat /sys/devices/system/cpu/active"))
    out = b.output_of("hotplug register")
    m = re.search(r"register: state \d+: (\d+) startups and (\d+) teardowns for (\d+) online "
                  r"CPUs, 0 not on", out)
    b.expect(m is not None, out)
    ups, downs, n = map(int, m.groups())
    # Only CPUs past the state are called: the undead ones of the minimal build are not.
    b.expect(ups == downs == len(active) and n == len(online), f"{out} (active {sorted(active)})")
    if config == "nohotplug":
        b.expect(len(active) < len(online), f"nosmt left no CPU online-inactive: {sorted(online)}")


def test_torture(config):
    """hotplug torture 400 SEED at -smp 4, two seeds: random CPUs (CPU0 too) to random
    targets, a failure injected on the way of one operation in four, spinners whose
    affinity keeps changing, cross-calls and deferred work underneath. No unexpected
    failure, some injected ones seen, no call run offline or raced, no work lost, every
    offline hart STOPPED, `hotplug check` clean. With hotplug compiled out the torture
    is refused (EPERM)."""
    for seed in (1, 20261201):
        cmd = f"hotplug torture 400 {seed}"
        b = boot(config, [cmd, "hotplug check"], smp=4, timeout=300, append="loglevel=4")
        b.expect_clean()
        out = b.output_of(cmd)
        if config == "nohotplug":
            b.expect(out.strip().endswith("(EPERM)"), out)
            return
        b.expect(f"torture: seed {seed}, 400 operations" in out, out)
        n = torture_counts(out)
        b.expect(n is not None, out)
        b.expect(n["unexpected"] == 0 and n["offline_ipis"] == 0 and n["raced"] == 0 and
                 n["not_stopped"] == 0, out)
        b.expect(n["attempts"] == n["ok"] + n["injected"] and n["injected"] > 0 and n["ok"] > 0, out)
        b.expect(n["queued"] == n["executed"] and n["queued"] > 0, out)
        b.expect(b.output_of("hotplug check").strip() == "check: 4 CPUs, 0 inconsistencies",
                 b.output_of("hotplug check"))


STEP = re.compile(r"^bench: step (down|up)\s+(--|\d+) .*?\s(\d+) ns$", re.M)
TRACED = re.compile(r"cpuhp_(?:multi_)?enter: cpu: 0003 target:\s+(\d+) step:\s+(\d+) \((\w+)\)")


@only("hotplug")
def test_bench_profile(config):
    """hotplug bench's per-step profile (issue 13): the steps it lists for the down and
    the up path are the callbacks the teardown log shows for the same CPU's offline and
    online, in the same order (the kick to cpuhp/N as its own step); the steps another
    CPU runs fit inside the control CPU's step that waits for them; the control CPU's
    steps and the time between them add up to the mean operation. No figure is judged:
    the bench prints them (tools/bench)."""
    cmds = [f"echo 0 > {CPU}/cpu3/online", f"echo 1 > {CPU}/cpu3/online", "hotplug bench 3"]
    b = boot(config, cmds, smp=4, append="trace_event=cpuhp")
    b.expect_clean()
    traced = {}
    for d, cmd in (("down", cmds[0]), ("up", cmds[1])):
        traced[d] = ["--" if fn == "cpuhp_kick_ap_work" else step
                     for _, step, fn in TRACED.findall(b.output_of(cmd, raw=True))]
    bench = b.output_of("hotplug bench 3")
    steps = {"down": [], "up": []}
    for d, step, ns in STEP.findall(bench):
        steps[d].append((step, int(ns)))
    for d in ("down", "up"):
        b.expect([s for s, _ in steps[d]] == traced[d],
                 f"{d}: profile {[s for s, _ in steps[d]]}, log {traced[d]}")
    # A step another CPU runs comes under the control CPU's step that waits for it.
    for d in ("down", "up"):
        outer, inner = None, {}
        for line in bench.splitlines():
            m = re.match(rf"bench: step {d}\s+(--|\d+) .*?(control|AP, irqs off|AP idle|cpuhp/N)\s+(\d+) ns$",
                         line)
            if not m:
                continue
            if m.group(2) == "control":
                outer = (m.group(1), int(m.group(3)))
            else:
                b.expect(outer, f"{d}: {line.strip()} comes first")
                inner.setdefault(outer, []).append(int(m.group(3)))
        for (step, ns), nested in inner.items():
            b.expect(sum(nested) <= ns, f"{d}: the steps under {step} ({sum(nested)} ns) exceed it ({ns} ns)")
        m = re.search(rf"bench: profile {d}: the control CPU's steps (\d+) ns of (\d+) ns .* between them (\d+) ns",
                      bench)
        b.expect(m, f"no profile total for {d}")
        ctl, total, between = (int(x) for x in m.groups())
        b.expect(ctl <= total and abs(ctl + between - total) <= 1, f"{d}: {m.group(0)}")
