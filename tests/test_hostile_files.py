"""Hostile returns (issue 18, findings 4 to 7), each built here, each refused or flagged, nothing stored.

Zip bombs, stray far-away cells, billion laughs and external entities in every XML part, truncated XML,
``&#0;``, encrypted entries, formulas without a cached value, an endless CSV field, mixed and
mislabelled encodings, and numbers Python would read too generously. Every case goes through the real
``womenstats`` entry point into a store that already holds data: the command prints the package's own
error (code, place, remedy) and exits with the documented status, the store stays byte-identical, and
no traceback reaches the user.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pytest

from womenstats.cli import main
from womenstats.intake import Store, parse_number, validate_file
from womenstats.intake import xlsx as guarded
from womenstats.intake.template import save_workbook

HEADER = ["地区代码", "年份", "指标代码", "性别", "年龄组", "城乡", "数值", "分子", "分母", "单位", "来源"]
GOOD = ["440783", "2023", "health.maternal_mortality", "", "", "", "25.0", "1", "4000", "1/10万", "卫健"]
LAUGHS = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
          b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')
XXE = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("seeded")
    good = folder / "good.csv"
    good.write_text(",".join(HEADER) + "\n" + ",".join(GOOD).replace("2023", "2022") + "\n", encoding="utf-8")
    store = folder / "s.sqlite"
    assert main(["ingest", str(good), "--store", str(store)]) == 0
    return store


def _long_xlsx(path: Path, rows: list[list[object]] | None = None) -> Path:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "数据"
    for row in [HEADER, *(rows or [GOOD])]:
        sheet.append(row)
    wb.save(path)  # openpyxl's own writer: texts go to xl/sharedStrings.xml
    return path


def _shared_xlsx(path: Path, rows: list[list[str]] | None = None) -> Path:
    """Write a minimal workbook the way Excel does: texts in xl/sharedStrings.xml, numbers in cells."""
    from xml.sax.saxutils import escape

    main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel_ns = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg_ns = "http://schemas.openxmlformats.org/package/2006/relationships"
    strings: list[str] = []
    xml_rows = []
    for r, row in enumerate([HEADER, *(rows or [GOOD])], start=1):
        cells = []
        for c, value in enumerate(row):
            ref = f"{chr(65 + c)}{r}"
            if value == "":
                continue
            if re.fullmatch(r"-?\d+(\.\d+)?", value):
                cells.append(f'<c r="{ref}"><v>{value}</v></c>')
            else:
                strings.append(value)
                cells.append(f'<c r="{ref}" t="s"><v>{len(strings) - 1}</v></c>')
        xml_rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    decl = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    parts = {
        "[Content_Types].xml": decl + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="xml" ContentType="application/xml"/></Types>',
        "_rels/.rels": decl + f'<Relationships xmlns="{pkg_ns}"><Relationship Id="rId1" Type="x" '
        'Target="xl/workbook.xml"/></Relationships>',
        "docProps/core.xml": decl + '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/'
        'metadata/core-properties"/>',
        "xl/workbook.xml": decl + f'<workbook xmlns="{main_ns}" xmlns:r="{rel_ns}"><sheets>'
        '<sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": decl + f'<Relationships xmlns="{pkg_ns}">'
        '<Relationship Id="rId1" Type="w" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/sharedStrings.xml": decl + f'<sst xmlns="{main_ns}">'
        + "".join(f"<si><t>{escape(text)}</t></si>" for text in strings) + "</sst>",
        "xl/worksheets/sheet1.xml": decl + f'<worksheet xmlns="{main_ns}"><sheetData>{"".join(xml_rows)}'
        "</sheetData></worksheet>",
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text.encode("utf-8"))
    return path


def test_an_excel_style_workbook_with_shared_strings_loads(tmp_path: Path) -> None:
    result = validate_file(_shared_xlsx(tmp_path / "ok.xlsx"), label="ok.xlsx")
    assert not result.errors and result.rows["value"].tolist() == [25.0]
    assert result.rows["source"].tolist() == ["卫健"]


def _rewrite(source: Path, target: Path, part: str, change) -> Path:
    """Copy an .xlsx with one part's bytes changed."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info)
            new.writestr(info.filename, change(data) if info.filename == part else data)
    return target


def _with_doctype(doctype: bytes, use: bytes = b""):
    def change(data: bytes) -> bytes:
        declaration = re.match(rb"<\?xml[^>]*\?>\s*", data)
        cut = declaration.end() if declaration else 0
        body = data[cut:]
        if use:
            mark = b"<t>" if b"<t>" in body else b">"
            body = body.replace(mark, mark + use, 1)
        return data[:cut] + doctype + body
    return change


