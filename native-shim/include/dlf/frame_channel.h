#ifndef DLF_FRAME_CHANNEL_H
#define DLF_FRAME_CHANNEL_H
/*
 * The frame channel: video frames shared between one producer (the OBS plugin, or the test producer) and one
 * consumer (the Java engine) through a shared-memory mapping, processed in place.
 *
 * Who does what
 *   1. The producer calls dlf_channel_create(). The library picks an unguessable name ("/dlf-<pid>-<16 hex>"),
 *      creates the mapping with mode 0600 and starts a heartbeat. The producer hands dlf_channel_name() to the
 *      engine over the control connection.
 *   2. The engine calls dlf_channel_attach(name). Attaching validates every header field against the mapping;
 *      a bad or hostile header is an error code, never a crash.
 *   3. Producer, per frame:  dlf_producer_begin() -> write pixels into frame.data -> dlf_producer_submit().
 *      Consumer, per frame:  dlf_consumer_acquire() -> process frame.data in place -> dlf_consumer_complete().
 *      Producer, per result: dlf_producer_receive() -> read frame.data -> dlf_producer_release().
 *   4. dlf_channel_close() on the producer unlinks the name; on the consumer it only detaches.
 *
 * Slot states (one atomic word per slot; each side only writes pixels of slots it owns):
 *   FREE -> WRITING -> READY -> PROCESSING -> DONE -> (producer received and released) FREE
 *   producer owns FREE, WRITING, READY (until the consumer claims it) and DONE; the consumer owns PROCESSING.
 *   When no slot is FREE the producer takes back its oldest READY slot the consumer has not claimed yet (that
 *   frame counts as dropped); when none is READY either, dlf_producer_begin() fails with DLF_E_NO_SLOT and the
 *   frame is skipped. Frames are never torn: a claim is a compare-and-swap, so a slot is either still the
 *   producer's or wholly the consumer's.
 *
 * Liveness: each handle runs a small heartbeat thread (every 50 ms). A consumer whose heartbeat is older than the
 * channel's peer timeout (default 500 ms) is evicted by the producer's next call: its PROCESSING slots return to
 * FREE and the channel waits for a new consumer (a restarted engine simply attaches again; a new consumer
 * generation makes any late write-back by the old one fail). A producer that closed or whose heartbeat is stale
 * makes the consumer's calls fail with DLF_E_PEER_GONE: the engine then closes its handle, releasing the mapping.
 *
 * Waiting: every wait is a futex wait on the shared mapping bounded by the caller's timeout; nothing spins.
 *
 * Threads: one handle is used by one thread at a time (the heartbeat thread is internal). Different channels are
 * independent. All functions return DLF_OK (0) or a negative dlf_status; dlf_status_message() names it.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dlf/export.h"

#ifdef __cplusplus
extern "C" {
#endif


/** Results of every call; negative means failure. Values are stable (the Java binding mirrors them). */
typedef enum dlf_status {
	DLF_OK = 0,
	DLF_E_INVALID_ARGUMENT = -1, /* a null pointer, a size out of range, a frame that is not this handle's */
	DLF_E_TIMEOUT = -2,          /* nothing arrived within the timeout; try again */
	DLF_E_NO_SLOT = -3,          /* producer: every slot is busy; skip this frame */
	DLF_E_PEER_GONE = -4,        /* consumer: the producer closed or died; close the handle */
	DLF_E_DETACHED = -5,         /* consumer: the producer evicted this consumer (stale heartbeat) or another
	                                consumer replaced it; close the handle (attach again to resume) */
	DLF_E_BUSY = -6,             /* attach: a live consumer is already attached */
	DLF_E_NOT_FOUND = -7,        /* attach: no channel by that name */
	DLF_E_BAD_CHANNEL = -8,      /* attach: the name, mapping, owner, mode or a header field is invalid */
	DLF_E_VERSION = -9,          /* attach: the channel was made by an incompatible library version */
	DLF_E_SYSTEM = -10,          /* an operating-system call failed (see errno) */
	DLF_E_WRONG_ROLE = -11       /* a producer call on a consumer handle or the other way round */
} dlf_status;

