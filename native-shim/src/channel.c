/* Creating, attaching and closing channels: layout, header validation, heartbeats and stale-channel cleanup. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "channel_internal.h"

#define DLF_NAME_PREFIX "/dlf-"
#define DLF_NAME_RANDOM_HEX 16

static uint64_t round_up(uint64_t value, uint64_t multiple)
{
	return (value + multiple - 1) / multiple * multiple;
}

uint64_t dlf_layout_header_size(uint32_t slot_count)
{
	return round_up(sizeof(struct dlf_shm_header) + (uint64_t)slot_count * sizeof(struct dlf_shm_slot), DLF_PAGE);
}

uint64_t dlf_layout_slot_stride(uint64_t max_frame_bytes)
{
	return round_up(max_frame_bytes, DLF_PAGE);
}

/* The largest mapping a valid header can describe; attach refuses to map anything bigger. */
static uint64_t max_mapping_size(void)
{
	return dlf_layout_header_size(DLF_MAX_SLOTS) + DLF_MAX_SLOTS * dlf_layout_slot_stride(DLF_MAX_FRAME_BYTES);
}

bool dlf_heartbeat_stale(uint64_t beat, uint64_t timeout_ns)
{
	uint64_t now = dlf_now_ns();
	return now > beat && now - beat > timeout_ns;
}

