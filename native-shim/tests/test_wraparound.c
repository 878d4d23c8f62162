/* Sequence numbers and wake-up counters wrap without reordering frames, and every slot gets reused. */
#include "fixture.h"

enum { W = 16, H = 8, ROUNDS = 40 };

static void sequences_and_counters_wrap_in_order(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	producer->next_sequence = UINT64_MAX - 3;
	atomic_store(&producer->header->ready_count, UINT32_MAX - 2);
	atomic_store(&producer->header->done_count, UINT32_MAX - 2);

	uint64_t expected = UINT64_MAX - 3;
	uint32_t slot_uses[DLF_MAX_SLOTS] = {0};
	for (int round = 0; round < ROUNDS; round++) {
		/* Three frames queued at once (every slot), so the consumer must pick the oldest across the wrap. */
		dlf_frame out;
		for (int k = 0; k < 3; k++) {
			CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &out, 0));
			fixture_fill(&out, W, H, (uint32_t)round);
			CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &out));
		}
		for (int k = 0; k < 3; k++) {
			dlf_frame in;
			CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &in, 10 * MS));
			CHECK(in.sequence == expected + (uint64_t)k);
			slot_uses[in.slot]++;
			CHECK_STATUS(DLF_OK, dlf_consumer_complete(consumer, &in, DLF_RESULT_UNCHANGED, 0));
		}
		for (int k = 0; k < 3; k++) {
			dlf_frame back;
			CHECK_STATUS(DLF_OK, dlf_producer_receive(producer, &back, 10 * MS));
			CHECK(back.sequence == expected + (uint64_t)k);
			CHECK(back.result == DLF_RESULT_UNCHANGED);
			CHECK_STATUS(DLF_OK, dlf_producer_release(producer, &back));
		}
		expected += 3;
	}
	CHECK(expected == (uint64_t)(UINT64_MAX - 3) + 3 * ROUNDS); /* wrapped past zero */
	for (uint32_t i = 0; i < dlf_channel_slot_count(producer); i++)
		CHECK(slot_uses[i] > 0);
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

int main(void)
{
	sequences_and_counters_wrap_in_order();
	return 0;
}
