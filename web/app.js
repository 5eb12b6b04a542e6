/* bpa serve: the grant form, the account page and the auditors' verify page.
 * Everything shown comes from the server (the engine's result, summary,
 * warnings and error messages); this script only builds the case file from
 * the fields and formats the engine's decimal strings for reading. Every
 * text is set with textContent: nothing from a file or the server is HTML. */
"use strict";

const T = {
  da: {
    title_grant: "Udmåling af tilskud", title_account: "Afregning", title_verify: "Kontrol",
    nav_grant: "Udmåling", nav_account: "Afregning", nav_verify: "Kontrol", language: "Sprog",
    load_case: "Indlæs sagsfil", download_case: "Hent sagsfil", download_json: "Hent resultat (JSON)",
    download_xlsx: "Hent regneark", case_legend: "Sagen", scheme: "Ordning", policy: "Regelsæt",
    case_id: "Sagsnummer", year: "År", employer_legend: "Arbejdsgiver", employer: "Arbejdsgiver",
    transferred_to: "Overdraget til", helpers: "Antal hjælpere", educated: "Uddannede hjælpere",
    decisions: "Afgørelser", add_decision: "+ afgørelse", trips: "Rejser og weekender", add_trip: "+ rejse",
    overrides: "Fravigelser", add_override: "+ fravigelse", periods: "Beviljandeperioder",
    add_period: "+ periode", result: "Resultat", months: "Måneder", rates: "Timesatser",
    warnings: "Advarsler", summary: "Opsummering", from: "Fra", to: "Til", allowance: "Øvrige udgifter pr. måned",
    d_helpers: "Hjælpere (ellers sagens)", d_educated: "Uddannede", inherit: "som sagen", yes: "ja", no: "nej",
    hours: "Timelinjer", add_line: "+ timelinje", kind: "Art", band: "Tidsrum", step: "Løntrin", task: "Opgave",
    amount: "Timer", unit: "Enhed", per_week: "pr. uge", total: "i alt", remove: "fjern",
    trip_type: "Type", days: "Dage", extra: "Ekstra timer pr. dag", rule: "Regel", reason: "Begrundelse",
    payment: "Udbetaling", aktiv: "Aktiv tid", vantetid: "Väntetid", beredskap: "Beredskap",
    rate: "Forhøjet timebeløb", tier: "Niveau", none: "(ingen)",
    computing: "Beregner …", computed: "Beregnet", error: "Fejl i sagen",
    month: "Måned", recipient: "Til modtageren", due: "Forfald", allowance_short: "Øvrige udgifter",
    allowance_due: "Forfald, øvrige", grant_total: "Tilskud i alt", wages: "Løn m.m.", admin: "Administration",
    category: "Kategori", hourly: "Timesats", billable: "Debiterbart", rakning_due: "Räkning senast",
    period: "Periode", sum: "I alt", policy_values: "værdier fra {first}, alle fra {complete}, seneste ændring {last}",
    account_files: "Filer", case_file: "Sagsfil (JSON)", usage_file: "Forbrugsfil (JSON)",
    timesheet_files: "Timesedler (CSV eller .xlsx)", timesheet_hint: "Timesedler, som forbrugsfilen nævner, findes ud fra filnavnet.",
    compute_account: "Beregn afregning", need_files: "Vælg en sagsfil og en forbrugsfil.",
    account_file: "Regnskab (resultat-JSON, regneark eller bpa-claim/1)", run_verify: "Kontrollér",
    verify_hint: "Afregningen genberegnes ud fra sags- og forbrugsfilen og sammenlignes tal for tal med regnskabet.",
    download_diff: "Hent afvigelser (regneark)", need_verify: "Vælg en sagsfil, en forbrugsfil og et regnskab.",
    verify_agree: "Alle {n} kontrollerede tal stemmer.", verify_differ: "{d} afvigelse(r) blandt {n} kontrollerede tal.",
    diff_field: "Felt", diff_expected: "Genberegnet", diff_found: "Fundet", diff_where: "Hvor",
    load_failed: "Filen kan ikke læses som JSON: ",
  },
  sv: {
    title_grant: "Beräkning av assistans", title_account: "Avräkning", title_verify: "Kontroll",
    nav_grant: "Beräkning", nav_account: "Avräkning", nav_verify: "Kontroll", language: "Språk",
    load_case: "Läs in ärendefil", download_case: "Hämta ärendefil", download_json: "Hämta resultat (JSON)",
    download_xlsx: "Hämta kalkylblad", case_legend: "Ärendet", scheme: "Ordning", policy: "Regelverk",
    case_id: "Ärendenummer", year: "År", employer_legend: "Arbetsgivare", employer: "Arbetsgivare",
    transferred_to: "Överlåten till", helpers: "Antal assistenter", educated: "Utbildade assistenter",
    decisions: "Beslut", add_decision: "+ beslut", trips: "Resor och helger", add_trip: "+ resa",
    overrides: "Avsteg", add_override: "+ avsteg", periods: "Beviljandeperioder",
    add_period: "+ period", result: "Resultat", months: "Månader", rates: "Timbelopp",
    warnings: "Varningar", summary: "Sammanfattning", from: "Från", to: "Till", allowance: "Övriga kostnader per månad",
    d_helpers: "Assistenter (annars ärendets)", d_educated: "Utbildade", inherit: "som ärendet", yes: "ja", no: "nej",
    hours: "Timrader", add_line: "+ timrad", kind: "Slag", band: "Tid på dygnet", step: "Lönesteg", task: "Uppgift",
    amount: "Timmar", unit: "Enhet", per_week: "per vecka", total: "totalt", remove: "ta bort",
    trip_type: "Typ", days: "Dagar", extra: "Extra timmar per dag", rule: "Regel", reason: "Motivering",
    payment: "Utbetalning", aktiv: "Aktiv tid", vantetid: "Väntetid", beredskap: "Beredskap",
    rate: "Förhöjt timbelopp", tier: "Nivå", none: "(ingen)",
    computing: "Beräknar …", computed: "Beräknat", error: "Fel i ärendet",
    month: "Månad", recipient: "Till mottagaren", due: "Förfaller", allowance_short: "Övriga kostnader",
    allowance_due: "Förfaller, övriga", grant_total: "Summa", wages: "Lön m.m.", admin: "Administration",
    category: "Kategori", hourly: "Timbelopp", billable: "Debiterbart", rakning_due: "Räkning senast",
    period: "Period", sum: "Summa", policy_values: "värden från {first}, alla från {complete}, senaste ändring {last}",
    account_files: "Filer", case_file: "Ärendefil (JSON)", usage_file: "Förbrukningsfil (JSON)",
    timesheet_files: "Tidsredovisningar (CSV eller .xlsx)", timesheet_hint: "Tidsredovisningar som förbrukningsfilen nämner hittas på filnamnet.",
    compute_account: "Beräkna avräkning", need_files: "Välj en ärendefil och en förbrukningsfil.",
    account_file: "Redovisning (resultat-JSON, kalkylblad eller bpa-claim/1)", run_verify: "Granska",
    verify_hint: "Avräkningen räknas om från ärende- och förbrukningsfilen och jämförs uppgift för uppgift med redovisningen.",
    download_diff: "Hämta avvikelser (kalkylblad)", need_verify: "Välj en ärendefil, en förbrukningsfil och en redovisning.",
    verify_agree: "Alla {n} granskade uppgifter stämmer.", verify_differ: "{d} avvikelse(r) bland {n} granskade uppgifter.",
    diff_field: "Fält", diff_expected: "Omräknat", diff_found: "Funnet", diff_where: "Var",
    load_failed: "Filen kan inte läsas som JSON: ",
  },
  en: {
    title_grant: "Grant calculation", title_account: "Account", title_verify: "Verify",
    nav_grant: "Grant", nav_account: "Account", nav_verify: "Verify", language: "Language",
    load_case: "Load case file", download_case: "Download case file", download_json: "Download result (JSON)",
    download_xlsx: "Download workbook", case_legend: "The case", scheme: "Scheme", policy: "Policy",
    case_id: "Case number", year: "Year", employer_legend: "Employer", employer: "Employer",
    transferred_to: "Transferred to", helpers: "Number of helpers", educated: "Trained helpers",
    decisions: "Decisions", add_decision: "+ decision", trips: "Trips and weekends", add_trip: "+ trip",
    overrides: "Overrides", add_override: "+ override", periods: "Grant periods",
    add_period: "+ period", result: "Result", months: "Months", rates: "Hourly rates",
    warnings: "Warnings", summary: "Summary", from: "From", to: "To", allowance: "Other expenses per month",
    d_helpers: "Helpers (else the case's)", d_educated: "Trained", inherit: "as the case", yes: "yes", no: "no",
    hours: "Hour lines", add_line: "+ hour line", kind: "Kind", band: "Band", step: "Pay step", task: "Task",
    amount: "Hours", unit: "Unit", per_week: "per week", total: "in total", remove: "remove",
    trip_type: "Type", days: "Days", extra: "Extra hours per day", rule: "Rule", reason: "Reason",
    payment: "Payment", aktiv: "Active time", vantetid: "Waiting time", beredskap: "Stand-by",
    rate: "Raised hourly rate", tier: "Tier", none: "(none)",
    computing: "Computing …", computed: "Computed", error: "The case has an error",
    month: "Month", recipient: "To the recipient", due: "Due", allowance_short: "Other expenses",
    allowance_due: "Due, other expenses", grant_total: "Grant", wages: "Wages etc.", admin: "Administration",
    category: "Category", hourly: "Hourly rate", billable: "Billable", rakning_due: "Invoice due",
    period: "Period", sum: "Total", policy_values: "values from {first}, all from {complete}, last change {last}",
    account_files: "Files", case_file: "Case file (JSON)", usage_file: "Usage file (JSON)",
    timesheet_files: "Timesheets (CSV or .xlsx)", timesheet_hint: "Timesheets the usage file names are found by their file name.",
    compute_account: "Compute the account", need_files: "Choose a case file and a usage file.",
    account_file: "Account (result JSON, workbook or bpa-claim/1)", run_verify: "Verify",
    verify_hint: "The settlement is recomputed from the case and usage files and compared, figure by figure, with the account.",
    download_diff: "Download the differences (workbook)", need_verify: "Choose a case file, a usage file and an account.",
    verify_agree: "All {n} figures checked agree.", verify_differ: "{d} difference(s) among {n} figures checked.",
    diff_field: "Field", diff_expected: "Recomputed", diff_found: "Found", diff_where: "Where",
    load_failed: "The file cannot be read as JSON: ",
  },
};