def _refused(argv_file: Path, store: Path, tmp_path: Path, capsys, code: str, *, status: int,
             where: str | None = None, extra: list[str] | None = None) -> str:
    """Ingest into a copy of the seeded store: refused with ``code``, store unchanged, no traceback."""
    copy = tmp_path / "store.sqlite"
    shutil.copyfile(store, copy)
    before = copy.read_bytes()
    assert main(["ingest", str(argv_file), "--store", str(copy), *(extra or [])]) == status
    captured = capsys.readouterr()
    out = captured.out + captured.err
    assert f"错误 {code}: " in out, out
    if where is not None:
        assert f"{argv_file}:{where}: 错误 {code}: " in out, out
    assert "Traceback" not in out
    assert copy.read_bytes() == before
    return out


# -- size bombs (finding 4) -------------------------------------------------------------------------
def test_zip_bomb_is_refused_before_decompressing(seeded: Path, tmp_path: Path, capsys) -> None:
    bomb = tmp_path / "bomb.xlsx"
    sheet_head = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
                  b'spreadsheetml/2006/main"><sheetData>')
    with zipfile.ZipFile(_long_xlsx(tmp_path / "ok.xlsx")) as ok, \
            zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in ok.infolist():
            if info.filename != "xl/worksheets/sheet1.xml":
                out.writestr(info.filename, ok.read(info))
                continue
            with out.open(info.filename, "w", force_zip64=True) as fh:
                fh.write(sheet_head)
                block = b" " * (1 << 20)
                for _ in range(guarded.MAX_UNCOMPRESSED // len(block) + 8):
                    fh.write(block)
                fh.write(b"</sheetData></worksheet>")
    assert bomb.stat().st_size < 1 << 20
    out = _refused(bomb, seeded, tmp_path, capsys, "E_TOO_LARGE", status=2)
    assert "解压后有 72.0 MiB" in out and "超过上限 64.0 MiB" in out


def test_stray_far_cell_in_a_long_table_is_named_not_materialised(seeded: Path, tmp_path: Path,
                                                                  capsys) -> None:
    wb = openpyxl.Workbook()
    sheet = wb.active
    sheet.title = "数据"
    for row in [HEADER, GOOD]:
        sheet.append(row)
    sheet["XFD1048576"] = "x"
    path = tmp_path / "far.xlsx"
    save_workbook(wb, path)
    assert path.stat().st_size < 10_000
    out = _refused(path, seeded, tmp_path, capsys, "E_TOO_LARGE", status=1, where="数据:XFD1048576")
    assert "50000 行、64 列" in out


def test_stray_far_cell_in_a_template(seeded: Path, tmp_path: Path, capsys) -> None:
    template = tmp_path / "t.xlsx"
    assert main(["template", "--plan", "kaiping", "--year", "2023", "--out", str(template)]) == 0
    wb = openpyxl.load_workbook(template)
    sheet = wb.worksheets[1]
    sheet["A1048576"] = "x"
    path = tmp_path / "far_template.xlsx"
    save_workbook(wb, path)
    capsys.readouterr()
    _refused(path, seeded, tmp_path, capsys, "E_TOO_LARGE", status=1, where=f"{sheet.title}:A1048576")


def test_too_many_cells_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(guarded, "MAX_CELLS", 15)
    path = _long_xlsx(tmp_path / "many.xlsx", [GOOD, GOOD])
    result = validate_file(path, label="many.xlsx")
    assert result.unreadable and [p.code for p in result.problems] == ["E_TOO_LARGE"]
    assert "超过上限 15" in result.problems[0].message


# -- XML and zip tricks (finding 5) -----------------------------------------------------------------
PARTS = ["[Content_Types].xml", "docProps/core.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels",
         "xl/worksheets/sheet1.xml", "xl/sharedStrings.xml"]


@pytest.mark.parametrize("part", PARTS)
@pytest.mark.parametrize("doctype", [LAUGHS, XXE], ids=["billion-laughs", "xxe"])
def test_dtd_in_any_part_is_refused(part: str, doctype: bytes, seeded: Path, tmp_path: Path, capsys) -> None:
    use = b"&lol3;" if doctype is LAUGHS else b"&e;"
    ok = _shared_xlsx(tmp_path / "ok.xlsx")
    path = _rewrite(ok, tmp_path / "dtd.xlsx", part, _with_doctype(doctype, use))
    out = _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)
    assert f"{part} 含有 DTD 或实体声明" in out


