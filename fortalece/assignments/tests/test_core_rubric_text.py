from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.assignments.core.rubric_text import (
    ParsedCriterion,
    ParsedLevel,
    RubricTextError,
    parse_rubric,
    rubric_to_text,
)

# A shared machine can be slow: no deadlines, no slow-generation health check.
LOADED = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_one_criterion_per_line_with_named_levels():
    text = """
    Identifica el riesgo | Excelente = 4 | Adecuado = 2,5 | Insuficiente = 0

    Canaliza a la víctima | Sí = 2 | No = 0
    """
    criteria = parse_rubric(text)
    assert [c.title for c in criteria] == ["Identifica el riesgo", "Canaliza a la víctima"]
    assert criteria[0].levels[1] == ParsedLevel("Adecuado", Decimal("2.50"))
    assert rubric_to_text(criteria).splitlines()[0] == (
        "Identifica el riesgo | Excelente = 4 | Adecuado = 2.5 | Insuficiente = 0"
    )


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("", 1),
        ("A | x = 1", 1),
        ("A | x = 1 | y = 0\n\nB | x | y = 1", 3),
        ("A | x = 1 | y = mucho", 1),
        ("A | x = -1 | y = 1", 1),
        ("A | x = 0 | y = 0", 1),
        ("| x = 1 | y = 0", 1),
        ("A | x = 1.555 | y = 0", 1),
        ("A | x = NaN | y = 0", 1),
        ("A | x = 1e9 | y = 0", 1),
    ],
)
def test_errors_name_the_line(text, line):
    with pytest.raises(RubricTextError) as caught:
        parse_rubric(text)
    assert caught.value.line == line


@LOADED
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_a_line_error(text):
    try:
        parse_rubric(text)
    except RubricTextError as error:
        assert error.line >= 1


names = (
    st.text(
        alphabet=st.characters(blacklist_characters="|=\r\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"),
        min_size=1,
        max_size=30,
    )
    .map(str.strip)
    .filter(bool)
)
points = st.decimals(min_value=0, max_value=1000, places=2)


@LOADED
@given(
    st.lists(
        st.tuples(names, st.lists(st.tuples(names, points), min_size=2, max_size=5)),
        min_size=1,
        max_size=8,
    )
)
def test_text_round_trips(rows):
    criteria = [
        ParsedCriterion(title, tuple(ParsedLevel(n, p) for n, p in levels))
        for title, levels in rows
        if max(p for _, p in levels) > 0
    ]
    if not criteria:
        return
    assert parse_rubric(rubric_to_text(criteria)) == criteria
