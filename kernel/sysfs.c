/* SPDX-License-Identifier: BSD-2-Clause */
/* The /sys-like tree: directories and files with show/store callbacks. */
#include <stdint.h>
#include <string.h>
#include "sysfs.h"
#include "alloc.h"
#include "spinlock.h"
#include "err.h"

struct sysfs_node {
	char *name;
	size_t len;
	uint32_t hash;               /* of the name: a directory of 64 cpuN is searched often */
	bool is_dir;
	struct sysfs_node *parent, *children, *next;
	struct sysfs_node *last;     /* last child: appending stays O(1) */
	sysfs_show_fn show;
	sysfs_store_fn store;
	sysfs_read_at_fn read_at;
	void *arg;
	bool cpu_control;            /* writing it needs the CPU-control right */
};

static struct sysfs_node root = { .name = "", .is_dir = true };

struct sysfs_node *sysfs_root(void)
{
	return &root;
}

/* FNV-1a: lookups compare names by length and hash before their bytes. */
static uint32_t name_hash(const char *name, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++) {
		h = (h ^ (unsigned char)name[i]) * 16777619u;
	}
	return h;
}

static struct sysfs_node *child(struct sysfs_node *dir, const char *name, size_t len)
{
	uint32_t h = name_hash(name, len);
	for (struct sysfs_node *n = dir->children; n; n = n->next) {
		if (n->len == len && n->hash == h && memcmp(n->name, name, len) == 0) {
			return n;
		}
	}
	return NULL;
}

/* Next component of @path: sets *@len, returns its start or NULL at the end. */
static const char *component(const char **path, size_t *len)
{
	const char *p = *path;
	while (*p == '/') {
		p++;
	}
	if (!*p) {
		return NULL;
	}
	const char *start = p;
	while (*p && *p != '/') {
		p++;
	}
	*len = (size_t)(p - start);
	*path = p;
	return start;
}

static struct sysfs_node *lookup(const char *path)
{
	struct sysfs_node *n = &root;
	const char *name;
	size_t len;

	while ((name = component(&path, &len))) {
		if (!n->is_dir) {
			return NULL;
		}
		if (len == 1 && name[0] == '.') {
			continue;
		}
		if (len == 2 && name[0] == '.' && name[1] == '.') {
			n = n->parent ? n->parent : n;
			continue;
		}
		n = child(n, name, len);
		if (!n) {
			return NULL;
		}
	}
	return n;
}

static struct sysfs_node *new_node(struct sysfs_node *dir, const char *name, size_t len)
{
	struct sysfs_node *n = kzalloc(sizeof(*n));
	if (!n) {
		return NULL;
	}
	n->name = kmalloc(len + 1);
	if (!n->name) {
		kfree(n);
		return NULL;
	}
	memcpy(n->name, name, len);
	n->name[len] = 0;
	n->len = len;
	n->hash = name_hash(name, len);
	n->parent = dir;
	/* Appended, so that ls lists entries in creation order. */
	if (dir->last) {
		dir->last->next = n;
	} else {
		dir->children = n;
	}
	dir->last = n;
	return n;
}

/* @dir's directory @name (@len bytes), made if missing; NULL if a file has the name. */
static struct sysfs_node *dir_child(struct sysfs_node *dir, const char *name, size_t len)
{
	struct sysfs_node *c = child(dir, name, len);
	if (!c) {
		c = new_node(dir, name, len);
		if (!c) {
			return NULL;
		}
		c->is_dir = true;
	}
	return c->is_dir ? c : NULL;
}

struct sysfs_node *sysfs_mkdir(const char *path)
{
	struct sysfs_node *n = &root;
	const char *name;
	size_t len;

	while (n && (name = component(&path, &len))) {
		n = dir_child(n, name, len);
	}
	return n;
}

/*
 * The directories files were last added to: files come in runs per directory (cpuN/,
 * cpuN/hotplug/), and with 64 CPUs walking the path each time is most of the boot's
 * sysfs cost. Directories are never removed, so a cached node stays valid.
 */
#define DIR_CACHE 4
static struct {
	char path[128];
	struct sysfs_node *node;
} dir_cache[DIR_CACHE];
static unsigned int dir_cache_next;

static struct sysfs_node *mkdir_cached(const char *dir)
{
	for (unsigned int i = 0; i < DIR_CACHE; i++) {
		if (dir_cache[i].node && strcmp(dir_cache[i].path, dir) == 0) {
			return dir_cache[i].node;
		}
	}
	struct sysfs_node *d = sysfs_mkdir(dir);
	if (d) {
		unsigned int slot = dir_cache_next++ % DIR_CACHE;
		strcpy(dir_cache[slot].path, dir);
		dir_cache[slot].node = d;
	}
	return d;
}

