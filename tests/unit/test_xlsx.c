/* Unit tests of the .xlsx reader (src/io/xlsx.c) and of the workbook
 * writer's read-back (src/workbook/workbook_common.c).
 *
 * The expected values are what the files hold, known independently: the
 * small workbooks are made here (with libzip, or libxlsxwriter with the
 * values chosen below); tests/data/libreoffice.xlsx is LibreOffice 7.4's
 * conversion of tests/data/libreoffice.csv (`libreoffice --headless
 * --convert-to xlsx`), whose cells are read off that CSV (2025-03-01 is
 * serial 45717: 2025-01-01 is 45658, plus 31 + 28 days). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

#include "bpa/case.h"
#include "bpa/grant.h"
#include "bpa/policy.h"
#include "bpa/workbook.h"
#include "io/xlsx.h"
#include "workbook/workbook_common.h"
#include "testutil.h"

static char dir[64];

static void setup(void)
{
    strcpy(dir, "/tmp/bpa-xlsx-XXXXXX");
    ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void teardown(void)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
            snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
            unlink(path);
        }
    closedir(d);
    rmdir(dir);
}

static const char *in_dir(const char *name)
{
    static char path[2][256];
    static int k;
    k = !k;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static size_t entries(void)
{
    DIR *d = opendir(dir);
    ck_assert_ptr_nonnull(d);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            n++;
    closedir(d);
    return n;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    ck_assert_msg(fp != NULL, "cannot open %s", path);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    ck_assert_ptr_nonnull(buf);
    ck_assert_uint_eq(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    *len = (size_t)n;
    return buf;
}

static void ok(bpa_status st, const bpa_error *err)
{
    char buf[1200];
    ck_assert_msg(st == BPA_OK, "%s", bpa_error_format(err, buf, sizeof buf));
}

/* The message of a failed call contains `part`. */
static void fails_with(bpa_status got, bpa_status want, const bpa_error *err, const char *part)
{
    ck_assert_int_eq(got, want);
    ck_assert_msg(strstr(err->message, part) != NULL, "message \"%s\" lacks \"%s\"",
                  err->message, part);
}

/* An archive of (name, content) pairs, NULL-terminated, at path. */
static void make_zip(const char *path, const char *const *parts)
{
    int code;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &code);
    ck_assert_ptr_nonnull(z);
    for (size_t i = 0; parts[i]; i += 2) {
        zip_source_t *s = zip_source_buffer(z, parts[i + 1], strlen(parts[i + 1]), 0);
        ck_assert_ptr_nonnull(s);
        ck_assert_int_ge(zip_file_add(z, parts[i], s, ZIP_FL_OVERWRITE), 0);
    }
    ck_assert_int_eq(zip_close(z), 0);
}

/* The next cell, which must exist. */
static const bpa_xlsx_cell *next(bpa_xlsx_sheet *s)
{
    bpa_error err;
    const bpa_xlsx_cell *c;
    ok(bpa_xlsx_sheet_next(s, &c, &err), &err);
    ck_assert_ptr_nonnull(c);
    return c;
}

static void is_cell(const bpa_xlsx_cell *c, const char *ref, bpa_xlsx_type type,
                    const char *value, const char *formula)
{
    char name[12];
    bpa_xlsx_cell_name(c->row, c->col, name);
    ck_assert_str_eq(name, ref);
    ck_assert_msg(c->type == type, "%s: type %d, not %d", ref, (int)c->type, (int)type);
    ck_assert_str_eq(c->value, value);
    ck_assert_uint_eq(c->value_len, strlen(value));
    if (formula) {
        ck_assert_ptr_nonnull(c->formula);
        ck_assert_str_eq(c->formula, formula);
    } else {
        ck_assert_ptr_null(c->formula);
    }
}

static void at_end(bpa_xlsx_sheet *s)
{
    bpa_error err;
    const bpa_xlsx_cell *c;
    ok(bpa_xlsx_sheet_next(s, &c, &err), &err);
    ck_assert_ptr_null(c);
}

/* ---- a workbook made by hand ---------------------------------------------------- */

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

#define CT "application/vnd.openxmlformats-officedocument.spreadsheetml."
#define TYPES_HEAD                                                                             \
    "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"     \
    "content-types\"><Default Extension=\"xml\" ContentType=\"application/xml\"/>"             \
    "<Default Extension=\"rels\" "                                                             \
    "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"                \
    "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT "sheet.main+xml\"/>"           \
    "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" CT "sharedStrings+xml\"/>"
static const char types_xml[] =
    TYPES_HEAD "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT
    "worksheet+xml\"/><Override PartName=\"/xl/worksheets/s2.xml\" ContentType=\"" CT
    "worksheet+xml\"/></Types>";
static const char root_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
    "</Relationships>";
static const char book_xml[] =
    "<workbook " NS "><sheets><sheet name=\"Data &amp; more\" sheetId=\"1\" r:id=\"rId1\"/>"
    "<sheet name=\"Second\" sheetId=\"2\" r:id=\"rId2\"/></sheets>"
    "<definedNames><definedName name=\"_xlnm.Print_Titles\" localSheetId=\"0\">"
    "'Data &amp; more'!$1:$1</definedName><definedName name=\"Rate\">Second!$B$2"
    "</definedName></definedNames></workbook>";
