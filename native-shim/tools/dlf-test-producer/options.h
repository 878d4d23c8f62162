#ifndef DLF_TEST_PRODUCER_OPTIONS_H
#define DLF_TEST_PRODUCER_OPTIONS_H
#include <stdint.h>

enum verify_mode {
	VERIFY_IDENTITY, /* a no-op engine: the returned pixels equal the sent ones */
	VERIFY_CHECKSUM, /* any engine: the returned pixels match the checksum the engine declared */
	VERIFY_NONE
};

struct options {
	uint32_t width;
	uint32_t height;
	uint32_t fps; /* 0: send the next frame as soon as the previous one is back */
	uint32_t frames;
	uint32_t slots;
	uint32_t wait_seconds; /* for an engine to attach */
	enum verify_mode verify;
	const char *image_path;
	const char *out_dir;
	const char *name_file;
};

/* Parses argv; on a bad or missing value prints a one-line error (or the usage for --help) and returns nonzero:
 * 1 for an error, 2 for --help. */
int options_parse(int argc, char **argv, struct options *options);

#endif
