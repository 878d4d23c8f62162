/* The consumer's side of the slot handshake. Every field read from a slot is copied once, then validated. */
#include "channel_internal.h"

/* DLF_OK while this handle is the attached consumer and the producer is alive. */
static int check_peers(dlf_channel *channel)
{
	struct dlf_shm_header *header = channel->header;
	if (atomic_load(&header->consumer_identity) != channel->identity)
		return DLF_E_DETACHED;
	if (atomic_load(&header->producer_phase) != DLF_PRODUCER_ALIVE ||
	    dlf_heartbeat_stale(atomic_load(&header->producer_heartbeat_ns), channel->peer_timeout_ns))
		return DLF_E_PEER_GONE;
	return DLF_OK;
}

static uint32_t generation(const dlf_channel *channel)
{
	return DLF_IDENTITY_GEN(channel->identity);
}

/* Claims the READY slot with the oldest sequence; -1 when there is none. */
static int claim_oldest_ready(dlf_channel *channel)
{
	struct dlf_shm_header *header = channel->header;
	for (;;) {
		int oldest = -1;
		uint64_t oldest_sequence = 0;
		uint32_t oldest_word = 0;
		for (uint32_t i = 0; i < channel->slot_count; i++) {
			uint32_t word = atomic_load(&header->slots[i].state);
			if (DLF_STATE(word) != DLF_SLOT_READY)
				continue;
			uint64_t sequence = atomic_load_explicit(&header->slots[i].sequence, memory_order_relaxed);
			if (oldest < 0 || dlf_sequence_before(sequence, oldest_sequence)) {
				oldest = (int)i;
				oldest_sequence = sequence;
				oldest_word = word;
			}
		}
		if (oldest < 0)
			return -1;
		uint32_t mine = DLF_STATE_WORD(DLF_SLOT_PROCESSING, generation(channel));
		/* Acquire on success: the producer's pixels and fields are visible once we own the slot. */
		if (atomic_compare_exchange_strong_explicit(&header->slots[oldest].state, &oldest_word, mine,
							    memory_order_acq_rel, memory_order_relaxed))
			return oldest;
		/* The producer took it back just now; look again. */
	}
}

static void hand_back(dlf_channel *channel, uint32_t slot_index, int32_t result, uint64_t checksum)
{
	struct dlf_shm_header *header = channel->header;
	struct dlf_shm_slot *slot = &header->slots[slot_index];
	uint32_t mine = DLF_STATE_WORD(DLF_SLOT_PROCESSING, generation(channel));
	slot->result = result;
	slot->checksum = checksum;
	uint32_t done = DLF_STATE_WORD(DLF_SLOT_DONE, generation(channel));
	/* Release: the processed pixels are visible before the producer sees DONE. */
	atomic_compare_exchange_strong_explicit(&slot->state, &mine, done, memory_order_release, memory_order_relaxed);
	atomic_fetch_add(&header->done_count, 1);
	dlf_futex_wake_all(&header->done_count);
}

int dlf_consumer_acquire(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns)
{
	int check = dlf_check_call(channel, frame, false);
	if (check != DLF_OK)
		return check;
	struct dlf_shm_header *header = channel->header;
	uint64_t now = dlf_now_ns();
	uint64_t deadline = timeout_ns > UINT64_MAX - now ? UINT64_MAX : now + timeout_ns;
	for (;;) {
		int status = check_peers(channel);
		if (status != DLF_OK)
			return status;
		uint32_t ticket = atomic_load(&header->ready_count);
		int index = claim_oldest_ready(channel);
		if (index >= 0) {
			struct dlf_shm_slot *slot = &header->slots[index];
			/* One copy of each field; the producer could rewrite the shared ones at any time. */
			dlf_frame copy = {.data = channel->slot_data[index],
					  .capacity = channel->max_frame_bytes,
					  .sequence = atomic_load_explicit(&slot->sequence, memory_order_relaxed),
					  .timestamp_ns = slot->timestamp_ns,
					  .checksum = slot->checksum,
					  .slot = (uint32_t)index,
					  .width = slot->width,
					  .height = slot->height,
					  .stride = slot->stride,
					  .format = slot->format,
					  .result = DLF_RESULT_NONE};
			if (dlf_frame_geometry_valid(copy.width, copy.height, copy.stride, copy.format, copy.capacity)) {
				*frame = copy;
				return DLF_OK;
			}
			channel->stats.rejected++; /* counted first, as in dlf_consumer_complete */
			hand_back(channel, (uint32_t)index, DLF_RESULT_REJECTED, 0);
			continue;
		}
		now = dlf_now_ns();
		if (now >= deadline)
			return DLF_E_TIMEOUT;
		uint64_t left = deadline - now;
		dlf_futex_wait(&header->ready_count, ticket, left < DLF_POLL_SLICE_NS ? left : DLF_POLL_SLICE_NS);
	}
}

int dlf_consumer_complete(dlf_channel *channel, const dlf_frame *frame, int32_t result, uint64_t checksum)
{
	int check = dlf_check_call(channel, frame, false);
	if (check != DLF_OK)
		return check;
	if (frame->slot >= channel->slot_count || result < DLF_RESULT_PROCESSED || result > DLF_RESULT_LAST)
		return DLF_E_INVALID_ARGUMENT;
	uint32_t word = atomic_load(&channel->header->slots[frame->slot].state);
	if (word != DLF_STATE_WORD(DLF_SLOT_PROCESSING, generation(channel)))
		return atomic_load(&channel->header->consumer_identity) == channel->identity ? DLF_E_INVALID_ARGUMENT
											      : DLF_E_DETACHED;
	if (atomic_load(&channel->header->consumer_identity) != channel->identity)
		return DLF_E_DETACHED;
	/* Counted before the producer can see the frame: once it has them all back, the count is whole. */
	channel->stats.processed++;
	hand_back(channel, frame->slot, result, checksum);
	return DLF_OK;
}
