#ifndef DLF_TEST_CHECK_H
#define DLF_TEST_CHECK_H
/* A minimal test harness: CHECK stops the test with the failing expression and its line. */
#include <stdio.h>
#include <stdlib.h>

#define CHECK(cond)                                                                      \
	do {                                                                             \
		if (!(cond)) {                                                           \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			exit(1);                                                         \
		}                                                                        \
	} while (0)

#define CHECK_STATUS(expected, call)                                                              \
	do {                                                                                      \
		int check_status_ = (call);                                                       \
		if (check_status_ != (expected)) {                                                \
			fprintf(stderr, "%s:%d: %s returned %d (%s), expected %d\n", __FILE__, __LINE__, #call, \
				check_status_, dlf_status_message(check_status_), (int)(expected));     \
			exit(1);                                                                  \
		}                                                                                 \
	} while (0)

#endif
