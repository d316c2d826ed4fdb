import pytest
from hypothesis import given
from hypothesis import strategies as st

from fortalece.impact.core.instrument import Index, Instrument, InstrumentError, Item
from fortalece.impact.core.scoring import item_score, pomp, reverse, score_respondent

likert = st.integers(1, 5)


@given(likert)
def test_reverse_scoring_twice_is_identity(value):
    assert reverse(reverse(value, 1, 5), 1, 5) == value


@given(st.floats(1, 5))
def test_pomp_is_within_0_and_100(value):
    assert 0 <= pomp(value, 1, 5) <= 100


@given(likert, likert)
def test_pomp_is_monotonic_and_reverse_flips_it(a, b):
    plain, flipped = Item("q"), Item("q", reverse=True)
    if a <= b:
        assert item_score(plain, a) <= item_score(plain, b)
        assert item_score(flipped, a) >= item_score(flipped, b)


@given(st.lists(likert, min_size=4, max_size=4), st.permutations(range(4)))
def test_index_score_does_not_depend_on_item_order(values, order):
    items = [Item(f"q{i}", indices=("a",)) for i in range(4)]
    instrument = Instrument("t", "1", items=items, indices=[Index("a")])
    shuffled = Instrument("t", "1", items=[items[i] for i in order], indices=[Index("a")])
    answers = {f"q{i}": v for i, v in enumerate(values)}
    assert score_respondent(instrument, answers)["a"] == pytest.approx(
        score_respondent(shuffled, answers)["a"]
    )


def _instrument():
    return Instrument(
        "Police skills",
        "2020-1",
        items=[
            Item("comm1", indices=("comm",)),
            Item("comm2", indices=("comm",)),
            Item("blame", indices=("aware",), reverse=True, missing_codes=("98",)),
            Item("alcohol", indices=("aware",), reverse=True),
            Item("referral", kind="knowledge", correct="cjm", indices=("aware",)),
            Item("age", kind="background"),
        ],
        indices=[
            Index("comm"),
            Index("aware", min_share=0.6),
            Index("all", components=("comm", "aware")),
        ],
    )


def test_scores_reverse_items_knowledge_missing_codes_and_the_aggregate():
    instrument = _instrument()
    instrument.validate()
    scores = score_respondent(
        instrument,
        {"comm1": 5, "comm2": 4, "blame": 1, "alcohol": "98", "referral": "cjm", "age": 40},
    )
    assert scores["comm"] == pytest.approx(87.5)
    # blame: reversed 1 -> 5 -> 100; alcohol 98 is out of range -> missing; referral right -> 100
    assert scores["aware"] == pytest.approx(100.0)
    assert scores["all"] == pytest.approx((87.5 + 100) / 2)


def test_too_few_answers_make_the_index_missing():
    scores = score_respondent(_instrument(), {"comm1": 5, "comm2": 4, "blame": "98"})
    assert scores["aware"] is None
    assert scores["all"] is None


def test_aggregate_is_not_the_sum_of_percentages():
    scores = score_respondent(
        _instrument(), {"comm1": 3, "comm2": 3, "blame": 3, "alcohol": 3, "referral": "x"}
    )
    assert scores["all"] != scores["comm"] + scores["aware"]


def test_inconsistent_instruments_are_refused_with_the_item_named():
    with pytest.raises(InstrumentError, match="q1"):
        Instrument("t", "1", items=[Item("q1", indices=("nope",))], indices=[Index("a")]).validate()
    with pytest.raises(InstrumentError, match="correct"):
        Instrument(
            "t", "1", items=[Item("k", kind="knowledge", indices=("a",))], indices=[Index("a")]
        ).validate()
