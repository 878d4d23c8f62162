#include "dlf_version.h"

const char *dlf_shim_version(void)
{
	return "0.1.0";
}
