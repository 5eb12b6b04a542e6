/* portfolio_row.h (internal) - what portfolio.c and portfolio_json.c share. */
#ifndef BPA_PORTFOLIO_ROW_H
#define BPA_PORTFOLIO_ROW_H

#include <stdbool.h>

#include "bpa/settle.h"

/* "settled", "repay", "pay_out" (bpa_direction_name) back to the enum. */
bool bpa_portfolio_direction_parse(const char *text, bpa_direction *out);

#endif
