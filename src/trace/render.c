/*
 * Trace entries put into words (see include/bpa/trace.h).
 *
 * One table: for every rule its origins and, per language, a template for
 * each of the four texts. A template is text with directives:
 *   {role}          the role's operand as its type is written (amounts in kr,
 *                   hours, rates per hour, dates, categories, parameters)
 *   {role:n}        a number without its unit
 *   {role:name}     a parameter by its label and id only
 *   {role:pool}     a pool's key in words
 *   {role:prefix}   a fixed word through the label "prefix.word"
 *   {#label.key}    a word of labels.c
 *   {?role|body}    body when the role is there; {!role|body} when it is not
 *   {*role|sep|body} body for each operand of the role, sep between; inside
 *                   it, {r} is the r operand of the same rank
 *   {%role|one|many} a count with its noun
 * The rule text gets its origins in words after it ("Kilde: ...").
 */
#include "bpa/trace.h"
#include "bpa/warning.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strutil.h"
#include "trace/format.h"
#include "trace/labels.h"

/* ---- origins ------------------------------------------------------------- */

typedef enum source {
    SRC_NONE = 0,
    SRC_BEK,    /* the BPA executive order */
    SRC_ALB,    /* seed 004 */
    SRC_HER,    /* seed 002 */
    SRC_AARHUS, /* published tariffs */
    SRC_BORGER, /* carry-over by agreement */
    SRC_CHOICE, /* a [choice] of the specification */
    SRC_SFB,    /* Socialförsäkringsbalken, chapter 51 */
    SRC_ASSF,   /* the ordinance on assistansersättning */
    SRC_FK,     /* Försäkringskassan's guidance */
    SRC_LSS     /* LSS 9 § 2 */
} source;

static const char *const source_names[][BPA_LANG_COUNT] = {
    [SRC_BEK] = {"BEK nr. 1069 af 30/06/2020", "BEK nr. 1069 af 30/06/2020",
                 "BEK nr. 1069 af 30/06/2020"},
    [SRC_ALB] = {"Albertslund Kommune, Kvalitetsstandarder 2015",
                 "Albertslund Kommune, Kvalitetsstandarder 2015",
                 "Albertslund Kommune, Kvalitetsstandarder 2015"},
    [SRC_HER] = {"Herning Kommune, kvalitetsstandard for § 94 (selvvalgt hjælper)",
                 "Herning Kommune, quality standard for § 94 (self-chosen helper)",
                 "Herning Kommune, kvalitetsstandard för § 94 (självvald hjälpare)"},
    [SRC_AARHUS] = {"Aarhus Kommune, takster for handicaphjælpere",
                    "Aarhus Kommune, tariffs for disability helpers",
                    "Aarhus Kommune, taxor för handikapphjälpare"},
    [SRC_BORGER] = {"borger.dk, overførsel af timer efter aftale med kommunen",
                    "borger.dk, hours carried over by agreement with the municipality",
                    "borger.dk, överföring av timmar efter överenskommelse med kommunen"},
    [SRC_SFB] = {"Socialförsäkringsbalken (2010:110) 51 kap.",
                 "Socialförsäkringsbalken (2010:110) chapter 51",
                 "Socialförsäkringsbalken (2010:110) 51 kap."},
    [SRC_ASSF] = {"Förordning (1993:1091) om assistansersättning",
                  "Förordning (1993:1091) om assistansersättning",
                  "Förordning (1993:1091) om assistansersättning"},
    [SRC_FK] = {"Försäkringskassan, vejledning om assistansersättning",
                "Försäkringskassan, guidance on assistansersättning",
                "Försäkringskassan, vägledning om assistansersättning"},
    [SRC_LSS] = {"LSS (1993:387) 9 § 2", "LSS (1993:387) 9 § 2", "LSS (1993:387) 9 § 2"},
};

typedef struct origin {
    source src;
    const char *at; /* "§ 8", or NULL */
} origin;

typedef struct texts {
    const char *step, *rule, *inputs, *result;
} texts;

