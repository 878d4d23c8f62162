/* Specification of the slot handshake within one process: each state change, who may make it, and what the
 * producer reads back. */
#include <string.h>

#include "channel_internal.h"
#include "check.h"

enum { W = 64, H = 32, STRIDE = W * 4 };

static uint32_t state_of(dlf_channel *producer, uint32_t slot)
{
	return DLF_STATE(atomic_load(&producer->header->slots[slot].state));
}

static dlf_channel *make_producer(void)
{
	dlf_channel_params params = {.max_frame_bytes = STRIDE * H};
	dlf_channel *producer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_create(&params, &producer));
	return producer;
}

static void fill(dlf_frame *frame, uint8_t value)
{
	memset(frame->data, value, STRIDE * H);
	frame->width = W;
	frame->height = H;
	frame->stride = STRIDE;
	frame->format = DLF_PIXEL_BGRA;
	frame->checksum = dlf_frame_checksum(frame->data, W, H, STRIDE, DLF_PIXEL_BGRA);
}

static void full_cycle_goes_free_writing_ready_processing_done_free(void)
{
	dlf_channel *producer = make_producer();
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	CHECK(dlf_producer_has_consumer(producer));

	dlf_frame out;
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &out, 0));
	CHECK(state_of(producer, out.slot) == DLF_SLOT_WRITING);
	fill(&out, 7);
	out.timestamp_ns = 1234;
	CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &out));
	CHECK(state_of(producer, out.slot) == DLF_SLOT_READY);
	CHECK(out.sequence == 1);

	dlf_frame in;
	CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &in, 0));
	CHECK(state_of(producer, in.slot) == DLF_SLOT_PROCESSING);
	CHECK(in.slot == out.slot && in.sequence == 1 && in.width == W && in.height == H && in.stride == STRIDE);
	CHECK(in.timestamp_ns == 1234 && in.format == DLF_PIXEL_BGRA);
	CHECK(in.checksum == dlf_frame_checksum(in.data, W, H, STRIDE, DLF_PIXEL_BGRA));
	memset(in.data, 9, STRIDE * H); /* processing in place */
	uint64_t processed = dlf_frame_checksum(in.data, W, H, STRIDE, DLF_PIXEL_BGRA);
	CHECK_STATUS(DLF_OK, dlf_consumer_complete(consumer, &in, DLF_RESULT_PROCESSED, processed));
	CHECK(state_of(producer, in.slot) == DLF_SLOT_DONE);

	dlf_frame back;
	CHECK_STATUS(DLF_OK, dlf_producer_receive(producer, &back, 0));
	CHECK(back.slot == out.slot && back.sequence == 1 && back.result == DLF_RESULT_PROCESSED);
	CHECK(back.checksum == processed && back.data[0] == 9);
	CHECK(state_of(producer, back.slot) == DLF_SLOT_DONE);
	CHECK_STATUS(DLF_OK, dlf_producer_release(producer, &back));
	CHECK(state_of(producer, back.slot) == DLF_SLOT_FREE);

	dlf_channel_stats stats;
	dlf_channel_stats_get(producer, &stats);
	CHECK(stats.submitted == 1 && stats.received == 1 && stats.dropped == 0);
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

static void each_side_refuses_the_other_sides_calls(void)
{
	dlf_channel *producer = make_producer();
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	dlf_frame frame = {0};
	CHECK_STATUS(DLF_E_WRONG_ROLE, dlf_consumer_acquire(producer, &frame, 0));
	CHECK_STATUS(DLF_E_WRONG_ROLE, dlf_producer_begin(consumer, &frame, 0));
	/* Submitting or releasing a slot the producer never took is refused. */
	frame.slot = 1;
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_producer_submit(producer, &frame));
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_producer_release(producer, &frame));
	frame.slot = 99;
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_consumer_complete(consumer, &frame, DLF_RESULT_PROCESSED, 0));
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

static void submit_refuses_geometry_that_does_not_fit_and_frees_the_slot(void)
{
	dlf_channel *producer = make_producer();
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fill(&frame, 1);
	frame.height = H + 1;
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_producer_submit(producer, &frame));
	CHECK(state_of(producer, frame.slot) == DLF_SLOT_FREE);
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fill(&frame, 1);
	frame.stride = W * 4 - 1;
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_producer_submit(producer, &frame));
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fill(&frame, 1);
	frame.format = DLF_PIXEL_NV12; /* reserved, not yet carried */
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_producer_submit(producer, &frame));
	dlf_channel_close(producer);
}

static void without_free_slots_the_oldest_unclaimed_frame_is_replaced_then_frames_are_skipped(void)
{
	dlf_channel *producer = make_producer();
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	dlf_frame frame;
	uint32_t first_slot = 0;
	for (int i = 0; i < 3; i++) {
		CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
		if (i == 0)
			first_slot = frame.slot;
		fill(&frame, (uint8_t)i);
		CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
	}
	/* All three READY: the fourth frame takes the slot of sequence 1. */
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	CHECK(frame.slot == first_slot);
	fill(&frame, 3);
	CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
	CHECK(frame.sequence == 4);

	/* The consumer sees the oldest remaining frames in order: 2, 3, 4. */
	dlf_frame taken[3];
	for (int i = 0; i < 3; i++) {
		CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &taken[i], 0));
		CHECK(taken[i].sequence == (uint64_t)i + 2);
	}
	/* Everything PROCESSING: nothing to reuse, the producer skips without waiting longer than asked. */
	uint64_t start = dlf_now_ns();
	CHECK_STATUS(DLF_E_NO_SLOT, dlf_producer_begin(producer, &frame, 20u * 1000u * 1000u));
	uint64_t waited = dlf_now_ns() - start;
	CHECK(waited >= 20u * 1000u * 1000u && waited < 500u * 1000u * 1000u);
	dlf_channel_stats stats;
	dlf_channel_stats_get(producer, &stats);
	CHECK(stats.dropped == 2); /* sequence 1 replaced, one frame skipped */
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

/* Every result a consumer may give reaches the producer as given, UNSWAPPED (the original pixels of a frame whose
 * faces were not swapped) included; a value beyond the last is refused. */
static void every_result_reaches_the_producer_as_given(void)
{
	dlf_channel *producer = make_producer();
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	for (int32_t result = DLF_RESULT_PROCESSED; result <= DLF_RESULT_LAST; result++) {
		dlf_frame out, in, back;
		CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &out, 0));
		fill(&out, 3);
		CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &out));
		CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &in, 0));
		CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_consumer_complete(consumer, &in, DLF_RESULT_LAST + 1, 0));
		CHECK_STATUS(DLF_OK, dlf_consumer_complete(consumer, &in, result, 0));
		CHECK_STATUS(DLF_OK, dlf_producer_receive(producer, &back, 0));
		CHECK(back.result == result);
		CHECK_STATUS(DLF_OK, dlf_producer_release(producer, &back));
	}
	CHECK(DLF_RESULT_LAST == DLF_RESULT_UNSWAPPED);
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

int main(void)
{
	full_cycle_goes_free_writing_ready_processing_done_free();
	each_side_refuses_the_other_sides_calls();
	submit_refuses_geometry_that_does_not_fit_and_frees_the_slot();
	without_free_slots_the_oldest_unclaimed_frame_is_replaced_then_frames_are_skipped();
	every_result_reaches_the_producer_as_given();
	return 0;
}
