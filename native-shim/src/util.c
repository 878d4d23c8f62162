/* Small helpers of the public API: frame checksums, pixel sizes, status messages. */
#include <stddef.h>
#include <string.h>

#include "dlf/frame_channel.h"

/* The Java binding reads these structs at fixed offsets (app.deeplive.engine.channel.NativeFrame et al.). */
_Static_assert(sizeof(void *) != 8 || (offsetof(dlf_frame, capacity) == 8 && offsetof(dlf_frame, sequence) == 16 &&
					offsetof(dlf_frame, timestamp_ns) == 24 && offsetof(dlf_frame, checksum) == 32 &&
					offsetof(dlf_frame, slot) == 40 && offsetof(dlf_frame, width) == 44 &&
					offsetof(dlf_frame, height) == 48 && offsetof(dlf_frame, stride) == 52 &&
					offsetof(dlf_frame, format) == 56 && offsetof(dlf_frame, result) == 60 &&
					sizeof(dlf_frame) == 64),
	       "dlf_frame layout changed: update the Java binding");
_Static_assert(offsetof(dlf_channel_params, peer_timeout_ms) == 4 && offsetof(dlf_channel_params, max_frame_bytes) == 8 &&
		       sizeof(dlf_channel_params) == 16 && sizeof(dlf_channel_stats) == 48,
	       "dlf_channel_params/stats layout changed: update the Java binding");

#define CHECKSUM_PRIME 0x9e3779b97f4a7c15u

static uint64_t load64(const uint8_t *p)
{
	uint64_t v;
	memcpy(&v, p, sizeof v);
	return v;
}

static uint64_t rotl(uint64_t v, int bits)
{
	return (v << bits) | (v >> (64 - bits));
}

/* Four independent multiply-xor lanes, so a full-HD frame takes a fraction of a millisecond. */
uint64_t dlf_frame_checksum(const uint8_t *data, uint32_t width, uint32_t height, uint32_t stride, uint32_t format)
{
	uint64_t lane[4] = {0x243f6a8885a308d3u, 0x13198a2e03707344u, 0xa4093822299f31d0u, 0x082efa98ec4e6c89u};
	uint64_t row_bytes = (uint64_t)width * dlf_pixel_format_bytes_per_pixel(format);
	if (data == NULL)
		return 1;
	for (uint32_t y = 0; y < height; y++) {
		const uint8_t *p = data + (uint64_t)y * stride;
		uint64_t n = row_bytes;
		for (; n >= 32; n -= 32, p += 32) {
			lane[0] = (lane[0] ^ load64(p)) * CHECKSUM_PRIME;
			lane[1] = (lane[1] ^ load64(p + 8)) * CHECKSUM_PRIME;
			lane[2] = (lane[2] ^ load64(p + 16)) * CHECKSUM_PRIME;
			lane[3] = (lane[3] ^ load64(p + 24)) * CHECKSUM_PRIME;
		}
		for (; n >= 8; n -= 8, p += 8)
			lane[0] = (lane[0] ^ load64(p)) * CHECKSUM_PRIME;
		if (n > 0) {
			uint64_t tail = 0;
			memcpy(&tail, p, (size_t)n);
			lane[1] = (lane[1] ^ tail ^ (n << 56)) * CHECKSUM_PRIME;
		}
	}
	uint64_t h = lane[0] ^ rotl(lane[1], 17) ^ rotl(lane[2], 31) ^ rotl(lane[3], 47);
	h ^= ((uint64_t)width << 32) ^ height ^ ((uint64_t)format << 48);
	/* Finalizer (splitmix64's) so nearby inputs land far apart. */
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9u;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebu;
	h ^= h >> 31;
	return h == 0 ? 1 : h;
}

uint32_t dlf_pixel_format_bytes_per_pixel(uint32_t format)
{
	return format == DLF_PIXEL_BGRA ? 4 : 0;
}

const char *dlf_status_message(int status)
{
	switch (status) {
	case DLF_OK: return "ok";
	case DLF_E_INVALID_ARGUMENT: return "invalid argument";
	case DLF_E_TIMEOUT: return "timed out";
	case DLF_E_NO_SLOT: return "no free slot";
	case DLF_E_PEER_GONE: return "the producer closed the channel or stopped responding";
	case DLF_E_DETACHED: return "this consumer was detached from the channel";
	case DLF_E_BUSY: return "another consumer is attached to the channel";
	case DLF_E_NOT_FOUND: return "no channel by that name";
	case DLF_E_BAD_CHANNEL: return "not a valid frame channel";
	case DLF_E_VERSION: return "the channel was made by an incompatible version";
	case DLF_E_SYSTEM: return "an operating-system call failed";
	case DLF_E_WRONG_ROLE: return "call not allowed for this side of the channel";
	default: return "unknown status";
	}
}
