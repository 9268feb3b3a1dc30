/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Flattened device tree reader. Two rules make it safe on any input: every read goes
 * through a helper that checks the range against the block it belongs to, and nothing
 * is trusted from one pass to the next, so the walk itself is the validation.
 */
#include <stdio.h>
#include <string.h>
#include "dtb.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define FDT_HEADER_LEN 40u

struct fdt {
	const uint8_t *blob;
	uint32_t total;
	const uint8_t *st;         /* structure block */
	uint32_t st_len;
	const char *strs;          /* strings block */
	uint32_t strs_len;
	char *err;
	size_t errlen;
};

#define fail(f, ...) (snprintf((f)->err, (f)->errlen, __VA_ARGS__), -1)

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* True if [off, off+len) lies inside a block of @size bytes, without overflow. */
static bool in_range(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && len <= size - off;
}

uint32_t dt_total_size(const void *blob, size_t avail)
{
	if (!blob || avail < FDT_HEADER_LEN || be32(blob) != FDT_MAGIC) {
		return 0;
	}
	return be32((const uint8_t *)blob + 4);
}

static int fdt_open(struct fdt *f, const void *blob, size_t avail)
{
	const uint8_t *h = blob;

	if (!blob || avail < FDT_HEADER_LEN) {
		return fail(f, "truncated: %zu bytes, a DTB header needs %u", blob ? avail : 0,
			    FDT_HEADER_LEN);
	}
	if (be32(h) != FDT_MAGIC) {
		return fail(f, "bad magic 0x%08x (expected 0xd00dfeed)", (unsigned)be32(h));
	}
	uint32_t total = be32(h + 4), off_st = be32(h + 8), off_strs = be32(h + 12);
	uint32_t version = be32(h + 20), last_comp = be32(h + 24);
	uint32_t strs_len = be32(h + 32), st_len = be32(h + 36);

	if (total < FDT_HEADER_LEN || total > avail) {
		return fail(f, "totalsize %u does not fit the %zu bytes available", (unsigned)total,
			    avail);
	}
	if (version < 17 || last_comp > 17) {
		return fail(f, "unsupported version %u (last compatible %u); need 17",
			    (unsigned)version, (unsigned)last_comp);
	}
	if (off_st % 4 || !in_range(off_st, st_len, total)) {
		return fail(f, "structure block [0x%x, +0x%x) lies outside totalsize 0x%x",
			    (unsigned)off_st, (unsigned)st_len, (unsigned)total);
	}
	if (!in_range(off_strs, strs_len, total)) {
		return fail(f, "strings block [0x%x, +0x%x) lies outside totalsize 0x%x",
			    (unsigned)off_strs, (unsigned)strs_len, (unsigned)total);
	}
	f->blob = h;
	f->total = total;
	f->st = h + off_st;
	f->st_len = st_len;
	f->strs = (const char *)h + off_strs;
	f->strs_len = strs_len;
	return 0;
}

struct token {
	uint32_t type;
	uint32_t at;               /* offset in the structure block, for messages */
	const char *name;          /* node or property name */
	const uint8_t *val;        /* property value */
	uint32_t len;
};

