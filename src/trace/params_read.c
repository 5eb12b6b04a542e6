/* Recording the parameters a computation reads (see params_read.h). */
#include "trace/params_read.h"

#include <stdlib.h>
#include <string.h>

#include "core/alloc.h"
#include "core/array.h"
#include "core/strutil.h"
#include "trace/warning_build.h"

/* The first day an out-of-date tariff was read (bpa_warning_late). */
static void late(bpa_used_param *u, bpa_date day)
{
    if (bpa_warning_late(u->name, u->entry, day) && (!u->has_late || day < u->late_read)) {
        u->has_late = true;
        u->late_read = day;
    }
}

bpa_status bpa_used_record(bpa_used_param **used, size_t *nused, const char *name, bpa_date day,
                           const bpa_param_entry *entry, const bpa_value *v, size_t *index,
                           bpa_error *err)
{
    for (size_t i = 0; i < *nused; i++)
        if ((*used)[i].entry == entry && strcmp((*used)[i].name, name) == 0) {
            *index = i;
            late(&(*used)[i], day);
            return BPA_OK;
        }
    if (!bpa_array_reserve((void **)used, *nused, sizeof **used))
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    bpa_used_param *u = &(*used)[*nused];
    u->name = bpa_strdup(name);
    u->entry = entry;
    u->v = v;
    u->first_read = day;
    u->value = bpa_value_text(v);
    u->has_late = false;
    if (!u->name || !u->value) {
        free(u->name);
        free(u->value);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    late(u, day);
    *index = (*nused)++;
    return BPA_OK;
}

void bpa_used_release(bpa_used_param *used, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(used[i].name);
        free(used[i].value);
    }
    free(used);
}
