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

struct sysfs_node *sysfs_root(void);
/* Creates (or finds) the directory at @path, making parents; NULL when out of memory. */
struct sysfs_node *sysfs_mkdir(const char *path);
int sysfs_add_file(const char *path, sysfs_show_fn show, sysfs_store_fn store, void *arg);

/* -ENOENT, -EISDIR, -EPERM (read-only), or what the file says. */
int sysfs_read(const char *path, char *buf, size_t len);
int sysfs_write(const char *path, const char *value);
/* Calls @fn for each entry of the directory @path; -ENOENT / -ENOTDIR. */
int sysfs_list(const char *path, void (*fn)(const char *name, bool is_dir, void *arg), void *arg);

#endif
