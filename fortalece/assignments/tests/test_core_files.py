import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.assignments.core.files import (
    DEFAULT_TYPES,
    UploadProblem,
    check_count,
    check_upload,
    sanitise_filename,
    sniff,
)

# A shared machine can be slow: no deadlines, no slow-generation health check.
LOADED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 40
HTML = b"<!doctype html><script>alert(1)</script>"
EXE = b"MZ\x90\x00" + b"\x00" * 60


def zipped(parts: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return buffer.getvalue()


DOCX = zipped({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
XLSX = zipped({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
ODT = zipped({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"})


def check(name: str, data: bytes, allowed=DEFAULT_TYPES, max_bytes=1024 * 1024):
    return check_upload(
        name=name, size=len(data), handle=io.BytesIO(data), allowed=allowed, max_bytes=max_bytes
    )


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (PDF, "pdf"),
        (PNG, "png"),
        (JPEG, "jpeg"),
        (DOCX, "docx"),
        (XLSX, "xlsx"),
        (ODT, "odt"),
        ("Mi informe: atención a víctimas\n".encode(), "txt"),
        (EXE, None),
        (zipped({"a.txt": b"x"}), None),
        (b"PK\x03\x04broken", None),
    ],
)
def test_sniff_reads_the_type_from_the_bytes(data, kind):
    assert sniff(io.BytesIO(data)) == kind


def test_accepted_file_gets_the_type_from_the_table_and_a_clean_name():
    checked = check("../../Informe final.PDF", PDF)
    assert checked.name == "Informe final.pdf"
    assert checked.type.content_type == "application/pdf"
    assert checked.size == len(PDF)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("report.pdf", HTML),  # HTML dressed as a PDF
        ("report.pdf", EXE),
        ("photo.png", JPEG),
        ("essay.docx", XLSX),
        ("notes.txt", PNG),
        ("page.html", HTML),  # type not accepted at all
        ("run.exe", EXE),
        ("noextension", PDF),
    ],
)
def test_files_whose_bytes_or_extension_are_not_accepted_are_refused(name, data):
    with pytest.raises(UploadProblem):
        check(name, data)


def test_size_limits():
    with pytest.raises(UploadProblem, match="larger than 1 KB"):
        check("a.txt", b"x" * 1025, max_bytes=1024)
    with pytest.raises(UploadProblem, match="empty"):
        check("a.txt", b"")
    assert check("a.txt", b"x" * 1024, max_bytes=1024).size == 1024


def test_only_the_assignments_types_are_accepted():
    with pytest.raises(UploadProblem, match="PDF"):
        check("photo.png", PNG, allowed=("pdf",))


def test_count_limit():
    check_count(3, max_files=3)
    with pytest.raises(UploadProblem):
        check_count(4, max_files=3)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("C:\\Users\\ana\\tarea 1.docx", "tarea 1.docx"),
        ("../../etc/passwd", "passwd"),
        (".htaccess", "htaccess"),
        ('a"; filename="x.exe', "a_ filename_x.exe"),
        ("informe\r\nSet-Cookie: x.pdf", "informeSet-Cookie_ x.pdf"),
        ("CON.txt", "file_CON.txt"),
        ("", "file"),
        ("...", "file"),
        ("Atención ñandú.PDF", "Atención ñandú.pdf"),
        ("x" * 300 + ".pdf", "x" * 96 + ".pdf"),
    ],
)
def test_sanitise_filename(raw, clean):
    assert sanitise_filename(raw) == clean


@LOADED
@given(st.text(max_size=400))
def test_sanitised_names_are_always_safe(raw):
    name = sanitise_filename(raw)
    assert 1 <= len(name) <= 100
    assert "/" not in name and "\\" not in name
    assert not name.startswith(".")
    assert not any(ch in name for ch in "\"'<>;:\r\n\t\x00")
    assert sanitise_filename(name) == name


@LOADED
@given(st.binary(max_size=2000), st.sampled_from(["a.pdf", "b.docx", "c.png", "d.txt", "e"]))
def test_check_upload_only_ever_accepts_or_raises_upload_problem(data, name):
    try:
        checked = check(name, data)
    except UploadProblem:
        return
    assert sniff(io.BytesIO(data)) == checked.type.key
