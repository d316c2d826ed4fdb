"""``query_int``: numbers from query strings, pure, never an exception."""

from hypothesis import given
from hypothesis import strategies as st

from fortalece.core.query import MAX_ID, query_int, query_ints


def test_plain_digits_are_read_and_everything_else_is_none():
    assert query_int("42") == 42
    assert query_int(" 7 ") == 7
    assert query_int("0") == 0
    for odd in ("²", "٣", "1.5", "-1", "+1", "1e3", "", " ", "12a", "0x1f", None, [], True):
        assert query_int(odd) is None, odd


def test_numbers_beyond_a_database_id_are_none():
    assert query_int(str(MAX_ID)) == MAX_ID
    assert query_int(str(MAX_ID + 1)) is None
    assert query_int("9" * 30) is None
    assert query_int("2100", maximum=2100) == 2100
    assert query_int("2101", maximum=2100) is None


def test_repeated_parameters_keep_the_valid_ones_up_to_a_limit():
    assert query_ints(["1", "²", "3", "x"]) == [1, 3]
    assert query_ints([str(i) for i in range(100)], limit=5) == [0, 1, 2, 3, 4]


@given(st.text(max_size=40))
def test_any_text_gives_none_or_a_valid_id(text):
    value = query_int(text)
    assert value is None or (
        0 <= value <= MAX_ID and str(value) == text.strip().lstrip("0") or value == 0
    )


@given(st.integers(min_value=0, max_value=MAX_ID))
def test_every_id_round_trips(number):
    assert query_int(str(number)) == number
