/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * dtb.*: the device-tree reader on QEMU's own trees, on hand-built trees that are
 * broken in one precise way each, and on the fuzz corpus as regression cases. Built
 * with AddressSanitizer where the compiler has it: a read outside the blob fails.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "dtb.h"

static const char *corpus_dir = "tests/fuzz/corpus";
static struct dt_platform plat;
static char err[DT_ERR_LEN];

static uint8_t *load(const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", corpus_dir, name);
	FILE *f = fopen(path, "rb");
	if (!f) {
		printf("  cannot open %s\n", path);
		return NULL;
	}
	uint8_t *buf = malloc(1 << 20);
	*len = fread(buf, 1, 1 << 20, f);
	fclose(f);
	return buf;
}

/*
 * Parses a copy of exactly @len bytes, so ASan sees any read past the end. The copy
 * lives until the next parse: plat's strings point into it.
 */
static int parse_exact(const uint8_t *data, size_t len)
{
	static uint8_t *copy;
	free(copy);
	copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	err[0] = 0;
	return dt_parse_platform(copy, len, &plat, err, sizeof(err));
}

/* ---- a tiny FDT writer for hand-built trees ---- */
struct fdtw {
	uint8_t st[8192];
	uint32_t st_len;
	char strs[1024];
	uint32_t strs_len;
	uint8_t out[16384];
	uint32_t out_len;
};

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void w_tok(struct fdtw *w, uint32_t v)
{
	put32(w->st + w->st_len, v);
	w->st_len += 4;
}

static void w_begin(struct fdtw *w, const char *name)
{
	w_tok(w, 1);
	size_t n = strlen(name) + 1;
	memcpy(w->st + w->st_len, name, n);
	w->st_len += (uint32_t)((n + 3) & ~3u);
}

static void w_end(struct fdtw *w)
{
	w_tok(w, 2);
}

static uint32_t w_str(struct fdtw *w, const char *s)
{
	for (uint32_t i = 0; i < w->strs_len; i += (uint32_t)strlen(w->strs + i) + 1) {
		if (strcmp(w->strs + i, s) == 0) {
			return i;
		}
	}
	uint32_t off = w->strs_len;
	memcpy(w->strs + off, s, strlen(s) + 1);
	w->strs_len += (uint32_t)strlen(s) + 1;
	return off;
}

static void w_prop(struct fdtw *w, const char *name, const void *val, uint32_t len)
{
	w_tok(w, 3);
	w_tok(w, len);
	w_tok(w, w_str(w, name));
	memcpy(w->st + w->st_len, val, len);
	w->st_len += (len + 3) & ~3u;
}

static void w_u32(struct fdtw *w, const char *name, uint32_t v)
{
	uint8_t b[4];
	put32(b, v);
	w_prop(w, name, b, 4);
}

static void w_u64(struct fdtw *w, const char *name, uint64_t v)
{
	uint8_t b[8];
	put32(b, (uint32_t)(v >> 32));
	put32(b + 4, (uint32_t)v);
	w_prop(w, name, b, 8);
}

static void w_string(struct fdtw *w, const char *name, const char *s)
{
	w_prop(w, name, s, (uint32_t)strlen(s) + 1);
}

static uint8_t *w_finish(struct fdtw *w)
{
	uint32_t off_st = 40 + 16, off_strs = off_st + w->st_len;
	w_tok(w, 9);
	off_strs = off_st + w->st_len;
	memset(w->out, 0, sizeof(w->out));
	put32(w->out, 0xd00dfeed);
	w->out_len = off_strs + w->strs_len;
	put32(w->out + 4, w->out_len);
	put32(w->out + 8, off_st);
	put32(w->out + 12, off_strs);
	put32(w->out + 16, 40);
	put32(w->out + 20, 17);
	put32(w->out + 24, 16);
	put32(w->out + 32, w->strs_len);
	put32(w->out + 36, w->st_len);
	memcpy(w->out + off_st, w->st, w->st_len);
	memcpy(w->out + off_strs, w->strs, w->strs_len);
	return w->out;
}

