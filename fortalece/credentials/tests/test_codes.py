from hypothesis import given
from hypothesis import strategies as st

from fortalece.credentials import codes


@given(st.integers(0, 10_000))
def test_new_codes_are_canonical_and_survive_display_and_lower_case(_):
    code = codes.new_code()
    assert codes.normalise(code) == code
    assert codes.normalise(codes.display(code)) == code
    assert codes.normalise(codes.display(code).lower()) == code


@given(st.data())
def test_a_single_changed_character_is_caught(data):
    code = codes.new_code()
    position = data.draw(st.integers(0, len(code) - 2))
    replacement = data.draw(st.sampled_from([c for c in codes.ALPHABET if c != code[position]]))
    typo = code[:position] + replacement + code[position + 1 :]
    assert codes.normalise(typo) is None


@given(st.text(max_size=40))
def test_normalise_never_crashes_on_anything_typed(text):
    result = codes.normalise(text)
    assert result is None or len(result) == 13


def test_confusable_letters_are_read_as_digits():
    code = codes.new_code()
    spoken = code.replace("1", "I").replace("0", "O")
    assert codes.normalise(spoken) == code
