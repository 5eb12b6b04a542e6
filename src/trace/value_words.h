/*
 * value_words.h (internal) - a policy parameter and its value as a reader
 * of a language writes them: "timeløn, trin 11", "152,36 kr. pr. time",
 * "halve øre rundes op", "2.030,00 kr. (2015-niveau)". For the inputs
 * sheets of the workbooks and the trace; the JSON keeps the parameter's id
 * and bpa_value_text's plain value.
 *
 * Appends to a bpa_strbuf (allocation failure is sticky there). Pure
 * functions of their arguments: thread-safe.
 */
#ifndef BPA_TRACE_VALUE_WORDS_H
#define BPA_TRACE_VALUE_WORDS_H

#include <stdbool.h>

#include "bpa/lang.h"
#include "bpa/policy.h"
#include "core/strutil.h"

/* The parameter by what it is, in lower case ("timeløn, trin 11"); false,
 * and nothing appended, when it has no label. */
bool bpa_param_words_add(bpa_strbuf *sb, bpa_lang lang, const char *name);
/* The value of parameter `name` in words and the language's numbers. */
void bpa_value_words_add(bpa_strbuf *sb, bpa_lang lang, const char *name, const bpa_value *v);

#endif