/* the words of the case file's values, per language */
const WORDS = {
  da: { "dk-sel-96": "SEL § 96, borgerstyret personlig assistance", "dk-sel-95": "SEL § 95, tilskud til hjælpere",
        "dk-sel-94": "SEL § 94, hjælp fra nærtstående", "se-sfb-51": "SFB 51 kap., assistansersättning",
        "se-lss-9-2": "LSS 9 § 2, kommunal assistans",
        citizen: "borgeren", payroll_association: "borgeren, lønadministration ved forening",
        municipality_payroll: "borgeren, lønadministration ved kommunen", transferred: "overdraget",
        relative: "nærtstående", association: "forening", company: "virksomhed",
        work: "arbejde", on_call: "rådighed", day: "dag", evening: "aften", night: "nat", saturday: "lørdag",
        sunday_holiday: "søn- og helligdag", practical: "praktisk hjælp", personal_care: "personlig pleje",
        vacation: "ferie", weekend: "weekend", allowance_cap: "loft over øvrige udgifter",
        trip_limits: "grænser for rejser", hourly_cap: "loft over timesats",
        efterskott: "efterskott", forskott: "förskott" },
  sv: { "dk-sel-96": "SEL § 96 (Danmark)", "dk-sel-95": "SEL § 95 (Danmark)", "dk-sel-94": "SEL § 94 (Danmark)",
        "se-sfb-51": "SFB 51 kap., assistansersättning", "se-lss-9-2": "LSS 9 § 2, kommunal assistans",
        citizen: "den enskilde", payroll_association: "den enskilde, löneadministration via förening",
        municipality_payroll: "den enskilde, löneadministration via kommunen", transferred: "överlåten",
        relative: "närstående", association: "förening", company: "företag",
        work: "arbete", on_call: "jour", day: "dag", evening: "kväll", night: "natt", saturday: "lördag",
        sunday_holiday: "sön- och helgdag", practical: "praktisk hjälp", personal_care: "personlig omvårdnad",
        vacation: "semester", weekend: "helg", allowance_cap: "tak för övriga kostnader",
        trip_limits: "gränser för resor", hourly_cap: "tak för timbelopp",
        efterskott: "efterskott", forskott: "förskott" },
  en: { "dk-sel-96": "SEL § 96, citizen-directed personal assistance", "dk-sel-95": "SEL § 95, grant for helpers",
        "dk-sel-94": "SEL § 94, help from a close relative", "se-sfb-51": "SFB ch. 51, assistance allowance",
        "se-lss-9-2": "LSS 9 § 2, municipal assistance",
        citizen: "the citizen", payroll_association: "the citizen, payroll by an association",
        municipality_payroll: "the citizen, payroll by the municipality", transferred: "transferred",
        relative: "a close relative", association: "an association", company: "a company",
        work: "work", on_call: "on call", day: "day", evening: "evening", night: "night", saturday: "Saturday",
        sunday_holiday: "Sunday and holiday", practical: "practical help", personal_care: "personal care",
        vacation: "vacation", weekend: "weekend", allowance_cap: "allowance cap",
        trip_limits: "trip limits", hourly_cap: "hourly cap",
        efterskott: "in arrears (efterskott)", forskott: "in advance (förskott)" },
};