static const char book_rels[] =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"" REL "worksheet\" Target=\"/xl/worksheets/../worksheets/s2.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId4\" Type=\"" REL "hyperlink\" Target=\"https://example.org/\" "
    "TargetMode=\"External\"/></Relationships>";
static const char sst_xml[] =
    "<sst " NS "><si><t>plain</t></si>"
    "<si><r><t>ri</t></r><r><rPr><b/></rPr><t xml:space=\"preserve\">ch </t></r>"
    "<rPh sb=\"0\" eb=\"1\"><t>PHONETIC</t></rPh></si>"
    "<si><t>a &amp; b &lt;c&gt; _x0001_</t></si><si/></sst>";
/* Cells with and without r, every type, a shared formula, a blank. */
static const char sheet1_xml[] =
    "<worksheet " NS "><dimension ref=\"A1:D3\"/><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c t=\"s\"><v>1</v></c>"
    "<c r=\"C1\" t=\"s\"><v>2</v></c><c r=\"D1\" t=\"s\" s=\"3\"><v>3</v></c></row>"
    "<row r=\"2\"><c r=\"A2\"><v>0.1</v></c><c r=\"B2\" t=\"n\"><v>1.234567890123457E+17</v></c>"
    "<c r=\"C2\" t=\"b\"><v>1</v></c><c r=\"D2\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c></row>"
    "<row><c><f t=\"shared\" ref=\"A3:A4\" si=\"0\">A2*2</f><v>0.2</v></c>"
    "<c r=\"B3\" t=\"str\"><f>A1&amp;\"x\"</f><v>plainx</v></c>"
    "<c r=\"C3\" t=\"inlineStr\"><is><r><t>in</t></r><r><t>line</t></r></is></c>"
    "<c r=\"D3\" s=\"2\"/></row>"
    "<row r=\"4\"><c r=\"A4\"><f t=\"shared\" si=\"0\"/><v>4</v></c></row>"
    "</sheetData><mergeCells count=\"0\"/></worksheet>";
static const char sheet2_xml[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<worksheet " NS ">\n<sheetData>\n"
    "<row r=\"2\"><c r=\"B2\"><v>12.5</v></c></row>\n</sheetData>\n</worksheet>";

static void hand_made(const char *path, const char *sheet1)
{
    const char *const parts[] = {"[Content_Types].xml", types_xml, "_rels/.rels", root_rels,
                                 "xl/workbook.xml", book_xml, "xl/_rels/workbook.xml.rels",
                                 book_rels, "xl/sharedStrings.xml", sst_xml,
                                 "xl/worksheets/sheet1.xml", sheet1, "xl/worksheets/s2.xml",
                                 sheet2_xml, NULL};
    make_zip(path, parts);
}

START_TEST(reads_a_hand_made_workbook)
{
    bpa_error err;
    bpa_xlsx *x;
    hand_made(in_dir("hand.xlsx"), sheet1_xml);
    ok(bpa_xlsx_open_file(&x, in_dir("hand.xlsx"), &err), &err);
    ok(bpa_xlsx_check(x, &err), &err);
    ck_assert_uint_eq(bpa_xlsx_sheet_count(x), 2);
    ck_assert_str_eq(bpa_xlsx_sheet_name(x, 0), "Data & more");
    ck_assert_str_eq(bpa_xlsx_sheet_part(x, 0), "xl/worksheets/sheet1.xml");
    ck_assert_str_eq(bpa_xlsx_sheet_name(x, 1), "Second");
    ck_assert_str_eq(bpa_xlsx_sheet_part(x, 1), "xl/worksheets/s2.xml");
    ck_assert_uint_eq(bpa_xlsx_name_count(x), 2);
    const bpa_xlsx_name *n = bpa_xlsx_name_at(x, 0);
    ck_assert_str_eq(n->name, "_xlnm.Print_Titles");
    ck_assert_str_eq(n->text, "'Data & more'!$1:$1");
    ck_assert_int_eq(n->sheet, 0);
    ck_assert(!n->hidden);
    n = bpa_xlsx_name_at(x, 1);
    ck_assert_str_eq(n->name, "Rate");
    ck_assert_int_eq(n->sheet, -1);

    bpa_xlsx_sheet *s;
    ok(bpa_xlsx_sheet_open(x, 0, &s, &err), &err);
    is_cell(next(s), "A1", BPA_XLSX_SHARED_STRING, "plain", NULL);
    is_cell(next(s), "B1", BPA_XLSX_SHARED_STRING, "rich ", NULL); /* no phonetic run */
    is_cell(next(s), "C1", BPA_XLSX_SHARED_STRING, "a & b <c> _x0001_", NULL);
    const bpa_xlsx_cell *c = next(s);
    is_cell(c, "D1", BPA_XLSX_SHARED_STRING, "", NULL);
    ck_assert_uint_eq(c->style, 3);
    is_cell(next(s), "A2", BPA_XLSX_NUMBER, "0.1", NULL);
    is_cell(next(s), "B2", BPA_XLSX_NUMBER, "1.234567890123457E+17", NULL);
    is_cell(next(s), "C2", BPA_XLSX_BOOLEAN, "1", NULL);
    is_cell(next(s), "D2", BPA_XLSX_ERROR, "#DIV/0!", "1/0");
    is_cell(next(s), "A3", BPA_XLSX_NUMBER, "0.2", "A2*2");
    is_cell(next(s), "B3", BPA_XLSX_STRING, "plainx", "A1&\"x\"");
    is_cell(next(s), "C3", BPA_XLSX_INLINE_STRING, "inline", NULL);
    c = next(s);
    is_cell(c, "D3", BPA_XLSX_BLANK, "", NULL);
    ck_assert_uint_eq(c->style, 2);
    is_cell(next(s), "A4", BPA_XLSX_NUMBER, "4", ""); /* a shared formula's follower */
    at_end(s);
    at_end(s);
    bpa_xlsx_sheet_close(s);

    ok(bpa_xlsx_sheet_open(x, 1, &s, &err), &err);
    is_cell(next(s), "B2", BPA_XLSX_NUMBER, "12.5", NULL);
    at_end(s);
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);
}
END_TEST

