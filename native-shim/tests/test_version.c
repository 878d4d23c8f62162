#include <stdio.h>
#include <string.h>
#include "dlf_version.h"

int main(void)
{
	if (strcmp(dlf_shim_version(), "0.1.0") != 0) {
		fprintf(stderr, "unexpected shim version %s\n", dlf_shim_version());
		return 1;
	}
	return 0;
}