const SCHEMES = ["dk-sel-96", "dk-sel-95", "dk-sel-94", "se-sfb-51", "se-lss-9-2"];
const EMPLOYERS = ["citizen", "payroll_association", "municipality_payroll", "transferred"];
const TRANSFERRED = ["relative", "association", "company"];
const KINDS = ["work", "on_call"];
const BANDS = ["day", "evening", "night", "saturday", "sunday_holiday"];
const TASKS = ["practical", "personal_care"];
const RULES = ["allowance_cap", "trip_limits", "hourly_cap"];
const SE_KINDS = ["aktiv", "vantetid", "beredskap"];

let lang = "da";
let policies = [];
let loadedName = null; // the loaded case file's name: the case's name in inputs[]

const $ = (sel, root) => (root || document).querySelector(sel);
const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
const t = (k) => (T[lang] && T[lang][k]) || T.en[k] || k;
const word = (w) => (WORDS[lang] && WORDS[lang][w]) || w;

function el(tag, attrs, kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "text") e.textContent = v;
    else if (k === "cls") e.className = v;
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of kids || []) if (c) e.appendChild(typeof c === "string" ? document.createTextNode(c) : c);
  return e;
}

/* ---- numbers and dates as the reader writes them ---- */

/* "-1234.56" -> "-1.234,56" (da), "-1 234,56" (sv), "-1,234.56" (en):
 * the engine's decimal string regrouped, never through a float. */
function fmtNum(s) {
  if (s === null || s === undefined || s === "") return "";
  s = String(s);
  const neg = s.startsWith("-");
  const [ip, fp] = (neg ? s.slice(1) : s).split(".");
  const sep = lang === "da" ? "." : lang === "sv" ? " " : ",";
  const dec = lang === "en" ? "." : ",";
  let g = "";
  for (let i = 0; i < ip.length; i++) {
    if (i && (ip.length - i) % 3 === 0) g += sep;
    g += ip[i];
  }
  return (neg ? "-" : "") + g + (fp !== undefined ? dec + fp : "");
}
function fmtDate(s) {
  if (!s) return "";
  if (lang === "da" && /^\d{4}-\d\d-\d\d$/.test(s)) return s.slice(8) + "." + s.slice(5, 7) + "." + s.slice(0, 4);
  return s;
}
/* hours with four decimals in the JSON are shown with two, as the summary does */
function fmtHours(s) {
  if (!s) return "";
  const m = /^(-?\d+)\.(\d\d)(\d*)$/.exec(s);
  return fmtNum(m && /^0*$/.test(m[3]) ? m[1] + "." + m[2] : s);
}

/* ---- language ---- */

function applyLang() {
  document.documentElement.lang = lang;
  $$("[data-i18n]").forEach((e) => { e.textContent = t(e.dataset.i18n); });
  $$("select[data-words]").forEach((s) => {
    for (const o of s.options) if (o.value) o.textContent = word(o.value);
      else if (o.dataset.none !== undefined) o.textContent = t("none");
  });
  $$("[data-label]").forEach((e) => { e.textContent = t(e.dataset.label); });
  const sel = $("#lang");
  if (sel) sel.value = lang;
}

function initLang() {
  const saved = localStorage.getItem("bpa-lang");
  if (saved && T[saved]) lang = saved;
  const sel = $("#lang");
  if (sel) sel.addEventListener("change", () => {
    lang = sel.value;
    localStorage.setItem("bpa-lang", lang);
    applyLang();
    if (document.body.dataset.page === "grant") { fillPolicies(); schedule(0); }
  });
  applyLang();
}

/* ---- form controls ---- */

function options(sel, values, withNone) {
  sel.textContent = "";
  sel.dataset.words = "";
  if (withNone) sel.appendChild(el("option", { value: "", "data-none": "" }, [t("none")]));
  for (const v of values) sel.appendChild(el("option", { value: v }, [word(v)]));
  return sel;
}

function field(labelKey, input) {
  return el("label", {}, [el("span", { "data-label": labelKey, text: t(labelKey) }), input, el("span", { cls: "err" })]);
}
const input = (f, attrs) => el("input", Object.assign({ "data-f": f }, attrs || {}));
const select = (f, values, withNone) => options(el("select", { "data-f": f }), values, withNone);

function removeBtn(item) {
  const b = el("button", { type: "button", cls: "remove", "data-label": "remove", text: t("remove") });
  b.addEventListener("click", () => { item.remove(); renumber(); schedule(); });
  return b;
}

function stepList() {
  const p = policies.find((x) => x.id === $("#policy").value);
  const steps = [];
  for (const n of (p && p.parameters) || []) {
    const m = /^wage\.hourly\.(\d+)$/.exec(n);
    if (m) steps.push(m[1]);
  }
  return steps;
}