def test_truncated_sheet_xml(seeded: Path, tmp_path: Path, capsys) -> None:
    path = _rewrite(_long_xlsx(tmp_path / "ok.xlsx"), tmp_path / "cut.xlsx", "xl/worksheets/sheet1.xml",
                    lambda data: data[: len(data) // 2])
    out = _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)
    assert "XML 已损坏" in out


def test_nul_character_reference_in_a_shared_string(seeded: Path, tmp_path: Path, capsys) -> None:
    path = _rewrite(_shared_xlsx(tmp_path / "ok.xlsx"), tmp_path / "nul.xlsx", "xl/sharedStrings.xml",
                    lambda data: data.replace("卫健".encode(), b"&#0;", 1))
    _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)


def test_entry_flagged_encrypted(seeded: Path, tmp_path: Path, capsys) -> None:
    data = bytearray(_long_xlsx(tmp_path / "ok.xlsx").read_bytes())
    for signature, flag_at in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        for match in re.finditer(re.escape(signature), bytes(data)):
            data[match.start() + flag_at] |= 0x01
    path = tmp_path / "encrypted.xlsx"
    path.write_bytes(bytes(data))
    out = _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)
    assert "已加密" in out


def test_password_protected_workbook_says_so(seeded: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "protected.xlsx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000)
    out = _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)
    assert "取消密码" in out


