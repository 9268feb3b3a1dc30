#!/bin/sh
# SPDX-License-Identifier: BSD-2-Clause
# gen-asm-offsets.sh IN.s OUT.h: the "->NAME value" markers of asm-offsets.c's assembly
# become #defines. Fails if there are none, so a broken step cannot yield an empty header.
set -eu
in=$1 out=$2
defs=$(sed -n 's/^.*"->\([A-Z_0-9]*\) \(-\{0,1\}[0-9][0-9]*\)".*$/#define \1 \2/p' "$in")
[ -n "$defs" ] || { echo "gen-asm-offsets.sh: no markers in $in" >&2; exit 1; }
{
	echo "/* Generated from arch/riscv/asm-offsets.c by gen-asm-offsets.sh: do not edit. */"
	echo "#ifndef HP_ASM_OFFSETS_H"
	echo "#define HP_ASM_OFFSETS_H"
	echo "$defs"
	echo "#endif"
} > "$out.tmp"
mv "$out.tmp" "$out"