function addLine(list, v) {
  v = v || {};
  const dk94 = $("#scheme").value === "dk-sel-94";
  const item = el("div", { cls: "item line" });
  item.appendChild(el("p", { cls: "err" }));
  const unit = select("unit", ["per_week", "total"]);
  for (const o of unit.options) o.dataset.label = o.value;
  unit.dataset.words = undefined;
  delete unit.dataset.words;
  for (const o of unit.options) o.textContent = t(o.value);
  const kind = select("kind", KINDS), band = select("band", BANDS, true);
  const step = input("step", { inputmode: "numeric", list: "steps" });
  const task = select("task", TASKS, true);
  const amount = input("amount", { inputmode: "decimal" });
  kind.value = v.kind || "work";
  band.value = v.band || (v.kind === "on_call" ? "" : "day");
  if (v.step !== undefined) step.value = v.step;
  task.value = v.task || (dk94 ? "practical" : "");
  unit.value = v.total !== undefined ? "total" : "per_week";
  amount.value = v.total !== undefined ? v.total : v.per_week !== undefined ? v.per_week : "";
  item.appendChild(el("div", { cls: "row" }, [field("kind", kind), field("band", band),
    field("step", step), field("task", task), field("amount", amount), field("unit", unit), removeBtn(item)]));
  list.appendChild(item);
  showScheme();
  return item;
}

function addDecision(v) {
  v = v || {};
  const year = $("#year").value || "2025";
  const item = el("div", { cls: "item decision" });
  item.appendChild(el("p", { cls: "err" }));
  const from = input("from", { placeholder: "YYYY-MM-DD" }), to = input("to", { placeholder: "YYYY-MM-DD" });
  const allowance = input("allowance_monthly", { inputmode: "decimal" });
  const helpers = input("helpers", { inputmode: "numeric" });
  const educated = el("select", { "data-f": "educated" }, [el("option", { value: "", "data-label": "inherit", text: t("inherit") }),
    el("option", { value: "true", "data-label": "yes", text: t("yes") }), el("option", { value: "false", "data-label": "no", text: t("no") })]);
  from.value = v.from || year + "-01-01";
  to.value = v.to || year + "-12-31";
  allowance.value = v.allowance_monthly || "";
  helpers.value = v.helpers !== undefined ? v.helpers : "";
  educated.value = v.educated === true ? "true" : v.educated === false ? "false" : "";
  const lines = el("div", { cls: "lines list" }, [el("p", { cls: "err" })]);
  const addL = el("button", { type: "button", cls: "add-line", "data-label": "add_line", text: t("add_line") });
  addL.addEventListener("click", () => { addLine(lines); renumber(); schedule(); });
  item.appendChild(el("div", { cls: "row" }, [field("from", from), field("to", to), removeBtn(item)]));
  item.appendChild(el("div", { cls: "row" }, [field("allowance", allowance), field("d_helpers", helpers), field("d_educated", educated)]));
  item.appendChild(el("div", { cls: "row" }, [el("strong", { "data-label": "hours", text: t("hours") }), el("span", { cls: "err" })]));
  item.appendChild(lines);
  item.appendChild(addL);
  $("#decisions").appendChild(item);
  for (const l of v.hours || []) addLine(lines, l);
  if (!v.hours) addLine(lines);
  return item;
}

function addTrip(v) {
  v = v || {};
  const item = el("div", { cls: "item trip" });
  item.appendChild(el("p", { cls: "err" }));
  const type = select("type", ["vacation", "weekend"]);
  const from = input("from", { placeholder: "YYYY-MM-DD" }), days = input("days", { inputmode: "numeric" });
  const extra = input("extra_hours_per_day", { inputmode: "decimal" });
  const kind = select("kind", KINDS), band = select("band", BANDS, true);
  const step = input("step", { inputmode: "numeric", list: "steps" });
  type.value = v.type || "vacation";
  from.value = v.from || "";
  days.value = v.days !== undefined ? v.days : "";
  extra.value = v.extra_hours_per_day || "";
  kind.value = v.kind || "work";
  band.value = v.band || "";
  step.value = v.step !== undefined ? v.step : "";
  item.appendChild(el("div", { cls: "row" }, [field("trip_type", type), field("from", from), field("days", days),
    field("extra", extra), removeBtn(item)]));
  item.appendChild(el("div", { cls: "row" }, [field("kind", kind), field("band", band), field("step", step)]));
  $("#trips").appendChild(item);
  return item;
}

function addOverride(v) {
  v = v || {};
  const item = el("div", { cls: "item override" });
  item.appendChild(el("p", { cls: "err" }));
  const rule = select("rule", RULES), reason = input("reason", { cls: "wide" });
  rule.value = v.rule || "allowance_cap";
  reason.value = v.reason || "";
  item.appendChild(el("div", { cls: "row" }, [field("rule", rule), field("reason", reason), removeBtn(item)]));
  $("#overrides").appendChild(item);
  return item;
}

function addPeriod(v) {
  v = v || {};
  const item = el("div", { cls: "item period" });
  item.appendChild(el("p", { cls: "err" }));
  const from = input("from", { placeholder: "YYYY-MM-DD" }), to = input("to", { placeholder: "YYYY-MM-DD" });
  const payment = select("payment", ["efterskott", "forskott"]);
  from.value = v.from || "";
  to.value = v.to || "";
  payment.value = v.payment || "efterskott";
  item.appendChild(el("div", { cls: "row" }, [field("from", from), field("to", to), field("payment", payment), removeBtn(item)]));
  for (const k of SE_KINDS) {
    const pre = k === "aktiv" ? "" : k + "_";
    const amount = input(k, { inputmode: "decimal" });
    const unit = el("select", { "data-f": k + "_unit" }, [el("option", { value: "per_week", "data-label": "per_week", text: t("per_week") }),
      el("option", { value: "total", "data-label": "total", text: t("total") })]);
    if (v[pre + "total"] !== undefined) { unit.value = "total"; amount.value = v[pre + "total"]; }
    else amount.value = v[pre + "per_week"] !== undefined ? v[pre + "per_week"] : "";
    item.appendChild(el("div", { cls: "row" }, [field(k, amount), field("unit", unit)]));
  }
  const rate = input("rate", { inputmode: "decimal" }), tier = input("tier", { list: "tiers" });
  rate.value = v.rate || "";
  tier.value = v.tier || "";
  item.appendChild(el("div", { cls: "row" }, [field("rate", rate), field("tier", tier)]));
  $("#periods").appendChild(item);
  return item;
}

