import io

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from fortalece.imports.core.reader import column_letter, detect_delimiter, read_csv, read_table
from fortalece.imports.core.schema import suggest_mapping
from fortalece.imports.core.validate import CleanRow, RowError, clean_rows
from fortalece.imports.core.vocab import SEX, lookup

HEADERS = ["Nombre(s)", "Apellidos", "Sexo", "Profesión", "Institución", "Correo"]


def test_spanish_headers_are_mapped_automatically():
    assert suggest_mapping(HEADERS, "people") == {
        "given_names": 0,
        "family_names": 1,
        "sex": 2,
        "profession": 3,
        "institution": 4,
        "email": 5,
    }


@given(
    st.sampled_from([",", ";", "\t"]),
    st.lists(st.text(alphabet="abcxyz", min_size=1, max_size=6), min_size=2, max_size=6),
)
def test_delimiter_detection_round_trips(delimiter, cells):
    text = delimiter.join(cells) + "\n" + delimiter.join(cells)
    assert detect_delimiter(text) == delimiter
    table = read_csv(text.encode())
    assert table.headers == cells


def test_latin1_files_with_semicolons_are_read():
    raw = "Nombre;Apellidos\nJosé;Núñez\n".encode("latin-1")
    table = read_csv(raw)
    assert list(table.rows) == [["José", "Núñez"]]


@given(st.sampled_from(sorted(SEX)))
def test_every_sex_word_is_understood_in_any_case(word):
    assert lookup(SEX, word.upper()) == SEX[word]


def test_errors_name_the_row_and_column_and_blank_rows_are_skipped():
    rows = [
        ["Ana", "López", "F", "Policía", "SSP", "ana@example.org"],
        ["", "", "", "", "", ""],
        ["Luis", "", "Q", "Astronauta", "SSP", "not-an-email"],
    ]
    items = list(clean_rows(iter(rows), HEADERS, suggest_mapping(HEADERS, "people"), "people"))
    assert isinstance(items[0], CleanRow)
    errors = [i for i in items if isinstance(i, RowError)]
    assert {(e.row, e.column.split()[0]) for e in errors} == {
        (4, "B"),
        (4, "C"),
        (4, "D"),
        (4, "F"),
    }


@given(st.lists(st.lists(st.text(max_size=5), min_size=6, max_size=6), max_size=20))
def test_errors_always_point_at_an_existing_row_and_column(rows):
    mapping = suggest_mapping(HEADERS, "people")
    for item in clean_rows(iter(rows), HEADERS, mapping, "people"):
        if isinstance(item, RowError):
            assert 2 <= item.row <= len(rows) + 1
            assert item.column.split()[0] in {column_letter(i) for i in range(len(HEADERS))}


def test_xlsx_dates_and_numbers_are_read_as_typed():
    import datetime

    book = Workbook()
    sheet = book.active
    sheet.append(["Nombre", "Fecha", "Teléfono"])
    excel_date = datetime.datetime(2021, 11, 22)  # noqa: DTZ001 - Excel cells have no time zone
    sheet.append(["Ana", excel_date, 4431234567])
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    table = read_table("lista.xlsx", buffer)
    assert list(table.rows) == [["Ana", "2021-11-22", "4431234567"]]


def test_column_letters():
    assert [column_letter(i) for i in (0, 25, 26, 27)] == ["A", "Z", "AA", "AB"]


@given(
    st.lists(
        st.lists(st.text(alphabet='aé,"\r\n ;x', max_size=6), min_size=1, max_size=4),
        min_size=1,
        max_size=8,
    ),
    st.sampled_from(["\r\n", "\n", "\r"]),
    st.integers(min_value=1, max_value=9),
    st.sampled_from(["utf-8-sig", "utf-8", "cp1252"]),
)
def test_reading_block_by_block_gives_the_rows_reading_it_whole_gives(
    rows, line_end, block, encoding
):
    """Whatever the line ends, quoting, encoding and where the blocks cut the file (a CR LF
    or an accented letter split in two): the same rows as the csv module over the whole
    decoded text."""
    import csv

    from fortalece.imports.core import reader

    out = io.StringIO()
    csv.writer(out, lineterminator=line_end).writerows([["Nombre", "Apellidos"], *rows])
    raw = out.getvalue().encode(encoding)
    text = raw.decode("utf-8-sig" if encoding.startswith("utf-8") else encoding)
    expected = [[c.strip() for c in row] for row in csv.reader(io.StringIO(text, newline=""))][1:]
    original = reader.BLOCK
    reader.BLOCK = block
    try:
        table = read_csv(raw)
        assert table.headers == ["Nombre", "Apellidos"]
        assert list(table.rows) == expected
    finally:
        reader.BLOCK = original


def test_a_large_csv_is_read_in_bounded_memory():
    """A 20 MB upload is read a block at a time: memory stays a few MB (it was four times
    the file's size)."""
    import tempfile
    import tracemalloc

    from fortalece.imports.core.reader import read_table

    line = "José,Núñez Pérez,F,Policía,Secretaría de Seguridad,ana@example.org\n".encode()
    with tempfile.TemporaryFile() as handle:
        handle.write(",".join(HEADERS).encode() + b"\n")
        for _ in range(20):
            handle.write(line * (1_000_000 // len(line)))
        size = handle.tell()
        handle.seek(0)
        tracemalloc.start()
        try:
            table = read_table("lista.csv", handle)
            count = sum(1 for _ in table.rows)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert count > 250_000 and size > 19_000_000
    assert peak < 8 * 1024 * 1024, peak


@given(st.text(max_size=12), st.text(max_size=12), st.text(max_size=12))
def test_normalising_the_parts_gives_what_normalising_the_whole_gives(given_, family, place):
    """The import's keys are built from normalised parts (each normalised once)."""
    from fortalece.imports.services import _joined
    from fortalece.people.names import family_key, normalise

    assert _joined(given_, family, place) == normalise(f"{given_} {family} {place}")
    family = " ".join(family.split())
    assert _joined(family).split(" ", 1)[0] == family_key(family)
