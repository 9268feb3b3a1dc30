/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A bounds-checked reader of the flattened device tree the firmware hands over, and
 * the platform facts the kernel takes from it. Every offset and length is checked
 * against the blob before use: a corrupt or truncated tree gives an error message
 * naming what is wrong, never a read outside the blob. Pure C, shared with host tests.
 */
#ifndef HP_DTB_H
#define HP_DTB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DT_MAX_HARTS 512       /* QEMU virt boots up to 512 */
#define DT_MAX_DEPTH 16
#define DT_ERR_LEN 160

struct dt_hart {
	uint64_t hartid;
	uint32_t phandle;
	uint32_t intc_phandle;     /* its interrupt-controller's (0 if none) */
	bool okay;                 /* status absent or "okay" */
	bool has_reg;
	const char *isa;           /* points into the blob, NUL-terminated; NULL if absent */
	int core_id;               /* from cpu-map; -1 if not listed there */
	int thread_id;             /* position within its core; -1 if not listed */
};

struct dt_platform {
	uint32_t totalsize;
	uint64_t mem_base, mem_size;
	uint64_t timebase_hz;
	const char *bootargs;      /* NULL if absent */
	uint64_t initrd_start, initrd_end;   /* 0, 0 if absent */
	uint64_t exit_device;      /* sifive,test0 syscon base, 0 if absent */
	unsigned int hart_count;   /* cpu nodes seen (device_type "cpu") */
	unsigned int harts_dropped;/* cpu nodes beyond DT_MAX_HARTS */
	unsigned int core_count;   /* cores in cpu-map */
	bool has_cpu_map;
	struct dt_hart harts[DT_MAX_HARTS];
	/*
	 * The supervisor-level IMSIC (AIA), if any: its base and, per interrupt file, the
	 * phandle of the hart interrupt controller it belongs to (file i at base + 4 KiB i).
	 */
	uint64_t imsic_base;
	unsigned int imsic_files;  /* 0: none */
	uint32_t imsic_intc[DT_MAX_HARTS];
};

/*
 * Parses @blob (at most @avail bytes readable) into @p. Returns 0, or -1 with a message
 * in @err. @p's string pointers point into @blob.
 */
int dt_parse_platform(const void *blob, size_t avail, struct dt_platform *p, char *err, size_t errlen);

/* Total size from a blob's header, after checking the magic; 0 if not a DTB. */
uint32_t dt_total_size(const void *blob, size_t avail);

#endif