/* Each item's and field's JSON path, as the case file built from them has it. */
function renumber() {
  const pathOf = (item, base, i) => { item.dataset.path = base + "[" + i + "]"; return item.dataset.path; };
  $$("#decisions > .decision").forEach((d, i) => {
    const p = pathOf(d, "$.decisions", i);
    for (const f of ["from", "to", "allowance_monthly", "helpers", "educated"]) $("[data-f=" + f + "]", d).dataset.path = p + "." + f;
    const lines = $(".lines", d);
    lines.dataset.path = p + ".hours";
    $$(":scope > .line", lines).forEach((l, j) => {
      const lp = pathOf(l, p + ".hours", j);
      for (const f of ["kind", "band", "step", "task"]) $("[data-f=" + f + "]", l).dataset.path = lp + "." + f;
      const unit = $("[data-f=unit]", l).value;
      $("[data-f=amount]", l).dataset.path = lp + "." + unit;
    });
  });
  $$("#trips > .trip").forEach((d, i) => {
    const p = pathOf(d, "$.trips", i);
    for (const f of ["type", "from", "days", "extra_hours_per_day", "kind", "band", "step"]) $("[data-f=" + f + "]", d).dataset.path = p + "." + f;
  });
  $$("#overrides > .override").forEach((d, i) => {
    const p = pathOf(d, "$.overrides", i);
    for (const f of ["rule", "reason"]) $("[data-f=" + f + "]", d).dataset.path = p + "." + f;
  });
  $$("#periods > .period").forEach((d, i) => {
    const p = pathOf(d, "$.periods", i);
    for (const f of ["from", "to", "payment", "rate", "tier"]) $("[data-f=" + f + "]", d).dataset.path = p + "." + f;
    for (const k of SE_KINDS) {
      const pre = k === "aktiv" ? "" : k + "_";
      const unit = $("[data-f=" + k + "_unit]", d).value;
      $("[data-f=" + k + "]", d).dataset.path = p + "." + pre + unit;
    }
  });
  applyHints();
}

/* ---- hints from the JSON Schema of the case file (schemas/, served at /schemas/) ---- */

const schemas = {};
async function loadSchemas() {
  for (const n of ["bpa-case.schema.json", "bpa-common.schema.json"]) {
    try { schemas[n] = await (await fetch("/schemas/" + n)).json(); } catch (e) { /* hints are optional */ }
  }
}
/* follow a $ref ("bpa-common.schema.json#/$defs/date", "#/$defs/line") */
function deref(node, file) {
  for (let i = 0; node && node.$ref && i < 8; i++) {
    const [f, ptr] = node.$ref.split("#");
    file = f || file;
    node = (ptr || "").split("/").filter(Boolean).reduce((o, k) => (o ? o[k] : undefined), schemas[file]);
  }
  return [node, file];
}
/* the schema of a property: in properties, or in the branches of allOf / if-then */
function propOf(node, file, key) {
  [node, file] = deref(node, file);
  if (!node) return [undefined, file];
  if (node.properties && node.properties[key]) return [node.properties[key], file];
  for (const k of ["allOf", "anyOf", "oneOf"]) for (const sub of node[k] || []) {
    const r = propOf(sub, file, key);
    if (r[0]) return r;
  }
  for (const k of ["then", "else"]) if (node[k]) { const r = propOf(node[k], file, key); if (r[0]) return r; }
  return [undefined, file];
}
/* the description of the value at a JSON path ("$.decisions[0].hours[1].per_week") */
function schemaHint(path) {
  let node = schemas["bpa-case.schema.json"], file = "bpa-case.schema.json";
  if (!node) return "";
  for (const tok of path.replace(/^\$\.?/, "").match(/[^.[\]]+/g) || []) {
    if (/^\d+$/.test(tok)) { [node, file] = deref(node, file); node = node && node.items; }
    else [node, file] = propOf(node, file, tok);
    if (!node) return "";
  }
  if (node.description) return node.description;
  [node] = deref(node, file);
  return (node && node.description) || "";
}
function applyHints() {
  $$("input[data-path], select[data-path]").forEach((e) => {
    const h = schemaHint(e.dataset.path);
    if (h) e.title = h; else e.removeAttribute("title");
  });
}

/* ---- the case file from the fields ---- */

const val = (sel, root) => $(sel, root).value.trim();
/* a whole number as a JSON number; anything else as typed, for the engine to name */
const count = (s) => (/^-?\d+$/.test(s) ? Number(s) : s);

