#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Benchmarks: prints figures, asserts nothing (targets are for people to read).
Image size per configuration, boot time at -smp 4 and 64 under -icount, the hotplug
bench (cycle, up and down beside the raw HSM floor) under -icount and default TCG, a
null system call under -icount, the long soak under load, the torture at 100,000 operations (-smp 4) and 10,000
(-smp 8, 16), and the user-level torture (utorture) at the same sizes.

usage: tools/bench [--json FILE] [--only NAME] [--soak OPS] [--fuzz SECONDS]
"""
import argparse
import json
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import harness  # noqa: E402

results = []


def figure(name, text, **values):
    print(f"figure: {name}: {text}", flush=True)
    results.append({"name": name, "text": text, **values})


def loaded_bytes(elf):
    """The bytes a loader places: .text, .rodata, .data; and the boot archive's."""
    size = subprocess.run(["riscv64-unknown-elf-size", "-A", elf], stdout=subprocess.PIPE)
    loaded = archive = 0
    for line in size.stdout.decode().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in (".text", ".rodata", ".data"):
            loaded += int(parts[1])
        if len(parts) >= 3 and parts[0] == ".user_archive":
            archive = int(parts[1])
    return loaded, archive


def image_size():
    for config in harness.CONFIGS:
        riscv = os.path.join(ROOT, "build", config, "arch", "riscv")
        loaded, archive = loaded_bytes(os.path.join(riscv, "hartplug.elf"))
        figure(f"image size [{config}]", f"{loaded} bytes ({loaded / 1024:.1f} KiB) loaded, "
               "target <= 128 KiB", bytes=loaded, target_bytes=128 * 1024)
        figure(f"boot archive [{config}]", f"{archive} bytes ({archive / 1024:.1f} KiB) of user "
               "programs, carried beside the kernel", bytes=archive)
        with_hsm, _ = loaded_bytes(os.path.join(riscv, "hartplug-hsmtest.elf"))
        figure(f"hsmtest image [{config}]", f"{with_hsm} bytes ({with_hsm / 1024:.1f} KiB) loaded: the "
               f"kernel and hsmtest's checks ({(with_hsm - loaded) / 1024:.1f} KiB), booted by tools/hsmtest only",
               bytes=with_hsm)


def boot_time():
    for config in harness.CONFIGS:
        kernel = {}
        for smp in (4, 64):
            b = harness.boot(config, [], smp=smp, icount=True, timeout=240)
            m = re.search(r"boot: shell starting (\d+) us after reset \(kernel: (\d+) us, "
                          r"firmware before it: (\d+) us\)", b.out)
            m2 = re.search(r"smp: Brought up (\d+) of (\d+) CPUs in (\d+) us", b.out)
            name = f"boot to shell [{config}, -smp {smp}, icount]"
            if m and m2:
                figure(name, f"{m.group(1)} us virtual = firmware {m.group(3)} us + kernel "
                       f"{m.group(2)} us; secondaries {m2.group(1)}/{m2.group(2)} up in "
                       f"{m2.group(3)} us", total_us=int(m.group(1)), kernel_us=int(m.group(2)),
                       firmware_us=int(m.group(3)), cpus_up=int(m2.group(1)))
                kernel[smp] = int(m.group(2))
            else:
                figure(name, f"not measured (exit {b.rc})", error=b.rc)
        if len(kernel) == 2:
            ratio = kernel[64] / kernel[4]
            figure(f"boot kernel part -smp 64 / -smp 4 [{config}, icount]",
                   f"{ratio:.2f} ({kernel[64]} us / {kernel[4]} us), target <= 2",
                   ratio=round(ratio, 2), target_ratio=2)


STEP_LINE = re.compile(r"bench: step (down|up)\s+(--|\d+) (.*?)\s+(control|AP, irqs off|AP idle|cpuhp/N)\s+(\d+) ns$")
PROFILE_LINE = re.compile(r"bench: profile (down|up): the control CPU's steps (\d+) ns of (\d+) ns .* between them (\d+) ns")


