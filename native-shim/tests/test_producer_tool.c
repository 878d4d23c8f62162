/* dlf-test-producer end to end: it prints a channel name, a consumer attaches, every frame comes back verified, and
 * the last stdout line is the JSON report. argv[1] is the tool's path. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* --image tiles a PPM into the frames; --out-dir writes what came back, which for a no-op engine is the image. */
static void an_image_goes_out_and_returned_frames_are_written(const char *tool)
{
	char dir[] = "/tmp/dlf-producer-test-XXXXXX";
	CHECK(mkdtemp(dir) != NULL);
	char image[256], out_dir[256], written[300];
	snprintf(image, sizeof image, "%s/in.ppm", dir);
	snprintf(out_dir, sizeof out_dir, "%s/out", dir);
	FILE *file = fopen(image, "wb");
	CHECK(file != NULL);
	fprintf(file, "P6\n# a comment\n4 2\n255\n");
	for (int i = 0; i < 8; i++) {
		uint8_t rgb[3] = {(uint8_t)(10 * i), (uint8_t)(10 * i + 1), (uint8_t)(10 * i + 2)};
		fwrite(rgb, 1, 3, file);
	}
	fclose(file);

	char command[1024];
	snprintf(command, sizeof command, "%s --size 4x2 --fps 0 --frames 3 --image %s --out-dir %s", tool, image, out_dir);
	FILE *out = popen(command, "r");
	CHECK(out != NULL);
	char name[128];
	CHECK(fgets(name, sizeof name, out) != NULL);
	name[strcspn(name, "\n")] = '\0';
	serve(name, 0);
	char report[512] = {0};
	CHECK(fgets(report, sizeof report, out) != NULL);
	CHECK(pclose(out) == 0);
	CHECK(strstr(report, "\"received\":3,") != NULL);

	/* Frame 1 is the image unshifted: the written PPM must be the input, byte for byte. */
	snprintf(written, sizeof written, "%s/frame-000001.ppm", out_dir);
	file = fopen(written, "rb");
	CHECK(file != NULL);
	char header[32] = {0};
	CHECK(fgets(header, sizeof header, file) != NULL && strcmp(header, "P6\n") == 0);
	CHECK(fgets(header, sizeof header, file) != NULL && strcmp(header, "4 2\n") == 0);
	CHECK(fgets(header, sizeof header, file) != NULL && strcmp(header, "255\n") == 0);
	uint8_t pixels[24];
	CHECK(fread(pixels, 1, sizeof pixels, file) == sizeof pixels);
	fclose(file);
	for (int i = 0; i < 24; i++)
		CHECK(pixels[i] == (uint8_t)(10 * (i / 3) + i % 3));
	for (int n = 1; n <= 3; n++) {
		snprintf(written, sizeof written, "%s/frame-%06d.ppm", out_dir, n);
		CHECK(remove(written) == 0);
	}
	CHECK(rmdir(out_dir) == 0 && remove(image) == 0 && rmdir(dir) == 0);
}

static void bad_arguments_are_one_line_errors(const char *tool)
{
	char command[1024];
	snprintf(command, sizeof command, "%s --size 12 2>&1", tool);
	FILE *out = popen(command, "r");
	CHECK(out != NULL);
	char line[512] = {0};
	CHECK(fgets(line, sizeof line, out) != NULL);
	CHECK(pclose(out) != 0);
	CHECK(strstr(line, "--size must look like 1280x720") != NULL);
	snprintf(command, sizeof command, "%s --image /nonexistent.ppm 2>&1", tool);
	out = popen(command, "r");
	CHECK(out != NULL);
	CHECK(fgets(line, sizeof line, out) != NULL);
	CHECK(pclose(out) != 0);
	CHECK(strstr(line, "cannot open the image file") != NULL);
}

int main(int argc, char **argv)
{
	CHECK(argc == 2);
	run_tool(argv[1], "identity", 0, "\"received\":300,");
	run_tool(argv[1], "checksum", 1, "\"received\":300,");
	a_corrupting_consumer_is_caught(argv[1]);
	an_image_goes_out_and_returned_frames_are_written(argv[1]);
	bad_arguments_are_one_line_errors(argv[1]);
	return 0;
}