function buildCase() {
  const scheme = $("#scheme").value, se = scheme.startsWith("se-");
  const c = { format: "bpa-case/1", case: val("#case-id"), scheme: scheme, policy: $("#policy").value, year: count(val("#year")) };
  if (!se) {
    if ($("#employer").value) c.employer = $("#employer").value;
    if (c.employer === "transferred" && $("#transferred_to").value) c.transferred_to = $("#transferred_to").value;
    if (val("#helpers") !== "") c.helpers = count(val("#helpers"));
    if ($("#educated").checked) c.educated = true;
    c.decisions = $$("#decisions > .decision").map((d) => {
      const o = { from: val("[data-f=from]", d), to: val("[data-f=to]", d) };
      if (val("[data-f=allowance_monthly]", d)) o.allowance_monthly = val("[data-f=allowance_monthly]", d);
      if (val("[data-f=helpers]", d)) o.helpers = count(val("[data-f=helpers]", d));
      const ed = $("[data-f=educated]", d).value;
      if (ed) o.educated = ed === "true";
      o.hours = $$(".lines > .line", d).map((l) => {
        const h = { kind: $("[data-f=kind]", l).value };
        if ($("[data-f=band]", l).value) h.band = $("[data-f=band]", l).value;
        if (val("[data-f=step]", l) !== "") h.step = count(val("[data-f=step]", l));
        if ($("[data-f=task]", l).value) h.task = $("[data-f=task]", l).value;
        h[$("[data-f=unit]", l).value] = val("[data-f=amount]", l);
        return h;
      });
      return o;
    });
    const trips = $$("#trips > .trip").map((d) => {
      const o = { type: $("[data-f=type]", d).value, from: val("[data-f=from]", d), days: count(val("[data-f=days]", d)),
                  extra_hours_per_day: val("[data-f=extra_hours_per_day]", d), kind: $("[data-f=kind]", d).value };
      if ($("[data-f=band]", d).value) o.band = $("[data-f=band]", d).value;
      if (val("[data-f=step]", d) !== "") o.step = count(val("[data-f=step]", d));
      return o;
    });
    if (trips.length) c.trips = trips;
  } else {
    c.periods = $$("#periods > .period").map((d) => {
      const o = { from: val("[data-f=from]", d), to: val("[data-f=to]", d), payment: $("[data-f=payment]", d).value };
      for (const k of SE_KINDS) {
        const a = val("[data-f=" + k + "]", d);
        if (a !== "") o[(k === "aktiv" ? "" : k + "_") + $("[data-f=" + k + "_unit]", d).value] = a;
      }
      if (val("[data-f=rate]", d)) o.rate = val("[data-f=rate]", d);
      if (val("[data-f=tier]", d)) o.tier = val("[data-f=tier]", d);
      return o;
    });
  }
  const ov = $$("#overrides > .override").map((d) => ({ rule: $("[data-f=rule]", d).value, reason: val("[data-f=reason]", d) }));
  if (ov.length && !se) c.overrides = ov;
  return c;
}
const caseText = () => JSON.stringify(buildCase(), null, 2) + "\n";
function caseName() {
  if (loadedName) return loadedName;
  const id = val("#case-id").replace(/[^A-Za-z0-9_-]/g, "_");
  return (id || "case") + ".json";
}
/* a Swedish case has no Danish text: in Swedish, its own language */
const apiLang = () => ($("#scheme").value.startsWith("se-") && lang === "da" ? "sv" : lang);
const apiQuery = () => "?lang=" + apiLang() + "&name=" + encodeURIComponent(caseName());

/* ---- loading a case file into the fields ---- */

function loadCase(c) {
  $("#scheme").value = c.scheme || "dk-sel-96";
  showScheme();
  fillPolicies();
  $("#policy").value = c.policy || "";
  $("#case-id").value = c.case || "";
  $("#year").value = c.year !== undefined ? c.year : "";
  $("#employer").value = c.employer || "";
  $("#transferred_to").value = c.transferred_to || "";
  $("#helpers").value = c.helpers !== undefined ? c.helpers : "";
  $("#educated").checked = c.educated === true;
  for (const id of ["#decisions", "#trips", "#overrides", "#periods"]) $(id).textContent = "";
  for (const d of c.decisions || []) addDecision(d);
  for (const tr of c.trips || []) addTrip(tr);
  for (const o of c.overrides || []) addOverride(o);
  for (const p of c.periods || []) addPeriod(p);
  showScheme();
  updatePolicyInfo();
  renumber();
}

/* ---- the grant as the form changes ---- */

let timer = null, seq = 0, controller = null;
function schedule(ms) {
  clearTimeout(timer);
  document.body.dataset.busy = "1"; /* until the answer is shown (the browser test waits on it) */
  timer = setTimeout(compute, ms === undefined ? 300 : ms);
}

function clearErrors() {
  $$(".err").forEach((e) => { e.textContent = ""; });
  $$("[aria-invalid]").forEach((e) => e.removeAttribute("aria-invalid"));
}

/* The engine's message beside the field of its JSON path, or of the
 * nearest enclosing item. */
