#ifndef DLF_TEST_FIXTURE_H
#define DLF_TEST_FIXTURE_H
/* Helpers the channel tests share: small channels and frames whose pixels say which frame they are. */
#include <string.h>

#include "channel_internal.h"
#include "check.h"

#define MS (1000u * 1000u)

static inline dlf_channel *fixture_producer(uint32_t width, uint32_t height)
{
	dlf_channel_params params = {.max_frame_bytes = (uint64_t)width * height * 4};
	dlf_channel *producer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_create(&params, &producer));
	return producer;
}

/* Fills a begun frame with a pattern derived from `seed` and records its checksum. */
static inline void fixture_fill(dlf_frame *frame, uint32_t width, uint32_t height, uint32_t seed)
{
	frame->width = width;
	frame->height = height;
	frame->stride = width * 4;
	frame->format = DLF_PIXEL_BGRA;
	for (uint32_t y = 0; y < height; y++) {
		uint8_t *row = frame->data + (uint64_t)y * frame->stride;
		for (uint32_t x = 0; x < width * 4; x++)
			row[x] = (uint8_t)(x * 7u + y * 13u + seed * 31u);
	}
	frame->checksum = dlf_frame_checksum(frame->data, width, height, frame->stride, DLF_PIXEL_BGRA);
}

static inline uint64_t fixture_checksum(const dlf_frame *frame)
{
	return dlf_frame_checksum(frame->data, frame->width, frame->height, frame->stride, frame->format);
}

static inline uint32_t fixture_state(dlf_channel *producer, uint32_t slot)
{
	return DLF_STATE(atomic_load(&producer->header->slots[slot].state));
}

#endif
