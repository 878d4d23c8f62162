#ifndef DLF_EXPORT_H
#define DLF_EXPORT_H
/* Marks the functions the shared library exports; everything else stays hidden. */
#if defined(_WIN32)
#define DLF_API
#else
#define DLF_API __attribute__((visibility("default")))
#endif
#endif
