#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-2-Clause
"""Runs every test: the native unit tests (meson test), the QEMU scenarios of tests/qemu/
in both configurations (a scenario marked @only(config) is reported as SKIP in the
other; one marked @once runs once), and the source-tree checks. Ends with
"N passed, N failed, N skipped". Benchmarks are tools/bench's.

usage: tests/run_tests.py [--only SUBSTRING] [--config hotplug|nohotplug] [--repeat N]
                          [--bios FILE] [--list]

--bios FILE boots every QEMU scenario on that SBI firmware instead of QEMU's bundled
OpenSBI 1.1 (a firmware engineer's whole-suite run); the tests that assert 1.1's own
behaviour are reported as SKIP with the reason. --repeat N runs each chosen test N times in a row and ends with each test's failure
count (a flaky test is a bug report: this is how one is found and shown fixed).
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
import source_checks  # noqa: E402
import model_checks  # noqa: E402


# Native unit tests whose code differs between the builds (config.h); the others run once.
CONFIG_DEPENDENT_HOST_TESTS = ("host.cpuhp",)


def host_tests(config, names=None):
    """Runs meson test for one build (all of its host tests, or @names); returns
    [(name, ok, detail)]."""
    build = os.path.join(ROOT, "build", config)
    p = subprocess.run(["meson", "test", "-C", build, "--print-errorlogs"] +
                       (list(names) if names else ["--suite", "host"]),
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out = p.stdout.decode("utf-8", "replace")
    results = []
    for m in re.finditer(r"^\s*\d+/\d+\s+(\S+)\s+(OK|FAIL|TIMEOUT|ERROR)\s", out, re.M):
        if m.group(1) not in [r[0] for r in results]:   # a failure is listed again at the end
            results.append((m.group(1), m.group(2) == "OK", out))
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", default="")
    ap.add_argument("--config", choices=harness.CONFIGS)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--bios", metavar="FILE", help="boot every scenario on this SBI firmware")
    ap.add_argument("--repeat", type=int, default=1, metavar="N",
                    help="run each chosen test N times; per-test failure counts at the end")
    args = ap.parse_args()
    configs = [args.config] if args.config else list(harness.CONFIGS)

    if args.repeat < 1:
        print(f"run_tests: --repeat {args.repeat}: must be 1 or more")
        return 2
    if args.bios:
        if not os.path.isfile(args.bios) or not os.access(args.bios, os.R_OK):
            print(f"run_tests: --bios {args.bios}: no such readable file")
            return 2
        harness.BIOS = os.path.abspath(args.bios)
    passed = failed = skipped = 0
    failures = []
    runs = {}          # test name -> [runs, failures], for --repeat's table

    def report(name, ok, detail, secs):
        nonlocal passed, failed
        print(f"{'PASS' if ok else 'FAIL'} {name} ({secs:.1f} s)", flush=True)
        counts = runs.setdefault(name, [0, 0])
        counts[0] += 1
        counts[1] += 0 if ok else 1
        if ok:
            passed += 1
        else:
            failed += 1
            failures.append((name, detail))

    def skip(name, why):
        nonlocal skipped
        print(f"SKIP {name} ({why})", flush=True)
        skipped += 1

    def run(full, fn, *args):
        for i in range(args_repeat):
            t0 = time.time()
            try:
                fn(*args)
                report(full, True, "", time.time() - t0)
            except Exception as e:  # a failed scenario must not stop the others
                detail = str(e) if isinstance(e, harness.Failure) else traceback.format_exc()
                if args_repeat > 1:
                    detail = f"(run {i + 1} of {args_repeat})\n" + detail
                report(full, False, detail, time.time() - t0)

    args_repeat = args.repeat

    tests = qemu_tests()
    if args.list:
        for name, fn in tests:
            print(name, "-", (fn.__doc__ or "").strip().splitlines()[0])
        return 0
    if "host".startswith(args.only) or args.only.startswith("host") or not args.only:
        for i, config in enumerate(configs):
            t0 = time.time()
            # Config-independent unit tests once (from the first build), the rest per build.
            for _ in range(args.repeat):
                for name, ok, detail in host_tests(config, None if i == 0 else CONFIG_DEPENDENT_HOST_TESTS):
                    tag = f"{name}[{config}]" if name in CONFIG_DEPENDENT_HOST_TESTS else name
                    report(tag, ok, detail, time.time() - t0)
    for name, fn in source_checks.CHECKS + model_checks.CHECKS:
        if not args.only or args.only in name:
            run(name, fn)
    for name, fn in tests:
        if harness.BIOS and getattr(fn, "bundled_firmware", False):
            for full in ([name] if getattr(fn, "once", False) else [f"{name}[{c}]" for c in configs]):
                if not args.only or args.only in full:
                    skip(full, "asserts the bundled OpenSBI 1.1's own behaviour; --bios given")
            continue
        if getattr(fn, "once", False):
            if not args.only or args.only in name:
                run(name, fn)
            continue
        for config in configs:
            full = f"{name}[{config}]"
            if args.only and args.only not in full:
                continue
            if config not in getattr(fn, "configs", harness.CONFIGS):
                skip(full, "does not apply to " + config)
                continue
            run(full, fn, config)
    for name, detail in failures:
        print(f"\n=== FAILED {name} ===\n{detail}")
    if args.repeat > 1:
        print(f"\nfailures per test over {args.repeat} runs each:")
        for name, (n, bad) in runs.items():
            print(f"  {bad:4d} of {n:4d}  {name}")
    print(f"\n{passed} passed, {failed} failed, {skipped} skipped")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