/* A minimal good tree; @harts cpus with phandle 10+i; @map: cores of 2 threads. */
static void build_tree(struct fdtw *w, int harts, bool map)
{
	memset(w, 0, sizeof(*w));
	w_begin(w, "");
	w_u32(w, "#address-cells", 2);
	w_u32(w, "#size-cells", 2);
	w_begin(w, "chosen");
	w_string(w, "bootargs", "loglevel=7");
	w_end(w);
	w_begin(w, "memory@80000000");
	w_string(w, "device_type", "memory");
	uint8_t reg[16] = { 0, 0, 0, 0, 0x80, 0, 0, 0, 0, 0, 0, 0, 0x08, 0, 0, 0 };
	w_prop(w, "reg", reg, 16);
	w_end(w);
	w_begin(w, "cpus");
	w_u32(w, "#address-cells", 1);
	w_u32(w, "#size-cells", 0);
	w_u32(w, "timebase-frequency", 10000000);
	for (int i = 0; i < harts; i++) {
		char name[16];
		snprintf(name, sizeof(name), "cpu@%d", i * 3);
		w_begin(w, name);
		w_string(w, "device_type", "cpu");
		w_u32(w, "reg", (uint32_t)i * 3);     /* sparse hart ids */
		w_string(w, "riscv,isa", "rv64imac_sstc");
		w_u32(w, "phandle", 10 + (uint32_t)i);
		w_end(w);
	}
	if (map) {
		w_begin(w, "cpu-map");
		w_begin(w, "cluster0");
		for (int c = 0; c < harts / 2; c++) {
			char name[16];
			snprintf(name, sizeof(name), "core%d", c);
			w_begin(w, name);
			for (int t = 0; t < 2; t++) {
				snprintf(name, sizeof(name), "thread%d", t);
				w_begin(w, name);
				w_u32(w, "cpu", 10 + (uint32_t)(2 * c + t));
				w_end(w);
			}
			w_end(w);
		}
		w_end(w);
		w_end(w);
	}
	w_end(w);
}

static int parse_built(struct fdtw *w)
{
	w_end(w);   /* close the root */
	uint8_t *blob = w_finish(w);
	return parse_exact(blob, w->out_len);
}

/* ---- tests ---- */

static void dtb_qemu_virt_smp4(void)
{
	size_t len;
	uint8_t *b = load("qemu-virt-smp4.dtb", &len);
	CHECK(b != NULL);
	if (!b) {
		return;
	}
	CHECK(parse_exact(b, len) == 0);
	CHECK(plat.hart_count == 4);
	for (unsigned int i = 0; i < plat.hart_count; i++) {
		CHECK(plat.harts[i].okay && plat.harts[i].has_reg);
		CHECK(plat.harts[i].isa && strncmp(plat.harts[i].isa, "rv64", 4) == 0);
		CHECK(plat.harts[i].core_id >= 0 && plat.harts[i].thread_id == 0);
	}
	CHECK(plat.timebase_hz == 10000000);
	CHECK(plat.mem_base == 0x80000000ull && plat.mem_size == 128ull << 20);
	CHECK(plat.bootargs && strstr(plat.bootargs, "maxcpus=2") != NULL);
	CHECK(plat.exit_device == 0x100000);
	CHECK(plat.core_count == 4 && plat.has_cpu_map);
	free(b);
}

/* The AIA machine: its supervisor-level IMSIC, file i for the hart whose controller pair i names. */
static void dtb_qemu_virt_aia_imsic(void)
{
	size_t len;
	uint8_t *b = load("qemu-virt-smp4-aia.dtb", &len);
	CHECK(b != NULL);
	if (!b) {
		return;
	}
	CHECK(parse_exact(b, len) == 0);
	CHECK(plat.hart_count == 4);
	CHECK(plat.imsic_base == 0x28000000ull && plat.imsic_files == 4);   /* not the M-level one */
	for (unsigned int i = 0; i < plat.hart_count; i++) {
		const struct dt_hart *h = &plat.harts[i];
		CHECK(h->intc_phandle != 0);
		CHECK(h->hartid < 4 && plat.imsic_intc[h->hartid] == h->intc_phandle);
	}
	free(b);
	/* The plain machine has none. */
	b = load("qemu-virt-smp4.dtb", &len);
	CHECK(b != NULL && parse_exact(b, len) == 0 && plat.imsic_files == 0);
	free(b);
}