struct sysfs_node *sysfs_mkdir_at(struct sysfs_node *dir, const char *name)
{
	return dir ? dir_child(dir, name, strlen(name)) : NULL;
}

static int add_file(struct sysfs_node *d, const char *name, sysfs_show_fn show,
		    sysfs_store_fn store, sysfs_read_at_fn read_at, void *arg, bool control)
{
	size_t len = strlen(name);
	if (child(d, name, len)) {
		return -EEXIST;
	}
	struct sysfs_node *f = new_node(d, name, len);
	if (!f) {
		return -ENOMEM;
	}
	f->show = show;
	f->store = store;
	f->read_at = read_at;
	f->arg = arg;
	f->cpu_control = control;
	return 0;
}

int sysfs_add_file_at(struct sysfs_node *dir, const char *name, sysfs_show_fn show,
		      sysfs_store_fn store, void *arg)
{
	return dir ? add_file(dir, name, show, store, NULL, arg, false) : -ENOMEM;
}

int sysfs_add_control_file_at(struct sysfs_node *dir, const char *name, sysfs_show_fn show,
			      sysfs_store_fn store, void *arg)
{
	return dir ? add_file(dir, name, show, store, NULL, arg, true) : -ENOMEM;
}

/* A file at @path: its directory made if need be (through the cache), then add_file(). */
static int add_file_path(const char *path, sysfs_show_fn show, sysfs_store_fn store,
			 sysfs_read_at_fn read_at, void *arg, bool control)
{
	const char *slash = strrchr(path, '/');
	char dir[sizeof(dir_cache[0].path)];

	if (!slash || (size_t)(slash - path) >= sizeof(dir)) {
		return -EINVAL;
	}
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = 0;
	struct sysfs_node *d = mkdir_cached(dir);
	return d ? add_file(d, slash + 1, show, store, read_at, arg, control) : -ENOMEM;
}

int sysfs_add_file(const char *path, sysfs_show_fn show, sysfs_store_fn store, void *arg)
{
	return add_file_path(path, show, store, NULL, arg, false);
}

int sysfs_add_control_file(const char *path, sysfs_show_fn show, sysfs_store_fn store, void *arg)
{
	return add_file_path(path, show, store, NULL, arg, true);
}

bool sysfs_needs_cpu_control(const char *path)
{
	struct sysfs_node *n = lookup(path);
	return n && n->cpu_control;
}

int sysfs_add_stream(const char *path, sysfs_read_at_fn read_at, void *arg)
{
	return add_file_path(path, NULL, NULL, read_at, arg, false);
}

long sysfs_read_at(const char *path, char *buf, size_t len, size_t off)
{
	struct sysfs_node *n = lookup(path);
	if (!n) {
		return -ENOENT;
	}
	if (n->is_dir) {
		return -EISDIR;
	}
	if (n->read_at) {
		return n->read_at(n->arg, buf, len, off);
	}
	if (off) {
		return -EINVAL;
	}
	long ret = sysfs_read(path, buf, len);
	/*
	 * Cut, or a formatter that found no room (the cpulists' -ENOSPC): both are the
	 * caller's short buffer, and that has one name in docs/syscalls.md. Never a part.
	 */
	return (ret >= 0 && (size_t)ret >= len) || ret == -ENOSPC ? -ERANGE : ret;
}

int sysfs_read(const char *path, char *buf, size_t len)
{
	struct sysfs_node *n = lookup(path);
	if (!n) {
		return -ENOENT;
	}
	if (n->is_dir) {
		return -EISDIR;
	}
	if (!n->show) {
		return -EPERM;
	}
	return n->show(n->arg, buf, len);
}

int sysfs_write(const char *path, const char *value)
{
	struct sysfs_node *n = lookup(path);
	if (!n) {
		return -ENOENT;
	}
	if (n->is_dir) {
		return -EISDIR;
	}
	if (!n->store) {
		return -EPERM;
	}
	return n->store(n->arg, value);
}

int sysfs_list(const char *path, void (*fn)(const char *name, bool is_dir, void *arg), void *arg)
{
	struct sysfs_node *n = lookup(path);
	if (!n) {
		return -ENOENT;
	}
	if (!n->is_dir) {
		return -ENOTDIR;
	}
	for (struct sysfs_node *c = n->children; c; c = c->next) {
		fn(c->name, c->is_dir, arg);
	}
	return 0;
}