/* ---- LibreOffice, libxlsxwriter's inline strings, bpa ---------------------------- */

START_TEST(reads_a_libreoffice_workbook)
{
    bpa_error err;
    bpa_xlsx *x;
    ok(bpa_xlsx_open_file(&x, BPA_SOURCE_DIR "/tests/data/libreoffice.xlsx", &err), &err);
    ok(bpa_xlsx_check(x, &err), &err);
    ck_assert_uint_eq(bpa_xlsx_sheet_count(x), 1);
    ck_assert_str_eq(bpa_xlsx_sheet_name(x, 0), "libreoffice");
    bpa_xlsx_sheet *s;
    ok(bpa_xlsx_sheet_open(x, 0, &s, &err), &err);
    static const char *const head[] = {"helper", "date", "hours", "note"};
    for (int i = 0; i < 4; i++) {
        const bpa_xlsx_cell *c = next(s);
        ck_assert_uint_eq(c->row, 0);
        ck_assert_uint_eq(c->col, (uint32_t)i);
        ck_assert_int_eq(c->type, BPA_XLSX_SHARED_STRING);
        ck_assert_str_eq(c->value, head[i]);
    }
    is_cell(next(s), "A2", BPA_XLSX_SHARED_STRING, "Anna", NULL);
    is_cell(next(s), "B2", BPA_XLSX_NUMBER, "45717", NULL);
    is_cell(next(s), "C2", BPA_XLSX_NUMBER, "7.5", NULL);
    is_cell(next(s), "D2", BPA_XLSX_SHARED_STRING, "a & b <c>", NULL);
    is_cell(next(s), "A3", BPA_XLSX_SHARED_STRING, "Bo", NULL);
    is_cell(next(s), "B3", BPA_XLSX_NUMBER, "45718", NULL);
    is_cell(next(s), "C3", BPA_XLSX_NUMBER, "0.1", NULL);
    is_cell(next(s), "D3", BPA_XLSX_SHARED_STRING, "line one\nline two", NULL);
    is_cell(next(s), "A4", BPA_XLSX_SHARED_STRING, "Carl", NULL);
    is_cell(next(s), "B4", BPA_XLSX_NUMBER, "45719", NULL);
    is_cell(next(s), "C4", BPA_XLSX_NUMBER, "1234567.891", NULL);
    is_cell(next(s), "D4", BPA_XLSX_NUMBER, "3", "1+2");
    at_end(s);
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);
}
END_TEST

START_TEST(reads_inline_strings)
{
    /* constant_memory mode writes strings inline, not in a shared table */
    lxw_workbook_options opt = {.constant_memory = LXW_TRUE, .tmpdir = dir, .use_zip64 = LXW_FALSE};
    lxw_workbook *book = workbook_new_opt(in_dir("inline.xlsx"), &opt);
    ck_assert_ptr_nonnull(book);
    lxw_worksheet *ws = workbook_add_worksheet(book, "Tid");
    ck_assert_int_eq(worksheet_write_string(ws, 0, 0, "Anna & Bo", NULL), LXW_NO_ERROR);
    ck_assert_int_eq(worksheet_write_string(ws, 0, 1, " leading", NULL), LXW_NO_ERROR);
    ck_assert_int_eq(worksheet_write_number(ws, 1, 0, 7.25, NULL), LXW_NO_ERROR);
    ck_assert_int_eq(workbook_close(book), LXW_NO_ERROR);

    bpa_error err;
    bpa_xlsx *x;
    ok(bpa_xlsx_open_file(&x, in_dir("inline.xlsx"), &err), &err);
    ok(bpa_xlsx_check(x, &err), &err);
    ck_assert_str_eq(bpa_xlsx_sheet_name(x, 0), "Tid");
    bpa_xlsx_sheet *s;
    ok(bpa_xlsx_sheet_open(x, 0, &s, &err), &err);
    is_cell(next(s), "A1", BPA_XLSX_INLINE_STRING, "Anna & Bo", NULL);
    is_cell(next(s), "B1", BPA_XLSX_INLINE_STRING, " leading", NULL);
    is_cell(next(s), "A2", BPA_XLSX_NUMBER, "7.25", NULL);
    at_end(s);
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);
}
END_TEST

