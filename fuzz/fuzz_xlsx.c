/* The .xlsx reader on arbitrary bytes: open, every cell of every sheet, the
 * package check.
 *
 * Two kinds of input. Bytes that start with a digit '0'-'6' are the text of
 * one part of an otherwise valid small workbook (the digit says which),
 * stored uncompressed, so the fuzzer works on the XML directly rather than
 * through deflate and CRCs; any other bytes are the .xlsx file itself. */
#include <string.h>
#include <zip.h>

#include "io/xlsx.h"
#include "fuzz_common.h"

#define REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
#define CT "application/vnd.openxmlformats-officedocument.spreadsheetml."
#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" " \
           "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""

static const char *const parts[][2] = {
    {"xl/worksheets/sheet1.xml",
     "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c>"
     "<c r=\"B1\" s=\"1\"><f>1+1</f><v>2</v></c><c t=\"inlineStr\"><is><t>x</t></is></c></row>"
     "</sheetData></worksheet>"},
    {"xl/sharedStrings.xml", "<sst " NS "><si><t>a</t></si><si><r><t>b</t></r></si></sst>"},
    {"xl/workbook.xml",
     "<workbook " NS "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
     "<definedNames><definedName name=\"n\" localSheetId=\"0\">S!$1:$1</definedName>"
     "</definedNames></workbook>"},
    {"xl/_rels/workbook.xml.rels",
     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
     "<Relationship Id=\"rId1\" Type=\"" REL "worksheet\" Target=\"worksheets/sheet1.xml\"/>"
     "<Relationship Id=\"rId2\" Type=\"" REL "sharedStrings\" Target=\"sharedStrings.xml\"/>"
     "<Relationship Id=\"rId3\" Type=\"" REL "styles\" Target=\"styles.xml\"/>"
     "</Relationships>"},
    {"[Content_Types].xml",
     "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
     "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package."
     "relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/>"
     "<Override PartName=\"/xl/workbook.xml\" ContentType=\"" CT "sheet.main+xml\"/>"
     "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"" CT "worksheet+xml\"/>"
     "<Override PartName=\"/xl/styles.xml\" ContentType=\"" CT "styles+xml\"/>"
     "<Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" CT "sharedStrings+xml\"/>"
     "</Types>"},
    {"xl/styles.xml",
     "<styleSheet " NS "><numFmts count=\"1\"><numFmt numFmtId=\"164\" formatCode=\"0.00\"/>"
     "</numFmts><fonts count=\"1\"><font><b/><sz val=\"11\"/><color theme=\"1\"/>"
     "<name val=\"Calibri\"/></font></fonts><fills count=\"1\"><fill><patternFill "
     "patternType=\"solid\"><fgColor rgb=\"FFD9E1F2\"/></patternFill></fill></fills>"
     "<borders count=\"1\"><border><left/><right/><top style=\"thin\"/><bottom/></border>"
     "</borders><cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
     "borderId=\"0\"/><xf numFmtId=\"164\" fontId=\"0\" fillId=\"0\" borderId=\"0\">"
     "<alignment horizontal=\"right\" vertical=\"top\" indent=\"1\" wrapText=\"1\"/></xf>"
     "</cellXfs></styleSheet>"},
    {"_rels/.rels",
     "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
     "<Relationship Id=\"rId1\" Type=\"" REL "officeDocument\" Target=\"xl/workbook.xml\"/>"
     "</Relationships>"},
};
#define NPARTS (sizeof parts / sizeof parts[0])

/* The small workbook with part `which` replaced by data, as zip bytes
 * (malloc'd), or NULL. */
static void *archive(size_t which, const uint8_t *data, size_t size, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src)
        return NULL;
    zip_source_keep(src);
    zip_t *z = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    void *out = NULL;
    if (z) {
        for (size_t i = 0; i < NPARTS; i++) {
            const void *text = i == which ? (const void *)data : parts[i][1];
            size_t n = i == which ? size : strlen(parts[i][1]);
            zip_source_t *s = zip_source_buffer(z, text, n, 0);
            zip_int64_t idx = s ? zip_file_add(z, parts[i][0], s, 0) : -1;
            if (idx < 0)
                zip_source_free(s);
            else
                zip_set_file_compression(z, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
        }
        if (zip_close(z) != 0)
            zip_discard(z);
        else if (zip_source_open(src) == 0) {
            zip_source_seek(src, 0, SEEK_END);
            zip_int64_t n = zip_source_tell(src);
            zip_source_seek(src, 0, SEEK_SET);
            out = n > 0 ? malloc((size_t)n) : NULL;
            if (out && zip_source_read(src, out, (zip_uint64_t)n) == n)
                *len = (size_t)n;
            else {
                free(out);
                out = NULL;
            }
            zip_source_close(src);
        }
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    void *zipped = NULL;
    if (size > 0 && data[0] >= '0' && data[0] < '0' + (int)NPARTS) {
        size_t len = 0;
        zipped = archive((size_t)(data[0] - '0'), data + 1, size - 1, &len);
        if (!zipped)
            return 0;
        data = zipped;
        size = len;
    }
    bpa_xlsx *x = NULL;
    bpa_error err;
    if (bpa_xlsx_open_mem(&x, "fuzz.xlsx", data, size, &err) == BPA_OK) {
        for (size_t i = 0; i < bpa_xlsx_name_count(x); i++)
            if (!bpa_xlsx_name_at(x, i)->name || !bpa_xlsx_name_at(x, i)->text)
                abort();
        for (size_t i = 0; i < bpa_xlsx_sheet_count(x); i++) {
            bpa_xlsx_sheet *s;
            if (bpa_xlsx_sheet_open(x, i, &s, &err) != BPA_OK)
                continue;
            const bpa_xlsx_cell *c;
            while (bpa_xlsx_sheet_next(s, &c, &err) == BPA_OK && c) {
                unsigned char d[32];
                bpa_xlsx_style st;
                unsigned char sd[32];
                bool styled = bpa_xlsx_style_get(x, c->style, &st);
                if (styled)
                    bpa_xlsx_style_digest(&st, sd);
                bpa_xlsx_cell_digest(c, styled ? sd : NULL, d); /* reads every byte */
            }
            bpa_xlsx_sheet_close(s);
        }
        bpa_xlsx_check(x, &err);
        bpa_xlsx_free(x);
    }
    free(zipped);
    return 0;
}