def test_csv_field_over_the_csv_limit(seeded: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "long_field.csv"
    row = [*GOOD[:-1], '"' + "长" * 140000 + '"']
    path.write_text(",".join(HEADER) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    _refused(path, seeded, tmp_path, capsys, "E_TOO_LARGE", status=2, where="第2行")


def test_store_path_that_is_not_a_database(tmp_path: Path, capsys) -> None:
    good = tmp_path / "good.csv"
    good.write_text(",".join(HEADER) + "\n" + ",".join(GOOD) + "\n", encoding="utf-8")
    fake = tmp_path / "fake.sqlite"
    fake.write_bytes(b"SQLite format 2\x00" + b"\x01" * 4096)
    assert main(["ingest", str(good), "--store", str(fake)]) == 2
    assert "E_STORE_NOT_DB" in capsys.readouterr().err


# -- silent wrong values (finding 6) ----------------------------------------------------------------
@pytest.mark.parametrize(("text", "why"), [("1_5", "下划线"), ("45.3¹", "上标"), ("10²", "上标"),
                                           ("12,34", "千位分隔符"), ("1e3", "科学记数法"),
                                           ("1.2.3", "小数点")])
def test_numbers_outside_the_grammar_are_refused_with_the_cell(text: str, why: str, seeded: Path,
                                                                 tmp_path: Path, capsys) -> None:
    path = _long_xlsx(tmp_path / "n.xlsx", [[*GOOD[:6], text, *GOOD[7:]]])
    out = _refused(path, seeded, tmp_path, capsys, "E_NOT_A_NUMBER", status=1, where="数据:G2")
    assert why in out
    assert not parse_number(text).ok


@pytest.mark.parametrize(("text", "value", "decimals"), [("3,046", 3046.0, 0), ("1 234.5", 1234.5, 1),
                                                         ("８５．３％", 85.3, 1), ("-0.5", -0.5, 1),
                                                         (".5", 0.5, 1), ("+12", 12.0, 0)])
def test_numbers_inside_the_grammar(text: str, value: float, decimals: int) -> None:
    parsed = parse_number(text)
    assert parsed.ok and parsed.value == value and parsed.decimals == decimals


def test_footnote_mark_is_taken_off_with_a_warning(tmp_path: Path, capsys) -> None:
    path = _long_xlsx(tmp_path / "note.xlsx", [[*GOOD[:6], "25.0*", *GOOD[7:]]])
    store = tmp_path / "s.sqlite"
    assert main(["ingest", str(path), "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert f"{path}:数据:G2: 警告 W_FOOTNOTE_MARK: " in out and "“*”已去掉" in out
    assert Store(store).observations()["value"].tolist() == [25.0]


def test_formula_without_cached_value(seeded: Path, tmp_path: Path, capsys) -> None:
    path = _long_xlsx(tmp_path / "formula.xlsx", [[*GOOD[:6], "=1/4000*100000", *GOOD[7:]]])
    out = _refused(path, seeded, tmp_path, capsys, "E_FORMULA_NO_VALUE", status=1, where="数据:G2")
    assert "用 Excel 打开该文件、保存后重报" in out


@pytest.mark.parametrize(("source", "as_gb18030"), [
    ("臺灣衛生署統計資料", "籓芖矫ネ竝参璸戈"),
    ("教育局", "毙▅Ы"),  # every character of the GB18030 reading is in GB2312: no warning could see it
])
def test_big5_is_not_guessed_as_gb18030_and_encoding_option_reads_it(seeded: Path, tmp_path: Path, capsys,
                                                                     source: str, as_gb18030: str) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes(_big5_bytes([*GOOD[:-1], source]))
    out = _refused(path, seeded, tmp_path, capsys, "E_BAD_ENCODING", status=2, where="第2行")
    assert f"按 GB18030（简体）读作“{as_gb18030}" in out and f"按 Big5（繁体）读作“{source}”" in out
    assert "--encoding big5" in out
    store = tmp_path / "s.sqlite"
    assert main(["ingest", str(path), "--store", str(store), "--encoding", "big5"]) == 0
    assert "W_UNCOMMON_TEXT" not in capsys.readouterr().out
    assert Store(store).observations()["source"].tolist() == [source]


def _big5_bytes(row: list[str]) -> bytes:
    header = ["region_code", "year", "indicator_id", "sex", "age_group", "residence", "value", "numerator",
              "denominator", "unit", "source"]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerow([cell.replace("1/10万", "1/100000") for cell in row])
    return buffer.getvalue().encode("big5")


def test_unknown_encoding_name_is_an_argument_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "a.csv"
    path.write_text(",".join(HEADER) + "\n" + ",".join(GOOD) + "\n", encoding="utf-8")
    assert main(["validate", str(path), "--encoding", "klingon"]) == 2
    assert "不认识的编码“klingon”" in capsys.readouterr().err


# -- errors with a place (finding 7) ----------------------------------------------------------------
def test_gbk_row_after_utf8_rows_names_row_and_offset(seeded: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "mixed.csv"
    first = (",".join(HEADER) + "\n" + ",".join(GOOD) + "\n").encode("utf-8")
    second = (",".join([*GOOD[:-1], "教育局"]).replace("2023", "2021") + "\n").encode("gbk")
    path.write_bytes(first + second)
    offset = len(first) + second.index("万".encode("gbk"))  # the first non-ASCII character of row 3
    out = _refused(path, seeded, tmp_path, capsys, "E_BAD_ENCODING", status=2, where="第3行")
    assert f"字节偏移 {offset}" in out and "前面各行是 UTF-8" in out


def test_invalid_bytes_on_row_three_name_row_and_offset(seeded: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "bytes.csv"
    head = ("region_code,year,indicator_id,value\n" + "440783,2023,health.maternal_mortality,25.0\n").encode()
    path.write_bytes(head + b"440783,2022,health.maternal_mortality,\xff\xfe25\n")
    out = _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2, where="第3行")
    assert f"第3行（字节偏移 {len(head) + 38}" in out


def test_a_number_too_large_for_a_float_is_refused() -> None:
    parsed = parse_number("9" * 400)
    assert not parsed.ok and "太大" in parsed.reason


def test_malformed_merged_range_is_a_damaged_file(seeded: Path, tmp_path: Path, capsys) -> None:
    path = _rewrite(_shared_xlsx(tmp_path / "ok.xlsx"), tmp_path / "merge.xlsx", "xl/worksheets/sheet1.xml",
                    lambda data: data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">'
                                              b'<mergeCell ref="A1:ZZZZ99999999"/></mergeCells>'))
    _refused(path, seeded, tmp_path, capsys, "E_UNREADABLE", status=2)


def test_an_export_path_that_cannot_be_written(seeded: Path, tmp_path: Path, capsys) -> None:
    blocker = tmp_path / "a_file"
    blocker.write_text("x", encoding="utf-8")
    out = blocker / "export.csv"  # a folder that is a file
    assert main(["store", "export", "--store", str(seeded), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "E_FILE" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


def test_a_percent_sign_only_where_the_unit_is_percent(seeded: Path, tmp_path: Path, capsys) -> None:
    # 孕产妇死亡率 is per 100 000: "25%" must not be converted silently to 25 000 per 100 000.
    path = _long_xlsx(tmp_path / "pct.xlsx", [[*GOOD[:6], "25%", "", "", "", "卫健"]])
    out = _refused(path, seeded, tmp_path, capsys, "E_UNIT_MISMATCH", status=1, where="数据:G2")
    assert "百分号只能用在单位为 % 的数值上" in out


def test_a_wrong_encoding_given_names_row_and_offset(seeded: Path, tmp_path: Path, capsys) -> None:
    path = tmp_path / "gbk.csv"
    head = ",".join(HEADER).encode("gbk")
    path.write_bytes(head + b"\n" + ",".join(GOOD).encode("gbk") + b"\n")
    out = _refused(path, seeded, tmp_path, capsys, "E_BAD_ENCODING", status=2, where="第1行",
                   extra=["--encoding", "utf-8"])
    assert "按指定的编码 utf-8 无法解码第1行（字节偏移 0" in out


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "gb18030", "gbk"])
def test_good_files_in_common_encodings_read_alike(encoding: str, tmp_path: Path) -> None:
    path = tmp_path / f"{encoding}.csv"
    path.write_bytes((",".join(HEADER) + "\r\n" + ",".join(GOOD) + "\r\n").encode(encoding))
    result = validate_file(path, label="x.csv")
    assert not result.errors and not [p for p in result.problems if p.code == "W_UNCOMMON_TEXT"]
    assert result.rows["source"].tolist() == ["卫健"]


def test_strict_open_xml_namespaces_read_alike(tmp_path: Path) -> None:
    ok = _shared_xlsx(tmp_path / "ok.xlsx")
    strict = tmp_path / "strict.xlsx"
    with zipfile.ZipFile(ok) as old, zipfile.ZipFile(strict, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info).replace(b"http://schemas.openxmlformats.org/spreadsheetml/2006/main",
                                          b"http://purl.oclc.org/ooxml/spreadsheetml/main")
            data = data.replace(b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
                                b"http://purl.oclc.org/ooxml/officeDocument/relationships")
            new.writestr(info.filename, data)
    result = validate_file(strict, label="strict.xlsx")
    assert not result.errors and result.rows["value"].tolist() == [25.0]


@pytest.mark.parametrize("kind", ["laughs", "bomb", "not_zip"])
def test_hostile_plan_text_in_word_is_refused(kind: str, tmp_path: Path) -> None:
    from docx import Document

    from womenstats.catalog.text import read_plan_text
    from womenstats.errors import InputError

    good = tmp_path / "plan.docx"
    doc = Document()
    doc.add_paragraph("（一）妇女与健康")
    doc.save(str(good))
    path = tmp_path / f"{kind}.docx"
    if kind == "laughs":
        _rewrite(good, path, "word/document.xml", _with_doctype(LAUGHS, b"&lol3;"))
    elif kind == "bomb":
        with zipfile.ZipFile(good) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
            for info in old.infolist():
                new.writestr(info.filename, old.read(info))
            with new.open("word/media/padding.xml", "w", force_zip64=True) as fh:
                for _ in range(guarded.MAX_UNCOMPRESSED // (1 << 20) + 1):
                    fh.write(b" " * (1 << 20))
    else:
        path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100)
    with pytest.raises(InputError) as caught:
        read_plan_text(path)
    assert caught.value.code in {"E_UNREADABLE", "E_TOO_LARGE", "E_DOCX"}
    assert read_plan_text(good).strip() == "（一）妇女与健康"


def test_many_sheets_pointing_at_one_part_are_refused(seeded: Path, tmp_path: Path, capsys) -> None:
    def many(data: bytes) -> bytes:
        sheets = b"".join(b'<sheet name="s%d" sheetId="%d" r:id="rId1"/>' % (i, i + 2) for i in range(300))
        return data.replace(b"</sheets>", sheets + b"</sheets>")

    path = _rewrite(_shared_xlsx(tmp_path / "ok.xlsx"), tmp_path / "many.xlsx", "xl/workbook.xml", many)
    out = _refused(path, seeded, tmp_path, capsys, "E_TOO_LARGE", status=2)
    assert "301 张工作表，超过上限 255" in out

    def twice(data: bytes) -> bytes:
        return data.replace(b"</sheets>", b'<sheet name="copy" sheetId="2" r:id="rId1"/></sheets>')

    path = _rewrite(_shared_xlsx(tmp_path / "ok2.xlsx"), tmp_path / "twice.xlsx", "xl/workbook.xml", twice)
    result = validate_file(path, label="twice.xlsx")
    assert [p.code for p in result.errors] == ["E_UNREADABLE"] and "指向同一内容" in result.errors[0].message


def test_a_csv_with_too_many_rows_is_refused_at_the_row(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    from womenstats.intake import readers

    monkeypatch.setattr(readers, "MAX_ROWS", 3)
    path = tmp_path / "rows.csv"
    path.write_text(",".join(HEADER) + "\n" + (",".join(GOOD) + "\n") * 5, encoding="utf-8")
    result = validate_file(path, label="rows.csv")
    assert result.unreadable and [str(p.location) for p in result.problems] == ["rows.csv:第4行"]
    assert result.problems[0].code == "E_TOO_LARGE"