/** Pixel layouts. Only BGRA is accepted today; the others are reserved so the layout need not change. */
typedef enum dlf_pixel_format {
	DLF_PIXEL_NONE = 0,
	DLF_PIXEL_BGRA = 1, /* 4 bytes per pixel, B G R A, rows `stride` bytes apart (OBS's GS_BGRA) */
	DLF_PIXEL_NV12 = 2, /* reserved */
	DLF_PIXEL_I420 = 3  /* reserved */
} dlf_pixel_format;

/** What the consumer did with a frame; the producer reads it in frame.result after dlf_producer_receive(). */
typedef enum dlf_result {
	DLF_RESULT_NONE = 0,        /* not processed (not yet returned) */
	DLF_RESULT_PROCESSED = 1,   /* processed in place */
	DLF_RESULT_UNCHANGED = 2,   /* the consumer left the pixels as they were: it found no face to
	                             * swap in them, so they are fit to show (paused: UNSWAPPED) */
	DLF_RESULT_FAILED = 3,      /* the consumer failed on this frame; pixels may be partly processed */
	DLF_RESULT_REJECTED = 4,    /* the frame's fields were invalid; the consumer never touched it */
	DLF_RESULT_SKIPPED = 5,     /* the consumer let this frame go unprocessed to keep up (a newer frame replaced it)
	                             * or while stopping; the pixels are the original ones: never show it as processed */
	DLF_RESULT_UNSWAPPED = 6    /* the consumer looked at the frame but swapped none of the faces it may show (no
	                             * identity yet, no swapper, over its limits): the pixels are the original ones, so a
	                             * producer that promised never to show the real face must not show it */
} dlf_result;

/** The highest dlf_result a consumer may hand back; anything above reads as DLF_RESULT_FAILED. */
#define DLF_RESULT_LAST DLF_RESULT_UNSWAPPED

enum {
	DLF_MIN_SLOTS = 3,
	DLF_MAX_SLOTS = 16,
	DLF_NAME_MAX = 64,           /* bytes for a channel name including its terminating zero */
	DLF_MAX_DIMENSION = 16384    /* widths and heights above this are rejected */
};
/** Upper bound of one slot's pixel bytes (8K BGRA fits). */
#define DLF_MAX_FRAME_BYTES ((uint64_t)256 * 1024 * 1024)

/**
 * One frame in a slot, as a call hands it to the caller. `data` points into the shared mapping; it is valid
 * until the slot is handed on (submit / complete / release) or the handle closes.
 * The layout is fixed (64 bytes on 64-bit platforms): the Java binding maps it field by field.
 */
typedef struct dlf_frame {
	uint8_t *data;         /* first pixel of the slot */
	uint64_t capacity;     /* bytes available at data */
	uint64_t sequence;     /* producer's frame number, increasing by one per submitted frame */
	uint64_t timestamp_ns; /* producer's timestamp (OBS frame time), carried through untouched */
	uint64_t checksum;     /* dlf_frame_checksum of the pixels: producer's input at submit (0 = none), the
	                          consumer's output at complete (0 = none) as received by the producer */
	uint32_t slot;         /* slot index, identifies the frame in complete/release */
	uint32_t width;
	uint32_t height;
	uint32_t stride;       /* bytes from one row to the next, >= width * bytes per pixel */
	uint32_t format;       /* dlf_pixel_format */
	int32_t result;        /* dlf_result: set by the consumer in complete, read by the producer in receive */
} dlf_frame;

/** Parameters for dlf_channel_create; zero fields take their defaults. */
typedef struct dlf_channel_params {
	uint32_t slot_count;      /* DLF_MIN_SLOTS..DLF_MAX_SLOTS, default 3 */
	uint32_t peer_timeout_ms; /* heartbeat age after which the peer counts as dead: 100..10000, default 500 */
	uint64_t max_frame_bytes; /* pixel bytes per slot, 1..DLF_MAX_FRAME_BYTES; required */
} dlf_channel_params;

/** Counters of one handle, for logs and benchmarks. */
typedef struct dlf_channel_stats {
	uint64_t submitted;  /* producer: frames submitted */
	uint64_t received;   /* producer: results received */
	uint64_t dropped;    /* producer: frames skipped (no slot), replaced before the consumer took them, or lost
	                        with an evicted consumer */
	uint64_t evictions;  /* producer: consumers evicted for a stale heartbeat */
	uint64_t processed;  /* consumer: frames completed */
	uint64_t rejected;   /* consumer: frames returned as DLF_RESULT_REJECTED for invalid fields */
} dlf_channel_stats;