static bpa_grant *mini_grant(bpa_case **c, bpa_policy **p)
{
    bpa_error err;
    bpa_grant *g;
    ok(bpa_case_load(c, BPA_SOURCE_DIR "/tests/cli/data/mini-case.json", &err), &err);
    ok(bpa_policy_load(p, BPA_SOURCE_DIR "/tests/cli/data/mini-policy.json", &err), &err);
    ok(bpa_grant_compute(&g, *c, *p, &err), &err);
    return g;
}

static void mini_free(bpa_grant *g, bpa_case *c, bpa_policy *p)
{
    bpa_grant_free(g);
    bpa_policy_free(p);
    bpa_case_free(c);
}

/* The Danish grant workbook of the small CLI case (tests/cli/data/mini-*). */
START_TEST(reads_a_bpa_workbook)
{
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g = mini_grant(&c, &p);
    bpa_error err;
    ok(bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_DA, &err), &err);
    bpa_xlsx *x;
    size_t len;
    char *bytes = slurp(in_dir("grant.xlsx"), &len);
    ok(bpa_xlsx_open_mem(&x, "grant.xlsx", bytes, len, &err), &err);
    ok(bpa_xlsx_check(x, &err), &err);
    static const char *const sheets[] = {"Oversigt", "Timetakster", "Linjer",
                                         "Måneder",  "Inddata",     "Sporing"};
    ck_assert_uint_eq(bpa_xlsx_sheet_count(x), 6);
    for (size_t i = 0; i < 6; i++)
        ck_assert_str_eq(bpa_xlsx_sheet_name(x, i), sheets[i]);
    /* print titles on the lines sheet: its table head is row 4 */
    bool titles = false;
    for (size_t i = 0; i < bpa_xlsx_name_count(x); i++) {
        const bpa_xlsx_name *n = bpa_xlsx_name_at(x, i);
        if (strcmp(n->name, "_xlnm.Print_Titles") == 0 && n->sheet == 2) {
            ck_assert_str_eq(n->text, "Linjer!$4:$4");
            titles = true;
        }
        if (strcmp(n->name, "_xlnm.Print_Titles") == 0 && n->sheet == 3)
            ck_assert_str_eq(n->text, "'Måneder'!$4:$4");
    }
    ck_assert(titles);
    /* the summary's case block: B5 the case id, B7 the year */
    bpa_xlsx_sheet *s;
    ok(bpa_xlsx_sheet_open(x, 0, &s, &err), &err);
    const bpa_xlsx_cell *cell;
    bool id = false, year = false;
    int formulas = 0;
    while (bpa_xlsx_sheet_next(s, &cell, &err) == BPA_OK && cell) {
        if (cell->row == 4 && cell->col == 1) {
            ck_assert_int_eq(cell->type, BPA_XLSX_SHARED_STRING);
            ck_assert_str_eq(cell->value, "MINI-1");
            id = true;
        }
        if (cell->row == 6 && cell->col == 1) {
            ck_assert_int_eq(cell->type, BPA_XLSX_NUMBER);
            ck_assert_str_eq(cell->value, "2025");
            year = true;
        }
        formulas += cell->formula != NULL;
    }
    ck_assert(id && year);
    ck_assert_int_gt(formulas, 0);
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);
    free(bytes);
    mini_free(g, c, p);
}
END_TEST

/* ---- bad files --------------------------------------------------------------------- */

START_TEST(truncated_zip)
{
    size_t len;
    char *bytes = slurp(BPA_SOURCE_DIR "/tests/data/libreoffice.xlsx", &len);
    bpa_error err;
    bpa_xlsx *x = (bpa_xlsx *)1;
    fails_with(bpa_xlsx_open_mem(&x, "cut.xlsx", bytes, len / 2, &err), BPA_E_INPUT, &err,
               "not a complete .xlsx file");
    ck_assert_ptr_null(x);
    ck_assert_str_eq(err.file, "cut.xlsx");
    fails_with(bpa_xlsx_open_mem(&x, "empty.xlsx", bytes, 0, &err), BPA_E_INPUT, &err,
               "_rels/.rels");
    /* not a zip at all, and a file that is not there */
    fails_with(bpa_xlsx_open_mem(&x, "t.csv", "a,b\n1,2\n", 8, &err), BPA_E_INPUT, &err,
               "not a complete .xlsx file");
    fails_with(bpa_xlsx_open_file(&x, in_dir("none.xlsx"), &err), BPA_E_IO, &err,
               "cannot read the file");
    fails_with(bpa_xlsx_open_file(&x, dir, &err), BPA_E_IO, &err, "it is a directory");
    free(bytes);
}
END_TEST

START_TEST(damaged_part)
{
    /* a byte of the first part's compressed data changed: the archive
     * opens, but reading that part fails (inflate or CRC) */
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g = mini_grant(&c, &p);
    bpa_error err;
    ok(bpa_grant_workbook_write(g, in_dir("g.xlsx"), BPA_LANG_EN, &err), &err);
    size_t len;
    char *bytes = slurp(in_dir("g.xlsx"), &len);
    /* libxlsxwriter's first part, which opening does not read */
    ck_assert(memcmp(bytes + 30, "[Content_Types].xml", 19) == 0);
    bytes[30 + 19 + 40] ^= 0x55;
    bpa_xlsx *x;
    ok(bpa_xlsx_open_mem(&x, "g.xlsx", bytes, len, &err), &err);
    fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err, "cannot read [Content_Types].xml");
    bpa_xlsx_free(x);
    free(bytes);
    mini_free(g, c, p);
}
END_TEST

