#!/usr/bin/env python3
"""Write shifts-inline.xlsx: tests/data/ts/shifts.csv as a minimal workbook with
inline strings (no shared-string table), dates as Excel serials and times as
fractions of a day in the decimal text Excel writes (17 significant digits,
an exponent below 0.1), on a sheet "Vagter" after an empty row."""
import csv, datetime, sys, zipfile
from fractions import Fraction

here = sys.argv[1] if len(sys.argv) > 1 else "tests/data/ts"
rows = list(csv.reader(open(f"{here}/shifts.csv", encoding="utf-8")))

def col(i): return "ABCDEF"[i]
def esc(s): return s.replace("&", "&amp;").replace("<", "&lt;")
def serial(d):  # 1900 system: serial 61 = 1900-03-01
    return (datetime.date.fromisoformat(d) - datetime.date(1899, 12, 30)).days
def fraction(t):
    h, m = map(int, t.split(":"))
    v = Fraction(h * 60 + m, 1440)
    if not v:
        return "0"
    if v < Fraction(1, 10):  # as Excel stores it: 8.3333333333333329E-2
        m, e = ("%.16E" % float(v)).split("E")
        return f"{m}E{int(e)}"
    return "%.17G" % float(v)

out = []
for r, row in enumerate(rows, start=3):  # row 2 left empty
    cells = []
    for i, v in enumerate(row):
        ref = f"{col(i)}{r}"
        if r > 3 and i == 1:
            cells.append(f'<c r="{ref}"><v>{serial(v)}</v></c>')
        elif r > 3 and i in (2, 3):
            cells.append(f'<c r="{ref}"><v>{fraction(v)}</v></c>')
        else:
            cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{esc(v)}</t></is></c>')
    out.append(f'<row r="{r}">{"".join(cells)}</row>')
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData>' + "".join(out) + "</sheetData></worksheet>")
ns = "http://schemas.openxmlformats.org/"
parts = {
    "[Content_Types].xml": f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{ns}package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/relationships"><sheets><sheet name="Vagter" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" Type="{ns}officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": sheet,
}
def write(name, sheet_xml):
    with zipfile.ZipFile(f"{here}/{name}", "w", zipfile.ZIP_DEFLATED) as z:
        for part, text in parts.items():
            z.writestr(zipfile.ZipInfo(part, (2026, 12, 7, 0, 0, 0)),
                       sheet_xml if part.endswith("sheet1.xml") else text)

write("shifts-inline.xlsx", sheet)
# one bad cell each, on row 5 (the second shift): a date serial with a time,
# a time 2 seconds off a minute (08:00:02), a kind that is not one
write("bad-serial.xlsx", sheet.replace('<c r="B5"><v>45719</v>', '<c r="B5"><v>45719.5</v>'))
write("bad-second.xlsx", sheet.replace('<c r="C5"><v>0.33333333333333331</v>',
                                       '<c r="C5"><v>0.33335648148148148</v>'))
write("bad-serial60.xlsx", sheet.replace('<c r="B5"><v>45719</v>', '<c r="B5"><v>60</v>'))
write("bad-kind.xlsx", sheet.replace('<c r="E5" t="inlineStr"><is><t>work</t>',
                                     '<c r="E5" t="inlineStr"><is><t>rest</t>'))
