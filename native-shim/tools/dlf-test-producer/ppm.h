#ifndef DLF_PPM_H
#define DLF_PPM_H
/* Binary PPM (P6, 8-bit) in and out, converted from and to BGRA: an image format any viewer opens, no library. */
#include <stdint.h>

struct bgra_image {
	uint32_t width;
	uint32_t height;
	uint8_t *pixels; /* width * 4 bytes per row, rows packed */
};

/* Reads `path`; on failure returns a one-line reason (static string) and leaves *image empty. */
const char *ppm_read(const char *path, struct bgra_image *image);

/* Writes a BGRA frame (rows `stride` apart) as P6; returns 0 on success. */
int ppm_write(const char *path, const uint8_t *bgra, uint32_t width, uint32_t height, uint32_t stride);

#endif
