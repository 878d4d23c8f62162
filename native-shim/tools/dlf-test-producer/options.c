#include "options.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: dlf-test-producer [--size WxH] [--fps N] [--frames N] [--image FILE.ppm] [--out-dir DIR]\n"
	"                         [--channel-name-file FILE] [--slots N] [--wait-consumer SECONDS]\n"
	"                         [--verify identity|checksum|none]\n"
	"Plays OBS's part of a frame channel: creates the channel, prints its name (first stdout line) for the engine\n"
	"to attach to, sends frames (a test pattern, or the image tiled), checks what comes back and prints one JSON\n"
	"line: frames, received, dropped, corrupted, p50_us, p99_us.\n"
	"  --size WxH            frame size (default 1280x720)\n"
	"  --fps N               frames per second; 0 sends each frame once the previous is back (default 30)\n"
	"  --frames N            frames to send (default 300)\n"
	"  --image FILE.ppm      send this binary PPM image (tiled/cropped to --size) instead of the pattern\n"
	"  --out-dir DIR         write each returned frame as DIR/frame-<sequence>.ppm\n"
	"  --channel-name-file F also write the channel name to F\n"
	"  --slots N             channel slots, 3..16 (default 3)\n"
	"  --wait-consumer S     seconds to wait for an engine to attach (default 30)\n"
	"  --verify MODE         identity: returned = sent (a no-op engine, default); checksum: returned pixels match\n"
	"                        the checksum the engine wrote; none\n";

static int parse_u32(const char *text, uint32_t min, uint32_t max, uint32_t *out)
{
	char *end;
	unsigned long long value = strtoull(text, &end, 10);
	if (end == text || *end != '\0' || text[0] == '-' || value < min || value > max)
		return -1;
	*out = (uint32_t)value;
	return 0;
}

static int fail(const char *option, const char *what)
{
	fprintf(stderr, "dlf-test-producer: %s %s (see --help)\n", option, what);
	return 1;
}

int options_parse(int argc, char **argv, struct options *o)
{
	*o = (struct options){.width = 1280, .height = 720, .fps = 30, .frames = 300, .slots = 3, .wait_seconds = 30};
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i];
		if (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0) {
			fputs(usage, stdout);
			return 2;
		}
		if (i + 1 >= argc)
			return strncmp(arg, "--", 2) == 0 ? fail(arg, "needs a value") : fail(arg, "is not an option");
		const char *value = argv[++i];
		if (strcmp(arg, "--size") == 0) {
			char *x = strchr(value, 'x');
			if (x == NULL)
				return fail(arg, "must look like 1280x720");
			*x = '\0';
			if (parse_u32(value, 1, 16384, &o->width) || parse_u32(x + 1, 1, 16384, &o->height))
				return fail(arg, "must look like 1280x720 with sides from 1 to 16384");
		} else if (strcmp(arg, "--fps") == 0) {
			if (parse_u32(value, 0, 1000, &o->fps))
				return fail(arg, "must be 0..1000");
		} else if (strcmp(arg, "--frames") == 0) {
			if (parse_u32(value, 1, 100000000, &o->frames))
				return fail(arg, "must be a positive number");
		} else if (strcmp(arg, "--slots") == 0) {
			if (parse_u32(value, 3, 16, &o->slots))
				return fail(arg, "must be 3..16");
		} else if (strcmp(arg, "--wait-consumer") == 0) {
			if (parse_u32(value, 1, 86400, &o->wait_seconds))
				return fail(arg, "must be a positive number of seconds");
		} else if (strcmp(arg, "--verify") == 0) {
			if (strcmp(value, "identity") == 0)
				o->verify = VERIFY_IDENTITY;
			else if (strcmp(value, "checksum") == 0)
				o->verify = VERIFY_CHECKSUM;
			else if (strcmp(value, "none") == 0)
				o->verify = VERIFY_NONE;
			else
				return fail(arg, "must be identity, checksum or none");
		} else if (strcmp(arg, "--image") == 0) {
			o->image_path = value;
		} else if (strcmp(arg, "--out-dir") == 0) {
			o->out_dir = value;
		} else if (strcmp(arg, "--channel-name-file") == 0) {
			o->name_file = value;
		} else {
			return fail(arg, "is not an option");
		}
	}
	return 0;
}