/* da, en, sv */
static const struct {
    origin origins[3];
    texts t[BPA_LANG_COUNT];
} table[BPA_TRACE_RULE_COUNT] = {
    [BPA_TRACE_SEGMENTS] = {
        {{SRC_CHOICE, NULL}},
        {{"Perioder i afgørelse {decision_no}",
          "Afgørelsen deles i perioder ved hver månedsstart og dér, hvor en parameter, som "
          "afgørelsen læser, skifter værdi; hvert beløb beregnes og afrundes i sin periode, så "
          "månederne tilsammen giver året",
          "Afgørelse {decision_no}, {decision}, læser: {*reads|; |{reads:name}}",
          "{*segment|; |{segment}}"},
         {"Periods of decision {decision_no}",
          "The decision is cut into periods at every month start and wherever a parameter the "
          "decision reads changes value; every amount is computed and rounded in its period, so "
          "the months add up to the year",
          "Decision {decision_no}, {decision}, reads: {*reads|; |{reads:name}}",
          "{*segment|; |{segment}}"},
         {"Perioder i beslut {decision_no}",
          "Beslutet delas i perioder vid varje månadsskifte och där en parameter som beslutet "
          "läser byter värde; varje belopp beräknas och avrundas i sin period, så att månaderna "
          "tillsammans ger året",
          "Beslut {decision_no}, {decision}, läser: {*reads|; |{reads:name}}",
          "{*segment|; |{segment}}"}}},
    [BPA_TRACE_RATE] = {
        {{SRC_BEK, NULL}, {SRC_AARHUS, NULL}},
        {{"Timesats, {category}, fra {from}",
          "Grundløn er timelønnen, for rådighed gange rådighedsandelen; tillægget for vagtens "
          "tidsrum lægges til; med afrunding af komponenterne afrundes grundløn og tillæg hver "
          "for sig til øre; hver arbejdsgiverudgift beregnes af dem og afrundes til øre; "
          "timesatsen er summen",
          "{wage_param} = {wage}{?fraction|, rådighedsandel {fraction}}"
          "{?supplement_param|, tillæg {supplement_param}}; komponenter afrundet: "
          "{round_components:word}",
          "Grundløn {base:n} + tillæg {supplement:n}{*addon|| + {addon} {addon_amount:n}} = "
          "{hourly}"},
         {"Hourly rate, {category}, from {from}",
          "The base is the hourly wage, for on-call hours times the on-call fraction; the "
          "supplement of the shift's time band is added; with component rounding, base and "
          "supplement are each rounded to the øre; every employer add-on is computed from them "
          "and rounded to the øre; the hourly rate is the sum",
          "{wage_param} = {wage}{?fraction|, on-call fraction {fraction}}"
          "{?supplement_param|, supplement {supplement_param}}; components rounded: "
          "{round_components:word}",
          "Base {base:n} + supplement {supplement:n}{*addon|| + {addon} {addon_amount:n}} = "
          "{hourly}"},
         {"Timbelopp, {category}, från {from}",
          "Grundlönen är timlönen, för jourtid gånger jourandelen; tillägget för passets "
          "tidsperiod läggs till; med avrundning av delarna avrundas grundlön och tillägg var "
          "för sig till hela ören; varje arbetsgivarkostnad beräknas på dem och avrundas till "
          "hela ören; timbeloppet är summan",
          "{wage_param} = {wage}{?fraction|, jourandel {fraction}}"
          "{?supplement_param|, tillägg {supplement_param}}; delarna avrundas: "
          "{round_components:word}",
          "Grundlön {base:n} + tillägg {supplement:n}{*addon|| + {addon} {addon_amount:n}} = "
          "{hourly}"}}},
    [BPA_TRACE_WAGES] = {
        {{SRC_CHOICE, NULL}},
        {{"{#rule.wages}, {category}, {segment}",
          "Timer gange timesats for hver kategori og periode, afrundet til øre; timer pr. uge "
          "giver periodens timer som timer pr. uge × 52 × periodens dage / årets dage (eller × "
          "dage / 7), timer i alt som timer × periodens dage / afgørelsens dage; en turs timer "
          "lægges til kategoriens timer før afrunding",
          "{hours} × {rate}", "{exact}, afrundet til øre: {amount}"},
         {"{#rule.wages}, {category}, {segment}",
          "Hours times the hourly rate for every category and period, rounded to the øre; hours "
          "per week give the period's hours as hours per week × 52 × the period's days / the "
          "year's days (or × days / 7), total hours as total × the period's days / the "
          "decision's days; a trip's hours are added to its category's hours before rounding",
          "{hours} × {rate}", "{exact}, rounded to the øre: {amount}"},
         {"{#rule.wages}, {category}, {segment}",
          "Timmar gånger timbelopp för varje kategori och period, avrundat till hela ören; "
          "timmar per vecka ger periodens timmar som timmar per vecka × 52 × periodens dagar / "
          "årets dagar (eller × dagar / 7), timmar totalt som timmar × periodens dagar / "
          "beslutets dagar; en resas timmar läggs till kategorins timmar före avrundningen",
          "{hours} × {rate}", "{exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_PER_HELPER] = {
        {{SRC_CHOICE, NULL}},
        {{"{#rule.per_helper}, {name}, {segment}",
          "Et beløb pr. hjælper og år gange antal hjælpere gange periodens dage / årets dage, "
          "afrundet til øre for hver periode; det indgår i lønnen og den månedlige udbetaling, "
          "men hører ikke til nogen kategori",
          "{per_helper_year} × {%helpers|hjælper|hjælpere} × {days}/{year_days} dage",
          "{exact}, afrundet til øre: {amount}"},
         {"{#rule.per_helper}, {name}, {segment}",
          "An amount per helper and year times the number of helpers times the period's days / "
          "the year's days, rounded to the øre for every period; it counts in the wages and the "
          "monthly payment but belongs to no category",
          "{per_helper_year} × {%helpers|helper|helpers} × {days}/{year_days} days",
          "{exact}, rounded to the øre: {amount}"},
         {"{#rule.per_helper}, {name}, {segment}",
          "Ett belopp per hjälpare och år gånger antalet hjälpare gånger periodens dagar / "
          "årets dagar, avrundat till hela ören för varje period; det räknas in i lönen och "
          "månadens utbetalning men hör inte till någon kategori",
          "{per_helper_year} × {%helpers|hjälpare|hjälpare} × {days}/{year_days} dagar",
          "{exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_INDEX] = {
        {{SRC_ALB, NULL}},
        {{"Indeksering af {param:name} til {year}",
          "Et beløb i et tidligere års prisniveau bringes til bevillingsåret én gang: beløb × "
          "indeks for året / indeks for prisniveauet, afrundet til øre",
          "{param} = {amount} i {level}-niveau; indeks {year}: {index_year}, indeks {level}: "
          "{index_level}",
          "{exact}, afrundet til øre: {indexed}"},
         {"Indexation of {param:name} to {year}",
          "An amount at an earlier year's price level is brought to the grant year once: amount "
          "× the year's index / the price level's index, rounded to the øre",
          "{param} = {amount} at {level} prices; index {year}: {index_year}, index {level}: "
          "{index_level}",
          "{exact}, rounded to the øre: {indexed}"},
         {"Indexering av {param:name} till {year}",
          "Ett belopp i ett tidigare års prisnivå räknas om till beslutsåret en gång: belopp × "
          "index för året / index för prisnivån, avrundat till hela ören",
          "{param} = {amount} i {level} års prisnivå; index {year}: {index_year}, index "
          "{level}: {index_level}",
          "{exact}, avrundat till hela ören: {indexed}"}}},
    [BPA_TRACE_ADMIN] = {
        {{SRC_BEK, "§ 8"}, {SRC_ALB, NULL}},
        {{"{#rule.admin}, {segment}",
          "Tilskud til administration, når arbejdsgiverrollen er overdraget: periodens timer × "
          "indekseret beløb pr. time, afrundet til øre",
          "{hours} ({which:admin_hours}) × {rate}", "{exact}, afrundet til øre: {amount}"},
         {"{#rule.admin}, {segment}",
          "Administration grant when the employer role is transferred: the period's hours × the "
          "indexed amount per hour, rounded to the øre",
          "{hours} ({which:admin_hours}) × {rate}", "{exact}, rounded to the øre: {amount}"},
         {"{#rule.admin}, {segment}",
          "Bidrag till administration när arbetsgivarrollen är överlåten: periodens timmar × "
          "indexerat belopp per timme, avrundat till hela ören",
          "{hours} ({which:admin_hours}) × {rate}",
          "{exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_PAYROLL_CAP] = {
        {{SRC_BEK, "§ 11, stk. 2"}, {SRC_ALB, NULL}},
        {{"{#rule.payroll_admin_cap}, {segment}",
          "Loft over tilskud til lønadministration ved en forening, som betales mod faktura: "
          "indekseret beløb pr. hjælper og år × antal hjælpere × periodens dage / årets dage, "
          "afrundet til øre",
          "{per_helper_year} × {%helpers|hjælper|hjælpere} × {days}/{year_days} dage",
          "{exact}, afrundet til øre: {amount}"},
         {"{#rule.payroll_admin_cap}, {segment}",
          "Cap on the grant for payroll administration by an association, paid against "
          "invoices: the indexed amount per helper and year × the number of helpers × the "
          "period's days / the year's days, rounded to the øre",
          "{per_helper_year} × {%helpers|helper|helpers} × {days}/{year_days} days",
          "{exact}, rounded to the øre: {amount}"},
         {"{#rule.payroll_admin_cap}, {segment}",
          "Tak för bidraget till löneadministration hos en förening, som betalas mot faktura: "
          "indexerat belopp per hjälpare och år × antalet hjälpare × periodens dagar / årets "
          "dagar, avrundat till hela ören",
          "{per_helper_year} × {%helpers|hjälpare|hjälpare} × {days}/{year_days} dagar",
          "{exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_HOURLY_CAP] = {
        {{SRC_BEK, "§ 3, stk. 4"}},
        {{"{#override.hourly_cap}, {segment}",
          "Når periodens løn, tillæg pr. hjælper og administration tilsammen overstiger timer × "
          "timeloft, nedsættes periodens beløb til timer × timeloft, afrundet til øre",
          "Udgift {cost} for {hours}, timeloft {cap}", "Loft {target}; nedsættelse {reduction}"},
         {"{#override.hourly_cap}, {segment}",
          "When the period's wages, per-helper add-ons and administration together exceed hours "
          "× the hourly cap, the period's amount is brought down to hours × the hourly cap, "
          "rounded to the øre",
          "Cost {cost} for {hours}, hourly cap {cap}", "Cap {target}; reduction {reduction}"},
         {"{#override.hourly_cap}, {segment}",
          "När periodens lön, tillägg per hjälpare och administration tillsammans överstiger "
          "timmar × timtaket sänks periodens belopp till timmar × timtaket, avrundat till hela "
          "ören",
          "Kostnad {cost} för {hours}, timtak {cap}", "Tak {target}; sänkning {reduction}"}}},
    [BPA_TRACE_HOURLY_CAP_OVERRIDDEN] = {
        {{SRC_BEK, "§ 3, stk. 4"}},
        {{"{#override.hourly_cap}, {segment}, tilsidesat",
          "Overstiger periodens udgift timer × timeloft, nedsættes den ikke, når "
          "sagsbehandleren har tilsidesat loftet med en begrundelse",
          "Udgift {cost} for {hours}, timeloft {cap}; begrundelse: {reason}",
          "Ingen nedsættelse: loftet er tilsidesat"},
         {"{#override.hourly_cap}, {segment}, overridden",
          "A period's cost above hours × the hourly cap is not brought down when the case "
          "worker has overridden the cap with a reason",
          "Cost {cost} for {hours}, hourly cap {cap}; reason: {reason}",
          "No reduction: the cap is overridden"},
         {"{#override.hourly_cap}, {segment}, åsidosatt",
          "Överstiger periodens kostnad timmar × timtaket sänks den inte när handläggaren har "
          "åsidosatt taket med en motivering",
          "Kostnad {cost} för {hours}, timtak {cap}; motivering: {reason}",
          "Ingen sänkning: taket är åsidosatt"}}},
    [BPA_TRACE_ALLOWANCE] = {
        {{SRC_BEK, "§ 10"}, {SRC_BEK, "§ 12, stk. 2"}, {SRC_ALB, NULL}},
        {{"{#rule.allowance}, {month}",
          "Tilskud til øvrige udgifter ved at have hjælpere, for hver måned og afgørelse: "
          "månedligt beløb × dage / månedens dage, afrundet til øre, så en hel måned giver det "
          "månedlige beløb; det udbetales altid til borgeren",
          "{monthly} × {days}/{month_days} dage", "{exact}, afrundet til øre: {amount}"},
         {"{#rule.allowance}, {month}",
          "Grant for the other costs of having helpers, for every month and decision: the "
          "monthly amount × days / the month's days, rounded to the øre, so a whole month gives "
          "the monthly amount; it is always paid to the citizen",
          "{monthly} × {days}/{month_days} days", "{exact}, rounded to the øre: {amount}"},
         {"{#rule.allowance}, {month}",
          "Bidrag till övriga kostnader för att ha hjälpare, för varje månad och beslut: "
          "månadsbelopp × dagar / månadens dagar, avrundat till hela ören, så att en hel månad "
          "ger månadsbeloppet; det betalas alltid till den enskilde",
          "{monthly} × {days}/{month_days} dagar",
          "{exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_ALLOWANCE_CAP_OVERRIDDEN] = {
        {{SRC_ALB, NULL}},
        {{"{#override.allowance_cap}, afgørelse {decision_no}, tilsidesat",
          "Det månedlige tilskud til øvrige udgifter må ikke overstige kommunens loft, "
          "medmindre sagsbehandleren tilsidesætter loftet med en begrundelse",
          "{monthly} pr. måned; {cap_param} = {cap} den {on}; begrundelse: {reason}",
          "Tilladt, da loftet er tilsidesat"},
         {"{#override.allowance_cap}, decision {decision_no}, overridden",
          "The monthly grant for other costs may not exceed the municipality's cap unless the "
          "case worker overrides the cap with a reason",
          "{monthly} a month; {cap_param} = {cap} on {on}; reason: {reason}",
          "Allowed: the cap is overridden"},
         {"{#override.allowance_cap}, beslut {decision_no}, åsidosatt",
          "Månadsbidraget till övriga kostnader får inte överstiga kommunens tak, om inte "
          "handläggaren åsidosätter taket med en motivering",
          "{monthly} per månad; {cap_param} = {cap} den {on}; motivering: {reason}",
          "Tillåtet eftersom taket är åsidosatt"}}},
    [BPA_TRACE_TRIP_LIMITS_OVERRIDDEN] = {
        {{SRC_ALB, NULL}},
        {{"{#override.trip_limits}, tilsidesat",
          "Ferie med to hjælpere højst et antal dage og et antal weekender om året, medmindre "
          "sagsbehandleren tilsidesætter grænsen med en begrundelse",
          "{count} {limit:trip_limit}, højst {max}; begrundelse: {reason}",
          "Tilladt, da grænsen er tilsidesat"},
         {"{#override.trip_limits}, overridden",
          "Vacation with two helpers at most a number of days and of weekends a year, unless "
          "the case worker overrides the limit with a reason",
          "{count} {limit:trip_limit}, at most {max}; reason: {reason}",
          "Allowed: the limit is overridden"},
         {"{#override.trip_limits}, åsidosatta",
          "Semester med två hjälpare högst ett visst antal dagar och helger per år, om inte "
          "handläggaren åsidosätter gränsen med en motivering",
          "{count} {limit:trip_limit}, högst {max}; motivering: {reason}",
          "Tillåtet eftersom gränsen är åsidosatt"}}},
    [BPA_TRACE_EMPLOYMENT] = {
        {{SRC_HER, NULL}},
        {{"{#col.form}, {decision}",
          "En selvvalgt hjælper efter § 94 er månedslønnet, når timerne pr. uge når grænsen, "
          "ellers timelønnet; timer pr. uge er summen af timer pr. uge og af timer i alt × 7 / "
          "afgørelsens dage",
          "{hours_per_week} pr. uge, grænse {threshold} pr. uge", "{form:form}"},
         {"{#col.form}, {decision}",
          "A self-chosen helper under § 94 is monthly paid when the hours per week reach the "
          "threshold, otherwise hourly paid; the hours per week are the sum of the hours per "
          "week and of total hours × 7 / the decision's days",
          "{hours_per_week} per week, threshold {threshold} per week", "{form:form}"},
         {"{#col.form}, {decision}",
          "En självvald hjälpare enligt § 94 är månadsavlönad när timmarna per vecka når "
          "gränsen, annars timavlönad; timmar per vecka är summan av timmar per vecka och av "
          "timmar totalt × 7 / beslutets dagar",
          "{hours_per_week} per vecka, gräns {threshold} per vecka", "{form:form}"}}},
    [BPA_TRACE_GRANT_TOTALS] = {
        {{SRC_CHOICE, NULL}},
        {{"{#sum.grant}",
          "Løn er lønlinjer, tillæg pr. hjælper og nedsættelser til timeloft; tilskuddet er "
          "løn, administration og øvrige udgifter; en måned er summen af sine perioder og året "
          "summen af sine måneder",
          "{%months|måned|måneder}, {%lines|linje|linjer}",
          "Løn {wages}, administration {admin}, lønadministration (loft) {payroll_admin_cap}, "
          "øvrige udgifter {allowance}; tilskud i alt {grant}"},
         {"{#sum.grant}",
          "Wages are the wage lines, per-helper add-ons and hourly-cap reductions; the grant is "
          "wages, administration and other costs; a month is the sum of its periods and the "
          "year the sum of its months",
          "{%months|month|months}, {%lines|line|lines}",
          "Wages {wages}, administration {admin}, payroll administration (cap) "
          "{payroll_admin_cap}, other costs {allowance}; grant in all {grant}"},
         {"{#sum.grant}",
          "Lön är lönerader, tillägg per hjälpare och sänkningar till timtaket; bidraget är lön, "
          "administration och övriga kostnader; en månad är summan av sina perioder och året "
          "summan av sina månader",
          "{%months|månad|månader}, {%lines|rad|rader}",
          "Lön {wages}, administration {admin}, löneadministration (tak) {payroll_admin_cap}, "
          "övriga kostnader {allowance}; bidrag totalt {grant}"}}},
    [BPA_TRACE_TIMESHEETS] = {
        {{SRC_CHOICE, NULL}},
        {{"Timesedler",
          "Hver vagt deles i minutter efter kommunens tidsrum for tillæg og efter måned, i "
          "faktisk tid også hen over skift til og fra sommertid; minutter uden for "
          "regnskabsåret tælles ikke med",
          "{%files|fil|filer}, {%shifts|vagt|vagter}",
          "{hours} i alt, heraf {outside} uden for {year}, som ikke tælles med"},
         {"Timesheets",
          "Every shift is split into minutes by the municipality's time bands and by month, in "
          "real time also across the changes to and from summer time; minutes outside the year "
          "of the account are not counted",
          "{%files|file|files}, {%shifts|shift|shifts}",
          "{hours} in all, of which {outside} outside {year}, not counted"},
         {"Tidrapporter",
          "Varje pass delas i minuter efter kommunens tidsperioder för tillägg och efter "
          "månad, i verklig tid även över omställningen till och från sommartid; minuter "
          "utanför redovisningsåret räknas inte",
          "{%files|fil|filer}, {%shifts|pass|pass}",
          "{hours} totalt, varav {outside} utanför {year}, som inte räknas"}}},
    [BPA_TRACE_POOL] = {
        {{SRC_ALB, NULL}, {SRC_CHOICE, NULL}},
        {{"Pulje: {pool:pool}",
          "Puljens gennemsnitlige timesats er dens værdi / dens bevilgede timer (eksakt); "
          "ubrugte timer (bevilgede minus brugte, mindst 0) × timesatsen, afrundet til øre, "
          "tilbagebetales; timer brugt ud over bevillingen × timesatsen, afrundet til øre, er "
          "borgerens egen udgift",
          "Bevilgede {granted}, brugte {used}, værdi {value}",
          "{?average|Gennemsnitlig timesats {average}; ubrugte {unused}: {unused_value}; brugt "
          "ud over bevillingen {overused}: {overused_value}}"
          "{!average|Ingen bevilgede timer, så værdierne er 0,00 kr.}"},
         {"Pool: {pool:pool}",
          "The pool's average hourly rate is its value / its granted hours (exact); unused "
          "hours (granted minus used, at least 0) × that rate, rounded to the øre, are repaid; "
          "hours used beyond the grant × that rate, rounded to the øre, are the citizen's own "
          "cost",
          "Granted {granted}, used {used}, value {value}",
          "{?average|Average rate {average}; unused {unused}: {unused_value}; beyond the grant "
          "{overused}: {overused_value}}"
          "{!average|No granted hours, so the values are 0.00 kr}"},
         {"Pott: {pool:pool}",
          "Pottens genomsnittliga timbelopp är dess värde / dess beviljade timmar (exakt); "
          "oanvända timmar (beviljade minus använda, minst 0) × timbeloppet, avrundat till hela "
          "ören, betalas tillbaka; timmar utöver de beviljade × timbeloppet, avrundat till hela "
          "ören, är den enskildes egen kostnad",
          "Beviljade {granted}, använda {used}, värde {value}",
          "{?average|Genomsnittligt timbelopp {average}; oanvända {unused}: {unused_value}; "
          "utöver de beviljade {overused}: {overused_value}}"
          "{!average|Inga beviljade timmar, så värdena är 0,00 kr}"}}},
    [BPA_TRACE_CARRY_OVER] = {
        {{SRC_BORGER, NULL}},
        {{"{#pools.carry_title}",
          "Timer overføres efter aftale med kommunen: for hver pulje højst dens ubrugte timer "
          "og i alt højst en andel af årets bevilgede timer; værdien er timerne × puljens "
          "gennemsnitlige timesats, afrundet til øre",
          "{hours}, grænse {limit} ({pct} af årets bevilgede timer)", "Værdi {value}"},
         {"{#pools.carry_title}",
          "Hours are carried over by agreement with the municipality: for every pool at most "
          "its unused hours, and in all at most a share of the year's granted hours; the value "
          "is the hours × the pool's average rate, rounded to the øre",
          "{hours}, limit {limit} ({pct} of the year's granted hours)", "Value {value}"},
         {"{#pools.carry_title}",
          "Timmar förs över efter överenskommelse med kommunen: för varje pott högst dess "
          "oanvända timmar och totalt högst en andel av årets beviljade timmar; värdet är "
          "timmarna × pottens genomsnittliga timbelopp, avrundat till hela ören",
          "{hours}, gräns {limit} ({pct} av årets beviljade timmar)", "Värde {value}"}}},
    [BPA_TRACE_LINE_UNUSED] = {
        {{SRC_ALB, NULL}},
        {{"{#acc.line1}",
          "Værdien af ubrugte timer minus værdien af timer overført til næste år: tilskud til "
          "ikke-forbrugte timer skal tilbagebetales",
          "{unused_value} − {carry_value}", "{line}"},
         {"{#acc.line1}",
          "The value of unused hours minus the value of hours carried over to next year: the "
          "grant for hours not used is repaid",
          "{unused_value} − {carry_value}", "{line}"},
         {"{#acc.line1}",
          "Värdet av oanvända timmar minus värdet av timmar som förs över till nästa år: "
          "bidrag för timmar som inte använts ska betalas tillbaka",
          "{unused_value} − {carry_value}", "{line}"}}},
    [BPA_TRACE_LINE_ADMIN] = {
        {{SRC_CHOICE, NULL}},
        {{"{#acc.line2}",
          "Administrationstilskuddet følger timerne: ubrugte timer af de arter, der giver "
          "administration (bevilgede minus brugte minus overførte, mindst 0) × "
          "administrationstilskuddet / de bevilgede timer, afrundet til øre",
          "Bevilgede {granted}, brugte {used}, overført til næste år {carried_over}; "
          "administration {admin}",
          "{line}"},
         {"{#acc.line2}",
          "The administration grant follows the hours: unused hours of the kinds that carry "
          "administration (granted minus used minus carried over, at least 0) × the "
          "administration grant / the granted hours, rounded to the øre",
          "Granted {granted}, used {used}, carried over to next year {carried_over}; "
          "administration {admin}",
          "{line}"},
         {"{#acc.line2}",
          "Administrationsbidraget följer timmarna: oanvända timmar av de slag som ger "
          "administration (beviljade minus använda minus överförda, minst 0) × "
          "administrationsbidraget / de beviljade timmarna, avrundat till hela ören",
          "Beviljade {granted}, använda {used}, överförda till nästa år {carried_over}; "
          "administration {admin}",
          "{line}"}}},
    [BPA_TRACE_LINE_PAYROLL_ADMIN] = {
        {{SRC_BEK, "§ 11, stk. 2"}, {SRC_ALB, NULL}},
        {{"{#acc.line3}",
          "Modtaget til lønadministration minus det mindste af fakturaerne og loftet i "
          "udmålingen",
          "Modtaget {paid}, fakturaer {invoices}, loft {cap}", "{line}"},
         {"{#acc.line3}",
          "Received for payroll administration minus the smaller of the invoices and the cap in "
          "the grant",
          "Received {paid}, invoices {invoices}, cap {cap}", "{line}"},
         {"{#acc.line3}",
          "Mottaget för löneadministration minus det minsta av fakturorna och taket i beslutet",
          "Mottaget {paid}, fakturor {invoices}, tak {cap}", "{line}"}}},
    [BPA_TRACE_LINE_PAYMENTS] = {
        {{SRC_BEK, "§ 14"}},
        {{"{#acc.line4}",
          "Modtagne udbetalinger af tilskud minus de månedlige beløb, der er forfaldet efter "
          "udmålingen",
          "Modtaget {received}, forfaldent {due}", "{line}"},
         {"{#acc.line4}", "Grant payments received minus the monthly amounts due under the grant",
          "Received {received}, due {due}", "{line}"},
         {"{#acc.line4}",
          "Mottagna utbetalningar av bidraget minus de månadsbelopp som har förfallit enligt "
          "beslutet",
          "Mottaget {received}, förfallet {due}", "{line}"}}},
    [BPA_TRACE_LINE_ACTUAL_COST] = {
        {{SRC_BEK, "§ 3, stk. 3"}},
        {{"{#acc.line5}",
          "Tilskuddet dækker højst de faktiske lønudgifter: værdien af de bevilgede timer minus "
          "værdien af ubrugte timer plus tillæg pr. hjælper, minus de faktiske lønudgifter, "
          "mindst 0",
          "{value} − {unused_value} + {per_helper} = {cost}; faktiske lønudgifter {actual}",
          "{line}"},
         {"{#acc.line5}",
          "The grant covers at most the actual wage costs: the value of the granted hours minus "
          "the value of unused hours plus per-helper add-ons, minus the actual wage costs, at "
          "least 0",
          "{value} − {unused_value} + {per_helper} = {cost}; actual wage costs {actual}",
          "{line}"},
         {"{#acc.line5}",
          "Bidraget täcker högst de faktiska lönekostnaderna: värdet av de beviljade timmarna "
          "minus värdet av oanvända timmar plus tillägg per hjälpare, minus de faktiska "
          "lönekostnaderna, minst 0",
          "{value} − {unused_value} + {per_helper} = {cost}; faktiska lönekostnader {actual}",
          "{line}"}}},
    [BPA_TRACE_BALANCE] = {
        {{SRC_BEK, "§ 14"}, {SRC_ALB, NULL}},
        {{"{#settle.balance}",
          "Saldoen er summen af de fem linjer; positiv: modtageren tilbagebetaler til kommunen, "
          "negativ: kommunen udbetaler til modtageren; regnskabet afleveres senest den dag, "
          "kommunens regelsæt fastsætter",
          "{*line| + |{line:n}} {#unit.kr}",
          "{balance} ({direction:dir}); regnskabet afleveres senest {due}"},
         {"{#settle.balance}",
          "The balance is the sum of the five lines; positive: the recipient repays the "
          "municipality, negative: the municipality pays the recipient; the account is due on "
          "the day the municipality's policy sets",
          "{*line| + |{line:n}} {#unit.kr}", "{balance} ({direction:dir}); the account is due {due}"},
         {"{#settle.balance}",
          "Saldot är summan av de fem raderna; positivt: mottagaren betalar tillbaka till "
          "kommunen, negativt: kommunen betalar ut till mottagaren; redovisningen lämnas senast "
          "den dag som kommunens regler anger",
          "{*line| + |{line:n}} {#unit.kr}",
          "{balance} ({direction:dir}); redovisningen lämnas senast {due}"}}},
    [BPA_TRACE_SE_PERIOD] = {
        {{SRC_SFB, "9 §"}},
        {{"Bevillingsperiode {period_no}, {period}",
          "En bevillingsperiode er højst det antal måneder, parameteren fastsætter: den slutter "
          "senest dagen før samme dato så mange måneder efter sin første dag (en dag, måneden "
          "ikke har, bliver månedens sidste); periodens parametre læses på dens første dag",
          "{period}, {days} dage, udbetales {payment:se_payment}; {max_param} = {max_months}; "
          "timerne begrænses pr. {cap_unit:se_cap}",
          "Slutter senest {last_day}: inden for grænsen"},
         {"Grant period {period_no}, {period}",
          "A grant period is at most as many months long as the parameter sets: it ends at the "
          "latest the day before the same date that many months after its first day (a day the "
          "month lacks becomes its last day); the period's parameters are read on its first day",
          "{period}, {days} days, paid {payment:se_payment}; {max_param} = {max_months}; hours "
          "capped per {cap_unit:se_cap}",
          "Ends at the latest {last_day}: within the limit"},
         {"Beviljandeperiod {period_no}, {period}",
          "En beviljandeperiod är högst så många månader som parametern anger: den slutar "
          "senast dagen före samma datum så många månader efter sin första dag (en dag som "
          "månaden saknar blir dess sista dag); periodens parametrar läses på dess första dag",
          "{period}, {days} dagar, betalas i {payment:se_payment}; {max_param} = {max_months}; "
          "timmarna begränsas per {cap_unit:se_cap}",
          "Slutar senast {last_day}: inom gränsen"}}},
    [BPA_TRACE_SE_MONTH] = {
        {{SRC_SFB, "11 §"}, {SRC_ASSF, "5 §"}, {SRC_FK, NULL}},
        {{"Budget, {month} (bevillingsperiode {period})",
          "Periodens dage i måneden (d) giver de bevilgede timer af hver art: timer pr. uge × "
          "d/7 eller timer i alt × d/D, D periodens dage; de timer, der betales for, er aktiv "
          "tid + faktoren for väntetid × väntetid + faktoren for beredskap × beredskap, med "
          "faktorerne på månedens første dag; timesatsen er statens schablonbelopp, et forhøjet "
          "timebeløb (højst schablonbeloppet × (1 + procentsatsen/100), uafrundet) eller "
          "kommunens timebeløb for niveauet, alle på månedens første dag; timer × timesats "
          "afrundes til øre; regningen for måneden skal være fremme den 5. i den anden måned "
          "efter",
          "{days}/{period_days} dage; aktiv tid {aktiv} + {factor_vantetid} × väntetid "
          "{vantetid}{?factor_beredskap| + {factor_beredskap} × beredskap {beredskap}} = "
          "{billable}; {rate_param}{?rate_max|: forhøjet timebeløb {rate}, højst {schablon:n} "
          "× (1 + {max_pct:n}/100) = {rate_max}}",
          "{billable} × {rate} = {exact}, afrundet til øre: {amount}; regning senest "
          "{rakning_due}"},
         {"Budget, {month} (grant period {period})",
          "The period's days in the month (d) give the granted hours of each kind: hours per "
          "week × d/7, or total hours × d/D with D the period's days; the billable hours are "
          "active time + the waiting-time factor × waiting time + the stand-by factor × "
          "stand-by, with the factors of the month's first day; the rate is the state hourly "
          "rate (schablonbelopp), a raised rate (at most the schablon × (1 + the percentage/100), "
          "unrounded) or the kommun's rate for the tier, each on the month's first day; hours × "
          "rate is rounded to the öre; the month's räkning is due on the 5th of the second month "
          "after it",
          "{days}/{period_days} days; active time {aktiv} + {factor_vantetid} × waiting time "
          "{vantetid}{?factor_beredskap| + {factor_beredskap} × stand-by {beredskap}} = "
          "{billable}; {rate_param}{?rate_max|: raised rate {rate}, at most {schablon:n} × (1 + "
          "{max_pct:n}/100) = {rate_max}}",
          "{billable} × {rate} = {exact}, rounded to the öre: {amount}; räkning due "
          "{rakning_due}"},
         {"Budget, {month} (beviljandeperiod {period})",
          "Periodens dagar i månaden (d) ger de beviljade timmarna av varje slag: timmar per "
          "vecka × d/7 eller timmar totalt × d/D, D periodens dagar; ersättningsgrundande timmar "
          "är aktiv tid + faktorn för väntetid × väntetid + faktorn för beredskap × beredskap, "
          "med faktorerna på månadens första dag; timbeloppet är schablonbeloppet, ett förhöjt "
          "timbelopp (högst schablonbeloppet × (1 + procentsatsen/100), oavrundat) eller "
          "kommunens timbelopp för nivån, alla på månadens första dag; timmar × timbelopp "
          "avrundas till hela ören; räkningen för månaden ska komma in senast den 5:e i andra "
          "månaden efter",
          "{days}/{period_days} dagar; aktiv tid {aktiv} + {factor_vantetid} × väntetid "
          "{vantetid}{?factor_beredskap| + {factor_beredskap} × beredskap {beredskap}} = "
          "{billable}; {rate_param}{?rate_max|: förhöjt timbelopp {rate}, högst {schablon:n} × "
          "(1 + {max_pct:n}/100) = {rate_max}}",
          "{billable} × {rate} = {exact}, avrundat till hela ören: {amount}; räkning senast "
          "{rakning_due}"}}},
    [BPA_TRACE_SE_KOMMUN] = {
        {{SRC_SFB, "22 §"}},
        {{"Kommunens andel, {month}",
          "Kommunen betaler Försäkringskassan for de første timer pr. uge: timer pr. uge × d/7 "
          "for periodens dage i måneden, gange månedens timesats, afrundet til øre",
          "{hours_per_week:n} timer pr. uge × {days}/7 = {hours}; {rate}",
          "{hours} × {rate} = {exact}, afrundet til øre: {amount}"},
         {"The kommun's share, {month}",
          "The kommun pays Försäkringskassan for the first hours per week: hours per week × "
          "d/7 for the period's days in the month, times the month's rate, rounded to the öre",
          "{hours_per_week:n} hours per week × {days}/7 = {hours}; {rate}",
          "{hours} × {rate} = {exact}, rounded to the öre: {amount}"},
         {"Kommunens andel, {month}",
          "Kommunen ersätter Försäkringskassan för de första timmarna per vecka: timmar per "
          "vecka × d/7 för periodens dagar i månaden, gånger månadens timbelopp, avrundat till "
          "hela ören",
          "{hours_per_week:n} timmar per vecka × {days}/7 = {hours}; {rate}",
          "{hours} × {rate} = {exact}, avrundat till hela ören: {amount}"}}},
    [BPA_TRACE_SE_TOTALS] = {
        {{SRC_CHOICE, NULL}},
        {{"Budget i alt",
          "Månedernes timer og beløb lægges sammen pr. periode og over alle perioder; intet "
          "afrundes igen",
          "{%periods|periode|perioder}, {%months|måned|måneder}",
          "{billable}, {amount}{?kommun_amount|; kommunens andel {kommun_hours}, "
          "{kommun_amount}}"},
         {"Budget totals",
          "The months' hours and amounts are added per period and over all periods; nothing is "
          "rounded again",
          "{%periods|period|periods}, {%months|month|months}",
          "{billable}, {amount}{?kommun_amount|; the kommun's share {kommun_hours}, "
          "{kommun_amount}}"},
         {"Budget totalt",
          "Månadernas timmar och belopp summeras per period och över alla perioder; inget "
          "avrundas på nytt",
          "{%periods|period|perioder}, {%months|månad|månader}",
          "{billable}, {amount}{?kommun_amount|; kommunens andel {kommun_hours}, "
          "{kommun_amount}}"}}},
};

/* ---- words ----------------------------------------------------------------- */

typedef struct rctx {
    const bpa_trace_entry *e;
    bpa_lang lang;
    bpa_strbuf *sb;
    size_t rank; /* inside {*role|...}: the rank of the operands meant */
} rctx;

static const char *word(const rctx *r, const char *key) { return bpa_label(key, r->lang); }

/* A label's text mid-sentence: its first letter in lower case ("Arbejde"). */
static void add_lower(bpa_strbuf *sb, const char *s)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] >= 'A' && u[0] <= 'Z') {
        char c = (char)(u[0] - 'A' + 'a');
        bpa_strbuf_addn(sb, &c, 1);
        s++;
    } else if (u[0] == 0xC3 && u[1] >= 0x80 && u[1] <= 0x9E && u[1] != 0x97) { /* Æ Ø Å */
        char c[2] = {(char)0xC3, (char)(u[1] + 0x20)};
        bpa_strbuf_addn(sb, c, 2);
        s += 2;
    }
    bpa_strbuf_add(sb, s);
}

/* A text starts with a capital letter, whatever its first directive gave. */
static void capitalize(bpa_strbuf *sb)
{
    if (sb->failed || sb->len == 0)
        return;
    unsigned char *u = (unsigned char *)sb->buf;
    if (u[0] >= 'a' && u[0] <= 'z')
        u[0] = (unsigned char)(u[0] - 'a' + 'A');
    else if (sb->len > 1 && u[0] == 0xC3 && u[1] >= 0xA0 && u[1] <= 0xBE && u[1] != 0xB7)
        u[1] = (unsigned char)(u[1] - 0x20);
}

static void add_label_of(const rctx *r, const char *prefix, const char *name, bool lower)
{
    char key[96];
    snprintf(key, sizeof key, "%s.%s", prefix, name);
    if (lower)
        add_lower(r->sb, word(r, key));
    else
        bpa_strbuf_add(r->sb, word(r, key));
}

/* "arbejde, dag, trin 11"; on-call hours without a band: "rådighed, trin 11". */
static void add_category(const rctx *r, const bpa_category *c)
{
    add_label_of(r, "kind", bpa_kind_name(c->kind), true);
    if (c->band != BPA_BAND_ANY) {
        bpa_strbuf_add(r->sb, ", ");
        add_label_of(r, "band", bpa_band_name(c->band), false);
    }
    bpa_strbuf_addf(r->sb, ", %s %d", word(r, "word.step"), c->step);
}

/* A parameter by what it is ("timeløn, trin 11"); false when it has no label. */
static bool add_param_label(const rctx *r, const char *name)
{
    return bpa_label_param(r->sb, name, r->lang);
}

/* "timeløn, trin 11 (wage.hourly.11, fra 01.04.2021)"; name only: without
 * the date; no entry read: the built-in default. */
static void add_param(const rctx *r, const bpa_operand *o, bool name_only)
{
    bool labelled = add_param_label(r, o->text);
    if (labelled)
        bpa_strbuf_addf(r->sb, " (%s", o->text);
    else
        bpa_strbuf_add(r->sb, o->text);
    if (!name_only) {
        bpa_strbuf_add(r->sb, labelled ? ", " : " (");
        if (o->has_entry) {
            bpa_strbuf_addf(r->sb, "%s ", word(r, "trace.from"));
            bpa_lang_add_date(r->sb, r->lang, o->from);
        } else {
            bpa_strbuf_add(r->sb, word(r, "word.default"));
        }
    }
    if (labelled || !name_only)
        bpa_strbuf_add(r->sb, ")");
}

/* A pool's key in words: "all", a kind, or "kind/band/step". */
static void add_pool(const rctx *r, const char *key)
{
    if (strcmp(key, "all") == 0) {
        add_lower(r->sb, word(r, "pool.all"));
        return;
    }
    char kind[32], band[32];
    int step, used = 0;
    for (int k = 0; k < BPA_KIND_COUNT; k++)
        if (strcmp(key, bpa_kind_name((bpa_kind)k)) == 0) {
            add_label_of(r, "kind", key, true);
            return;
        }
    if (sscanf(key, "%31[a-z_]/%31[a-z_]/%d%n", kind, band, &step, &used) == 3 &&
        key[used] == '\0') {
        bpa_category c = {BPA_KIND_COUNT, BPA_BAND_COUNT, step};
        for (int k = 0; k < BPA_KIND_COUNT; k++)
            if (strcmp(kind, bpa_kind_name((bpa_kind)k)) == 0)
                c.kind = (bpa_kind)k;
        for (int b = 0; b < BPA_BAND_COUNT; b++)
            if (strcmp(band, bpa_band_name((bpa_band)b)) == 0)
                c.band = (bpa_band)b;
        if (c.kind != BPA_KIND_COUNT && c.band != BPA_BAND_COUNT) {
            add_category(r, &c);
            return;
        }
    }
    bpa_strbuf_add(r->sb, key);
}

static bool mod_is(const char *mod, size_t n, const char *what)
{
    return n == strlen(what) && strncmp(mod, what, n) == 0;
}

static void add_unit(const rctx *r, const char *key, bool bare)
{
    if (!bare)
        bpa_strbuf_addf(r->sb, " %s", word(r, key));
}

static void add_operand(const rctx *r, const bpa_operand *o, const char *mod, size_t nmod)
{
    bool bare = mod_is(mod, nmod, "n");
    switch (o->type) {
    case BPA_OP_AMOUNT:
        bpa_lang_add_number(r->sb, r->lang, o->q);
        add_unit(r, "unit.kr", bare);
        break;
    case BPA_OP_HOURS:
        bpa_lang_add_number(r->sb, r->lang, o->q);
        add_unit(r, "unit.hours", bare);
        break;
    case BPA_OP_RATE:
        bpa_lang_add_number(r->sb, r->lang, o->q);
        add_unit(r, "unit.kr_per_hour", bare);
        break;
    case BPA_OP_NUMBER:
        bpa_lang_add_number(r->sb, r->lang, o->q);
        break;
    case BPA_OP_PCT:
        bpa_lang_add_number(r->sb, r->lang, o->q);
        if (!bare)
            bpa_strbuf_add(r->sb, " %");
        break;
    case BPA_OP_COUNT:
        bpa_strbuf_addf(r->sb, "%ld", o->n);
        break;
    case BPA_OP_DATE:
        bpa_lang_add_date(r->sb, r->lang, o->from);
        break;
    case BPA_OP_PERIOD:
        bpa_lang_add_period(r->sb, r->lang, o->from, o->to);
        break;
    case BPA_OP_MONTH:
        bpa_lang_add_month(r->sb, r->lang, bpa_date_year(o->from), bpa_date_month(o->from));
        break;
    case BPA_OP_CATEGORY:
        add_category(r, &o->category);
        break;
    case BPA_OP_PARAM:
        add_param(r, o, mod_is(mod, nmod, "name"));
        break;
    case BPA_OP_TEXT:
        if (mod_is(mod, nmod, "pool"))
            add_pool(r, o->text);
        else
            bpa_strbuf_add(r->sb, o->text);
        break;
    case BPA_OP_WORD:
        if (nmod) {
            char prefix[48];
            snprintf(prefix, sizeof prefix, "%.*s", (int)nmod, mod);
            add_label_of(r, prefix, o->text, false);
        } else {
            bpa_strbuf_add(r->sb, o->text);
        }
        break;
    }
}

/* ---- templates ----------------------------------------------------------------- */

/* The k-th operand (from 0) with the role written as s[0..n). */
static const bpa_operand *nth(const bpa_trace_entry *e, const char *s, size_t n, size_t k)
{
    for (size_t i = 0; i < e->nops; i++) {
        const char *role = e->ops[i].role;
        if (strlen(role) == n && strncmp(role, s, n) == 0 && k-- == 0)
            return &e->ops[i];
    }
    return NULL;
}

/* The operand a directive means: of the loop's rank when there is one. */
static const bpa_operand *find(const rctx *r, const char *s, size_t n)
{
    const bpa_operand *o = nth(r->e, s, n, r->rank);
    return o ? o : nth(r->e, s, n, 0);
}

static void expand(rctx *r, const char *s, const char *end);

/* The closing brace of the directive opened at s. */
static const char *closing(const char *s, const char *end)
{
    int depth = 0;
    for (; s < end; s++) {
        if (*s == '{')
            depth++;
        else if (*s == '}' && --depth == 0)
            return s;
    }
    return end;
}

static const char *bar(const char *s, const char *end)
{
    const char *b = memchr(s, '|', (size_t)(end - s));
    return b ? b : end;
}

static void directive(rctx *r, const char *s, const char *end)
{
    char c = *s;
    if (c == '#') {
        char key[64];
        snprintf(key, sizeof key, "%.*s", (int)(end - s - 1), s + 1);
        bpa_strbuf_add(r->sb, word(r, key));
    } else if (c == '?' || c == '!') {
        const char *b = bar(s + 1, end);
        bool present = nth(r->e, s + 1, (size_t)(b - s - 1), 0) != NULL;
        if (present == (c == '?') && b < end)
            expand(r, b + 1, end);
    } else if (c == '*') {
        const char *b1 = bar(s + 1, end);
        const char *b2 = b1 < end ? bar(b1 + 1, end) : end;
        size_t n = (size_t)(b1 - s - 1), saved = r->rank;
        for (size_t k = 0; b2 < end && nth(r->e, s + 1, n, k); k++) {
            if (k)
                bpa_strbuf_addn(r->sb, b1 + 1, (size_t)(b2 - b1 - 1));
            r->rank = k;
            expand(r, b2 + 1, end);
        }
        r->rank = saved;
    } else if (c == '%') {
        const char *b1 = bar(s + 1, end);
        const char *b2 = b1 < end ? bar(b1 + 1, end) : end;
        const bpa_operand *o = find(r, s + 1, (size_t)(b1 - s - 1));
        if (!o || b2 == end) {
            bpa_strbuf_add(r->sb, "?");
            return;
        }
        bpa_strbuf_addf(r->sb, "%ld ", o->n);
        if (o->n == 1)
            bpa_strbuf_addn(r->sb, b1 + 1, (size_t)(b2 - b1 - 1));
        else
            bpa_strbuf_addn(r->sb, b2 + 1, (size_t)(end - b2 - 1));
    } else {
        const char *colon = memchr(s, ':', (size_t)(end - s));
        const char *role_end = colon ? colon : end;
        const bpa_operand *o = find(r, s, (size_t)(role_end - s));
        if (!o)
            bpa_strbuf_add(r->sb, "?"); /* a missing role shows, never a crash */
        else if (colon)
            add_operand(r, o, colon + 1, (size_t)(end - colon - 1));
        else
            add_operand(r, o, "", 0);
    }
}

static void expand(rctx *r, const char *s, const char *end)
{
    while (s < end) {
        const char *open = memchr(s, '{', (size_t)(end - s));
        if (!open) {
            bpa_strbuf_addn(r->sb, s, (size_t)(end - s));
            return;
        }
        bpa_strbuf_addn(r->sb, s, (size_t)(open - s));
        const char *close = closing(open, end);
        if (close > open + 1)
            directive(r, open + 1, close);
        s = close < end ? close + 1 : end;
    }
}

/* "Kilde: BEK nr. 1069 af 30/06/2020 § 10 og § 12, stk. 2; Albertslund ..." */
static void add_origins(const rctx *r, const origin *o, size_t n)
{
    size_t groups = 0;
    for (size_t i = 0; i < n && o[i].src; i++)
        if (i == 0 || o[i].src != o[i - 1].src)
            groups++;
    if (!groups)
        return;
    bpa_strbuf_addf(r->sb, ". %s: ", word(r, groups > 1 ? "trace.sources" : "trace.source"));
    for (size_t i = 0; i < n && o[i].src; i++) {
        bool same = i > 0 && o[i].src == o[i - 1].src;
        if (same)
            bpa_strbuf_addf(r->sb, " %s", word(r, "trace.and"));
        else if (i > 0)
            bpa_strbuf_add(r->sb, "; ");
        if (!same)
            bpa_strbuf_add(r->sb, o[i].src == SRC_CHOICE ? word(r, "trace.choice")
                                                         : source_names[o[i].src][r->lang]);
        if (o[i].at)
            bpa_strbuf_addf(r->sb, " %s", o[i].at);
    }
    bpa_strbuf_add(r->sb, ".");
}

static char *render_as(const bpa_trace_entry *e, bpa_lang lang, const char *tmpl,
                       const origin *origins, size_t norigins, bool sentence)
{
    bpa_strbuf sb;
    bpa_strbuf_init(&sb);
    rctx r = {e, lang, &sb, 0};
    expand(&r, tmpl, tmpl + strlen(tmpl));
    if (origins)
        add_origins(&r, origins, norigins);
    if (sentence)
        capitalize(&sb);
    char *s = bpa_strbuf_detach(&sb);
    bpa_strbuf_release(&sb);
    return s;
}

static char *render(const bpa_trace_entry *e, bpa_lang lang, const char *tmpl,
                    const origin *origins, size_t norigins)
{
    return render_as(e, lang, tmpl, origins, norigins, true);
}

bpa_status bpa_trace_entry_render(const bpa_trace_entry *e, bpa_lang lang, bpa_trace_text *out,
                                  bpa_error *err)
{
    memset(out, 0, sizeof *out);
    if ((unsigned)e->rule >= BPA_TRACE_RULE_COUNT || (unsigned)lang >= BPA_LANG_COUNT)
        return bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL,
                             "no trace text for rule %d in language %d", (int)e->rule, (int)lang);
    const texts *t = &table[e->rule].t[lang];
    const origin *o = table[e->rule].origins;
    size_t no = sizeof table[e->rule].origins / sizeof *o;
    out->step = render(e, lang, t->step, NULL, 0);
    out->rule = render(e, lang, t->rule, o, no);
    out->inputs = render(e, lang, t->inputs, NULL, 0);
    out->result = render(e, lang, t->result, NULL, 0);
    if (!out->step || !out->rule || !out->inputs || !out->result) {
        bpa_trace_text_release(out);
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    return BPA_OK;
}

void bpa_trace_text_release(bpa_trace_text *t)
{
    free(t->step);
    free(t->rule);
    free(t->inputs);
    free(t->result);
    memset(t, 0, sizeof *t);
}

/* ---- warnings (bpa/warning.h) ------------------------------------------------ */

/* Per code and language: the message, and where to look. */
static const struct {
    const char *message, *where;
} warning_texts[BPA_WARN_CODE_COUNT][BPA_LANG_COUNT] = {
    [BPA_WARN_NO_PAYMENTS] = {
        [BPA_LANG_DA] = {"forbruget har ingen betalinger af tilskuddet, så linje 4 regner med, "
                         "at intet er modtaget",
                         "{usage}"},
        [BPA_LANG_EN] = {"the usage has no payments of the grant, so line 4 assumes nothing was "
                         "received",
                         "{usage}"},
        [BPA_LANG_SV] = {"användningen har inga utbetalningar av bidraget, så rad 4 utgår från "
                         "att inget har tagits emot",
                         "{usage}"}},
    [BPA_WARN_NOT_GRANTED] = {
        [BPA_LANG_DA] = {"{hours} brugt i {category}, som bevillingen ikke har",
                         "{?file|{file}:{line} {path}}{!file|{category}}"},
        [BPA_LANG_EN] = {"{hours} used in {category}, which the grant does not have",
                         "{?file|{file}:{line} {path}}{!file|{category}}"},
        [BPA_LANG_SV] = {"{hours} använda i {category}, som beviljandet inte har",
                         "{?file|{file}:{line} {path}}{!file|{category}}"}},
    [BPA_WARN_EXAMPLE_VALUE] = {
        [BPA_LANG_DA] = {"{param} er et eksempel ifølge regelsættets kilde ({ref}), ikke et "
                         "offentliggjort tal",
                         "{file}, {name}, fra {from}"},
        [BPA_LANG_EN] = {"{param} is an example according to the policy's reference ({ref}), not "
                         "a published figure",
                         "{file}, {name}, from {from}"},
        [BPA_LANG_SV] = {"{param} är ett exempel enligt regelverkets källa ({ref}), inte en "
                         "publicerad siffra",
                         "{file}, {name}, från {from}"}},
    [BPA_WARN_OLD_VALUE] = {
        [BPA_LANG_DA] = {"{param} er brugt {on}, mere end 18 måneder efter den gælder fra: en "
                         "forældet takst?",
                         "{file}, {name}, fra {from}"},
        [BPA_LANG_EN] = {"{param} was read for {on}, more than 18 months after it took effect: "
                         "an out-of-date tariff?",
                         "{file}, {name}, from {from}"},
        [BPA_LANG_SV] = {"{param} är använd {on}, mer än 18 månader efter att den började gälla: "
                         "en inaktuell taxa?",
                         "{file}, {name}, från {from}"}},
};

bpa_status bpa_warning_render(const bpa_warnings *w, size_t i, bpa_lang lang, char **message,
                              char **where, bpa_error *err)
{
    *message = *where = NULL;
    if (i >= w->n || (unsigned)w->codes[i] >= BPA_WARN_CODE_COUNT ||
        (unsigned)lang >= BPA_LANG_COUNT)
        return bpa_error_set(err, BPA_E_USAGE, NULL, 0, 0, NULL, "no warning %zu", i);
    const bpa_trace_entry *e = &w->ops.entries[i];
    *message = render(e, lang, warning_texts[w->codes[i]][lang].message, NULL, 0);
    *where = render_as(e, lang, warning_texts[w->codes[i]][lang].where, NULL, 0, false);
    if (!*message || !*where) {
        free(*message);
        free(*where);
        *message = *where = NULL;
        return bpa_error_set(err, BPA_E_NOMEM, NULL, 0, 0, NULL, "out of memory");
    }
    return BPA_OK;
}