def hotplug_bench():
    """hotplug bench 21 at -smp 2, 4, 8 and 64, under --icount and default QEMU, with
    IPIs through SBI and (-M virt,aia=aplic-imsic) through the S-level IMSIC: the
    totals beside the raw HSM floor, and the per-step profile (each callback's mean
    cost, who runs it, and how much of the operation lies between the control CPU's
    steps). The targets are -smp 4's."""
    for aia, smp, icount in ((a, n, i) for a in (False, True) for n in (2, 4, 8, 64) for i in (True, False)):
        # loglevel=4 keeps the per-CPU "online" line off the console: through SBI
        # putchar one line costs ~15 us, more than the state machine's own work.
        b = harness.boot("hotplug", ["hotplug bench 21"], smp=smp, icount=icount, timeout=300,
                         append="loglevel=4", aia=aia)
        mode = ("icount shift=0" if icount else "default TCG") + (", IPIs by IMSIC" if aia else ", IPIs by SBI")
        try:
            out = b.output_of("hotplug bench 21")
        except harness.Failure:
            out = f"bench: did not run (exit {b.rc})"
        for line in out.splitlines():
            line = line.strip()
            if not line:
                continue
            values = {}
            key = line.split()[1] if line.startswith("bench:") and len(line.split()) > 1 else "bench"
            m = re.match(r"bench: (\S+)\s+median (\d+) ns", line)
            if m:
                values = {"median_ns": int(m.group(2))}
            m = re.match(r"bench: cycle/floor ([\d.]+), up/floor ([\d.]+), cycle/spin-floor ([\d.]+)", line)
            if m:
                values = {"cycle_per_floor": float(m.group(1)), "up_per_floor": float(m.group(2)),
                          "cycle_per_spin_floor": float(m.group(3))}
                # The targets: under -icount against the halting controller's floor,
                # under default QEMU a cycle against the spinning controller's.
                if smp == 4 and icount:
                    values.update(target_cycle_per_floor=4, target_up_per_floor=2)
                    line += "   (targets: cycle/floor <= 4, up/floor <= 2)"
                elif smp == 4:
                    values.update(target_cycle_per_spin_floor=4)
                    line += "   (target: cycle/spin-floor <= 4)"
            m = STEP_LINE.match(line)
            if m:
                step = "kick cpuhp/N" if m.group(2) == "--" else f"{m.group(2)} {m.group(3).split()[0]}"
                key = f"step {m.group(1)} {step}"
                values = {"mean_ns": int(m.group(5)), "runs_on": m.group(4)}
            m = PROFILE_LINE.match(line)
            if m:
                key = f"profile {m.group(1)}"
                values = {"control_steps_ns": int(m.group(2)), "mean_ns": int(m.group(3)),
                          "between_steps_ns": int(m.group(4))}
            figure(f"hotplug [{mode}, -smp {smp}] {key}", line, **values)


