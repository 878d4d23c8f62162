#ifndef DLF_CHANNEL_INTERNAL_H
#define DLF_CHANNEL_INTERNAL_H
/* The private handle both roles share, and the helpers producer.c and consumer.c use. */
#include "dlf/frame_channel.h"
#include "platform.h"
#include "shm_layout.h"

/* How a producer sees each of its slots, independent of what the shared state word claims. */
enum dlf_slot_phase {
	DLF_PHASE_IDLE = 0,     /* not handed out: FREE as far as the producer knows */
	DLF_PHASE_WRITING = 1,  /* handed out by begin, not submitted */
	DLF_PHASE_IN_FLIGHT = 2,/* submitted: READY, PROCESSING or DONE */
	DLF_PHASE_HELD = 3      /* received, not released */
};

/* What was submitted in a slot, kept privately so a consumer cannot alter what the producer reads back. */
struct dlf_slot_record {
	enum dlf_slot_phase phase;
	uint64_t sequence;
	uint64_t timestamp_ns;
	uint32_t width;
	uint32_t height;
	uint32_t stride;
	uint32_t format;
};

struct dlf_channel {
	struct dlf_mapping mapping;
	struct dlf_shm_header *header;
	char name[DLF_NAME_MAX];
	bool is_producer;

	/* Validated copies of the header's static fields; never re-read from shared memory. */
	uint32_t slot_count;
	uint64_t max_frame_bytes;
	uint64_t peer_timeout_ns;
	uint8_t *slot_data[DLF_MAX_SLOTS];

	/* Producer only. */
	uint64_t next_sequence;
	struct dlf_slot_record records[DLF_MAX_SLOTS];

	/* Consumer only: the identity word this handle attached with. */
	uint64_t identity;

	dlf_channel_stats stats;

	struct dlf_thread heartbeat_thread;
	bool heartbeat_running;
	_Atomic uint32_t heartbeat_stop;
};

#define DLF_HEARTBEAT_INTERVAL_NS (50u * 1000u * 1000u)
/* Waits wake at least this often to check on the peer. */
#define DLF_POLL_SLICE_NS (50u * 1000u * 1000u)
#define DLF_DEFAULT_PEER_TIMEOUT_MS 500u
#define DLF_MIN_PEER_TIMEOUT_MS 100u
#define DLF_MAX_PEER_TIMEOUT_MS 10000u

/* Bytes of the control area (header + slot descriptors) rounded to whole pages. */
uint64_t dlf_layout_header_size(uint32_t slot_count);
uint64_t dlf_layout_slot_stride(uint64_t max_frame_bytes);

/* true when a heartbeat stamped at `beat` is older than timeout_ns (a beat from the future counts as fresh). */
bool dlf_heartbeat_stale(uint64_t beat, uint64_t timeout_ns);

/* Sequence order that survives wrap-around: a is older than b. */
static inline bool dlf_sequence_before(uint64_t a, uint64_t b)
{
	return (int64_t)(a - b) < 0;
}

/* Checks a frame's fields against a slot of `capacity` bytes. */
bool dlf_frame_geometry_valid(uint32_t width, uint32_t height, uint32_t stride, uint32_t format, uint64_t capacity);

/* Producer: evicts a consumer with a stale heartbeat and takes back slots a gone consumer left PROCESSING.
 * Returns true while a live consumer is attached. */
bool dlf_producer_check_consumer(dlf_channel *channel);

/* Starts the handle's heartbeat thread. */
int dlf_heartbeat_start(dlf_channel *channel);

#endif
