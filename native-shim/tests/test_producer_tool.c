/* dlf-test-producer end to end: it prints a channel name, a consumer attaches, every frame comes back verified, and
 * the last stdout line is the JSON report. argv[1] is the tool's path. */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "dlf/frame_channel.h"

#define MS (1000u * 1000u)

/* Serves the producer until it closes: either hands frames back untouched, or brightens them and declares the
 * new checksum. */
static void serve(const char *name, int modify)
{
	dlf_channel *consumer = NULL;
	CHECK_STATUS(DLF_OK, dlf_channel_attach(name, &consumer));
	for (;;) {
		dlf_frame frame;
		int status = dlf_consumer_acquire(consumer, &frame, 100 * MS);
		if (status == DLF_E_TIMEOUT)
			continue;
		if (status == DLF_E_PEER_GONE)
			break;
		CHECK_STATUS(DLF_OK, status);
		CHECK(dlf_frame_checksum(frame.data, frame.width, frame.height, frame.stride, frame.format) ==
		      frame.checksum);
		uint64_t checksum = 0;
		if (modify) {
			frame.data[0] ^= 0xff;
			checksum = dlf_frame_checksum(frame.data, frame.width, frame.height, frame.stride, frame.format);
		}
		CHECK_STATUS(DLF_OK, dlf_consumer_complete(consumer, &frame,
							   modify ? DLF_RESULT_PROCESSED : DLF_RESULT_UNCHANGED, checksum));
	}
	dlf_channel_close(consumer);
}

static void run_tool(const char *tool, const char *verify, int modify, const char *expected_received)
{
	char command[1024];
	snprintf(command, sizeof command, "%s --size 320x180 --fps 0 --frames 300 --wait-consumer 10 --verify %s", tool,
		 verify);
	FILE *out = popen(command, "r");
	CHECK(out != NULL);
	char name[128];
	CHECK(fgets(name, sizeof name, out) != NULL);
	name[strcspn(name, "\n")] = '\0';
	serve(name, modify);
	char report[512] = {0};
	CHECK(fgets(report, sizeof report, out) != NULL);
	int status = pclose(out);
	fprintf(stderr, "%s", report);
	CHECK(status == 0);
	CHECK(report[0] == '{' && strstr(report, "\"corrupted\":0,") != NULL);
	CHECK(strstr(report, expected_received) != NULL);
	CHECK(strstr(report, "\"p99_us\":") != NULL);
}

static void a_corrupting_consumer_is_caught(const char *tool)
{
	char command[1024];
	snprintf(command, sizeof command, "%s --size 64x64 --fps 0 --frames 20 --wait-consumer 10", tool);
	FILE *out = popen(command, "r");
	CHECK(out != NULL);
	char name[128];
	CHECK(fgets(name, sizeof name, out) != NULL);
	name[strcspn(name, "\n")] = '\0';
	serve(name, 1); /* changes pixels, but the producer expects them unchanged */
	char report[512] = {0};
	CHECK(fgets(report, sizeof report, out) != NULL);
	CHECK(pclose(out) != 0);
	CHECK(strstr(report, "\"corrupted\":20,") != NULL);
}

int main(int argc, char **argv)
{
	CHECK(argc == 2);
	run_tool(argv[1], "identity", 0, "\"received\":300,");
	run_tool(argv[1], "checksum", 1, "\"received\":300,");
	a_corrupting_consumer_is_caught(argv[1]);
	return 0;
}