START_TEST(missing_parts)
{
    bpa_error err;
    bpa_xlsx *x;
    const char *const no_book[] = {"[Content_Types].xml", types_xml, "_rels/.rels", root_rels,
                                   "xl/_rels/workbook.xml.rels", book_rels, NULL};
    make_zip(in_dir("a.xlsx"), no_book);
    fails_with(bpa_xlsx_open_file(&x, in_dir("a.xlsx"), &err), BPA_E_INPUT, &err,
               "no part xl/workbook.xml");
    ck_assert_str_eq(err.file, in_dir("a.xlsx"));

    const char *const no_sheet[] = {"[Content_Types].xml", types_xml, "_rels/.rels", root_rels,
                                    "xl/workbook.xml", book_xml, "xl/_rels/workbook.xml.rels",
                                    book_rels, "xl/sharedStrings.xml", sst_xml, NULL};
    make_zip(in_dir("b.xlsx"), no_sheet);
    ok(bpa_xlsx_open_file(&x, in_dir("b.xlsx"), &err), &err);
    fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err, "no part xl/worksheets/sheet1.xml");
    bpa_xlsx_sheet *s;
    fails_with(bpa_xlsx_sheet_open(x, 0, &s, &err), BPA_E_INPUT, &err,
               "no part xl/worksheets/sheet1.xml");
    bpa_xlsx_free(x);

    /* a part [Content_Types].xml overrides (here the theme) is missing */
    static const char types_theme[] =
        TYPES_HEAD "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT
        "worksheet+xml\"/><Override PartName=\"/xl/worksheets/s2.xml\" ContentType=\"" CT
        "worksheet+xml\"/><Override PartName=\"/xl/theme/theme1.xml\" ContentType=\"x\"/></Types>";
    const char *const no_theme[] = {"[Content_Types].xml", types_theme, "_rels/.rels", root_rels,
                                    "xl/workbook.xml", book_xml, "xl/_rels/workbook.xml.rels",
                                    book_rels, "xl/sharedStrings.xml", sst_xml,
                                    "xl/worksheets/sheet1.xml", sheet1_xml,
                                    "xl/worksheets/s2.xml", sheet2_xml, NULL};
    make_zip(in_dir("c.xlsx"), no_theme);
    ok(bpa_xlsx_open_file(&x, in_dir("c.xlsx"), &err), &err);
    fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err, "no part xl/theme/theme1.xml");
    ck_assert_ptr_nonnull(strstr(err.message, "[Content_Types].xml"));
    bpa_xlsx_free(x);

    /* a sheet naming a relationship the workbook does not have */
    static const char book_bad_rel[] =
        "<workbook " NS "><sheets><sheet name=\"A\" sheetId=\"1\" r:id=\"rId9\"/></sheets></workbook>";
    const char *const bad_rel[] = {"[Content_Types].xml", types_xml, "_rels/.rels", root_rels,
                                   "xl/workbook.xml", book_bad_rel, "xl/_rels/workbook.xml.rels",
                                   book_rels, NULL};
    make_zip(in_dir("d.xlsx"), bad_rel);
    fails_with(bpa_xlsx_open_file(&x, in_dir("d.xlsx"), &err), BPA_E_INPUT, &err, "rId9");
}
END_TEST

/* Open the hand-made workbook with `sheet1` as its first sheet and read
 * that sheet to the end; the status and message of the first failure. */
static bpa_status read_sheet1(const char *sheet1, bpa_error *err)
{
    hand_made(in_dir("e.xlsx"), sheet1);
    bpa_xlsx *x;
    bpa_status st = bpa_xlsx_open_file(&x, in_dir("e.xlsx"), err);
    if (st != BPA_OK)
        return st;
    bpa_xlsx_sheet *s;
    st = bpa_xlsx_sheet_open(x, 0, &s, err);
    const bpa_xlsx_cell *c = NULL;
    if (st == BPA_OK) {
        while ((st = bpa_xlsx_sheet_next(s, &c, err)) == BPA_OK && c)
            ;
        if (st != BPA_OK) { /* an error is not forgotten by the next call */
            bpa_error again;
            ck_assert_int_eq(bpa_xlsx_sheet_next(s, &c, &again), st);
        }
        bpa_xlsx_sheet_close(s);
    }
    bpa_xlsx_free(x);
    return st;
}