/* "/dlf-<decimal pid>-<16 lowercase hex>", and nothing else: attach opens no other object. */
static bool parse_name(const char *name, uint32_t *pid)
{
	if (memchr(name, '\0', DLF_NAME_MAX) == NULL || strncmp(name, DLF_NAME_PREFIX, strlen(DLF_NAME_PREFIX)) != 0)
		return false;
	const char *p = name + strlen(DLF_NAME_PREFIX);
	uint64_t value = 0;
	int digits = 0;
	for (; *p >= '0' && *p <= '9'; p++, digits++) {
		value = value * 10 + (uint64_t)(*p - '0');
		if (digits >= 10 || value > INT32_MAX)
			return false;
	}
	if (digits == 0 || *p != '-')
		return false;
	p++;
	int hex = 0;
	for (; (*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f'); p++)
		hex++;
	if (hex != DLF_NAME_RANDOM_HEX || *p != '\0')
		return false;
	*pid = (uint32_t)value;
	return true;
}

static void heartbeat_main(void *arg)
{
	dlf_channel *channel = arg;
	struct dlf_shm_header *header = channel->header;
	while (atomic_load(&channel->heartbeat_stop) == 0) {
		if (channel->is_producer) {
			atomic_store(&header->producer_heartbeat_ns, dlf_now_ns());
		} else if (atomic_load(&header->consumer_identity) == channel->identity) {
			/* Only while still the attached consumer: a replaced one must not keep its successor looking alive. */
			atomic_store(&header->consumer_heartbeat_ns, dlf_now_ns());
		}
		dlf_futex_wait(&channel->heartbeat_stop, 0, DLF_HEARTBEAT_INTERVAL_NS);
	}
}

int dlf_heartbeat_start(dlf_channel *channel)
{
	atomic_store(&channel->heartbeat_stop, 0);
	int status = dlf_thread_start(&channel->heartbeat_thread, heartbeat_main, channel);
	channel->heartbeat_running = status == DLF_OK;
	return status;
}

static void heartbeat_stop(dlf_channel *channel)
{
	if (!channel->heartbeat_running)
		return;
	atomic_store(&channel->heartbeat_stop, 1);
	dlf_futex_wake_all(&channel->heartbeat_stop);
	dlf_thread_join(&channel->heartbeat_thread);
	channel->heartbeat_running = false;
}

/* Unlinks a channel whose creator is gone and whose heartbeat has stopped (a live creator in another pid
 * namespace keeps beating, so both must hold). */
static void remove_if_stale(const char *name, void *ctx)
{
	(void)ctx;
	uint32_t pid;
	if (!parse_name(name, &pid) || pid == dlf_process_id() || dlf_process_exists(pid))
		return;
	struct dlf_mapping mapping = {0};
	int status = dlf_shm_open(name, sizeof(struct dlf_shm_header), max_mapping_size(), &mapping);
	if (status == DLF_OK) {
		struct dlf_shm_header *header = mapping.base;
		uint32_t timeout_ms = header->peer_timeout_ms;
		if (timeout_ms < DLF_MIN_PEER_TIMEOUT_MS || timeout_ms > DLF_MAX_PEER_TIMEOUT_MS)
			timeout_ms = DLF_MAX_PEER_TIMEOUT_MS;
		uint64_t timeout_ns = (uint64_t)timeout_ms * 1000000u;
		bool beating = header->magic == DLF_SHM_MAGIC &&
			       atomic_load(&header->producer_phase) == DLF_PRODUCER_ALIVE &&
			       !dlf_heartbeat_stale(atomic_load(&header->producer_heartbeat_ns), timeout_ns);
		dlf_shm_unmap(&mapping);
		if (beating)
			return;
	} else if (status != DLF_E_BAD_CHANNEL) {
		return;
	}
	/* A mapping we may not open (another user's) cannot be unlinked by us either; trying is harmless. */
	dlf_shm_unlink(name);
}

static void fill_slot_pointers(dlf_channel *channel, uint64_t header_size, uint64_t slot_stride)
{
	for (uint32_t i = 0; i < channel->slot_count; i++)
		channel->slot_data[i] = (uint8_t *)channel->mapping.base + header_size + i * slot_stride;
}

int dlf_channel_create(const dlf_channel_params *params, dlf_channel **out)
{
	if (params == NULL || out == NULL)
		return DLF_E_INVALID_ARGUMENT;
	*out = NULL;
	uint32_t slot_count = params->slot_count ? params->slot_count : DLF_MIN_SLOTS;
	uint32_t timeout_ms = params->peer_timeout_ms ? params->peer_timeout_ms : DLF_DEFAULT_PEER_TIMEOUT_MS;
	if (slot_count < DLF_MIN_SLOTS || slot_count > DLF_MAX_SLOTS || params->max_frame_bytes == 0 ||
	    params->max_frame_bytes > DLF_MAX_FRAME_BYTES || timeout_ms < DLF_MIN_PEER_TIMEOUT_MS ||
	    timeout_ms > DLF_MAX_PEER_TIMEOUT_MS)
		return DLF_E_INVALID_ARGUMENT;

	dlf_shm_list(DLF_NAME_PREFIX, remove_if_stale, NULL);

	dlf_channel *channel = calloc(1, sizeof *channel);
	if (channel == NULL)
		return DLF_E_SYSTEM;
	uint64_t header_size = dlf_layout_header_size(slot_count);
	uint64_t slot_stride = dlf_layout_slot_stride(params->max_frame_bytes);
	uint64_t total = header_size + slot_count * slot_stride;

	int status = DLF_E_SYSTEM;
	for (int attempt = 0; attempt < 4 && status != DLF_OK; attempt++) {
		uint64_t random;
		if (dlf_random_bytes(&random, sizeof random) != 0)
			break;
		snprintf(channel->name, sizeof channel->name, DLF_NAME_PREFIX "%" PRIu32 "-%016" PRIx64,
			 dlf_process_id(), random);
		status = dlf_shm_create(channel->name, total, &channel->mapping);
		if (status != DLF_OK && errno != EEXIST)
			break;
	}
	if (status != DLF_OK) {
		free(channel);
		return status;
	}

	struct dlf_shm_header *header = channel->mapping.base;
	channel->header = header;
	channel->is_producer = true;
	channel->slot_count = slot_count;
	channel->max_frame_bytes = params->max_frame_bytes;
	channel->peer_timeout_ns = (uint64_t)timeout_ms * 1000000u;
	channel->next_sequence = 1;
	fill_slot_pointers(channel, header_size, slot_stride);

	header->version = DLF_SHM_VERSION;
	header->header_size = (uint32_t)header_size;
	header->slot_count = slot_count;
	header->slot_desc_size = sizeof(struct dlf_shm_slot);
	header->peer_timeout_ms = timeout_ms;
	header->max_frame_bytes = params->max_frame_bytes;
	header->slot_stride = slot_stride;
	header->total_size = total;
	for (uint32_t i = 0; i < slot_count; i++) {
		header->slots[i].data_offset = header_size + i * slot_stride;
		header->slots[i].data_capacity = params->max_frame_bytes;
		atomic_store(&header->slots[i].state, DLF_SLOT_FREE);
	}
	atomic_store(&header->producer_pid, dlf_process_id());
	atomic_store(&header->producer_heartbeat_ns, dlf_now_ns());
	atomic_store(&header->producer_phase, DLF_PRODUCER_ALIVE);
	/* The magic goes last: a header is only valid once everything above is in place. */
	atomic_thread_fence(memory_order_release);
	header->magic = DLF_SHM_MAGIC;

	status = dlf_heartbeat_start(channel);
	if (status != DLF_OK) {
		dlf_channel_close(channel);
		return status;
	}
	*out = channel;
	return DLF_OK;
}

/* Checks a copy of the header's static part and each slot's fixed fields against the actual mapping size. */
static int validate_header(const struct dlf_shm_header *copy, const struct dlf_shm_header *live, uint64_t mapped)
{
	if (copy->magic != DLF_SHM_MAGIC)
		return DLF_E_BAD_CHANNEL;
	if (copy->version != DLF_SHM_VERSION)
		return DLF_E_VERSION;
	if (copy->slot_desc_size != sizeof(struct dlf_shm_slot) || copy->slot_count < DLF_MIN_SLOTS ||
	    copy->slot_count > DLF_MAX_SLOTS || copy->max_frame_bytes == 0 ||
	    copy->max_frame_bytes > DLF_MAX_FRAME_BYTES || copy->peer_timeout_ms < DLF_MIN_PEER_TIMEOUT_MS ||
	    copy->peer_timeout_ms > DLF_MAX_PEER_TIMEOUT_MS)
		return DLF_E_BAD_CHANNEL;
	uint64_t header_size = dlf_layout_header_size(copy->slot_count);
	uint64_t slot_stride = dlf_layout_slot_stride(copy->max_frame_bytes);
	/* All bounded above, so no overflow: header_size <= 2 pages, slot_stride <= 256 MiB, slot_count <= 16. */
	uint64_t total = header_size + copy->slot_count * slot_stride;
	if (copy->header_size != header_size || copy->slot_stride != slot_stride || copy->total_size != total ||
	    total != mapped)
		return DLF_E_BAD_CHANNEL;
	for (uint32_t i = 0; i < copy->slot_count; i++) {
		uint64_t offset = live->slots[i].data_offset;
		uint64_t capacity = live->slots[i].data_capacity;
		if (offset != header_size + i * slot_stride || capacity != copy->max_frame_bytes)
			return DLF_E_BAD_CHANNEL;
	}
	return DLF_OK;
}

/* Becomes the channel's consumer unless a live one is attached; a new generation fences off the old one. */
static int claim_consumer(dlf_channel *channel)
{
	struct dlf_shm_header *header = channel->header;
	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t current = atomic_load(&header->consumer_identity);
		if (DLF_IDENTITY_PID(current) != 0 &&
		    !dlf_heartbeat_stale(atomic_load(&header->consumer_heartbeat_ns), channel->peer_timeout_ns))
			return DLF_E_BUSY;
		uint64_t mine = DLF_IDENTITY(DLF_IDENTITY_GEN(current) + 1, dlf_process_id());
		/* Beat first, so the producer does not evict us between the swap and the first beat. */
		atomic_store(&header->consumer_heartbeat_ns, dlf_now_ns());
		if (atomic_compare_exchange_strong(&header->consumer_identity, &current, mine)) {
			channel->identity = mine;
			return DLF_OK;
		}
	}
	return DLF_E_BUSY;
}

int dlf_channel_attach(const char *name, dlf_channel **out)
{
	if (name == NULL || out == NULL)
		return DLF_E_INVALID_ARGUMENT;
	*out = NULL;
	uint32_t creator;
	if (!parse_name(name, &creator))
		return DLF_E_BAD_CHANNEL;
	dlf_channel *channel = calloc(1, sizeof *channel);
	if (channel == NULL)
		return DLF_E_SYSTEM;
	strcpy(channel->name, name);
	int status = dlf_shm_open(name, dlf_layout_header_size(DLF_MIN_SLOTS), max_mapping_size(), &channel->mapping);
	if (status != DLF_OK) {
		free(channel);
		return status;
	}
	struct dlf_shm_header *live = channel->mapping.base;
	/* Validate a private copy: the producer could change the shared one between check and use. */
	struct dlf_shm_header copy;
	memcpy(&copy, live, sizeof copy);
	atomic_thread_fence(memory_order_acquire);
	status = validate_header(&copy, live, channel->mapping.size);
	if (status == DLF_OK) {
		channel->header = live;
		channel->slot_count = copy.slot_count;
		channel->max_frame_bytes = copy.max_frame_bytes;
		channel->peer_timeout_ns = (uint64_t)copy.peer_timeout_ms * 1000000u;
		fill_slot_pointers(channel, copy.header_size, copy.slot_stride);
		if (atomic_load(&live->producer_phase) != DLF_PRODUCER_ALIVE ||
		    dlf_heartbeat_stale(atomic_load(&live->producer_heartbeat_ns), channel->peer_timeout_ns))
			status = DLF_E_PEER_GONE;
	}
	if (status == DLF_OK)
		status = claim_consumer(channel);
	if (status == DLF_OK)
		status = dlf_heartbeat_start(channel);
	if (status != DLF_OK) {
		dlf_channel_close(channel);
		return status;
	}
	dlf_futex_wake_all(&live->done_count); /* a producer waiting for a consumer may want to know */
	*out = channel;
	return DLF_OK;
}

void dlf_channel_close(dlf_channel *channel)
{
	if (channel == NULL)
		return;
	heartbeat_stop(channel);
	struct dlf_shm_header *header = channel->header;
	if (header != NULL) {
		if (channel->is_producer) {
			atomic_store(&header->producer_phase, DLF_PRODUCER_CLOSED);
			dlf_futex_wake_all(&header->ready_count);
			dlf_shm_unlink(channel->name);
		} else if (channel->identity != 0) {
			/* Leave with a new generation so the producer reclaims any slot this handle still held. */
			uint64_t mine = channel->identity;
			uint64_t gone = DLF_IDENTITY(DLF_IDENTITY_GEN(mine) + 1, 0);
			atomic_compare_exchange_strong(&header->consumer_identity, &mine, gone);
			dlf_futex_wake_all(&header->done_count);
		}
	} else if (channel->is_producer) {
		dlf_shm_unlink(channel->name);
	}
	dlf_shm_unmap(&channel->mapping);
	free(channel);
}

const char *dlf_channel_name(const dlf_channel *channel)
{
	return channel ? channel->name : "";
}

uint64_t dlf_channel_max_frame_bytes(const dlf_channel *channel)
{
	return channel ? channel->max_frame_bytes : 0;
}

uint32_t dlf_channel_slot_count(const dlf_channel *channel)
{
	return channel ? channel->slot_count : 0;
}

int dlf_channel_stats_get(const dlf_channel *channel, dlf_channel_stats *out)
{
	if (channel == NULL || out == NULL)
		return DLF_E_INVALID_ARGUMENT;
	*out = channel->stats;
	return DLF_OK;
}

bool dlf_frame_geometry_valid(uint32_t width, uint32_t height, uint32_t stride, uint32_t format, uint64_t capacity)
{
	uint32_t bpp = dlf_pixel_format_bytes_per_pixel(format);
	if (bpp == 0 || width == 0 || height == 0 || width > DLF_MAX_DIMENSION || height > DLF_MAX_DIMENSION)
		return false;
	uint64_t row = (uint64_t)width * bpp;
	return stride >= row && (uint64_t)stride * (height - 1) + row <= capacity;
}
