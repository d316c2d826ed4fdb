from hypothesis import given
from hypothesis import strategies as st

from fortalece.people.matching import Record, compare

names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzáéíóúñ ", min_size=1, max_size=30)


@given(names, names, names, names)
def test_compare_is_symmetric(a, b, c, d):
    left, right = Record(a, b), Record(c, d)
    assert compare(left, right).score == compare(right, left).score


@given(names, names)
def test_identical_names_score_100_whatever_the_accents_and_case(given_names, family):
    a = Record(given_names, family)
    b = Record(given_names.upper().replace("á", "a").replace("é", "e"), family.upper())
    if any(ch.isalnum() for ch in given_names + family):
        assert compare(a, b).score == 100


def test_same_email_is_a_likely_duplicate_even_with_another_name():
    match = compare(
        Record("Ana", "López", email="A@x.org"), Record("Anita", "Perez", email="a@x.org ")
    )
    assert "same_email" in match.reasons and match.score >= 95


def test_different_people_do_not_match():
    assert compare(Record("Gerardo", "Duarte Arroyo"), Record("Alejandra", "Ruíz Ortiz")).score < 85
