/* SPDX-License-Identifier: BSD-2-Clause */
/* A small tree of named files for the shell, laid out like Linux's /sys. */
#ifndef HP_SYSFS_H
#define HP_SYSFS_H

#include "kernel.h"

struct sysfs_node;

/* show writes the file's text (with its newline) and returns its length or -errno. */
typedef int (*sysfs_show_fn)(void *arg, char *buf, size_t len);
/* store gets the written value without its newline; 0 or -errno. */
typedef int (*sysfs_store_fn)(void *arg, const char *value);

/* A file too long for one buffer (the boot scripts): up to @len bytes from @off, 0 at its end. */
typedef long (*sysfs_read_at_fn)(void *arg, char *buf, size_t len, size_t off);

struct sysfs_node *sysfs_root(void);
/* Creates (or finds) the directory at @path, making parents; NULL when out of memory. */
struct sysfs_node *sysfs_mkdir(const char *path);
/*
 * The same relative to a directory already found: @name one component. Many files in
 * many directories (cpuN/...) are made this way without formatting and walking a path
 * for each.
 */
struct sysfs_node *sysfs_mkdir_at(struct sysfs_node *dir, const char *name);
int sysfs_add_file_at(struct sysfs_node *dir, const char *name, sysfs_show_fn show,
		      sysfs_store_fn store, void *arg);
int sysfs_add_control_file_at(struct sysfs_node *dir, const char *name, sysfs_show_fn show,
			      sysfs_store_fn store, void *arg);
/* /sys/devices/system/cpu/cpuN, made if need be (cpu_sysfs.c); NULL when out of memory. */
struct sysfs_node *sysfs_cpu_dir(unsigned int cpu);
int sysfs_add_file(const char *path, sysfs_show_fn show, sysfs_store_fn store, void *arg);

int sysfs_add_stream(const char *path, sysfs_read_at_fn read_at, void *arg);
/*
 * A file whose writes control CPUs (online, hotplug target and fail, smt control): the
 * write system call asks for the CPU-control right (docs/ipc.md). Reads stay open.
 */
int sysfs_add_control_file(const char *path, sysfs_show_fn show, sysfs_store_fn store, void *arg);
bool sysfs_needs_cpu_control(const char *path);
/*
 * A stream's bytes from @off, or a shown file's whole text (only from 0: -EINVAL
 * otherwise; -ERANGE if it does not fit in @len); -ENOENT, -EISDIR.
 */
long sysfs_read_at(const char *path, char *buf, size_t len, size_t off);

/* -ENOENT, -EISDIR, -EPERM (read-only), or what the file says. */
int sysfs_read(const char *path, char *buf, size_t len);
int sysfs_write(const char *path, const char *value);
/* Calls @fn for each entry of the directory @path; -ENOENT / -ENOTDIR. */
int sysfs_list(const char *path, void (*fn)(const char *name, bool is_dir, void *arg), void *arg);

#endif