static void dtb_smt_cpu_map(void)
{
	size_t len;
	uint8_t *b = load("qemu-virt-smp8-smt2.dtb", &len);
	CHECK(b != NULL);
	if (!b) {
		return;
	}
	CHECK(parse_exact(b, len) == 0);
	CHECK(plat.hart_count == 8 && plat.core_count == 4);
	int seen[4][2] = { { 0 } };
	for (unsigned int i = 0; i < plat.hart_count; i++) {
		int c = plat.harts[i].core_id, t = plat.harts[i].thread_id;
		CHECK(c >= 0 && c < 4 && t >= 0 && t < 2);
		if (c >= 0 && c < 4 && t >= 0 && t < 2) {
			seen[c][t]++;
		}
	}
	for (int c = 0; c < 4; c++) {
		CHECK(seen[c][0] == 1 && seen[c][1] == 1);
	}
	free(b);
}

static void dtb_built_sparse_and_threads(void)
{
	struct fdtw w;
	build_tree(&w, 4, true);
	CHECK(parse_built(&w) == 0);
	CHECK(plat.hart_count == 4);
	CHECK(plat.harts[3].hartid == 9);
	CHECK(plat.harts[2].core_id == 1 && plat.harts[2].thread_id == 0);
	CHECK(plat.harts[3].core_id == 1 && plat.harts[3].thread_id == 1);
	CHECK(plat.mem_size == 0x08000000);
	CHECK_STR(plat.bootargs, "loglevel=7");
}

static void dtb_every_truncation_fails_cleanly(void)
{
	size_t len;
	uint8_t *b = load("qemu-virt-smp4.dtb", &len);
	if (!b) {
		CHECK(0);
		return;
	}
	for (size_t cut = 0; cut < len; cut++) {
		int r = parse_exact(b, cut);
		CHECK(r == -1);
		CHECK(err[0] != 0);
	}
	free(b);
}

static void dtb_bit_flips_never_crash(void)
{
	size_t len;
	uint8_t *b = load("qemu-virt-smp8-smt2.dtb", &len);
	uint32_t seed = 12345;
	int ok = 0, bad = 0;
	if (!b) {
		CHECK(0);
		return;
	}
	for (int i = 0; i < 20000; i++) {
		uint8_t *m = malloc(len);
		memcpy(m, b, len);
		for (int k = 0; k < 1 + i % 4; k++) {
			seed = seed * 1103515245u + 12345u;
			m[(seed >> 8) % len] ^= (uint8_t)(1u << ((seed >> 4) % 8));
		}
		int r = parse_exact(m, len);
		if (r == 0) {
			ok++;
		} else {
			bad++;
			CHECK(err[0] != 0);
		}
		free(m);
	}
	/* Both outcomes occur: the mutations reach into the parts that are checked. */
	CHECK(ok > 0 && bad > 0);
	free(b);
}

static void expect_error(int r, const char *fragment)
{
	CHECK(r == -1);
	if (!strstr(err, fragment)) {
		printf("  error '%s' lacks '%s'\n", err, fragment);
		CHECK(0);
	}
}

static void dtb_broken_headers(void)
{
	struct fdtw w;
	build_tree(&w, 2, false);
	w_end(&w);
	uint8_t *blob = w_finish(&w);
	uint8_t copy[16384];

	memcpy(copy, blob, w.out_len);
	copy[0] = 0;
	expect_error(parse_exact(copy, w.out_len), "bad magic");
	memcpy(copy, blob, w.out_len);
	put32(copy + 4, w.out_len + 100);
	expect_error(parse_exact(copy, w.out_len), "totalsize");
	memcpy(copy, blob, w.out_len);
	put32(copy + 20, 16);
	expect_error(parse_exact(copy, w.out_len), "unsupported version");
	memcpy(copy, blob, w.out_len);
	put32(copy + 36, 0xfffffff0);
	expect_error(parse_exact(copy, w.out_len), "structure block");
	memcpy(copy, blob, w.out_len);
	put32(copy + 32, 0x7fffffff);
	expect_error(parse_exact(copy, w.out_len), "strings block");
	expect_error(parse_exact(blob, 10), "truncated");
}

