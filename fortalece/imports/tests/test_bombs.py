"""Spreadsheet bombs are refused quickly with bounded memory (SECURITY.md: Input)."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fortalece.core.figures import record
from fortalece.core.testing import client_for
from fortalece.imports.core.guard import Limits, check_xlsx
from fortalece.imports.core.reader import FileProblem
from fortalece.imports.models import ImportJob

HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _valid_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Nombre", "Apellidos", "Sexo", "Profesión", "Institución", "Estado"])
    sheet.append(["Ana", "López", "Mujer", "Policía", "SSP", "Michoacán"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _with_part(name: str, chunks, *, drop_dimension: bool = False) -> bytes:
    """A valid workbook whose part ``name`` is replaced by the streamed ``chunks``."""
    source = zipfile.ZipFile(io.BytesIO(_valid_xlsx()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target:
        for info in source.infolist():
            if info.filename == name:
                continue
            target.writestr(info, source.read(info.filename))
        with target.open(name, "w", force_zip64=True) as part:
            for chunk in chunks:
                part.write(chunk)
    return out.getvalue()


def _rows_bomb(rows: int, *, dimension: bool = True):
    if dimension:
        yield HEAD + f'<dimension ref="A1:F{rows}"/>'.encode() + b"<sheetData>"
    else:
        yield HEAD + b"<sheetData>"
    row = (
        b'<row><c t="inlineStr"><is><t>Guadalupe</t></is></c><c t="inlineStr"><is><t>Ramirez'
        b'</t></is></c><c t="inlineStr"><is><t>Mujer</t></is></c></row>'
    )
    block = row * 10_000
    for _ in range(rows // 10_000):
        yield block
    yield b"</sheetData></worksheet>"


@pytest.fixture(scope="module")
def ten_million_rows() -> bytes:
    """As a new user tried it: a few MB that inflate to 1.3 GB, ten million rows."""
    return _with_part("xl/worksheets/sheet1.xml", _rows_bomb(10_000_000))


def _upload(client, name: str, data: bytes):
    return client.post(
        reverse("imports:create"),
        {"kind": "people", "file": SimpleUploadedFile(name, data)},
    )


def test_a_valid_workbook_passes_the_guard():
    assert check_xlsx(io.BytesIO(_valid_xlsx())) == 2


def test_the_ten_million_row_file_is_refused_through_the_import_page(world, ten_million_rows):
    assert len(ten_million_rows) < 6 * 1024 * 1024
    declared = sum(i.file_size for i in zipfile.ZipFile(io.BytesIO(ten_million_rows)).infolist())
    assert declared > 1_300_000_000
    client = client_for(world.users["admin"])
    assert client.get(reverse("imports:create")).status_code == 200  # URLs and views loaded
    tracemalloc.start()
    started = time.perf_counter()
    response = _upload(client, "people.xlsx", ten_million_rows)
    seconds = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert response.status_code == 200
    assert "200 MB" in " ".join(response.context["form"].errors["file"])
    assert not ImportJob.objects.exists()
    upload_mb = len(ten_million_rows) / 2**20
    record(
        "xlsx_bomb",
        upload_mb=round(upload_mb, 1),
        inflates_mb=declared // 2**20,
        rows=10_000_000,
        refused_in_ms=round(seconds * 1000),
        peak_extra_memory_mb=round(peak / 2**20, 1),
    )
    assert seconds < 2
    assert peak < 3 * len(ten_million_rows) + 20 * 2**20  # the upload itself, and little more


@pytest.mark.parametrize(
    "label,build",
    [
        ("declared rows", lambda: _with_part("xl/worksheets/sheet1.xml", _rows_bomb(200_000))),
        (
            "no dimension, 300 MB",
            lambda: _with_part("xl/worksheets/sheet1.xml", _rows_bomb(2_000_000, dimension=False)),
        ),
        (
            "compression ratio",
            lambda: _with_part(
                "xl/worksheets/sheet1.xml",
                [HEAD, b"<sheetData>", b" " * (30 * 2**20), b"</sheetData></worksheet>"],
            ),
        ),
        (
            "huge shared strings",
            lambda: _with_part(
                "xl/sharedStrings.xml",
                [b"<sst>"] + [bytes(range(32, 127)) * 7000 for _ in range(90)] + [b"</sst>"],
            ),
        ),
    ],
)
def test_other_bombs_are_refused_before_reading(label, build):
    data = build()
    started = time.perf_counter()
    with pytest.raises(FileProblem, match="split|expand|text|compressed"):
        check_xlsx(io.BytesIO(data), Limits(max_shared_strings_bytes=50 * 2**20))
    assert time.perf_counter() - started < 1, label


def test_deep_xml_and_entity_expansion_give_a_clear_error(world):
    deep = _with_part(
        "xl/worksheets/sheet1.xml",
        [
            HEAD,
            b"<sheetData>",
            b"<row>" * 200_000,
            b"</row>" * 200_000,
            b"</sheetData></worksheet>",
        ],
    )
    entities = b"".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1)) * 10}">'.encode() for i in range(2, 10)
    )
    laughs = _with_part(
        "xl/worksheets/sheet1.xml",
        [
            b'<?xml version="1.0"?><!DOCTYPE worksheet [<!ENTITY lol1 "lol">' + entities + b"]>",
            HEAD[HEAD.index(b"<worksheet") :],
            b'<sheetData><row><c t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData>',
            b"</worksheet>",
        ],
    )
    shallow_deep = _with_part(
        "xl/worksheets/sheet1.xml",
        [HEAD, b"<sheetData>", b"<x>" * 5000, b"</x>" * 5000, b"</sheetData></worksheet>"],
    )
    client = client_for(world.users["admin"])
    for data in (deep, laughs, shallow_deep):
        started = time.perf_counter()
        response = _upload(client, "people.xlsx", data)
        assert response.status_code == 200
        assert time.perf_counter() - started < 5
    assert not ImportJob.objects.exists()


def test_too_many_rows_without_a_dimension_are_refused_while_counting(world, settings):
    settings.FORTALECE_IMPORT_MAX_ROWS = 50
    csv = "Nombre,Apellidos\n" + "".join(f"Ana{i},López\n" for i in range(60))
    response = _upload(client_for(world.users["admin"]), "people.csv", csv.encode())
    assert response.status_code == 200
    assert "50" in response.content.decode()
    assert not ImportJob.objects.exists()
