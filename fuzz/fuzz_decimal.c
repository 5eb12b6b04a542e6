/* The strict decimal parser and the formatters on arbitrary text. */
#include <string.h>

#include "bpa/num.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0 || size > 256)
        return 0;
    char text[257];
    unsigned flags = data[0] & 0x7u;
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    mpq_t q;
    mpq_init(q);
    char msg[256];
    if (bpa_dec_parse(q, text, flags, msg, sizeof msg) == BPA_OK ||
        bpa_dec_parse_json_number(q, text, flags, msg, sizeof msg) == BPA_OK) {
        char *a = bpa_fmt_amount(q), *f = bpa_fmt_fixed(q, 4), *e = bpa_fmt_exact(q);
        mpz_t ore;
        mpz_init(ore);
        bpa_round_ore(ore, q, BPA_ROUND_HALF_EVEN);
        char *o = bpa_fmt_ore(ore);
        mpz_clear(ore);
        free(a);
        free(f);
        free(e);
        free(o);
    }
    mpq_clear(q);
    return 0;
}