START_TEST(bad_xml)
{
    bpa_error err;
    fails_with(read_sheet1("<worksheet " NS ">\n<sheetData><row r=\"1\">\n"
                           "<c r=\"A1\"><v>1</v></row></sheetData></worksheet>",
                           &err),
               BPA_E_INPUT, &err, "xl/worksheets/sheet1.xml:3:");
    ck_assert_ptr_nonnull(strstr(err.message, "bad XML: mismatched tag"));
    fails_with(read_sheet1("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\"><v>1",
                           &err),
               BPA_E_INPUT, &err, "bad XML");
    fails_with(read_sheet1("<!DOCTYPE w [<!ENTITY a \"aaaa\">]><worksheet/>", &err), BPA_E_INPUT,
               &err, "xl/worksheets/sheet1.xml:1: a DOCTYPE is not allowed");
    /* a cell's own mistakes are named Sheet!Cell */
    fails_with(read_sheet1("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"C1\" t=\"s\">"
                           "<v>9</v></c></row></sheetData></worksheet>",
                           &err),
               BPA_E_INPUT, &err, "Data & more!C1");
    ck_assert_ptr_nonnull(strstr(err.message, "shared string index \"9\""));
    fails_with(read_sheet1("<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A0\"/></row>"
                           "</sheetData></worksheet>",
                           &err),
               BPA_E_INPUT, &err, "\"A0\" is not a cell reference");
    fails_with(read_sheet1("<worksheet " NS "><sheetData><row r=\"2\"><c r=\"B2\" t=\"d\">"
                           "<v>2025-01-01</v></c></row></sheetData></worksheet>",
                           &err),
               BPA_E_INPUT, &err, "Data & more!B2");
}
END_TEST

/* Parts whose content type does not fit their relationship, and an
 * app.xml whose titles do not add up: what a failed allocation inside
 * libxlsxwriter has been seen to leave. */
START_TEST(content_types_and_titles)
{
    bpa_error err;
    bpa_xlsx *x;
    static const char types_no_s2[] =
        TYPES_HEAD "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT
        "worksheet+xml\"/></Types>";
    const char *const untyped[] = {"[Content_Types].xml", types_no_s2, "_rels/.rels", root_rels,
                                   "xl/workbook.xml", book_xml, "xl/_rels/workbook.xml.rels",
                                   book_rels, "xl/sharedStrings.xml", sst_xml,
                                   "xl/worksheets/sheet1.xml", sheet1_xml,
                                   "xl/worksheets/s2.xml", sheet2_xml, NULL};
    make_zip(in_dir("t.xlsx"), untyped);
    ok(bpa_xlsx_open_file(&x, in_dir("t.xlsx"), &err), &err);
    fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err,
               "part xl/worksheets/s2.xml has content type \"application/xml\"");
    bpa_xlsx_free(x);

    static const char app_head[] =
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "extended-properties\" xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/"
        "2006/docPropsVTypes\"><HeadingPairs><vt:vector size=\"4\" baseType=\"variant\">"
        "<vt:variant><vt:lpstr>Worksheets</vt:lpstr></vt:variant><vt:variant><vt:i4>2</vt:i4>"
        "</vt:variant><vt:variant><vt:lpstr>Named Ranges</vt:lpstr></vt:variant><vt:variant>"
        "<vt:i4>1</vt:i4></vt:variant></vt:vector></HeadingPairs>";
    char types_app[2048], app[2048];
    snprintf(types_app, sizeof types_app,
             "%.*s<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
             "vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>",
             (int)(sizeof types_xml - 1 - strlen("</Types>")), types_xml);
    static const char root_rels_app[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" REL "extended-properties\" "
        "Target=\"docProps/app.xml\"/></Relationships>";
    const char *with_app[] = {"[Content_Types].xml", types_app, "_rels/.rels", root_rels_app,
                                    "xl/workbook.xml", book_xml, "xl/_rels/workbook.xml.rels",
                                    book_rels, "xl/sharedStrings.xml", sst_xml,
                                    "xl/worksheets/sheet1.xml", sheet1_xml,
                                    "xl/worksheets/s2.xml", sheet2_xml, "docProps/app.xml", app,
                                    NULL};
    static const char *const titles[][3] = {
        /* the vector's size, its titles, and what the check says ("" for nothing) */
        {"3", "<vt:lpstr>Data &amp; more</vt:lpstr><vt:lpstr>Second</vt:lpstr>"
              "<vt:lpstr>'Data &amp; more'!Print_Titles</vt:lpstr>", ""},
        {"2", "<vt:lpstr>Data &amp; more</vt:lpstr><vt:lpstr>Second</vt:lpstr>",
         "the heading pairs count 3 parts, TitlesOfParts holds 2"},
        {"3", "<vt:lpstr>Data &amp; more</vt:lpstr><vt:lpstr>Second</vt:lpstr>",
         "TitlesOfParts says 3 titles and holds 2"},
        {"3", "<vt:lpstr>Data &amp; more</vt:lpstr><vt:lpstr>Other</vt:lpstr><vt:lpstr>R</vt:lpstr>",
         "title of part 2 is \"Other\", not the sheet's name"}};
    for (size_t i = 0; i < 4; i++) {
        snprintf(app, sizeof app, "%s<TitlesOfParts><vt:vector size=\"%s\" baseType=\"lpstr\">"
                 "%s</vt:vector></TitlesOfParts></Properties>", app_head, titles[i][0],
                 titles[i][1]);
        make_zip(in_dir("u.xlsx"), with_app);
        ok(bpa_xlsx_open_file(&x, in_dir("u.xlsx"), &err), &err);
        if (!titles[i][2][0])
            ok(bpa_xlsx_check(x, &err), &err);
        else
            fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err, titles[i][2]);
        bpa_xlsx_free(x);
    }

    /* a part no relationship leads to (libxlsxwriter once lost the one to
     * docProps/custom.xml, where bpa keeps its fingerprints) */
    snprintf(app, sizeof app, "%s<TitlesOfParts><vt:vector size=\"%s\" baseType=\"lpstr\">"
             "%s</vt:vector></TitlesOfParts></Properties>", app_head, titles[0][0], titles[0][1]);
    with_app[3] = root_rels;
    make_zip(in_dir("v.xlsx"), with_app);
    ok(bpa_xlsx_open_file(&x, in_dir("v.xlsx"), &err), &err);
    fails_with(bpa_xlsx_check(x, &err), BPA_E_INPUT, &err,
               "part docProps/app.xml is the target of no relationship");
    bpa_xlsx_free(x);
}
END_TEST