typedef struct dlf_channel dlf_channel;

/* --- both sides --- */

/** Creates a channel as its producer. `out` receives the handle. Also removes channels left by dead processes. */
DLF_API int dlf_channel_create(const dlf_channel_params *params, dlf_channel **out);

/** Attaches to the channel `name` as its consumer (any earlier consumer must be gone or stale). */
DLF_API int dlf_channel_attach(const char *name, dlf_channel **out);

/** Producer: unlinks the name and unmaps. Consumer: detaches and unmaps. Null is ignored. */
DLF_API void dlf_channel_close(dlf_channel *channel);

/** The channel's name ("/dlf-<pid>-<16 hex>"), valid until close. */
DLF_API const char *dlf_channel_name(const dlf_channel *channel);

/** Bytes per slot (the largest frame this channel carries) and the slot count. */
DLF_API uint64_t dlf_channel_max_frame_bytes(const dlf_channel *channel);
DLF_API uint32_t dlf_channel_slot_count(const dlf_channel *channel);

/** Copies this handle's counters into `out`. */
DLF_API int dlf_channel_stats_get(const dlf_channel *channel, dlf_channel_stats *out);

/** Producer: true while a consumer with a fresh heartbeat is attached (evicts a stale one). */
DLF_API bool dlf_producer_has_consumer(dlf_channel *channel);

/* --- producer --- */

/**
 * Takes a slot to write the next frame into: a FREE one, else the oldest READY one the consumer has not claimed
 * (its frame counts as dropped). Waits up to timeout_ns for one to become free (0: do not wait).
 * On success frame->data/capacity/slot are set; fill the pixels and the geometry, then submit.
 * DLF_E_NO_SLOT: none could be had in time; the frame counts as dropped.
 * Slots become FREE only through dlf_producer_release() (or when an evicted consumer's slots are reclaimed), so
 * receive and release finished frames before beginning new ones; OBS's render path should pass 0.
 */
DLF_API int dlf_producer_begin(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns);

/**
 * Publishes the slot taken by begin. Reads frame->width, height, stride, format, timestamp_ns and checksum
 * (0 = none), validates them against the slot, assigns frame->sequence and wakes the consumer.
 * DLF_E_INVALID_ARGUMENT: the geometry does not fit; the slot returns to FREE.
 */
DLF_API int dlf_producer_submit(dlf_channel *channel, dlf_frame *frame);

/**
 * Returns the oldest processed frame (state DONE), waiting up to timeout_ns. The frame's geometry is the one
 * the producer submitted (never re-read from shared memory); result and checksum are the consumer's.
 * The slot stays the producer's until dlf_producer_release().
 */
DLF_API int dlf_producer_receive(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns);

/** Gives a received slot back (DONE -> FREE). */
DLF_API int dlf_producer_release(dlf_channel *channel, const dlf_frame *frame);

/* --- consumer --- */

/**
 * Claims the oldest READY frame (READY -> PROCESSING), waiting up to timeout_ns. Its fields are validated
 * (format supported, width/height in range, stride >= width * bpp, stride * height within the slot); an invalid
 * frame is returned to the producer as DLF_RESULT_REJECTED and the wait goes on.
 * DLF_E_PEER_GONE / DLF_E_DETACHED: close the handle.
 */
DLF_API int dlf_consumer_acquire(dlf_channel *channel, dlf_frame *frame, uint64_t timeout_ns);

/** Hands a processed frame back (PROCESSING -> DONE) with `result` (a dlf_result) and `checksum` (0 = none). */
DLF_API int dlf_consumer_complete(dlf_channel *channel, const dlf_frame *frame, int32_t result, uint64_t checksum);

/* --- helpers --- */

/**
 * A 64-bit checksum of a frame's visible pixels (width * bpp bytes of each row; the bytes between rows are not
 * covered), never 0. Both sides use it to prove a frame arrived whole.
 */
DLF_API uint64_t dlf_frame_checksum(const uint8_t *data, uint32_t width, uint32_t height, uint32_t stride,
				    uint32_t format);

/** Bytes per pixel of a packed format (4 for BGRA), 0 for planar or unknown formats. */
DLF_API uint32_t dlf_pixel_format_bytes_per_pixel(uint32_t format);

/** A short English description of a dlf_status value. */
DLF_API const char *dlf_status_message(int status);

#ifdef __cplusplus
}
#endif

#endif
