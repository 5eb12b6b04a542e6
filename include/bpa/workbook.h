/*
 * bpa/workbook.h - the grant and the 1 March account as Excel workbooks
 * (RULES.md section 10).
 *
 * Every computed cell is a live formula over the input cells it depends on,
 * with ROUND(...,2) exactly at the rounding points R1-R5 and the engine's
 * exact result stored as the formula's value, so that Excel or LibreOffice
 * recalculates every figure to the øre. Text from inputs is always written
 * as text. The same result gives a byte-identical file.
 *
 * `path` is the final file name: the workbook is written to a temporary file
 * in the same directory and renamed only when complete; on any failure
 * nothing is left behind and BPA_E_OUTPUT names the path. Before that, the
 * file is checked against a second rendering in /tmp (where libxlsxwriter
 * keeps its own temporary files) and read back (docs/decisions.md,
 * Robustness).
 *
 * Thread safety: libbpa keeps no shared state while writing, so different
 * results may be written in different threads (libxlsxwriter, libzip and expat
 * keep their state per file).
 */
#ifndef BPA_WORKBOOK_H
#define BPA_WORKBOOK_H

#include "bpa/export.h"

#include "bpa/grant.h"
#include "bpa/lang.h"
#include "bpa/settle.h"
#include "bpa/status.h"

#ifdef __cplusplus
extern "C" {
#endif

BPA_API bpa_status bpa_grant_workbook_write(const bpa_grant *g, const char *path, bpa_lang lang,
                                    bpa_error *err);
BPA_API bpa_status bpa_settle_workbook_write(const bpa_settlement *s, const char *path, bpa_lang lang,
                                     bpa_error *err);

#ifdef __cplusplus
}
#endif
#endif
