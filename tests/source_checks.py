# SPDX-License-Identifier: BSD-2-Clause
"""Checks of the source tree itself (no build needed): build variants are files, not
#if in function bodies; generic code never includes a RISC-V header; every source
file carries its licence line."""
import os
import re
import subprocess

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPDX = "SPDX-License-Identifier: BSD-2-Clause"


class Failure(Exception):
    pass


def tracked(*exts):
    out = subprocess.run(["git", "-C", ROOT, "ls-files"], stdout=subprocess.PIPE, check=True)
    files = [f for f in out.stdout.decode().splitlines() if os.path.exists(os.path.join(ROOT, f))]
    if not files:  # not a git checkout (an export): walk the tree instead
        for d, _, names in os.walk(ROOT):
            if "/build" in d or "/.git" in d:
                continue
            files += [os.path.relpath(os.path.join(d, n), ROOT) for n in names]
    return [f for f in files if f.endswith(exts)] if exts else files


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8", errors="replace") as f:
        return f.read()


def check_no_if_in_c():
    """No preprocessor conditional (#if, #ifdef, #ifndef, #elif) in any .c file."""
    files = tracked(".c")
    if len(files) < 20:
        raise Failure(f"only {len(files)} .c files found: the check would prove nothing")
    bad = []
    for f in files:
        for n, line in enumerate(read(f).splitlines(), 1):
            if re.match(r"\s*#\s*(if|ifdef|ifndef|elif)\b", line):
                bad.append(f"{f}:{n}: {line.strip()}")
    if bad:
        raise Failure("conditional compilation in .c files:\n" + "\n".join(bad))


def check_generic_code_has_no_riscv_headers():
    """Nothing outside arch/riscv includes a header of arch/riscv (csr.h, sbi.h, ...)."""
    arch_headers = {os.path.basename(f) for f in tracked(".h") if f.startswith("arch/riscv/")}
    if not {"csr.h", "sbi.h"} <= arch_headers:
        raise Failure(f"arch headers not found where expected: {sorted(arch_headers)}")
    bad = []
    for f in tracked(".c", ".h"):
        if f.startswith("arch/"):
            continue
        for n, line in enumerate(read(f).splitlines(), 1):
            m = re.match(r'\s*#\s*include\s*[<"]([^>"]+)[>"]', line)
            if m and (os.path.basename(m.group(1)) in arch_headers or "riscv" in m.group(1)):
                bad.append(f"{f}:{n}: {line.strip()}")
    if bad:
        raise Failure("generic code includes RISC-V headers:\n" + "\n".join(bad))


def check_spdx():
    """Every C, assembly, linker, Python, shell and Meson file names its licence in its
    first lines."""
    scripts = {"tools/run", "tools/test", "tools/hplog", "tools/smt-dtb",
               "tools/bench", "tools/hsmtest", "tools/fuzz", ".ci/run"}
    files = [f for f in tracked() if f.endswith((".c", ".h", ".S", ".ld", ".py", ".sh", ".build",
                                                 ".txt", ".ini", ".pml")) or f in scripts]
    files = [f for f in files if not f.startswith(("tests/data/", "tests/fuzz/corpus/"))]
    bad = [f for f in files if SPDX not in "\n".join(read(f).splitlines()[:3])]
    if bad:
        raise Failure("no SPDX line in:\n" + "\n".join(bad))
    if not os.path.exists(os.path.join(ROOT, "LICENSE")):
        raise Failure("no LICENSE file")


CHECKS = [
    ("tree.no_if_in_c", check_no_if_in_c),
    ("tree.generic_code_has_no_riscv_headers", check_generic_code_has_no_riscv_headers),
    ("tree.spdx", check_spdx),
]
