/*
 * bpa/export.h - BPA_API marks the functions libbpa exports.
 *
 * The library is built with -fvisibility=hidden and BPA_BUILDING defined,
 * so the shared object exports exactly the functions its public headers
 * declare with BPA_API; everything else stays inside it.
 *
 * Thread safety: a macro only; nothing here has state.
 */
#ifndef BPA_EXPORT_H
#define BPA_EXPORT_H

#if defined(BPA_BUILDING) && defined(__GNUC__)
#define BPA_API __attribute__((visibility("default")))
#else
#define BPA_API
#endif

#endif
