#ifndef DLF_PLATFORM_H
#define DLF_PLATFORM_H
/*
 * Everything operating-system specific the channel needs, so a port is one new platform_<os>.c.
 * Linux: POSIX shm, futex, CLOCK_MONOTONIC, getrandom, pthreads.
 */
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Monotonic nanoseconds on a clock every process on the machine shares (heartbeats compare across processes). */
uint64_t dlf_now_ns(void);

/* Fills buf with n bytes from the OS's cryptographic random source; 0 on success. */
int dlf_random_bytes(void *buf, size_t n);

uint32_t dlf_process_id(void);

/* false only when the process certainly does not exist (true for a zombie or when unsure). */
bool dlf_process_exists(uint32_t pid);

struct dlf_mapping {
	void *base;
	uint64_t size;
};

/* Creates `name` exclusively, owner-only, `size` bytes zero-filled, and maps it read-write. Returns dlf_status. */
int dlf_shm_create(const char *name, uint64_t size, struct dlf_mapping *out);

/*
 * Opens an existing `name` and maps all of it read-write. Refuses (DLF_E_BAD_CHANNEL) an object owned by another
 * user, accessible to anyone else, smaller than min_size or larger than max_size. Returns dlf_status.
 */
int dlf_shm_open(const char *name, uint64_t min_size, uint64_t max_size, struct dlf_mapping *out);

void dlf_shm_unmap(struct dlf_mapping *mapping);
void dlf_shm_unlink(const char *name);

/* Calls fn for every shared-memory object name (with its leading '/') that starts with prefix ("/dlf-"). */
void dlf_shm_list(const char *prefix, void (*fn)(const char *name, void *ctx), void *ctx);

/*
 * Sleeps while *word == expected, at most timeout_ns; the word may live in memory shared between processes.
 * Returns when woken, when the word differs, on a signal, or on timeout (callers re-check their condition).
 */
void dlf_futex_wait(_Atomic uint32_t *word, uint32_t expected, uint64_t timeout_ns);
void dlf_futex_wake_all(_Atomic uint32_t *word);

struct dlf_thread {
	uintptr_t handle;
};
int dlf_thread_start(struct dlf_thread *thread, void (*fn)(void *arg), void *arg);
void dlf_thread_join(struct dlf_thread *thread);

#endif