function showError(err) {
  let path = err.path || "";
  let target = null;
  const msg = err.message || err.text || "";
  /* a message at an item that names one of its keys ("extra_hours_per_day"
   * cannot exceed 24; allowance_monthly 2000.00 exceeds ...; tier "x" has no
   * rate) goes beside
   * that key's field */
  const keys = [...msg.matchAll(/"([a-z_]+)"/g), ...msg.matchAll(/\b([a-z]+_[a-z_]+)\b/g),
    ...msg.matchAll(/\b([a-z_]+) "/g)].map((m) => m[1]);
  for (const k of keys) {
    const f = $$("[data-path]").find((e) => e.dataset.path === path + "." + k);
    if (f) { target = f; path = ""; break; }
  }
  while (path) {
    target = $$("[data-path]").find((e) => e.dataset.path === path);
    if (target) break;
    const cut = path.replace(/(\[\d+\]|\.[^.[\]]+)$/, "");
    if (cut === path) break;
    path = cut;
  }
  if (target) {
    let slot = null;
    if (target.matches("input, select")) {
      target.setAttribute("aria-invalid", "true");
      slot = target.parentElement.querySelector(".err");
    } else {
      slot = target.querySelector(":scope > .err");
    }
    if (slot) slot.textContent = msg;
  }
  $("#form-error").textContent = t("error") + ": " + (err.text || msg);
}

function table(head, rows, numeric) {
  const tb = el("table", {}, [el("thead", {}, [el("tr", {}, head.map((h) => el("th", { text: h })))])]);
  const body = el("tbody");
  for (const r of rows) body.appendChild(el("tr", {}, r.map((c, i) => el("td", { cls: numeric[i] ? "num" : "", text: c }))));
  tb.appendChild(body);
  return tb;
}

function renderGrant(env) {
  const r = env.result;
  const totals = $("#totals"), months = $("#months"), rates = $("#rates");
  totals.textContent = months.textContent = rates.textContent = "";
  if (r.periods) { /* Swedish */
    totals.appendChild(table([t("billable"), t("sum")], [[fmtHours(r.totals.billable), fmtNum(r.totals.amount)]], [1, 1]));
    for (const p of r.periods) {
      months.appendChild(el("p", { text: t("period") + " " + fmtDate(p.from) + " – " + fmtDate(p.to) + ", " + word(p.payment) }));
      months.appendChild(table([t("month"), t("aktiv"), t("vantetid"), t("beredskap"), t("billable"), t("hourly"), t("sum"), t("rakning_due")],
        p.months.map((m) => [m.month, fmtHours(m.aktiv), fmtHours(m.vantetid), fmtHours(m.beredskap), fmtHours(m.billable),
          fmtNum(m.rate), fmtNum(m.amount), fmtDate(m.rakning_due)]), [0, 1, 1, 1, 1, 1, 1, 0]));
    }
    const seen = new Set();
    const rows = [];
    for (const p of r.periods) for (const m of p.months) {
      const key = m.rate_source + m.rate;
      if (!seen.has(key)) { seen.add(key); rows.push([m.month, m.rate_source, fmtNum(m.rate)]); }
    }
    rates.appendChild(table([t("from"), t("category"), t("hourly")], rows, [0, 0, 1]));
  } else {
    const tt = r.totals;
    totals.appendChild(table([t("amount"), t("wages"), t("admin"), t("allowance_short"), t("grant_total")],
      [[fmtHours(tt.hours), fmtNum(tt.wages), fmtNum(tt.admin), fmtNum(tt.allowance), fmtNum(tt.grant)]], [1, 1, 1, 1, 1]));
    months.appendChild(table([t("month"), t("amount"), t("wages"), t("recipient"), t("due"), t("allowance_short"), t("allowance_due")],
      r.months.map((m) => [m.month, fmtHours(m.hours), fmtNum(m.wages), fmtNum(m.recipient_amount), fmtDate(m.due_date),
        fmtNum(m.allowance), fmtDate(m.allowance_due_date)]), [0, 1, 1, 1, 0, 1, 0]));
    rates.appendChild(table([t("category"), t("from"), t("to"), t("hourly")],
      r.rates.map((x) => [[word(x.category.kind), x.category.band ? word(x.category.band) : "", x.category.step !== undefined ? String(x.category.step) : "",
        x.category.task ? word(x.category.task) : ""].filter(Boolean).join(", "), fmtDate(x.from), fmtDate(x.to), fmtNum(x.hourly)]), [0, 0, 0, 1]));
  }
  const w = $("#warnings");
  w.textContent = "";
  for (const x of env.warnings) w.appendChild(el("li", { text: x.message + " (" + x.where + ")" }));
  $("#summary").textContent = env.summary;
}

async function compute() {
  const mine = ++seq;
  if (controller) controller.abort();
  controller = new AbortController();
  const status = $("#status");
  status.className = "hint";
  status.textContent = t("computing");
  let resp, body;
  try {
    resp = await fetch("/api/grant" + apiQuery(), { method: "POST", headers: { "Content-Type": "application/json" },
      body: caseText(), signal: controller.signal });
    body = await resp.json();
  } catch (e) {
    if (e.name === "AbortError") return;
    if (mine !== seq) return;
    document.body.dataset.busy = "0";
    status.className = "hint bad";
    status.textContent = String(e);
    return;
  }
  if (mine !== seq) return;
  document.body.dataset.busy = "0";
  clearErrors();
  document.body.dataset.state = resp.ok ? "ok" : "error";
  /* the figures shown are of the last case that computed: greyed while the form has an error */
  $("#result").classList.toggle("stale", !resp.ok);
  if (resp.ok) {
    status.className = "hint ok";
    status.textContent = t("computed") + ": " + body.result.case;
    renderGrant(body);
  } else {
    status.className = "hint bad";
    status.textContent = t("error");
    showError(body.error || {});
  }
  document.body.dataset.seq = String(mine);
}

function download(blob, name) {
  const a = el("a", { href: URL.createObjectURL(blob), download: name });
  document.body.appendChild(a);
  a.click();
  setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 2000);
}
function dispositionName(resp, fallback) {
  const m = /filename="([^"]+)"/.exec(resp.headers.get("Content-Disposition") || "");
  return m ? m[1] : fallback;
}
async function downloadApi(url, init, fallback, errSlot) {
  const resp = await fetch(url, init);
  if (!resp.ok) {
    const b = await resp.json().catch(() => ({}));
    if (errSlot) errSlot((b && b.error) || {});
    return;
  }
  download(await resp.blob(), dispositionName(resp, fallback));
}

/* ---- scheme and policy ---- */

function fillPolicies() {
  const sel = $("#policy"), keep = sel.value, scheme = $("#scheme").value;
  sel.textContent = "";
  for (const p of policies.filter((x) => x.schemes.includes(scheme)))
    sel.appendChild(el("option", { value: p.id, text: p.id + ": " + p.title }));
  if ([...sel.options].some((o) => o.value === keep)) sel.value = keep;
  updatePolicyInfo();
}
function updatePolicyInfo() {
  const p = policies.find((x) => x.id === $("#policy").value);
  const info = $("#policy-info");
  info.textContent = p ? t("policy_values").replace("{first}", fmtDate(p.first)).replace("{complete}", fmtDate(p.complete_from))
    .replace("{last}", fmtDate(p.last_change)) : "";
  const steps = $("#steps"), tiers = $("#tiers");
  steps.textContent = tiers.textContent = "";
  for (const s of stepList()) steps.appendChild(el("option", { value: s }));
  for (const n of (p && p.parameters) || []) {
    const m = /^se\.kommun\.rate\.([^.]+)$/.exec(n);
    if (m) tiers.appendChild(el("option", { value: m[1] }));
  }
}
function showScheme() {
  const scheme = $("#scheme").value, se = scheme.startsWith("se-");
  $("#dk").hidden = se;
  $("#se").hidden = !se;
  $("#transferred-row").hidden = $("#employer").value !== "transferred";
  $$("[data-f=task]").forEach((s) => { s.parentElement.hidden = scheme !== "dk-sel-94"; });
  $$(".line [data-f=step]").forEach((s) => { s.parentElement.hidden = scheme === "dk-sel-94"; });
  $$("#periods [data-f=rate]").forEach((s) => { s.parentElement.hidden = scheme !== "se-sfb-51"; });
  $$("#periods [data-f=tier]").forEach((s) => { s.parentElement.hidden = scheme !== "se-lss-9-2"; });
}

