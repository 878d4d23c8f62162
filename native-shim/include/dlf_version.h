#ifndef DLF_VERSION_H
#define DLF_VERSION_H

/* The shim's version, so each side can tell which library it loaded. */
const char *dlf_shim_version(void);

#endif
