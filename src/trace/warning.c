/* Warnings as data (bpa/warning.h, trace/warning_build.h): building them and
 * the two that follow from the parameters read. Their words are in render.c. */
#include "trace/warning_build.h"

#include <stdlib.h>
#include <string.h>

#include "core/array.h"
#include "trace/trace_build.h"

static const char *const code_names[BPA_WARN_CODE_COUNT] = {
    [BPA_WARN_NO_PAYMENTS] = "no_payments",
    [BPA_WARN_NOT_GRANTED] = "not_granted",
    [BPA_WARN_EXAMPLE_VALUE] = "example_value",
    [BPA_WARN_OLD_VALUE] = "old_value",
    [BPA_WARN_SE_NO_PAYMENTS] = "no_payments",
    [BPA_WARN_SE_NOT_GRANTED] = "not_granted",
    [BPA_WARN_WORKTIME] = "worktime",
};

const char *bpa_warning_code_name(bpa_warning_code code)
{
    return (unsigned)code < BPA_WARN_CODE_COUNT ? code_names[code] : "?";
}

bpa_trace_entry *bpa_warning_begin(bpa_warnings *w, bpa_warning_code code)
{
    if (w->ops.failed)
        return NULL;
    if (!bpa_array_reserve((void **)&w->codes, w->n, sizeof *w->codes)) {
        w->ops.failed = true;
        return NULL;
    }
    bpa_trace_entry *e = bpa_trace_begin(&w->ops, BPA_TRACE_SEGMENTS); /* rule unused */
    if (!e)
        return NULL;
    w->codes[w->n++] = code;
    return e;
}

bool bpa_warning_late(const char *name, const bpa_param_entry *entry, bpa_date day)
{
    if (!entry || !(strncmp(name, "wage.", 5) == 0 || strcmp(name, "se.schablon") == 0))
        return false;
    return day > bpa_date_add_months(entry->from, 18);
}

/* "example", "eksempel" or "exempel" as a word, in any case. */
static bool says_example(const char *text)
{
    static const char *const words[] = {"example", "eksempel", "exempel"};
    if (!text)
        return false;
    for (const char *s = text; *s; s++) {
        if (s > text && ((s[-1] | 0x20) >= 'a' && (s[-1] | 0x20) <= 'z'))
            continue; /* not at a word's start */
        for (size_t k = 0; k < sizeof words / sizeof *words; k++) {
            size_t n = strlen(words[k]), i = 0;
            while (i < n && s[i] && (s[i] | 0x20) == words[k][i])
                i++;
            if (i == n && !(((s[n] | 0x20) >= 'a' && (s[n] | 0x20) <= 'z')))
                return true;
        }
    }
    return false;
}

static const bpa_operand *op(const bpa_trace_entry *e, const char *role)
{
    for (size_t i = 0; i < e->nops; i++)
        if (strcmp(e->ops[i].role, role) == 0)
            return &e->ops[i];
    return NULL;
}

static bool already(const bpa_warnings *w, bpa_warning_code code, const char *name,
                    const bpa_param_entry *entry)
{
    for (size_t i = 0; i < w->n; i++) {
        if (w->codes[i] != code)
            continue;
        const bpa_trace_entry *e = &w->ops.entries[i];
        const bpa_operand *n = op(e, "name"), *f = op(e, "from"), *r = op(e, "ref");
        if (n && f && strcmp(n->text, name) == 0 && f->from == entry->from &&
            (!r || !entry->ref || strcmp(r->text, entry->ref) == 0))
            return true;
    }
    return false;
}

static const char *base_name(const char *path)
{
    const char *s = path ? strrchr(path, '/') : NULL;
    return s ? s + 1 : path ? path : "";
}

void bpa_warnings_params(bpa_warnings *w, const bpa_policy *p, const bpa_used_param *used,
                         size_t nused)
{
    const char *file = base_name(bpa_policy_file(p));
    for (size_t i = 0; i < nused; i++) {
        const bpa_used_param *u = &used[i];
        if (!u->entry)
            continue; /* a built-in default has no reference of the policy's */
        if (says_example(bpa_policy_reference(p, u->entry->ref)) &&
            !already(w, BPA_WARN_EXAMPLE_VALUE, u->name, u->entry)) {
            bpa_trace_entry *e = bpa_warning_begin(w, BPA_WARN_EXAMPLE_VALUE);
            bpa_trace_param(&w->ops, e, "param", u->name, u->entry);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "name", u->name);
            bpa_trace_date(&w->ops, e, "from", u->entry->from);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "ref", u->entry->ref);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "file", file);
        }
        if (u->has_late && !already(w, BPA_WARN_OLD_VALUE, u->name, u->entry)) {
            bpa_trace_entry *e = bpa_warning_begin(w, BPA_WARN_OLD_VALUE);
            bpa_trace_param(&w->ops, e, "param", u->name, u->entry);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "name", u->name);
            bpa_trace_date(&w->ops, e, "from", u->entry->from);
            bpa_trace_date(&w->ops, e, "on", u->late_read);
            bpa_trace_string(&w->ops, e, BPA_OP_TEXT, "file", file);
        }
    }
}

void bpa_warnings_release(bpa_warnings *w)
{
    free(w->codes);
    bpa_trace_release(&w->ops);
    memset(w, 0, sizeof *w);
}
