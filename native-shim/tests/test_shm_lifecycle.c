/* The shared-memory object's life: owner-only, an unguessable name, gone after the producer closes; one consumer
 * at a time; a consumer that leaves lets the next one in. */
#include <sys/stat.h>
#include <unistd.h>

#include "fixture.h"

static void shm_path(const dlf_channel *channel, char *path, size_t size)
{
	snprintf(path, size, "/dev/shm%s", dlf_channel_name(channel));
}

static void a_channel_is_owner_only_and_unlinked_on_close(void)
{
	dlf_channel *producer = fixture_producer(8, 8);
	char path[DLF_NAME_MAX + 16];
	shm_path(producer, path, sizeof path);
	struct stat st;
	CHECK(stat(path, &st) == 0);
	CHECK((st.st_mode & 0777) == 0600);
	CHECK(st.st_uid == geteuid());
	dlf_channel_close(producer);
	CHECK(stat(path, &st) != 0);
}

static void names_carry_the_pid_and_differ_every_time(void)
{
	dlf_channel *a = fixture_producer(8, 8);
	dlf_channel *b = fixture_producer(8, 8);
	char prefix[32];
	snprintf(prefix, sizeof prefix, "/dlf-%d-", (int)getpid());
	CHECK(strncmp(dlf_channel_name(a), prefix, strlen(prefix)) == 0);
	CHECK(strlen(dlf_channel_name(a)) == strlen(prefix) + 16);
	CHECK(strcmp(dlf_channel_name(a), dlf_channel_name(b)) != 0);
	dlf_channel_close(a);
	dlf_channel_close(b);
}

static void one_consumer_at_a_time_and_a_departed_one_makes_room(void)
{
	dlf_channel *producer = fixture_producer(8, 8);
	dlf_channel *first = NULL;
	dlf_channel *second = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &first));
	CHECK_STATUS(DLF_E_BUSY, dlf_channel_attach(dlf_channel_name(producer), &second));

	/* The first consumer takes a frame, then leaves without completing it: the producer gets the slot back. */
	dlf_frame frame;
	CHECK_STATUS(DLF_OK, dlf_producer_begin(producer, &frame, 0));
	fixture_fill(&frame, 8, 8, 1);
	CHECK_STATUS(DLF_OK, dlf_producer_submit(producer, &frame));
	CHECK_STATUS(DLF_OK, dlf_consumer_acquire(first, &frame, 0));
	dlf_channel_close(first);
	CHECK(!dlf_producer_has_consumer(producer));
	CHECK(fixture_state(producer, frame.slot) == DLF_SLOT_FREE);

	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &second));
	CHECK(dlf_producer_has_consumer(producer));
	dlf_channel_close(second);
	dlf_channel_close(producer);
}

static void a_closed_producer_ends_the_consumer_and_refuses_new_ones(void)
{
	dlf_channel *producer = fixture_producer(8, 8);
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(dlf_channel_name(producer), &consumer));
	char name[DLF_NAME_MAX];
	strcpy(name, dlf_channel_name(producer));
	dlf_channel_close(producer);
	dlf_frame frame;
	CHECK_STATUS(DLF_E_PEER_GONE, dlf_consumer_acquire(consumer, &frame, 1000 * MS));
	dlf_channel_close(consumer);
	CHECK_STATUS(DLF_E_NOT_FOUND, dlf_channel_attach(name, &consumer));
}

static void create_refuses_out_of_range_parameters(void)
{
	dlf_channel *channel = NULL;
	dlf_channel_params none = {0};
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_create(&none, &channel));
	dlf_channel_params few = {.slot_count = 2, .max_frame_bytes = 64};
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_create(&few, &channel));
	dlf_channel_params many = {.slot_count = DLF_MAX_SLOTS + 1, .max_frame_bytes = 64};
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_create(&many, &channel));
	dlf_channel_params huge = {.max_frame_bytes = DLF_MAX_FRAME_BYTES + 1};
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_create(&huge, &channel));
	dlf_channel_params hasty = {.max_frame_bytes = 64, .peer_timeout_ms = 10};
	CHECK_STATUS(DLF_E_INVALID_ARGUMENT, dlf_channel_create(&hasty, &channel));
	CHECK(channel == NULL);
}

int main(void)
{
	a_channel_is_owner_only_and_unlinked_on_close();
	names_carry_the_pid_and_differ_every_time();
	one_consumer_at_a_time_and_a_departed_one_makes_room();
	a_closed_producer_ends_the_consumer_and_refuses_new_ones();
	create_refuses_out_of_range_parameters();
	return 0;
}
