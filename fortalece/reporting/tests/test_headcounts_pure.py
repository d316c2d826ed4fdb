"""Reading headcount files (pure): every problem named by row and column, nothing guessed."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from fortalece.reporting import headcounts

INSTITUTIONS = {"ssp michoacan": 7, "7": 7, "fiscalia": None, "12": 12}
PROFESSIONS = {"police": "police", "policia": "police", "911": "emergency_operator"}
SEXES = {"female": "female", "mujer": "female", "hombre": "male", "male": "male"}
HEADERS = ["Institución", "Fecha", "Profesión", "Sexo", "Personas"]


def parse(rows, headers=HEADERS):
    return headcounts.parse(
        headers, iter(rows), institutions=INSTITUTIONS, professions=PROFESSIONS, sexes=SEXES
    )


def test_a_spanish_file_is_read_with_names_numbers_and_both_date_styles():
    lines, problems = parse(
        [
            ["SSP Michoacán", "31/03/2026", "Policía", "Mujer", "1,250"],
            ["12", "2026-03-31", "911", "hombre", "40"],
        ]
    )
    assert problems == []
    assert lines == [
        headcounts.Line(2, 7, datetime.date(2026, 3, 31), "police", "female", 1250),
        headcounts.Line(3, 12, datetime.date(2026, 3, 31), "emergency_operator", "male", 40),
    ]


def test_every_bad_cell_is_reported_with_its_row_and_column():
    lines, problems = parse(
        [
            ["Fiscalía", "31/02/2026", "astronaut", "x?", "-3"],
            ["Nowhere", "2026-03-31", "police", "female", "10"],
            ["7", "2026-03-31", "police", "female", "10"],
            ["ssp michoacan", "2026-03-31", "policia", "mujer", "11"],
        ]
    )
    assert lines[:1] and [(p.row, p.column) for p in problems] == [
        (2, "A"),
        (2, "B"),
        (2, "C"),
        (2, "D"),
        (2, "E"),
        (3, "A"),
        (5, ""),
    ]
    assert "use its number" in problems[0].text()
    assert problems[-1].text() == "The same institution, date, profession and sex as row 4."


def test_unknown_and_missing_columns_stop_the_file_before_any_row():
    lines, problems = parse([["x"]], headers=["Institución", "Fecha", "Color", "Sexo"])
    assert lines == []
    texts = [p.text() for p in problems]
    assert "Unknown column “Color”." in texts
    assert "The column “profession” is missing." in texts
    assert "The column “people” is missing." in texts


def test_too_many_rows_is_a_problem_not_a_truncation():
    row = ["7", "2026-03-31", "police", "female", "1"]
    _lines, problems = headcounts.parse(
        HEADERS,
        iter([row] * 3),
        institutions=INSTITUTIONS,
        professions=PROFESSIONS,
        sexes=SEXES,
        max_rows=2,
    )
    assert any("More than 2 rows" in p.text() for p in problems)


@given(st.lists(st.lists(st.text(max_size=12), min_size=0, max_size=7), max_size=20))
def test_any_cells_give_lines_or_problems_never_an_exception(rows):
    lines, problems = parse(rows)
    assert all(line.count >= 0 for line in lines)
    non_empty = [r for r in rows if any(c.strip() for c in r[:5])]
    assert len(lines) + len({p.row for p in problems}) >= len(non_empty) or problems