/* Cell formats resolved through styles.xml: LibreOffice's date column and
 * bpa's title, date and header formats (make_formats). */
START_TEST(reads_styles)
{
    bpa_error err;
    bpa_xlsx *x;
    bpa_xlsx_style st;
    ok(bpa_xlsx_open_file(&x, BPA_SOURCE_DIR "/tests/data/libreoffice.xlsx", &err), &err);
    bpa_xlsx_sheet *s;
    ok(bpa_xlsx_sheet_open(x, 0, &s, &err), &err);
    const bpa_xlsx_cell *c;
    for (int i = 0; i < 6; i++)
        c = next(s); /* B2 */
    ck_assert_uint_eq(c->col, 1);
    ck_assert(bpa_xlsx_style_get(x, c->style, &st));
    ck_assert_uint_eq(st.num_format_id, 165);
    ck_assert_str_eq(st.num_format, "yyyy\\-mm\\-dd");
    ck_assert_str_eq(st.font_name, "Arial");
    ck_assert_str_eq(st.font_size, "10");
    ck_assert(!bpa_xlsx_style_get(x, 999, &st));
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);

    bpa_case *kase;
    bpa_policy *p;
    bpa_grant *g = mini_grant(&kase, &p);
    ok(bpa_grant_workbook_write(g, in_dir("g.xlsx"), BPA_LANG_DA, &err), &err);
    ok(bpa_xlsx_open_file(&x, in_dir("g.xlsx"), &err), &err);
    ck_assert(bpa_xlsx_style_get(x, 0, &st)); /* Excel's Normal: Calibri 11 */
    ck_assert_str_eq(st.font_name, "Calibri");
    ck_assert_str_eq(st.font_size, "11");
    ck_assert_str_eq(st.font_color, "theme:1");
    ck_assert_str_eq(st.fill, "none");
    ok(bpa_xlsx_sheet_open(x, 1, &s, &err), &err); /* Timetakster */
    bool title = false, head = false, date = false;
    while (bpa_xlsx_sheet_next(s, &c, &err) == BPA_OK && c) {
        ck_assert(bpa_xlsx_style_get(x, c->style, &st));
        if (c->row == 0 && c->col == 0) { /* the title */
            ck_assert(st.bold && !st.italic);
            ck_assert_str_eq(st.font_size, "14");
            ck_assert_str_eq(st.vertical, "top");
            title = true;
        } else if (c->row == 3 && c->col == 0) { /* a table head */
            ck_assert_str_eq(st.fill, "solid");
            ck_assert_str_eq(st.fill_color, "FFD9E1F2");
            ck_assert_str_eq(st.border[3], "thin");
            ck_assert_str_eq(st.border[2], "");
            ck_assert(st.wrap && st.bold);
            head = true;
        } else if (c->row == 4 && c->col == 1) { /* a period's first day */
            ck_assert_str_eq(st.num_format, "[$-406]dd.mm.yyyy");
            ck_assert_str_eq(st.horizontal, "left");
            ck_assert_str_eq(c->value, "45658"); /* 2025-01-01 */
            date = true;
        }
    }
    ck_assert(title && head && date);
    bpa_xlsx_sheet_close(s);
    bpa_xlsx_free(x);
    mini_free(g, kase, p);
}
END_TEST

START_TEST(names_and_escapes)
{
    char buf[12];
    bpa_xlsx_cell_name(0, 0, buf);
    ck_assert_str_eq(buf, "A1");
    bpa_xlsx_cell_name(6, 1, buf);
    ck_assert_str_eq(buf, "B7");
    bpa_xlsx_cell_name(0, 25, buf);
    ck_assert_str_eq(buf, "Z1");
    bpa_xlsx_cell_name(0, 26, buf);
    ck_assert_str_eq(buf, "AA1");
    bpa_xlsx_cell_name(1048575, 16383, buf);
    ck_assert_str_eq(buf, "XFD1048576");

    char t[] = "_x0041_b_x005F_x0041_ _x000D_ _xD83D__xDE00_ _xD800_ _x12G4_";
    size_t n = bpa_xlsx_unescape(t, strlen(t));
    ck_assert_str_eq(t, "Ab_x0041_ \r \xF0\x9F\x98\x80 _xD800_ _x12G4_");
    ck_assert_uint_eq(n, strlen(t));
}
END_TEST

/* ---- the writer's read-back ------------------------------------------------------ */

