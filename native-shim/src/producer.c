/* The producer's side of the slot handshake. Only the producer's own records are trusted; from shared memory it
 * reads nothing but slot state words and the consumer's result and checksum. */
#include "channel_internal.h"

static bool deadline_passed(uint64_t deadline)
{
	return dlf_now_ns() >= deadline;
}

static uint64_t deadline_after(uint64_t timeout_ns)
{
	uint64_t now = dlf_now_ns();
	return timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
}

static uint64_t wait_slice(uint64_t deadline)
{
	uint64_t now = dlf_now_ns();
	uint64_t left = deadline > now ? deadline - now : 0;
	return left < DLF_POLL_SLICE_NS ? left : DLF_POLL_SLICE_NS;
}

/* Takes back slots left PROCESSING by a consumer generation that is no longer attached. */
static void reclaim_abandoned(dlf_channel *channel, uint32_t current_generation)
{
	struct dlf_shm_header *header = channel->header;
	for (uint32_t i = 0; i < channel->slot_count; i++) {
		uint32_t word = atomic_load(&header->slots[i].state);
		if (DLF_STATE(word) != DLF_SLOT_PROCESSING || DLF_STATE_GEN(word) == (current_generation & 0xffffffu))
			continue;
		if (atomic_compare_exchange_strong(&header->slots[i].state, &word, DLF_SLOT_FREE)) {
			channel->records[i].phase = DLF_PHASE_IDLE;
			channel->stats.dropped++;
		}
	}
}

bool dlf_producer_check_consumer(dlf_channel *channel)
{
	struct dlf_shm_header *header = channel->header;
	uint64_t identity = atomic_load(&header->consumer_identity);
	bool alive = DLF_IDENTITY_PID(identity) != 0;
	if (alive && dlf_heartbeat_stale(atomic_load(&header->consumer_heartbeat_ns), channel->peer_timeout_ns)) {
		uint64_t evicted = DLF_IDENTITY(DLF_IDENTITY_GEN(identity) + 1, 0);
		if (atomic_compare_exchange_strong(&header->consumer_identity, &identity, evicted)) {
			channel->stats.evictions++;
			identity = evicted;
			alive = false;
		} else {
			alive = DLF_IDENTITY_PID(identity) != 0; /* a new consumer attached meanwhile */
		}
	}
	reclaim_abandoned(channel, DLF_IDENTITY_GEN(identity));
	return alive;
}

bool dlf_producer_has_consumer(dlf_channel *channel)
{
	return channel != NULL && channel->is_producer && dlf_producer_check_consumer(channel);
}

/* The in-flight slot in `state` with the lowest sequence (its state word in *word), or -1. */
static int oldest_in_flight(dlf_channel *channel, uint32_t state, uint32_t *word)
{
	int oldest = -1;
	for (uint32_t i = 0; i < channel->slot_count; i++) {
		if (channel->records[i].phase != DLF_PHASE_IN_FLIGHT)
			continue;
		/* Acquire: for a DONE slot, the consumer's pixels and result are visible once we see DONE. */
		uint32_t w = atomic_load_explicit(&channel->header->slots[i].state, memory_order_acquire);
		if (DLF_STATE(w) != state)
			continue;
		if (oldest < 0 || dlf_sequence_before(channel->records[i].sequence, channel->records[oldest].sequence)) {
			oldest = (int)i;
			*word = w;
		}
	}
	return oldest;
}

/* A FREE slot, else the oldest READY one not yet claimed (its frame is dropped). */
static int take_slot(dlf_channel *channel)
{
	struct dlf_shm_header *header = channel->header;
	/* The lowest free slot: a producer that gets each frame back before the next keeps reusing one slot, whose
	 * memory is still in cache, instead of cycling through all of them. */
	for (uint32_t i = 0; i < channel->slot_count; i++) {
		if (channel->records[i].phase != DLF_PHASE_IDLE)
			continue;
		uint32_t expected = DLF_SLOT_FREE;
		if (atomic_compare_exchange_strong(&header->slots[i].state, &expected, DLF_SLOT_WRITING))
			return (int)i;
	}
	for (;;) {
		uint32_t word = 0;
		int oldest = oldest_in_flight(channel, DLF_SLOT_READY, &word);
		if (oldest < 0)
			return -1;
		if (atomic_compare_exchange_strong(&header->slots[oldest].state, &word, DLF_SLOT_WRITING)) {
			channel->stats.dropped++;
			return oldest;
		}
		/* The consumer claimed it just now; look again. */
	}
}

