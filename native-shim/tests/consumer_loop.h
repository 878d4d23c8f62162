#ifndef DLF_TEST_CONSUMER_LOOP_H
#define DLF_TEST_CONSUMER_LOOP_H
/* The consumer the concurrency tests run on a thread or in a child process: checks each frame arrived whole,
 * inverts it in place (so the producer can tell it was processed), and hands it back with its new checksum. */
#include "fixture.h"

struct consumer_report {
	uint64_t frames;
	uint64_t corrupted;
	uint64_t out_of_order;
	int end_status;
};

static inline struct consumer_report run_consumer(const char *name)
{
	struct consumer_report report = {0};
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(name, &consumer));
	uint64_t last_sequence = 0;
	for (;;) {
		dlf_frame frame;
		int status = dlf_consumer_acquire(consumer, &frame, 100 * MS);
		if (status == DLF_E_TIMEOUT)
			continue;
		if (status != DLF_OK) {
			report.end_status = status;
			break;
		}
		if (fixture_checksum(&frame) != frame.checksum)
			report.corrupted++;
		if (report.frames > 0 && !dlf_sequence_before(last_sequence, frame.sequence))
			report.out_of_order++;
		last_sequence = frame.sequence;
		for (uint32_t y = 0; y < frame.height; y++) {
			uint8_t *row = frame.data + (uint64_t)y * frame.stride;
			for (uint32_t x = 0; x < frame.width * 4; x++)
				row[x] = (uint8_t)~row[x];
		}
		CHECK_STATUS(DLF_OK, dlf_consumer_complete(consumer, &frame, DLF_RESULT_PROCESSED, fixture_checksum(&frame)));
		report.frames++;
	}
	dlf_channel_close(consumer);
	return report;
}

struct producer_report {
	uint64_t received;
	uint64_t corrupted;
	uint64_t dropped;
};

/* Sends `count` frames as fast as slots come free and checks every processed frame that comes back. */
static inline struct producer_report run_producer(dlf_channel *producer, uint32_t width, uint32_t height, int count)
{
	struct producer_report report = {0};
	uint64_t expected[DLF_MAX_SLOTS] = {0};
	int sent = 0;
	uint64_t first_sequence = producer->next_sequence;
	uint64_t skipped = 0;
	dlf_channel_stats before;
	dlf_channel_stats_get(producer, &before);
	uint64_t idle_since = dlf_now_ns();
	while (sent < count || report.received + report.dropped < (uint64_t)count) {
		dlf_frame frame;
		int began = sent < count ? dlf_producer_begin(producer, &frame, 0) : DLF_E_NO_SLOT;
		if (began == DLF_E_NO_SLOT && sent < count)
			skipped++; /* counted as dropped by the channel, but this frame is tried again */
		if (began == DLF_OK) {
			fixture_fill(&frame, width, height, (uint32_t)sent);
			/* What the consumer's inversion must give back. */
			for (uint32_t i = 0; i < frame.stride * height; i++)
				frame.data[i] = (uint8_t)~frame.data[i];
			expected[frame.slot] = fixture_checksum(&frame);
			for (uint32_t i = 0; i < frame.stride * height; i++)
				frame.data[i] = (uint8_t)~frame.data[i];
			CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
			sent++;
		}
		if (dlf_producer_receive(producer, &frame, sent < count ? 0 : 50 * MS) == DLF_OK) {
			if (frame.sequence < first_sequence) {
				/* Sent before this run (e.g. queued while no consumer was attached): not ours to judge. */
				CHECK_STATUS(DLF_OK, dlf_producer_release(producer, &frame));
				continue;
			}
			if (frame.result != DLF_RESULT_PROCESSED || fixture_checksum(&frame) != expected[frame.slot] ||
			    frame.checksum != expected[frame.slot])
				report.corrupted++;
			CHECK_STATUS(DLF_OK, dlf_producer_release(producer, &frame));
			report.received++;
			idle_since = dlf_now_ns();
		}
		dlf_channel_stats stats;
		dlf_channel_stats_get(producer, &stats);
		report.dropped = stats.dropped - before.dropped - skipped;
		CHECK(dlf_now_ns() - idle_since < 5000 * MS); /* no progress for 5 s: a hang */
	}
	return report;
}

#endif
