#include "ppm.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

#define PPM_MAX_DIMENSION 16384u

/* Reads one header number, skipping whitespace and # comments. */
static int read_number(FILE *file, uint32_t *value)
{
	int c = fgetc(file);
	for (;;) {
		if (c == '#') {
			while (c != '\n' && c != EOF)
				c = fgetc(file);
		} else if (c != EOF && isspace(c)) {
			c = fgetc(file);
		} else {
			break;
		}
	}
	if (c == EOF || !isdigit(c))
		return -1;
	uint64_t v = 0;
	while (c != EOF && isdigit(c)) {
		v = v * 10 + (uint64_t)(c - '0');
		if (v > PPM_MAX_DIMENSION)
			return -1;
		c = fgetc(file);
	}
	/* Exactly one whitespace byte ends the header's last number; it has been consumed. */
	if (c == EOF || !isspace(c))
		return -1;
	*value = (uint32_t)v;
	return 0;
}

const char *ppm_read(const char *path, struct bgra_image *image)
{
	*image = (struct bgra_image){0};
	FILE *file = fopen(path, "rb");
	if (file == NULL)
		return "cannot open the image file";
	const char *error = NULL;
	uint32_t width, height, maxval;
	if (fgetc(file) != 'P' || fgetc(file) != '6')
		error = "not a binary PPM (P6) image; convert it, e.g. `convert photo.jpg photo.ppm`";
	else if (read_number(file, &width) || read_number(file, &height) || read_number(file, &maxval) ||
		 width == 0 || height == 0)
		error = "malformed PPM header";
	else if (maxval != 255)
		error = "only 8-bit PPM images (maxval 255) are supported";
	uint8_t *rgb = NULL;
	if (error == NULL) {
		size_t bytes = (size_t)width * height * 3;
		rgb = malloc(bytes);
		image->pixels = malloc((size_t)width * height * 4);
		if (rgb == NULL || image->pixels == NULL)
			error = "out of memory";
		else if (fread(rgb, 1, bytes, file) != bytes)
			error = "the PPM file is shorter than its header says";
	}
	fclose(file);
	if (error != NULL) {
		free(rgb);
		free(image->pixels);
		*image = (struct bgra_image){0};
		return error;
	}
	for (size_t i = 0; i < (size_t)width * height; i++) {
		image->pixels[i * 4 + 0] = rgb[i * 3 + 2];
		image->pixels[i * 4 + 1] = rgb[i * 3 + 1];
		image->pixels[i * 4 + 2] = rgb[i * 3 + 0];
		image->pixels[i * 4 + 3] = 255;
	}
	free(rgb);
	image->width = width;
	image->height = height;
	return NULL;
}

int ppm_write(const char *path, const uint8_t *bgra, uint32_t width, uint32_t height, uint32_t stride)
{
	FILE *file = fopen(path, "wb");
	if (file == NULL)
		return -1;
	uint8_t *row = malloc((size_t)width * 3);
	int status = row == NULL ? -1 : 0;
	if (status == 0 && fprintf(file, "P6\n%u %u\n255\n", width, height) < 0)
		status = -1;
	for (uint32_t y = 0; status == 0 && y < height; y++) {
		const uint8_t *src = bgra + (size_t)y * stride;
		for (uint32_t x = 0; x < width; x++) {
			row[x * 3 + 0] = src[x * 4 + 2];
			row[x * 3 + 1] = src[x * 4 + 1];
			row[x * 3 + 2] = src[x * 4 + 0];
		}
		if (fwrite(row, 3, width, file) != width)
			status = -1;
	}
	free(row);
	if (fclose(file) != 0)
		status = -1;
	return status;
}
