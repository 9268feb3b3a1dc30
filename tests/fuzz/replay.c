/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Runs a fuzz harness on every file of a corpus directory, without libFuzzer: the
 * host tests replay each minimized corpus this way (under ASan/UBSan) as regression
 * cases. usage: replay_TARGET DIR
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s CORPUS_DIR\n", argv[0]);
		return 2;
	}
	DIR *d = opendir(argv[1]);
	if (!d) {
		fprintf(stderr, "replay: cannot open %s\n", argv[1]);
		return 1;
	}
	unsigned int n = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.') {
			continue;
		}
		char path[4096];
		snprintf(path, sizeof(path), "%s/%s", argv[1], e->d_name);
		FILE *f = fopen(path, "rb");
		if (!f) {
			continue;
		}
		static uint8_t buf[1 << 20];
		size_t len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		uint8_t *copy = malloc(len ? len : 1);     /* exact size: overreads are caught */
		memcpy(copy, buf, len);
		LLVMFuzzerTestOneInput(copy, len);
		free(copy);
		n++;
	}
	closedir(d);
	if (n == 0) {
		fprintf(stderr, "replay: %s holds no inputs: nothing was tested\n", argv[1]);
		return 1;
	}
	printf("replay: %u inputs of %s, no fault\n", n, argv[1]);
	return 0;
}
