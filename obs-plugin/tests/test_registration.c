/* The plugin registers with Debian's libobs 29: a filter built against newer headers (a larger obs_source_info)
 * is silently refused and its display name is then unknown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "obs-harness.h"

int main(void)
{
	CHECK(harness_start(320, 180), "libobs did not start");

	const char *name = obs_source_get_display_name("deep_live_face_filter");
	CHECK(name != NULL, "libobs does not know the filter deep_live_face_filter (struct-size mismatch?)");
	CHECK(strcmp(name, "Deep Live Face") == 0, "display name is '%s', expected 'Deep Live Face'", name);

	uint32_t flags = obs_get_source_output_flags("deep_live_face_filter");
	CHECK(flags & OBS_SOURCE_VIDEO, "the filter does not declare video output (flags 0x%x)", flags);

	bool listed = false;
	const char *id;
	for (size_t i = 0; obs_enum_filter_types(i, &id); i++)
		listed = listed || strcmp(id, "deep_live_face_filter") == 0;
	CHECK(listed, "the filter is missing from obs_enum_filter_types");

	harness_stop();
	printf("registration: ok (\"%s\")\n", name);
	return 0;
}
