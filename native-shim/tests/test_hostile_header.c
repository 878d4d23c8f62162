/* Attaching to a mapping whose header was tampered with fails with an error code, never a crash or an access
 * outside the mapping; frames with invalid fields are handed back as rejected, never to the engine. Runs under
 * AddressSanitizer with -DDLF_SANITIZE=ON. */
#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

enum { W = 32, H = 16 };

static void attach_fails(dlf_channel *producer)
{
	dlf_channel *consumer = NULL;
	int status = dlf_channel_attach(dlf_channel_name(producer), &consumer);
	CHECK(status != DLF_OK);
	CHECK(consumer == NULL);
}

/* Applies `tamper` to a fresh channel's header; attach must fail. */
#define EXPECT_REJECTED(statement)                                   \
	do {                                                         \
		dlf_channel *producer = fixture_producer(W, H);      \
		struct dlf_shm_header *h = producer->header;         \
		statement;                                           \
		attach_fails(producer);                              \
		dlf_channel_close(producer);                         \
	} while (0)

static void each_tampered_header_field_is_refused(void)
{
	EXPECT_REJECTED(h->magic ^= 1);
	EXPECT_REJECTED(h->version = 2);
	EXPECT_REJECTED(h->version = 0);
	EXPECT_REJECTED(h->header_size = 64);
	EXPECT_REJECTED(h->header_size = UINT32_MAX);
	EXPECT_REJECTED(h->slot_count = 0);
	EXPECT_REJECTED(h->slot_count = 2);
	EXPECT_REJECTED(h->slot_count = DLF_MAX_SLOTS + 1);
	EXPECT_REJECTED(h->slot_count = UINT32_MAX);
	EXPECT_REJECTED(h->slot_count = 4); /* plausible, but the mapping holds 3 */
	EXPECT_REJECTED(h->slot_desc_size = 32);
	EXPECT_REJECTED(h->peer_timeout_ms = 0);
	EXPECT_REJECTED(h->peer_timeout_ms = UINT32_MAX);
	EXPECT_REJECTED(h->max_frame_bytes = 0);
	EXPECT_REJECTED(h->max_frame_bytes = UINT64_MAX);
	EXPECT_REJECTED(h->max_frame_bytes = DLF_MAX_FRAME_BYTES + 1);
	EXPECT_REJECTED(h->max_frame_bytes += 1);
	EXPECT_REJECTED(h->slot_stride = 0);
	EXPECT_REJECTED(h->slot_stride = UINT64_MAX);
	EXPECT_REJECTED(h->total_size = UINT64_MAX);
	EXPECT_REJECTED(h->total_size -= 1);
	EXPECT_REJECTED(h->slots[0].data_offset = 0);
	EXPECT_REJECTED(h->slots[1].data_offset = h->slots[0].data_offset); /* overlapping slots */
	EXPECT_REJECTED(h->slots[2].data_offset = UINT64_MAX - 8);
	EXPECT_REJECTED(h->slots[2].data_capacity = UINT64_MAX);
	EXPECT_REJECTED(h->slots[1].data_capacity = h->max_frame_bytes + 4096);
	EXPECT_REJECTED(atomic_store(&h->producer_phase, DLF_PRODUCER_CLOSED));
	EXPECT_REJECTED(atomic_store(&h->producer_heartbeat_ns, 1));
}

static void random_header_bytes_never_crash_attach(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	uint8_t *bytes = producer->mapping.base;
	size_t span = dlf_layout_header_size(3);
	uint8_t *pristine = malloc(span);
	CHECK(pristine != NULL);
	memcpy(pristine, bytes, span);
	uint64_t rng = 0x9e3779b97f4a7c15u;
	int accepted = 0;
	for (int round = 0; round < 20000; round++) {
		memcpy(bytes, pristine, span);
		int flips = 1 + round % 8;
		for (int k = 0; k < flips; k++) {
			rng ^= rng << 13;
			rng ^= rng >> 7;
			rng ^= rng << 17;
			/* Mostly the static fields and slot descriptors, where a bad value could steer an access. */
			size_t at = (size_t)(rng % (offsetof(struct dlf_shm_header, slots) + 3 * sizeof(struct dlf_shm_slot)));
			bytes[at] = (uint8_t)(rng >> 32);
		}
		dlf_channel *consumer = NULL;
		if (dlf_channel_attach(dlf_channel_name(producer), &consumer) == DLF_OK) {
			/* Only bytes that do not matter were changed; the channel must still be safe to use. */
			accepted++;
			dlf_frame frame;
			dlf_consumer_acquire(consumer, &frame, 0);
			dlf_channel_close(consumer);
		}
	}
	memcpy(bytes, pristine, span);
	fprintf(stderr, "fuzzed headers accepted (harmless bytes changed): %d of 20000\n", accepted);
	free(pristine);
	dlf_channel_close(producer);
}