static void dtb_broken_structure(void)
{
	struct fdtw w;

	/* A property whose name offset points outside the strings block. */
	build_tree(&w, 2, false);
	w_tok(&w, 3);
	w_tok(&w, 0);
	w_tok(&w, 5000);
	expect_error(parse_built(&w), "name offset");

	/* An unknown token. */
	build_tree(&w, 2, false);
	w_tok(&w, 7);
	expect_error(parse_built(&w), "unknown token");

	/* A property value longer than the block. */
	build_tree(&w, 2, false);
	w_tok(&w, 3);
	w_tok(&w, 100000);
	w_tok(&w, w_str(&w, "x"));
	expect_error(parse_built(&w), "runs past");

	/* Nesting deeper than the reader follows. */
	build_tree(&w, 2, false);
	for (int i = 0; i < DT_MAX_DEPTH + 2; i++) {
		w_begin(&w, "n");
	}
	for (int i = 0; i < DT_MAX_DEPTH + 2; i++) {
		w_end(&w);
	}
	expect_error(parse_built(&w), "nested deeper");

	/* FDT_END inside a node (root never closed). */
	build_tree(&w, 2, false);
	w_finish(&w);
	expect_error(parse_exact(w.out, w.out_len), "FDT_END inside");

	/* An extra END_NODE. */
	build_tree(&w, 2, false);
	w_end(&w);
	w_end(&w);
	w_finish(&w);
	expect_error(parse_exact(w.out, w.out_len), "unbalanced");
}

static void dtb_broken_contents(void)
{
	struct fdtw w;

	build_tree(&w, 2, false);
	w_begin(&w, "cpus");       /* a second cpus node with a bad cpu reg */
	w_u32(&w, "#address-cells", 1);
	w_begin(&w, "cpu@9");
	w_string(&w, "device_type", "cpu");
	w_u64(&w, "reg", 9);
	w_end(&w);
	w_end(&w);
	expect_error(parse_built(&w), "'reg' is 8 bytes");

	build_tree(&w, 2, false);
	w_begin(&w, "cpus");
	w_begin(&w, "cpu-map");
	w_begin(&w, "core0");
	w_u32(&w, "cpu", 99);
	w_end(&w);
	w_end(&w);
	w_end(&w);
	expect_error(parse_built(&w), "phandle 99");

	build_tree(&w, 2, false);
	w_begin(&w, "chosen");
	w_prop(&w, "bootargs", "abc", 3);   /* no NUL */
	w_end(&w);
	expect_error(parse_built(&w), "bootargs");

	/* No cpus, no memory, no timebase. */
	memset(&w, 0, sizeof(w));
	w_begin(&w, "");
	w_begin(&w, "memory@0");
	w_string(&w, "device_type", "memory");
	uint8_t reg[12] = { 0 };
	w_prop(&w, "reg", reg, 12);
	w_end(&w);
	expect_error(parse_built(&w), "no cpu nodes");

	memset(&w, 0, sizeof(w));
	w_begin(&w, "");
	w_begin(&w, "cpus");
	w_u32(&w, "#address-cells", 1);
	w_begin(&w, "cpu@0");
	w_u32(&w, "reg", 0);
	w_end(&w);
	w_end(&w);
	expect_error(parse_built(&w), "no /memory");
}

static void dtb_corpus_regression(void)
{
	DIR *d = opendir(corpus_dir);
	struct dirent *e;
	int files = 0;

	CHECK(d != NULL);
	if (!d) {
		return;
	}
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') {
			continue;
		}
		size_t len;
		uint8_t *b = load(e->d_name, &len);
		if (!b) {
			CHECK(0);
			continue;
		}
		int r = parse_exact(b, len);
		/* Any outcome but a crash; a failure must say why. */
		CHECK(r == 0 || err[0] != 0);
		files++;
		free(b);
	}
	closedir(d);
	CHECK(files >= 4);
	printf("  %d corpus files\n", files);
}

int main(int argc, char **argv)
{
	if (argc > 1) {
		corpus_dir = argv[1];
	}
	RUN(dtb_qemu_virt_smp4);
	RUN(dtb_qemu_virt_aia_imsic);
	RUN(dtb_smt_cpu_map);
	RUN(dtb_built_sparse_and_threads);
	RUN(dtb_every_truncation_fails_cleanly);
	RUN(dtb_bit_flips_never_crash);
	RUN(dtb_broken_headers);
	RUN(dtb_broken_structure);
	RUN(dtb_broken_contents);
	RUN(dtb_corpus_regression);
	return check_summary();
}
