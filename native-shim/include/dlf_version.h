#ifndef DLF_VERSION_H
#define DLF_VERSION_H

#include "dlf/export.h"

/* The shim's version, so each side can tell which library it loaded. */
DLF_API const char *dlf_shim_version(void);

#endif
