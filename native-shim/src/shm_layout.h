#ifndef DLF_SHM_LAYOUT_H
#define DLF_SHM_LAYOUT_H
/*
 * The bytes both processes share. Everything a peer can write is untrusted: static fields are validated once at
 * attach and then copied into the private handle; per-frame fields are copied into locals and validated before use.
 *
 *   [header: control line | producer line | consumer line | ready line | done line | slot descriptors]  page-padded
 *   [slot 0 pixels][slot 1 pixels]...  each page-aligned, slot_stride bytes apart
 */
#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define DLF_SHM_MAGIC 0x43464c44u /* "DLFC" in memory on little-endian machines */
#define DLF_SHM_VERSION 1u
#define DLF_CACHE_LINE 64
#define DLF_PAGE 4096u

/* Slot state word: low 8 bits a dlf_slot_state, high 24 bits the consumer generation that claimed it. */
enum dlf_slot_state {
	DLF_SLOT_FREE = 0,
	DLF_SLOT_WRITING = 1,
	DLF_SLOT_READY = 2,
	DLF_SLOT_PROCESSING = 3,
	DLF_SLOT_DONE = 4
};
#define DLF_STATE(word) ((word) & 0xffu)
#define DLF_STATE_GEN(word) ((word) >> 8)
#define DLF_STATE_WORD(state, gen) ((uint32_t)(state) | ((uint32_t)((gen) & 0xffffffu) << 8))

enum dlf_producer_phase { DLF_PRODUCER_ALIVE = 1, DLF_PRODUCER_CLOSED = 2 };

struct dlf_shm_slot {
	alignas(DLF_CACHE_LINE) _Atomic uint32_t state;
	uint32_t format;
	uint32_t width;
	uint32_t height;
	uint32_t stride;
	int32_t result;
	_Atomic uint64_t sequence; /* read before claiming (to pick the oldest), so atomic */
	uint64_t timestamp_ns;
	uint64_t data_offset;   /* from the start of the mapping; fixed at create */
	uint64_t data_capacity; /* fixed at create */
	uint64_t checksum;
};

struct dlf_shm_header {
	/* Written once by the producer before the name is published. */
	alignas(DLF_CACHE_LINE) uint32_t magic;
	uint32_t version;
	uint32_t header_size; /* bytes before slot 0's pixels, page multiple */
	uint32_t slot_count;
	uint32_t slot_desc_size; /* sizeof(struct dlf_shm_slot), a layout check */
	uint32_t peer_timeout_ms;
	uint64_t max_frame_bytes;
	uint64_t slot_stride;
	uint64_t total_size;

	alignas(DLF_CACHE_LINE) _Atomic uint64_t producer_heartbeat_ns; /* monotonic clock, system-wide */
	_Atomic uint32_t producer_pid;
	_Atomic uint32_t producer_phase; /* dlf_producer_phase */

	alignas(DLF_CACHE_LINE) _Atomic uint64_t consumer_heartbeat_ns;
	/* (generation << 32) | pid, pid 0 = no consumer. One word so attach and eviction race safely by CAS. */
	_Atomic uint64_t consumer_identity;

	alignas(DLF_CACHE_LINE) _Atomic uint32_t ready_count; /* futex: bumped on submit, consumer waits */
	alignas(DLF_CACHE_LINE) _Atomic uint32_t done_count;  /* futex: bumped on complete/release, producer waits */

	struct dlf_shm_slot slots[];
};

#define DLF_IDENTITY(gen, pid) (((uint64_t)(gen) << 32) | (uint32_t)(pid))
#define DLF_IDENTITY_GEN(id) ((uint32_t)((id) >> 32))
#define DLF_IDENTITY_PID(id) ((uint32_t)(id))

_Static_assert(sizeof(struct dlf_shm_slot) == 64, "slot descriptor is one cache line");
_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "shared atomics must be lock-free");
_Static_assert(ATOMIC_LLONG_LOCK_FREE == 2, "shared atomics must be lock-free");

#endif
