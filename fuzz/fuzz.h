/* SPDX-License-Identifier: GPL-2.0-or-later */
/* What every fuzz harness shares: the libFuzzer entry points and an invariant check that aborts. */
#ifndef IA_FUZZ_H
#define IA_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer calls this once per input (also the replay driver, fuzz/replay.c). Returns 0. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
/* Optional one-time set-up; harnesses that need none do not define it. */
int LLVMFuzzerInitialize(int *argc, char ***argv);

/*
 * A documented property of a decoder's output that must hold for every input. A broken one
 * aborts, so libFuzzer (and the replay driver) report it as a crash and keep the input.
 */
#define FZ_CHECK(cond)                                                                        \
	do {                                                                                  \
		if (!(cond)) {                                                                \
			fprintf(stderr, "%s:%d: invariant broken: %s\n", __FILE__, __LINE__, #cond); \
			abort();                                                              \
		}                                                                             \
	} while (0)

#endif