async function initGrant() {
  document.body.appendChild(el("datalist", { id: "steps" }));
  document.body.appendChild(el("datalist", { id: "tiers" }));
  options($("#scheme"), SCHEMES);
  options($("#employer"), EMPLOYERS, true); /* (none): left out, the engine's default */
  options($("#transferred_to"), TRANSFERRED, true);
  const resp = await fetch("/api/policies");
  policies = (await resp.json()).policies;
  await loadSchemas();
  const form = $("#case-form");
  form.addEventListener("input", () => { renumber(); schedule(); });
  form.addEventListener("change", (e) => {
    if (e.target.id === "scheme") { fillPolicies(); showScheme(); }
    if (e.target.id === "policy") updatePolicyInfo();
    if (e.target.id === "employer") showScheme();
    if (e.target.id === "load-case") return;
    renumber();
    schedule();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  $("#add-decision").addEventListener("click", () => { addDecision(); showScheme(); renumber(); schedule(); });
  $("#add-trip").addEventListener("click", () => { addTrip(); renumber(); schedule(); });
  $("#add-override").addEventListener("click", () => { addOverride(); renumber(); schedule(); });
  $("#add-period").addEventListener("click", () => { addPeriod(); showScheme(); renumber(); schedule(); });
  $("#load-case").addEventListener("change", async (e) => {
    const f = e.target.files[0];
    if (!f) return;
    try {
      const c = JSON.parse(await f.text());
      loadedName = f.name;
      loadCase(c);
      clearErrors();
      schedule(0);
    } catch (ex) {
      $("#form-error").textContent = t("load_failed") + ex.message;
    }
  });
  $("#dl-case").addEventListener("click", () => download(new Blob([caseText()], { type: "application/json" }), caseName()));
  const post = () => ({ method: "POST", headers: { "Content-Type": "application/json" }, body: caseText() });
  $("#dl-json").addEventListener("click", () => downloadApi("/api/grant.json" + apiQuery(), post(), "grant.json", showError));
  $("#dl-xlsx").addEventListener("click", () => downloadApi("/api/grant.xlsx" + apiQuery(), post(), "grant.xlsx", showError));
  /* a new, empty case to start from */
  loadCase({ scheme: "dk-sel-96", year: new Date().getFullYear(), employer: "citizen", decisions: [{}] });
  fillPolicies();
  applyLang();
  schedule(0);
}

/* ---- the account page ---- */

/* Danish: the scheme's own language (a Swedish account has no Danish text) */
const accLang = () => (lang === "da" ? "" : "?lang=" + lang);

function initAccount() {
  const form = $("#account-form");
  const data = () => {
    const fd = new FormData();
    const c = $("#acc-case").files[0], u = $("#acc-usage").files[0];
    if (!c || !u) return null;
    fd.append("case", c, c.name);
    fd.append("usage", u, u.name);
    for (const f of $("#acc-ts").files) fd.append("timesheets", f, f.name);
    return fd;
  };
  const show = (err) => { $("#acc-error").textContent = err.text || err.message || ""; };
  const run = async (e) => {
    if (e) e.preventDefault();
    const fd = data();
    $("#acc-error").textContent = "";
    if (!fd) { $("#acc-error").textContent = t("need_files"); return; }
    const resp = await fetch("/api/settle" + accLang(), { method: "POST", body: fd });
    const body = await resp.json();
    $("#acc-warnings").textContent = "";
    $("#acc-summary").textContent = "";
    document.body.dataset.state = resp.ok ? "ok" : "error";
    if (!resp.ok) { show(body.error || {}); return; }
    for (const x of body.warnings) $("#acc-warnings").appendChild(el("li", { text: x.message + " (" + x.where + ")" }));
    $("#acc-summary").textContent = body.summary;
  };
  form.addEventListener("submit", run);
  for (const [id, url, name] of [["#acc-json", "/api/settle.json", "account.json"], ["#acc-xlsx", "/api/settle.xlsx", "account.xlsx"]])
    $(id).addEventListener("click", () => {
      const fd = data();
      if (!fd) { $("#acc-error").textContent = t("need_files"); return; }
      downloadApi(url + accLang(), { method: "POST", body: fd }, name, show);
    });
}

/* ---- the verify page ---- */

function initVerify() {
  const data = () => {
    const fd = new FormData();
    const c = $("#ver-case").files[0], u = $("#ver-usage").files[0], a = $("#ver-account").files[0];
    if (!c || !u || !a) return null;
    fd.append("case", c, c.name);
    fd.append("usage", u, u.name);
    for (const f of $("#ver-ts").files) fd.append("timesheets", f, f.name);
    fd.append("account", a, a.name);
    return fd;
  };
  const show = (err) => { $("#ver-error").textContent = err.text || err.message || ""; };
  const num = (s) => (s === null || s === undefined ? "" : /^-?[0-9]+(\.[0-9]+)?$/.test(s) ? fmtNum(s) : s);
  const run = async (e) => {
    if (e) e.preventDefault();
    const fd = data();
    $("#ver-error").textContent = "";
    $("#ver-verdict").textContent = "";
    $("#ver-table").textContent = "";
    $("#ver-summary").textContent = "";
    if (!fd) { $("#ver-error").textContent = t("need_verify"); return; }
    const resp = await fetch("/api/verify" + accLang(), { method: "POST", body: fd });
    const body = await resp.json();
    if (!resp.ok) { document.body.dataset.state = "error"; show(body.error || {}); return; }
    const r = body.result, diffs = r.differences || [];
    const verdict = $("#ver-verdict");
    verdict.className = body.agree ? "ok" : "bad";
    verdict.textContent = body.agree ? t("verify_agree").replace("{n}", r.checked)
      : t("verify_differ").replace("{d}", diffs.length).replace("{n}", r.checked);
    if (diffs.length)
      $("#ver-table").appendChild(table([t("diff_field"), t("diff_expected"), t("diff_found"), t("diff_where")],
        diffs.map((d) => [d.field, num(d.expected), num(d.found), d.where || ""]), [false, true, true, false]));
    $("#ver-summary").textContent = body.summary;
    document.body.dataset.state = body.agree ? "agree" : "differ";
  };
  $("#verify-form").addEventListener("submit", run);
  for (const [id, url, name] of [["#ver-json", "/api/verify.json", "verify.json"], ["#ver-xlsx", "/api/verify.xlsx", "verify.xlsx"]])
    $(id).addEventListener("click", () => {
      const fd = data();
      if (!fd) { $("#ver-error").textContent = t("need_verify"); return; }
      downloadApi(url + accLang(), { method: "POST", body: fd }, name, show);
    });
}

document.addEventListener("DOMContentLoaded", () => {
  initLang();
  const page = document.body.dataset.page;
  if (page === "grant") initGrant();
  else if (page === "account") initAccount();
  else if (page === "verify") initVerify();
});
