/* Linux implementation of platform.h. */
#define _GNU_SOURCE
#include "platform.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "dlf/frame_channel.h"

uint64_t dlf_now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int dlf_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;
	while (n > 0) {
		ssize_t got = getrandom(p, n, 0);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += got;
		n -= (size_t)got;
	}
	return 0;
}

uint32_t dlf_process_id(void)
{
	return (uint32_t)getpid();
}

bool dlf_process_exists(uint32_t pid)
{
	if (pid == 0 || pid > (uint32_t)INT32_MAX)
		return false;
	return kill((pid_t)pid, 0) == 0 || errno != ESRCH;
}

int dlf_shm_create(const char *name, uint64_t size, struct dlf_mapping *out)
{
	int fd = shm_open(name, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return DLF_E_SYSTEM;
	/* The umask cannot widen 0600, but make the mode explicit regardless of how it was set. */
	if (fchmod(fd, 0600) != 0 || ftruncate(fd, (off_t)size) != 0) {
		int saved = errno;
		close(fd);
		shm_unlink(name);
		errno = saved;
		return DLF_E_SYSTEM;
	}
	void *base = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	int saved = errno;
	close(fd);
	if (base == MAP_FAILED) {
		shm_unlink(name);
		errno = saved;
		return DLF_E_SYSTEM;
	}
	out->base = base;
	out->size = size;
	return DLF_OK;
}

int dlf_shm_open(const char *name, uint64_t min_size, uint64_t max_size, struct dlf_mapping *out)
{
	int fd = shm_open(name, O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0);
	if (fd < 0)
		return errno == ENOENT ? DLF_E_NOT_FOUND : errno == EACCES ? DLF_E_BAD_CHANNEL : DLF_E_SYSTEM;
	struct stat st;
	if (fstat(fd, &st) != 0) {
		close(fd);
		return DLF_E_SYSTEM;
	}
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() || (st.st_mode & 077) != 0 || st.st_size < 0 ||
	    (uint64_t)st.st_size < min_size || (uint64_t)st.st_size > max_size) {
		close(fd);
		return DLF_E_BAD_CHANNEL;
	}
	uint64_t size = (uint64_t)st.st_size;
	void *base = mmap(NULL, (size_t)size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (base == MAP_FAILED)
		return DLF_E_SYSTEM;
	out->base = base;
	out->size = size;
	return DLF_OK;
}

void dlf_shm_unmap(struct dlf_mapping *mapping)
{
	if (mapping->base != NULL)
		munmap(mapping->base, (size_t)mapping->size);
	mapping->base = NULL;
	mapping->size = 0;
}

void dlf_shm_unlink(const char *name)
{
	shm_unlink(name);
}

void dlf_shm_list(const char *prefix, void (*fn)(const char *name, void *ctx), void *ctx)
{
	/* glibc keeps POSIX shared memory objects as files in /dev/shm. */
	DIR *dir = opendir("/dev/shm");
	if (dir == NULL)
		return;
	size_t prefix_len = strlen(prefix);
	struct dirent *entry;
	while ((entry = readdir(dir)) != NULL) {
		char name[DLF_NAME_MAX];
		if (snprintf(name, sizeof name, "/%s", entry->d_name) >= (int)sizeof name)
			continue;
		if (strncmp(name, prefix, prefix_len) == 0)
			fn(name, ctx);
	}
	closedir(dir);
}

void dlf_futex_wait(_Atomic uint32_t *word, uint32_t expected, uint64_t timeout_ns)
{
	struct timespec ts = {.tv_sec = (time_t)(timeout_ns / 1000000000u), .tv_nsec = (long)(timeout_ns % 1000000000u)};
	/* Not FUTEX_PRIVATE_FLAG: the word lives in memory shared with another process. */
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAIT, expected, &ts, NULL, 0);
}

void dlf_futex_wake_all(_Atomic uint32_t *word)
{
	syscall(SYS_futex, (uint32_t *)word, FUTEX_WAKE, INT32_MAX, NULL, NULL, 0);
}

struct thread_start {
	void (*fn)(void *);
	void *arg;
};

static void *thread_main(void *p)
{
	struct thread_start start = *(struct thread_start *)p;
	free(p);
	start.fn(start.arg);
	return NULL;
}

int dlf_thread_start(struct dlf_thread *thread, void (*fn)(void *arg), void *arg)
{
	struct thread_start *start = malloc(sizeof *start);
	if (start == NULL)
		return DLF_E_SYSTEM;
	start->fn = fn;
	start->arg = arg;
	pthread_t id;
	if (pthread_create(&id, NULL, thread_main, start) != 0) {
		free(start);
		return DLF_E_SYSTEM;
	}
	thread->handle = (uintptr_t)id;
	return DLF_OK;
}

void dlf_thread_join(struct dlf_thread *thread)
{
	pthread_join((pthread_t)thread->handle, NULL);
}
