/*
 * diff_record.h (internal) - a grant as recorded lines (bpa_grant_record,
 * bpa/diff.h), made from a computed grant or budget; reading a result JSON
 * back is bpa_grant_record_load (diff_record.c).
 */
#ifndef BPA_DIFF_RECORD_H
#define BPA_DIFF_RECORD_H

#include "bpa/diff.h"

bpa_status bpa_record_from_grant(bpa_grant_record **out, const bpa_grant *g, bpa_error *err);
bpa_status bpa_record_from_se_grant(bpa_grant_record **out, const bpa_se_grant *g,
                                    bpa_error *err);

#endif
