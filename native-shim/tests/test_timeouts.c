/* Every wait ends by its timeout, and a zero timeout does not wait at all. The upper bounds are wide (several
 * times the wait) so a loaded CI machine's scheduling cannot fail them; they catch a wait that ignores its timeout. */
#include "fixture.h"

static uint64_t elapsed_since(uint64_t start)
{
	return dlf_now_ns() - start;
}

static void waits_end_at_their_timeouts(void)
{
	dlf_channel *producer = fixture_producer(8, 8);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	dlf_frame frame;

	uint64_t start = dlf_now_ns();
	CHECK_STATUS(DLF_E_TIMEOUT, dlf_consumer_acquire(consumer, &frame, 0));
	CHECK(elapsed_since(start) < 100 * MS);

	start = dlf_now_ns();
	CHECK_STATUS(DLF_E_TIMEOUT, dlf_consumer_acquire(consumer, &frame, 120 * MS));
	uint64_t waited = elapsed_since(start);
	CHECK(waited >= 120 * MS && waited < 1000 * MS);

	start = dlf_now_ns();
	CHECK_STATUS(DLF_E_TIMEOUT, dlf_producer_receive(producer, &frame, 80 * MS));
	waited = elapsed_since(start);
	CHECK(waited >= 80 * MS && waited < 1000 * MS);

	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

static void a_waiting_consumer_wakes_as_soon_as_a_frame_arrives(void)
{
	dlf_channel *producer = fixture_producer(8, 8);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fixture_fill(&frame, 8, 8, 1);
	CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
	uint64_t start = dlf_now_ns();
	CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &frame, 5000 * MS));
	CHECK(elapsed_since(start) < 1000 * MS); /* far below the 5 s timeout */
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

int main(void)
{
	waits_end_at_their_timeouts();
	a_waiting_consumer_wakes_as_soon_as_a_frame_arrives();
	return 0;
}