def soak(ops):
    cmds = ["busy 1-3", "busy 1-3", f"hotplug soak {ops}"]
    b = harness.boot("hotplug", cmds, smp=4, timeout=max(900, ops // 10), append="loglevel=4")
    n = harness.soak_counts(b.out)
    name = "soak [default TCG, -smp 4, two busy tasks]"
    if n:
        figure(name, re.search(r"soak: .*", b.out).group(0), operations=n["operations"],
               failed=n["failed"], offline_ipis=n["offline_ipis"], raced_offline=n["raced"],
               work_lost=n["queued"] - n["executed"])
    else:
        figure(name, f"soak did not finish (exit {b.rc})", error=b.rc)


def torture(runs):
    """The reliability goal: 0 unexpected failures, 0 offline IPIs of either kind, 0 lost
    work, 0 BUG/WARN, over 100,000 operations at -smp 4 and 10,000 at -smp 8 and 16."""
    for smp, ops in runs:
        seed = 20261201 + smp
        cmd = f"hotplug torture {ops} {seed}"
        b = harness.boot("hotplug", [cmd, "hotplug check"], smp=smp, timeout=max(600, ops // 50),
                         append="loglevel=4")
        name = f"torture [default TCG, -smp {smp}, {ops} operations, seed {seed}]"
        n = harness.torture_counts(b.out)
        bugs = len(b.lines(r"BUG:|WARNING|Oops|Kernel panic"))
        if not n:
            figure(name, f"did not finish (exit {b.rc})", error=b.rc)
            continue
        lost = n["queued"] - n["executed"]
        figure(name, f"{n['attempts']} attempts, {n['ok']} succeeded, {n['injected']} injected "
               f"failures, {n['unexpected']} unexpected; latency median {n['median_ns'] / 1000:.0f} us, "
               f"max {n['max_ns'] / 1000:.0f} us; offline IPIs {n['offline_ipis']}, raced {n['raced']}; "
               f"work lost {lost}; harts not STOPPED {n['not_stopped']}; BUG/WARN lines {bugs}",
               attempts=n["attempts"], succeeded=n["ok"], injected=n["injected"],
               unexpected=n["unexpected"], latency_median_ns=n["median_ns"],
               latency_max_ns=n["max_ns"], offline_ipis=n["offline_ipis"], raced_offline=n["raced"],
               work_lost=lost, not_stopped=n["not_stopped"], bug_lines=bugs)


UTORTURE = (r"utorture: (?P<ops>\d+) ops, seed \d+, \d+ workers, (?P<ms>\d+) ms: (?P<mix>.*)\n"
            r"(?:.*\n)*?utorture: timeouts (?P<timeouts>\d+), killed mid-call (?P<killed>\d+); hotplug "
            r"on: (?P<hotplug>\d+) operations, (?P<refused>\d+) refused\n"
            r"(?:.*\n)*?utorture: (?P<violations>\d+) violations in the run")


def utorture(runs):
    """The user-level torture (user/utorture.c) beside its own CPU hotplug thread: the
    goal is 0 violations, 0 BUG/WARN lines, and the free pages before and after the
    same, at 100,000 operations (-smp 4) and 10,000 (-smp 8, 16), under default TCG
    and -icount."""
    for icount in (False, True):
        for smp, ops in runs:
            seed = 20261207 + smp
            b = harness.boot("hotplug", [f"grant utorture {ops} {seed}", "hotplug check"], smp=smp,
                             icount=icount, timeout=max(600, ops // 40), append="loglevel=4")
            name = f"utorture [{'-icount' if icount else 'default TCG'}, -smp {smp}, {ops} operations, seed {seed}]"
            m = re.search(UTORTURE, harness.unsplit(b.out))
            end = re.search(r"utorture: (0 violations|violations \(see above\)); free pages (\d+) before, "
                            r"(\d+) after", b.out)
            bugs = len(b.lines(r"BUG:|WARNING|Oops|Kernel panic"))
            shown = len(b.lines(r"utorture: VIOLATION"))
            if not m or not end:
                figure(name, f"did not finish (exit {b.rc}); {shown} violations shown", error=b.rc)
                continue
            check = b.lines(r"^check: ")
            figure(name, f"{m['ops']} operations in {int(m['ms']) / 1000:.1f} s ({m['mix']}); timeouts "
                   f"{m['timeouts']}, killed mid-call {m['killed']}; {m['hotplug']} CPU offline/online "
                   f"({m['refused']} refused); violations {max(shown, int(m['violations']))}; "
                   f"free pages {end.group(2)} before, {end.group(3)} after; BUG/WARN lines {bugs}; "
                   f"{check[0] if check else 'no hotplug check'}",
                   operations=int(m["ops"]), ms=int(m["ms"]), violations=max(shown, int(m["violations"])),
                   pages_lost=int(end.group(2)) - int(end.group(3)), bug_lines=bugs,
                   hotplug_operations=int(m["hotplug"]))


def user():
    """User mode under -icount: a null system call's round trip in guest instructions as
    the hart counts them (target <= 150); a switch between two processes and a
    spawn+exit+wait in virtual time, which -icount shift=0 keeps at one nanosecond per
    instruction (targets: a switch <= 500)."""
    for config in harness.CONFIGS:
        b = harness.boot(config, ["sysbench 10000"], smp=4, icount=True, timeout=240)
        m = re.search(r"null syscall (\d+) instructions", b.out)
        name = f"null syscall [{config}, icount]"
        if not m:
            figure(name, f"did not run (exit {b.rc})", error=b.rc)
            continue
        n = int(m.group(1))
        figure(name, f"{n} instructions a round trip (getpid), target <= 150", instructions=n,
               target_instructions=150)
        b = harness.boot(config, ["proctest bench"], smp=4, icount=True, timeout=240)
        m1 = re.search(r"spawn\+exit\+wait (\d+) us", b.out)
        m2 = re.search(r"process switch (\d+) ns", b.out)
        if not (m1 and m2):
            figure(f"processes [{config}, icount]", f"did not run (exit {b.rc})", error=b.rc)
            continue
        figure(f"process switch [{config}, icount]", f"{m2.group(1)} instructions (a yield to "
               "another process on the same CPU, system call included), target <= 500",
               instructions=int(m2.group(1)), target_instructions=500)
        figure(f"spawn+exit+wait [{config}, icount]", f"{int(m1.group(1)) * 1000} instructions of "
               "virtual time (a minimal program, from the parent's spawn to its wait's return)",
               instructions=int(m1.group(1)) * 1000)


def ipc():
    """IPC between two address spaces (user/ipcbench.c): a call+reply round trip with 8
    words each way in registers and with 64 through the IPC buffers, and a one-way
    send of 8 words, on one CPU and across two; under -icount (a nanosecond is one guest
    instruction; the same-CPU round trip's target is <= 500) and under default QEMU (ns).
    Anchors: seL4 about 520 cycles one way on the SiFive U500 (2018), L4Re about 540-590
    instructions per IPC on x86."""
    kinds = {"rt-reg": "call+reply round trip, 8 words each way in registers",
             "rt-buf": "call+reply round trip, 64 words each way (56 through the IPC buffers)",
             "oneway-reg": "one-way send of 8 words to a receiving server"}
    for config in harness.CONFIGS:
        for icount in (True, False):
            mode = "icount" if icount else "default QEMU"
            b = harness.boot(config, ["ipcbench"], smp=4, icount=icount, timeout=240)
            got = {(k, w): int(n) for k, w, n in
                   re.findall(r"ipcbench: (rt-reg|rt-buf|oneway-reg) (same-cpu|cross-cpu) (\d+) ns", b.out)}
            if len(got) != 6:
                figure(f"ipc [{config}, {mode}]", f"did not run (exit {b.rc})", error=b.rc)
                continue
            for (kind, where), n in sorted(got.items()):
                name = f"ipc {kind} {where} [{config}, {mode}]"
                if icount:
                    target = kind == "rt-reg" and where == "same-cpu"
                    figure(name, f"{n} instructions ({kinds[kind]})" +
                           (", target <= 500" if target else ""), instructions=n,
                           **({"target_instructions": 500} if target else {}))
                else:
                    figure(name, f"{n} ns ({kinds[kind]})", ns=n)


def fuzz(seconds):
    """libFuzzer on each parser (tools/fuzz): executions and crashes. The goal is at
    least 10 million executions each with none crashing (hours, so not in CI)."""
    for target in ("dtb", "cmdline", "cpulist", "shell", "hplog", "elf"):
        p = subprocess.run([os.path.join(ROOT, "tools", "fuzz"), target, "--seconds", str(seconds)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        out = p.stdout.decode("utf-8", "replace")
        m = re.search(r"Done (\d+) runs in (\d+) second", out)
        crashed = p.returncode != 0 or "==ERROR" in out or "deadly signal" in out
        runs = int(m.group(1)) if m else 0
        figure(f"fuzz [{target}, {seconds} s]", f"{runs} executions, {'a crash (see tests/fuzz/artifacts)' if crashed else 'no crash'}",
               executions=runs, crashed=crashed, target_executions=10_000_000)


def main():
    ap = argparse.ArgumentParser(prog="tools/bench", description=__doc__.splitlines()[0])
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--only", default="", help="image|boot|hotplug|user|ipc|soak|torture|utorture|fuzz")
    ap.add_argument("--soak", type=int, default=10000, help="operations of the soak (10000)")
    ap.add_argument("--fuzz", type=int, default=0, metavar="SECONDS",
                    help="also fuzz each parser this long (tools/fuzz); not run otherwise")
    args = ap.parse_args()
    benches = {"image": image_size, "boot": boot_time, "hotplug": hotplug_bench, "user": user, "ipc": ipc,
               "soak": lambda: soak(args.soak),
               "torture": lambda: torture([(4, 100000), (8, 10000), (16, 10000)]),
               "utorture": lambda: utorture([(4, 100000), (8, 10000), (16, 10000)])}
    if not 1 <= args.soak <= 100000:
        print(f"bench: --soak {args.soak}: the soak takes 1 to 100000 operations", file=sys.stderr)
        return 2
    if args.fuzz > 0:
        benches["fuzz"] = lambda: fuzz(args.fuzz)
    if args.only and args.only not in benches:
        print(f"bench: unknown benchmark '{args.only}' ({', '.join(benches)})", file=sys.stderr)
        return 2
    for name, fn in benches.items():
        if not args.only or args.only == name:
            fn()
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"figures": results}, f, indent=1)
        print(f"bench: {len(results)} figures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