static void a_truncated_mapping_is_refused(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	char path[DLF_NAME_MAX + 16];
	snprintf(path, sizeof path, "/dev/shm%s", dlf_channel_name(producer));
	CHECK(truncate(path, 4096) == 0);
	attach_fails(producer);
	CHECK(truncate(path, 100) == 0);
	attach_fails(producer);
	dlf_channel_close(producer);
}

static void names_that_are_not_channel_names_are_refused(void)
{
	const char *bad[] = {"", "/", "dlf-1-0123456789abcdef", "/dlf-1-0123456789abcde", "/dlf-1-0123456789abcdef0",
			     "/dlf--0123456789abcdef", "/dlf-1-0123456789ABCDEF", "/../etc/passwd", "/dlf-1-01234567/9abcdef",
			     "/dlf-99999999999-0123456789abcdef"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		dlf_channel *consumer = NULL;
		CHECK_STATUS(DLF_E_BAD_CHANNEL, dlf_channel_attach(bad[i], &consumer));
	}
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_E_NOT_FOUND, dlf_channel_attach("/dlf-1-0123456789abcdef", &consumer));
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_attach(NULL, &consumer));
}

static void a_channel_others_could_open_is_refused(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	char path[DLF_NAME_MAX + 16];
	snprintf(path, sizeof path, "/dev/shm%s", dlf_channel_name(producer));
	CHECK(chmod(path, 0644) == 0);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_E_BAD_CHANNEL, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	dlf_channel_close(producer);
}

/* Writes a READY frame with arbitrary fields straight into shared memory, as a hostile producer could. */
static void publish_raw(dlf_channel *producer, uint32_t slot, uint32_t width, uint32_t height, uint32_t stride,
			uint32_t format)
{
	struct dlf_shm_slot *s = &producer->header->slots[slot];
	s->width = width;
	s->height = height;
	s->stride = stride;
	s->format = format;
	atomic_store(&s->sequence, slot + 1u);
	atomic_store(&s->state, DLF_SLOT_READY);
	atomic_fetch_add(&producer->header->ready_count, 1);
}

static void frames_with_invalid_fields_are_rejected_not_processed(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	struct {
		uint32_t width, height, stride, format;
	} bad[] = {
		{W, H + 1, W * 4, DLF_PIXEL_BGRA},        /* more rows than the slot holds */
		{W, H, W * 4 - 1, DLF_PIXEL_BGRA},        /* stride shorter than a row */
		{0, H, W * 4, DLF_PIXEL_BGRA},            /* empty */
		{W, H, W * 4, DLF_PIXEL_NV12},            /* reserved format */
		{W, H, W * 4, 77},                        /* unknown format */
		{UINT32_MAX, 1, UINT32_MAX, DLF_PIXEL_BGRA}, /* overflowing products */
		{1, UINT32_MAX, 4, DLF_PIXEL_BGRA},
		{W, 2, UINT32_MAX, DLF_PIXEL_BGRA},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		publish_raw(producer, 0, bad[i].width, bad[i].height, bad[i].stride, bad[i].format);
		dlf_frame frame;
		CHECK_STATUS(DLF_E_TIMEOUT, dlf_consumer_acquire(consumer, &frame, 0));
		CHECK(fixture_state(producer, 0) == DLF_SLOT_DONE);
		CHECK(producer->header->slots[0].result == DLF_RESULT_REJECTED);
		atomic_store(&producer->header->slots[0].state, DLF_SLOT_FREE);
	}
	dlf_channel_stats stats;
	dlf_channel_stats_get(consumer, &stats);
	CHECK(stats.rejected == sizeof bad / sizeof bad[0] && stats.processed == 0);
	/* A valid frame still gets through afterwards. */
	publish_raw(producer, 1, W, H, W * 4, DLF_PIXEL_BGRA);
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_consumer_acquire(consumer, &frame, 0));
	CHECK(frame.slot == 1);
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

static void garbage_slot_states_are_ignored(void)
{
	dlf_channel *producer = fixture_producer(W, H);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	for (uint32_t i = 0; i < 3; i++)
		atomic_store(&producer->header->slots[i].state, 0xdeadbe00u | (i + 5));
	dlf_frame frame;
	CHECK_STATUS(DLF_E_TIMEOUT, dlf_consumer_acquire(consumer, &frame, 0));
	CHECK_STATUS(DLF_E_NO_SLOT, dlf_producer_begin(producer, &frame, 0));
	CHECK_STATUS(DLF_E_TIMEOUT, dlf_producer_receive(producer, &frame, 0));
	dlf_channel_close(consumer);
	dlf_channel_close(producer);
}

int main(void)
{
	each_tampered_header_field_is_refused();
	random_header_bytes_never_crash_attach();
	a_truncated_mapping_is_refused();
	names_that_are_not_channel_names_are_refused();
	a_channel_others_could_open_is_refused();
	frames_with_invalid_fields_are_rejected_not_processed();
	garbage_slot_states_are_ignored();
	return 0;
}
