# SPDX-License-Identifier: BSD-2-Clause
"""Parallel bring-up at boot (cpuhp.parallel, issue 13): the same boot with =0 and =1
ends in the same place, with teardown logs that hplog diff pairs CPU by CPU, for a
plain boot, injected failures before, at and after BRINGUP_CPU, maxcpus= and nosmt; and
with =1 the CPUs really were let go together."""
import os
import re
import subprocess
import tempfile

from harness import ROOT, Failure, boot, cpulist, hotplug_states
from test_smt import hart_of_cpu

CPU = "/sys/devices/system/cpu"
HPLOG = os.path.join(ROOT, "build", "hotplug", "tools", "hplog")
RELEASED = r"cpuhp_hsm:\s+cpu: (\d+) hart: \d+ started at boot: released"
BRINGUP_EXIT = r"cpuhp_exit:\s+cpu: (\d+)\s+state:\s*\d+ step:\s*{} ret:"


def scenarios(config):
    s = hotplug_states(config)
    return [("plain", 8, None, ""),
            ("prepare failure", 8, None, f"cpuhp.fail=2:{s['workqueue:prepare']}"),
            ("bringup failure", 8, None, f"cpuhp.fail=1:{s['cpu:bringup']}"),
            ("online failure", 8, None, f"cpuhp.fail=3:{s['smpboot/threads:online']}"),
            ("maxcpus", 8, None, "maxcpus=5"),
            ("nosmt", 8, 2, "nosmt")]


def line_index(out, pattern):
    """{cpu: index of its first line matching pattern} among the log's lines."""
    first = {}
    for i, line in enumerate(out.splitlines()):
        m = re.search(pattern, line)
        if m:
            first.setdefault(int(m.group(1)), i)
    return first


def test_parallel_and_sequential_boots_pair(config):
    """Each scenario booted with cpuhp.parallel=0 and =1 (trace on): `hotplug check`
    clean, no BUG, the same online and active CPUs (nosmt: the odd harts but the boot
    hart's cancelled in each run); `hplog diff` of the pair (by CPU number where a
    failure or maxcpus= names CPUs, else by hart) says 'as expected' with every CPU
    identical. With =1, every CPU let go early was let go
    before the first BRINGUP_CPU step ended (their STARTING states overlapped)."""
    bringup = hotplug_states(config)["cpu:bringup"]
    cmds = [f"cat {CPU}/online", f"cat {CPU}/active", "hotplug check"]
    with tempfile.TemporaryDirectory() as d:
        for name, smp, smt, append in scenarios(config):
            logs, masks = {}, {}
            for par in (0, 1):
                # --icount boots hart 0 every time: with a random boot hart, a run
                # booted on a secondary thread cannot be paired with one that cancelled it.
                b = boot(config, cmds, smp=smp, smt=smt, icount=True,
                         append=f"cpuhp.trace=1 cpuhp.parallel={par} {append}".strip())
                b.expect_clean()
                where = f"{name} (cpuhp.parallel={par}): "
                check = b.output_of("hotplug check").strip()
                b.expect(check == f"check: {smp} CPUs, 0 inconsistencies", where + check)
                online, active = (cpulist(b.output_of(f"cat {CPU}/{m}")) for m in ("online", "active"))
                masks[par] = (sorted(online), sorted(active))
                if name == "nosmt":
                    # The boot hart is random: the secondary threads are the other odd harts.
                    harts = hart_of_cpu(b)
                    want = {c for c, h in harts.items() if h % 2 == 0 or c == 0}
                    b.expect(online == set(harts) if config == "nohotplug" else online == want,
                             where + f"online {sorted(online)}, harts {harts}")
                    b.expect(active == want, where + f"active {sorted(active)}, harts {harts}")
                    masks[par] = None
                logs[par] = os.path.join(d, f"{name}-{par}.log".replace(" ", "_"))
                with open(logs[par], "w") as f:
                    f.write(b.out)
                if par == 1:
                    released = line_index(b.out, RELEASED)
                    ended = line_index(b.out, BRINGUP_EXIT.format(bringup))
                    b.expect(len(released) >= 2, where + f"CPUs let go early: {sorted(released)}")
                    b.expect(max(released.values()) < min(ended.values()),
                             where + "a CPU was let go only after another's BRINGUP_CPU ended")
            # An injected failure and maxcpus= name CPU numbers; nosmt's fate follows the hart.
            by = "hart" if name in ("plain", "nosmt") else "cpu"
            if masks[0] != masks[1]:
                raise Failure(f"{name}: online/active {masks[0]} with =0, {masks[1]} with =1")
            p = subprocess.run([HPLOG, "diff", "--by", by, logs[0], logs[1]],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=60)
            out = p.stdout.decode() + p.stderr.decode()
            if p.returncode != 0 or "verdict: as expected" not in out:
                raise Failure(f"{name}: hplog diff rc {p.returncode}\n{out}")
            # Every CPU identical, but the boot CPUs: no operation, or one run's boot CPU.
            differ = [l for l in out.splitlines() if re.match(r"(hart|cpu) \d+", l)
                      and "identical" not in l and "no hotplug operation in either run" not in l
                      and not re.search(r"the boot CPU of run [AB], .*: the same outcome", l)]
            if differ:
                raise Failure(f"{name}: CPUs not identical:\n" + "\n".join(differ))
            print(f"  {name}: masks {masks[1]}, logs pair")
