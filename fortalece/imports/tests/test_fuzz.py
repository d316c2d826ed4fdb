"""Hypothesis fuzzing of every import parser: people, enrolment and attendance CSV/XLSX, XLSForm
and Kobo/ODK answer files. Whatever the bytes, the parser answers with its own clear error type
or with data, never another exception (which would be a 500) and never slowly."""

import io
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.core.figures import record
from fortalece.impact.core.data import DataError, read_responses
from fortalece.impact.core.simulate import instrument
from fortalece.impact.core.xlsform import XLSFormError, read_xlsform, write_xlsform
from fortalece.imports.core.guard import check_xlsx
from fortalece.imports.core.reader import FileProblem, read_table
from fortalece.imports.core.schema import suggest_mapping
from fortalece.imports.core.validate import clean_rows

KINDS = ("people", "enrolments", "attendance")
VALID_XLSFORM = write_xlsform(instrument())
CASES = {"count": 0, "slowest": 0.0}
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _import(name: str, data: bytes) -> None:
    """What the import page does with an upload, minus the database."""
    handle = io.BytesIO(data)
    started = time.perf_counter()
    try:
        if name.endswith(".xlsx"):
            check_xlsx(handle)
        table = read_table(name, handle)
        rows = list(table.rows)
        for kind in KINDS:
            mapping = suggest_mapping(table.headers, kind)
            for _ in clean_rows(iter(rows), table.headers, mapping, kind):
                pass
    except FileProblem:
        pass
    CASES["count"] += 1
    CASES["slowest"] = max(CASES["slowest"], time.perf_counter() - started)
    assert time.perf_counter() - started < 5


def _mutate(data: bytes, edits: list[tuple[int, int]]) -> bytes:
    buffer = bytearray(data)
    for position, value in edits:
        buffer[position % len(buffer)] = value
    return bytes(buffer)


HEADER = "Nombre,Apellidos,Sexo,Profesión,Institución,Estado,Correo,Teléfono\n"


def test_a_zip_header_naming_a_version_zipfile_cannot_read_is_a_file_problem():
    """Found by test_damaged_xlsx in CI: one byte of a central-directory entry's "version
    needed to extract" set to 6.4 made zipfile raise NotImplementedError, not BadZipFile."""
    entry = VALID_XLSFORM.index(b"PK\x01\x02")
    damaged = _mutate(VALID_XLSFORM, [(entry + 6, 64)])
    with pytest.raises(FileProblem):
        check_xlsx(io.BytesIO(damaged))
    _import("people.xlsx", damaged)


@FUZZ
@given(st.binary(max_size=2000))
def test_random_bytes_as_csv(data):
    _import("people.csv", data)


@FUZZ
@given(
    st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=10), min_size=0, max_size=30),
    st.sampled_from([",", ";", "\t", "|"]),
)
def test_random_cells_under_a_real_header(rows, delimiter):
    body = "\n".join(delimiter.join(row) for row in rows)
    _import("people.csv", (HEADER.replace(",", delimiter) + body).encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=3000))
def test_random_bytes_as_xlsx(data):
    _import("people.xlsx", data)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8))
def test_damaged_xlsx(edits):
    _import("people.xlsx", _mutate(VALID_XLSFORM, edits))


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=3000),
        st.builds(
            lambda e: _mutate(VALID_XLSFORM, e),
            st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=8),
        ),
    )
)
def test_xlsform_reader(data):
    try:
        read_xlsform(data)
    except XLSFormError:
        pass
    CASES["count"] += 1


@FUZZ
@given(st.binary(max_size=2000), st.sampled_from(["answers.csv", "answers.xlsx"]))
def test_kobo_answer_files(data, name):
    try:
        read_responses(name, data, instrument())
    except DataError:
        pass
    CASES["count"] += 1


def test_zz_record_the_fuzz_figures():
    record("fuzz", cases=CASES["count"], slowest_ms=round(CASES["slowest"] * 1000), errors=0)
    assert CASES["count"] >= 6 * 100