int dlf_producer_begin(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns)
{
	int check = dlf_check_call(channel, frame, true);
	if (check != DLF_OK)
		return check;
	struct dlf_shm_header *header = channel->header;
	uint64_t deadline = deadline_after(timeout_ns);
	for (;;) {
		dlf_producer_check_consumer(channel);
		uint32_t ticket = atomic_load(&header->done_count);
		int slot = take_slot(channel);
		if (slot >= 0) {
			channel->records[slot].phase = DLF_PHASE_WRITING;
			*frame = (dlf_frame){.data = channel->slot_data[slot],
					     .capacity = channel->max_frame_bytes,
					     .slot = (uint32_t)slot,
					     .format = DLF_PIXEL_BGRA};
			return DLF_OK;
		}
		if (deadline_passed(deadline)) {
			channel->stats.dropped++;
			return DLF_E_NO_SLOT;
		}
		dlf_futex_wait(&header->done_count, ticket, wait_slice(deadline));
	}
}

static bool owns(const dlf_channel *channel, const dlf_frame *frame, enum dlf_slot_phase phase)
{
	return frame->slot < channel->slot_count && channel->records[frame->slot].phase == phase;
}

int dlf_producer_submit(dlf_channel *channel, dlf_frame *frame)
{
	int check = dlf_check_call(channel, frame, true);
	if (check != DLF_OK)
		return check;
	if (!owns(channel, frame, DLF_PHASE_WRITING))
		return DLF_E_INVALID_ARGUMENT;
	struct dlf_slot_record *record = &channel->records[frame->slot];
	struct dlf_shm_slot *slot = &channel->header->slots[frame->slot];
	if (!dlf_frame_geometry_valid(frame->width, frame->height, frame->stride, frame->format,
				      channel->max_frame_bytes)) {
		record->phase = DLF_PHASE_IDLE;
		atomic_store(&slot->state, DLF_SLOT_FREE);
		return DLF_E_INVALID_ARGUMENT;
	}
	frame->sequence = channel->next_sequence++;
	*record = (struct dlf_slot_record){.phase = DLF_PHASE_IN_FLIGHT,
					   .sequence = frame->sequence,
					   .timestamp_ns = frame->timestamp_ns,
					   .width = frame->width,
					   .height = frame->height,
					   .stride = frame->stride,
					   .format = frame->format};
	slot->format = frame->format;
	slot->width = frame->width;
	slot->height = frame->height;
	slot->stride = frame->stride;
	slot->timestamp_ns = frame->timestamp_ns;
	slot->checksum = frame->checksum;
	slot->result = DLF_RESULT_NONE;
	atomic_store_explicit(&slot->sequence, frame->sequence, memory_order_relaxed);
	/* Release: the pixels and fields above are visible before the consumer can see READY. */
	atomic_store_explicit(&slot->state, DLF_SLOT_READY, memory_order_release);
	atomic_fetch_add(&channel->header->ready_count, 1);
	dlf_futex_wake_all(&channel->header->ready_count);
	channel->stats.submitted++;
	return DLF_OK;
}

int dlf_producer_receive(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns)
{
	int check = dlf_check_call(channel, frame, true);
	if (check != DLF_OK)
		return check;
	struct dlf_shm_header *header = channel->header;
	uint64_t deadline = deadline_after(timeout_ns);
	for (;;) {
		uint32_t ticket = atomic_load(&header->done_count);
		uint32_t word;
		int slot = oldest_in_flight(channel, DLF_SLOT_DONE, &word);
		if (slot >= 0) {
			struct dlf_slot_record *record = &channel->records[slot];
			record->phase = DLF_PHASE_HELD;
			int32_t result = header->slots[slot].result;
			if (result < DLF_RESULT_PROCESSED || result > DLF_RESULT_LAST)
				result = DLF_RESULT_FAILED;
			*frame = (dlf_frame){.data = channel->slot_data[slot],
					     .capacity = channel->max_frame_bytes,
					     .sequence = record->sequence,
					     .timestamp_ns = record->timestamp_ns,
					     .checksum = header->slots[slot].checksum,
					     .slot = (uint32_t)slot,
					     .width = record->width,
					     .height = record->height,
					     .stride = record->stride,
					     .format = record->format,
					     .result = result};
			channel->stats.received++;
			return DLF_OK;
		}
		dlf_producer_check_consumer(channel);
		if (deadline_passed(deadline))
			return DLF_E_TIMEOUT;
		dlf_futex_wait(&header->done_count, ticket, wait_slice(deadline));
	}
}

int dlf_producer_release(dlf_channel *channel, const dlf_frame *frame)
{
	int check = dlf_check_call(channel, frame, true);
	if (check != DLF_OK)
		return check;
	if (!owns(channel, frame, DLF_PHASE_HELD))
		return DLF_E_INVALID_ARGUMENT;
	channel->records[frame->slot].phase = DLF_PHASE_IDLE;
	atomic_store_explicit(&channel->header->slots[frame->slot].state, DLF_SLOT_FREE, memory_order_release);
	return DLF_OK;
}