START_TEST(read_back_fails_a_lost_cell)
{
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g = mini_grant(&c, &p);
    bpa_error err;
    wb_test_corrupt_cell(5);
    bpa_status st = bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_DA, &err);
    wb_test_corrupt_cell(0);
    fails_with(st, BPA_E_OUTPUT, &err, "could not be written completely (out of memory?)");
    ck_assert_ptr_nonnull(strstr(err.message, in_dir("grant.xlsx")));
    ck_assert_msg(strstr(err.message, "does not hold the cells written") != NULL, "%s",
                  err.message);
    ck_assert_uint_eq(entries(), 0); /* neither the workbook nor a temporary */

    /* the same with a workbook to replace: it is left as it was */
    FILE *fp = fopen(in_dir("grant.xlsx"), "w");
    ck_assert_ptr_nonnull(fp);
    fputs("old", fp);
    fclose(fp);
    wb_test_corrupt_cell(100);
    st = bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_EN, &err);
    wb_test_corrupt_cell(0);
    ck_assert_int_eq(st, BPA_E_OUTPUT);
    size_t len;
    char *old = slurp(in_dir("grant.xlsx"), &len);
    ck_assert_uint_eq(len, 3);
    free(old);
    ck_assert_uint_eq(entries(), 1);

    ok(bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_EN, &err), &err);
    mini_free(g, c, p);
}
END_TEST

/* The witness: the same workbook made alongside must come out byte for
 * byte the same, or the write fails. */
START_TEST(read_back_fails_a_skewed_witness)
{
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g = mini_grant(&c, &p);
    bpa_error err;
    wb_test_skew_witness(true);
    bpa_status st = bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_DA, &err);
    wb_test_skew_witness(false);
    fails_with(st, BPA_E_OUTPUT, &err, "differs from a second rendering of the same workbook");
    ck_assert_uint_eq(entries(), 0);
    ok(bpa_grant_workbook_write(g, in_dir("grant.xlsx"), BPA_LANG_DA, &err), &err);
    ck_assert_uint_eq(entries(), 1);
    mini_free(g, c, p);
}
END_TEST

/* Input text with control characters: libxlsxwriter stores them as
 * "_xHHHH_", and the read-back expects exactly that. */
START_TEST(read_back_of_control_characters)
{
    static const char case_json[] =
        "{\"format\":\"bpa-case/1\",\"case\":\"CTL-1\",\"scheme\":\"dk-sel-96\","
        "\"policy\":\"" BPA_SOURCE_DIR "/tests/cli/data/mini-policy.json\",\"year\":2025,"
        "\"employer\":\"citizen\",\"helpers\":1,"
        "\"decisions\":[{\"from\":\"2025-01-01\",\"to\":\"2025-12-31\","
        "\"hours\":[{\"kind\":\"work\",\"band\":\"day\",\"step\":11,\"per_week\":\"37\"}]}],"
        "\"overrides\":[{\"rule\":\"hourly_cap\",\"reason\":\"bell\\u0007 cr\\r tab\\t end\"}]}";
    bpa_error err;
    bpa_case *c;
    bpa_policy *p;
    bpa_grant *g;
    ok(bpa_case_load_mem(&c, "ctl.json", case_json, strlen(case_json), &err), &err);
    ok(bpa_policy_load(&p, BPA_SOURCE_DIR "/tests/cli/data/mini-policy.json", &err), &err);
    ok(bpa_grant_compute(&g, c, p, &err), &err);
    ok(bpa_grant_workbook_write(g, in_dir("ctl.xlsx"), BPA_LANG_EN, &err), &err);

    bpa_xlsx *x;
    ok(bpa_xlsx_open_file(&x, in_dir("ctl.xlsx"), &err), &err);
    bool found = false;
    for (size_t i = 0; i < bpa_xlsx_sheet_count(x); i++) {
        bpa_xlsx_sheet *s;
        ok(bpa_xlsx_sheet_open(x, i, &s, &err), &err);
        const bpa_xlsx_cell *cell;
        while (bpa_xlsx_sheet_next(s, &cell, &err) == BPA_OK && cell)
            if (strstr(cell->value, "bell")) {
                ck_assert_str_eq(cell->value, "bell_x0007_ cr_x000D_ tab\t end");
                char t[64];
                snprintf(t, sizeof t, "%s", cell->value);
                bpa_xlsx_unescape(t, strlen(t));
                ck_assert_str_eq(t, "bell\a cr\r tab\t end");
                found = true;
            }
        bpa_xlsx_sheet_close(s);
    }
    ck_assert(found);
    bpa_xlsx_free(x);
    mini_free(g, c, p);
}
END_TEST

static Suite *xlsx_suite(void)
{
    Suite *s = suite_create("xlsx");
    TCase *tc = tcase_create("xlsx");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, reads_a_hand_made_workbook);
    tcase_add_test(tc, reads_a_libreoffice_workbook);
    tcase_add_test(tc, reads_inline_strings);
    tcase_add_test(tc, reads_a_bpa_workbook);
    tcase_add_test(tc, truncated_zip);
    tcase_add_test(tc, damaged_part);
    tcase_add_test(tc, missing_parts);
    tcase_add_test(tc, bad_xml);
    tcase_add_test(tc, content_types_and_titles);
    tcase_add_test(tc, reads_styles);
    tcase_add_test(tc, names_and_escapes);
    tcase_add_test(tc, read_back_fails_a_lost_cell);
    tcase_add_test(tc, read_back_fails_a_skewed_witness);
    tcase_add_test(tc, read_back_of_control_characters);
    suite_add_tcase(s, tc);
    return s;
}

BPA_TEST_MAIN(xlsx_suite)