/* Reads the token at *@pos and advances past it; -1 with a message if it is malformed. */
static int fdt_next(struct fdt *f, uint32_t *pos, struct token *t)
{
	uint32_t p = *pos;

	t->at = p;
	if (!in_range(p, 4, f->st_len)) {
		return fail(f, "structure block ends at 0x%x without FDT_END", (unsigned)f->st_len);
	}
	t->type = be32(f->st + p);
	p += 4;
	switch (t->type) {
	case FDT_BEGIN_NODE: {
		const uint8_t *nul = memchr(f->st + p, 0, f->st_len - p);
		if (!nul) {
			return fail(f, "node name at 0x%x runs past the structure block", (unsigned)p);
		}
		t->name = (const char *)f->st + p;
		p = (uint32_t)(nul - f->st) + 1;
		p = (p + 3) & ~3u;
		break;
	}
	case FDT_PROP: {
		if (!in_range(p, 8, f->st_len)) {
			return fail(f, "property header at 0x%x runs past the structure block",
				    (unsigned)p);
		}
		uint32_t len = be32(f->st + p), nameoff = be32(f->st + p + 4);
		p += 8;
		if (nameoff >= f->strs_len ||
		    !memchr(f->strs + nameoff, 0, f->strs_len - nameoff)) {
			return fail(f, "property at 0x%x: name offset 0x%x outside the strings block",
				    (unsigned)t->at, (unsigned)nameoff);
		}
		t->name = f->strs + nameoff;
		if (!in_range(p, len, f->st_len)) {
			return fail(f, "property '%s' at 0x%x: %u-byte value runs past the structure block",
				    t->name, (unsigned)t->at, (unsigned)len);
		}
		t->val = f->st + p;
		t->len = len;
		p += len;
		p = (p + 3) & ~3u;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return fail(f, "unknown token 0x%x at structure offset 0x%x", (unsigned)t->type,
			    (unsigned)t->at);
	}
	/* Padding may take p past the block only on the very last token. */
	*pos = p > f->st_len ? f->st_len : p;
	return 0;
}

/* What a node is, as far as the kernel cares. */
enum node_kind {
	N_ROOT, N_OTHER, N_MEMORY, N_CHOSEN, N_CPUS, N_CPU, N_CPU_INTC, N_CPU_MAP, N_MAP_GROUP,
	N_MAP_CORE, N_MAP_THREAD, N_SOC, N_SOC_DEV,
};

struct node {
	enum node_kind kind;
	const char *name;
	uint32_t addr_cells, size_cells;   /* for children */
	/* collected properties, acted on at the node's end */
	const uint8_t *reg;
	uint32_t reg_len;
	bool is_memory_type, is_cpu_type, okay, exit_dev;
	const char *isa;
	uint32_t phandle;
	bool has_map_cpu;
	uint32_t map_cpu;
	uint32_t intc_phandle;             /* a cpu's interrupt-controller child's */
	bool imsic;                        /* compatible "riscv,imsics" */
	const uint8_t *irqs_ext;           /* its interrupts-extended */
	uint32_t irqs_ext_len;
};

struct map_entry {
	uint32_t phandle;
	int core, thread;
};

struct walk {
	struct fdt f;
	struct dt_platform *p;
	struct node stack[DT_MAX_DEPTH];
	int depth;                         /* index of the current node */
	bool mem_found, timebase_found, cpus_found;
	int core_next, thread_next;
	unsigned int map_count;
	struct map_entry map[DT_MAX_HARTS];
};

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* A node name's base: "cpu@1" → matches "cpu". */
static bool name_is(const char *name, const char *base)
{
	size_t n = strlen(base);
	return strncmp(name, base, n) == 0 && (name[n] == 0 || name[n] == '@');
}

static bool is_string(const struct token *t)
{
	return t->len > 0 && t->val[t->len - 1] == 0;
}

/* A string list (e.g. "compatible") contains @s. */
static bool strlist_has(const struct token *t, const char *s)
{
	uint32_t i = 0;
	while (i < t->len) {
		const char *item = (const char *)t->val + i;
		size_t n = strnlen(item, t->len - i);
		if (n == strlen(s) && memcmp(item, s, n) == 0) {
			return true;
		}
		i += (uint32_t)n + 1;
	}
	return false;
}

/* Reads @cells 32-bit cells at @v as one number (1 or 2 cells). */
static uint64_t read_cells(const uint8_t *v, uint32_t cells)
{
	uint64_t x = 0;
	for (uint32_t i = 0; i < cells; i++) {
		x = x << 32 | be32(v + 4 * i);
	}
	return x;
}

static int read_u32_or_u64(struct walk *w, const struct token *t, uint64_t *out)
{
	if (t->len != 4 && t->len != 8) {
		return fail(&w->f, "'%s' in %s is %u bytes, expected 4 or 8", t->name,
			    w->stack[w->depth].name, (unsigned)t->len);
	}
	*out = read_cells(t->val, t->len / 4);
	return 0;
}

static enum node_kind classify(struct walk *w, const char *name)
{
	enum node_kind parent = w->stack[w->depth].kind;

	switch (parent) {
	case N_ROOT:
		if (name_is(name, "memory")) {
			return N_MEMORY;
		}
		if (name_is(name, "chosen")) {
			return N_CHOSEN;
		}
		if (name_is(name, "cpus")) {
			return N_CPUS;
		}
		if (name_is(name, "soc")) {
			return N_SOC;
		}
		return N_OTHER;
	case N_CPUS:
		if (strcmp(name, "cpu-map") == 0) {
			return N_CPU_MAP;
		}
		return N_CPU;   /* confirmed by device_type = "cpu" at its end */
	case N_CPU:
		return strcmp(name, "interrupt-controller") == 0 ? N_CPU_INTC : N_OTHER;
	case N_CPU_MAP:
	case N_MAP_GROUP:
		return starts_with(name, "core") ? N_MAP_CORE : N_MAP_GROUP;
	case N_MAP_CORE:
		return starts_with(name, "thread") ? N_MAP_THREAD : N_OTHER;
	case N_SOC:
		return N_SOC_DEV;
	default:
		return N_OTHER;
	}
}

static int begin_node(struct walk *w, const char *name)
{
	if (w->depth + 1 >= DT_MAX_DEPTH) {
		return fail(&w->f, "nodes nested deeper than %d at '%s'", DT_MAX_DEPTH, name);
	}
	enum node_kind kind = classify(w, name);
	struct node *n = &w->stack[++w->depth];
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->name = name;
	n->okay = true;
	/* Defaults from the devicetree specification. */
	n->addr_cells = 2;
	n->size_cells = 1;
	if (kind == N_MAP_CORE) {
		w->core_next++;
		w->thread_next = 0;
	}
	return 0;
}

static int node_prop(struct walk *w, const struct token *t)
{
	struct node *n = &w->stack[w->depth];
	struct dt_platform *p = w->p;

	if (strcmp(t->name, "#address-cells") == 0 || strcmp(t->name, "#size-cells") == 0) {
		if (t->len != 4 || be32(t->val) > 4) {
			return fail(&w->f, "'%s' in %s must be one cell of value 0-4", t->name,
				    n->name[0] ? n->name : "/");
		}
		if (t->name[1] == 'a') {
			n->addr_cells = be32(t->val);
		} else {
			n->size_cells = be32(t->val);
		}
		return 0;
	}
	if (strcmp(t->name, "reg") == 0) {
		n->reg = t->val;
		n->reg_len = t->len;
		return 0;
	}
	if (strcmp(t->name, "phandle") == 0 && t->len == 4) {
		n->phandle = be32(t->val);
		return 0;
	}
	if (strcmp(t->name, "device_type") == 0 && is_string(t)) {
		n->is_memory_type = strcmp((const char *)t->val, "memory") == 0;
		n->is_cpu_type = strcmp((const char *)t->val, "cpu") == 0;
		return 0;
	}
	if (strcmp(t->name, "status") == 0) {
		if (!is_string(t)) {
			return fail(&w->f, "'status' in %s is not a string", n->name);
		}
		n->okay = strcmp((const char *)t->val, "okay") == 0 ||
			  strcmp((const char *)t->val, "ok") == 0;
		return 0;
	}

	switch (n->kind) {
	case N_CHOSEN:
		if (strcmp(t->name, "bootargs") == 0) {
			if (!is_string(t)) {
				return fail(&w->f, "/chosen/bootargs is not a NUL-terminated string");
			}
			p->bootargs = (const char *)t->val;
		} else if (strcmp(t->name, "linux,initrd-start") == 0) {
			return read_u32_or_u64(w, t, &p->initrd_start);
		} else if (strcmp(t->name, "linux,initrd-end") == 0) {
			return read_u32_or_u64(w, t, &p->initrd_end);
		}
		return 0;
	case N_CPUS:
	case N_CPU:
		if (strcmp(t->name, "timebase-frequency") == 0 &&
		    (n->kind == N_CPUS || !w->timebase_found)) {
			w->timebase_found = true;
			return read_u32_or_u64(w, t, &p->timebase_hz);
		}
		if (n->kind == N_CPU && strcmp(t->name, "riscv,isa") == 0) {
			if (!is_string(t)) {
				return fail(&w->f, "'riscv,isa' in %s is not a string", n->name);
			}
			n->isa = (const char *)t->val;
		}
		return 0;
	case N_MAP_CORE:
	case N_MAP_THREAD:
		if (strcmp(t->name, "cpu") == 0) {
			if (t->len != 4) {
				return fail(&w->f, "'cpu' in cpu-map node %s is %u bytes, expected 4",
					    n->name, (unsigned)t->len);
			}
			n->has_map_cpu = true;
			n->map_cpu = be32(t->val);
		}
		return 0;
	case N_SOC_DEV:
		if (strcmp(t->name, "compatible") == 0 && strlist_has(t, "sifive,test0")) {
			n->exit_dev = true;
		}
		if (strcmp(t->name, "compatible") == 0 && strlist_has(t, "riscv,imsics")) {
			n->imsic = true;
		}
		if (strcmp(t->name, "interrupts-extended") == 0) {
			n->irqs_ext = t->val;
			n->irqs_ext_len = t->len;
		}
		return 0;
	default:
		return 0;
	}
}

static int add_map_entry(struct walk *w, const struct node *n)
{
	if (!n->has_map_cpu) {
		return 0;
	}
	if (w->map_count == DT_MAX_HARTS) {
		return fail(&w->f, "cpu-map lists more than %d CPUs", DT_MAX_HARTS);
	}
	struct map_entry *e = &w->map[w->map_count++];
	e->phandle = n->map_cpu;
	e->core = w->core_next - 1;
	e->thread = n->kind == N_MAP_THREAD ? w->thread_next++ : 0;
	return 0;
}

/*
 * An IMSIC node (the AIA's per-hart interrupt files): the supervisor-level one is the
 * one whose interrupts-extended pairs name the harts' S-level external interrupt (9);
 * its pair i is hart file i, at base + i * 4 KiB (no guest files: QEMU's layout).
 */
static int imsic_node(struct walk *w, const struct node *n, uint32_t ac)
{
	struct dt_platform *p = w->p;
	uint32_t pairs = n->irqs_ext_len / 8;

	if (!n->irqs_ext || n->irqs_ext_len % 8 || !n->reg || ac == 0 || n->reg_len < 4 * ac) {
		return fail(&w->f, "%s: an IMSIC needs 'reg' and (phandle, irq) pairs in "
			    "'interrupts-extended'", n->name);
	}
	for (uint32_t i = 0; i < pairs; i++) {
		if (be32(n->irqs_ext + 8 * i + 4) != 9) {
			return 0;                  /* machine level (11): the firmware's */
		}
	}
	if (pairs > DT_MAX_HARTS) {
		return fail(&w->f, "%s: %u interrupt files, at most %d", n->name, (unsigned)pairs,
			    DT_MAX_HARTS);
	}
	p->imsic_base = read_cells(n->reg, ac);
	p->imsic_files = pairs;
	for (uint32_t i = 0; i < pairs; i++) {
		p->imsic_intc[i] = be32(n->irqs_ext + 8 * i);
	}
	return 0;
}

static int end_node(struct walk *w)
{
	struct node *n = &w->stack[w->depth];
	struct node *parent = &w->stack[w->depth - 1];
	struct dt_platform *p = w->p;
	uint32_t ac = parent->addr_cells, sc = parent->size_cells;

	if ((n->kind == N_MEMORY || n->kind == N_CPU || n->kind == N_SOC_DEV) && n->reg &&
	    (ac > 2 || sc > 2)) {
		return fail(&w->f, "%s: addresses of %u cells and sizes of %u cells are not supported",
			    n->name, (unsigned)ac, (unsigned)sc);
	}

	switch (n->kind) {
	case N_MEMORY:
		if (!w->mem_found && (n->is_memory_type || n->reg)) {
			if (!n->reg || ac == 0 || n->reg_len < 4 * (ac + sc)) {
				return fail(&w->f, "%s: 'reg' is %u bytes, need %u for one region",
					    n->name, (unsigned)n->reg_len, (unsigned)(4 * (ac + sc)));
			}
			p->mem_base = read_cells(n->reg, ac);
			p->mem_size = read_cells(n->reg + 4 * ac, sc);
			w->mem_found = true;
		}
		break;
	case N_CPUS:
		w->cpus_found = true;
		break;
	case N_CPU: {
		if (!n->is_cpu_type && !name_is(n->name, "cpu")) {
			break;
		}
		if (p->hart_count == DT_MAX_HARTS) {
			p->harts_dropped++;
			break;
		}
		struct dt_hart *h = &p->harts[p->hart_count++];
		if (n->reg) {
			if (ac == 0 || n->reg_len != 4 * ac) {
				return fail(&w->f, "%s: 'reg' is %u bytes, expected %u (#address-cells = %u)",
					    n->name, (unsigned)n->reg_len, (unsigned)(4 * ac), (unsigned)ac);
			}
			h->hartid = read_cells(n->reg, ac);
			h->has_reg = true;
		}
		h->phandle = n->phandle;
		h->intc_phandle = n->intc_phandle;
		h->okay = n->okay;
		h->isa = n->isa;
		h->core_id = -1;
		h->thread_id = -1;
		break;
	}
	case N_CPU_MAP:
		p->has_cpu_map = true;
		break;
	case N_MAP_CORE:
	case N_MAP_THREAD:
		return add_map_entry(w, n);
	case N_SOC_DEV:
		if (n->exit_dev && n->reg && ac >= 1 && n->reg_len >= 4 * ac) {
			p->exit_device = read_cells(n->reg, ac);
		}
		if (n->imsic) {
			return imsic_node(w, n, ac);
		}
		break;
	case N_CPU_INTC:
		parent->intc_phandle = n->phandle;
		break;
	default:
		break;
	}
	return 0;
}

/* Gives each hart the core and thread that cpu-map lists it under. */
static int apply_cpu_map(struct walk *w)
{
	struct dt_platform *p = w->p;

	p->core_count = (unsigned)w->core_next;
	for (unsigned int i = 0; i < w->map_count; i++) {
		struct map_entry *e = &w->map[i];
		struct dt_hart *h = NULL;
		for (unsigned int j = 0; j < p->hart_count; j++) {
			if (p->harts[j].phandle == e->phandle && e->phandle != 0) {
				h = &p->harts[j];
				break;
			}
		}
		if (!h) {
			return fail(&w->f, "cpu-map refers to phandle %u, which is no cpu node",
				    (unsigned)e->phandle);
		}
		if (h->core_id >= 0) {
			return fail(&w->f, "cpu-map lists hart %llu twice", (unsigned long long)h->hartid);
		}
		h->core_id = e->core;
		h->thread_id = e->thread;
	}
	return 0;
}

int dt_parse_platform(const void *blob, size_t avail, struct dt_platform *p, char *err, size_t errlen)
{
	static struct walk w;     /* large: keep it off small kernel stacks */
	struct token t;
	uint32_t pos = 0;
	bool root_seen = false;

	memset(&w, 0, sizeof(w));
	memset(p, 0, sizeof(*p));
	w.f.err = err;
	w.f.errlen = errlen;
	w.p = p;
	w.depth = -1;
	if (fdt_open(&w.f, blob, avail)) {
		return -1;
	}
	p->totalsize = w.f.total;

	for (;;) {
		if (fdt_next(&w.f, &pos, &t)) {
			return -1;
		}
		if (t.type == FDT_END) {
			break;
		}
		switch (t.type) {
		case FDT_BEGIN_NODE:
			if (w.depth < 0) {
				if (root_seen) {
					return fail(&w.f, "second root node '%s' at 0x%x", t.name,
						    (unsigned)t.at);
				}
				root_seen = true;
				w.depth = 0;
				memset(&w.stack[0], 0, sizeof(w.stack[0]));
				w.stack[0].kind = N_ROOT;
				w.stack[0].name = "/";
				w.stack[0].addr_cells = 2;
				w.stack[0].size_cells = 1;
			} else if (begin_node(&w, t.name)) {
				return -1;
			}
			break;
		case FDT_END_NODE:
			if (w.depth < 0) {
				return fail(&w.f, "unbalanced FDT_END_NODE at 0x%x", (unsigned)t.at);
			}
			if (w.depth > 0 && end_node(&w)) {
				return -1;
			}
			w.depth--;
			break;
		case FDT_PROP:
			if (w.depth < 0) {
				return fail(&w.f, "property '%s' outside any node", t.name);
			}
			if (node_prop(&w, &t)) {
				return -1;
			}
			break;
		default:
			break;
		}
	}
	if (w.depth >= 0) {
		return fail(&w.f, "FDT_END inside node '%s'", w.stack[w.depth].name);
	}
	if (!root_seen) {
		return fail(&w.f, "no root node");
	}
	if (!w.mem_found) {
		return fail(&w.f, "no /memory node with a 'reg' region");
	}
	if (!w.cpus_found || p->hart_count == 0) {
		return fail(&w.f, "no cpu nodes under /cpus");
	}
	if (!w.timebase_found || p->timebase_hz == 0) {
		return fail(&w.f, "no usable timebase-frequency in /cpus");
	}
	if (p->initrd_end < p->initrd_start) {
		return fail(&w.f, "/chosen initrd ends (0x%llx) before it starts (0x%llx)",
			    (unsigned long long)p->initrd_end, (unsigned long long)p->initrd_start);
	}
	return apply_cpu_map(&w);
}
