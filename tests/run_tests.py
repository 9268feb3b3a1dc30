#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Runs every test: the native unit tests of each build (meson test) and the QEMU
scenarios of tests/qemu/ in both configurations. Ends with "N passed, N failed".

usage: tests/run_tests.py [--only SUBSTRING] [--config hotplug|nohotplug] [--list]
"""
import argparse
import importlib
import os
import re
import subprocess
import sys
import time
import traceback

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests", "qemu"))
import harness  # noqa: E402


def host_tests(config):
    """Runs meson test for one build; returns [(name, ok, detail)]."""
    build = os.path.join(ROOT, "build", config)
    p = subprocess.run(["meson", "test", "-C", build, "--suite", "host", "--print-errorlogs"],
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    results = []
    for m in re.finditer(r"^\s*\d+/\d+\s+(\S+)\s+(OK|FAIL|TIMEOUT|ERROR)\s", out, re.M):
        results.append((f"{m.group(1)}[{config}]", m.group(2) == "OK", out))
    if not results:
        results.append((f"host[{config}]", False, out))
    return results


def qemu_tests():
    tests = []
    for fname in sorted(os.listdir(os.path.join(ROOT, "tests", "qemu"))):
        if fname.startswith("test_") and fname.endswith(".py"):
            mod = importlib.import_module(fname[:-3])
            for name in sorted(dir(mod)):
                fn = getattr(mod, name)
                if name.startswith("test_") and callable(fn):
                    tests.append((f"qemu.{fname[5:-3]}.{name[5:]}", fn))
    return tests


def figures(configs):
    """Prints figures (not assertions): image size and boot time in guest time."""
    print("== figures ==")
    for config in configs:
        elf = os.path.join(ROOT, "build", config, "arch", "riscv", "hartplug.elf")
        size = subprocess.run(["riscv64-unknown-elf-size", "-A", elf], stdout=subprocess.PIPE)
        loaded = 0
        for line in size.stdout.decode().splitlines():
            parts = line.split()
            if len(parts) >= 3 and parts[0] in (".text", ".rodata", ".data"):
                loaded += int(parts[1])
        print(f"figure: image size [{config}]: {loaded} bytes ({loaded / 1024:.1f} KiB) "
              f"loaded, target <= 128 KiB")
        for smp in (4, 64):
            b = harness.boot(config, [], smp=smp, icount=True, timeout=240)
            m = re.search(r"boot: shell starting (\d+) us after reset \(kernel: (\d+) us, "
                          r"firmware before it: (\d+) us\)", b.out)
            m2 = re.search(r"smp: Brought up (\d+) of (\d+) CPUs in (\d+) us", b.out)
            if m and m2:
                print(f"figure: boot to shell [{config}, -smp {smp}, icount]: {m.group(1)} us "
                      f"virtual = firmware {m.group(3)} us + kernel {m.group(2)} us; "
                      f"secondaries {m2.group(1)}/{m2.group(2)} up in {m2.group(3)} us")
            else:
                print(f"figure: boot [{config}, -smp {smp}]: not measured (exit {b.rc})")
    if "hotplug" in configs:
        # loglevel=4 keeps the per-CPU "online" line off the console: through SBI
        # putchar one line costs ~15 us, more than the state machine's own work.
        for icount in (True, False):
            b = harness.boot("hotplug", ["hotplug bench 21"], smp=4, icount=icount, timeout=240,
                             append="loglevel=4")
            mode = "icount shift=0" if icount else "default TCG"
            for line in b.output_of("hotplug bench 21").splitlines():
                print(f"figure: [{mode}, -smp 4] {line.strip()}")
        # The reliability target: 10,000 random offline/online operations under load.
        soak = ["busy 1-3", "busy 1-3", "hotplug soak 10000"]
        b = harness.boot("hotplug", soak, smp=4, timeout=900, append="loglevel=4")
        m = re.search(r"soak: .*", b.out)
        print(f"figure: [default TCG, -smp 4, two busy tasks] "
              f"{m.group(0) if m else f'soak did not finish (exit {b.rc})'}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--config", choices=harness.CONFIGS)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--no-figures", action="store_true")
    args = ap.parse_args()
    configs = [args.config] if args.config else list(harness.CONFIGS)

    passed = failed = 0
    failures = []

    def report(name, ok, detail, secs):
        nonlocal passed, failed
        print(f"{'PASS' if ok else 'FAIL'} {name} ({secs:.1f} s)", flush=True)
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append((name, detail))

    tests = qemu_tests()
    if args.list:
        for name, fn in tests:
            print(name, "-", (fn.__doc__ or "").strip().splitlines()[0])
        return 0
    if "host".startswith(args.only) or args.only.startswith("host") or not args.only:
        for config in configs:
            t0 = time.time()
            for name, ok, detail in host_tests(config):
                report(name, ok, detail, time.time() - t0)
    for name, fn in tests:
        for config in configs:
            full = f"{name}[{config}]"
            if args.only and args.only not in full:
                continue
            t0 = time.time()
            try:
                fn(config)
                report(full, True, "", time.time() - t0)
            except Exception as e:  # a failed scenario must not stop the others
                detail = str(e) if isinstance(e, harness.Failure) else traceback.format_exc()
                report(full, False, detail, time.time() - t0)
    if not args.no_figures and not args.only:
        figures(configs)
    for name, detail in failures:
        print(f"\n=== FAILED {name} ===\n{detail}")
    print(f"\n{passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
