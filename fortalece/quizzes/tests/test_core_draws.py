"""Random draws per category and shuffles, reproducible from the attempt's seed alone."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fortalece.quizzes.core.draws import (
    DrawError,
    Rule,
    draw,
    matching_layout,
    option_order,
    ordering_display,
)
from fortalece.quizzes.core.questions import Choice, Pair, QType, Question

POOL = {"a": list(range(10)), "b": list(range(10, 30)), "c": [30, 31]}
RULES = [Rule("a", 3), Rule("b", 5), Rule("c", 0)]


def test_the_same_seed_draws_the_same_questions_in_the_same_order():
    assert draw(POOL, RULES, seed=42, shuffle=True) == draw(POOL, RULES, seed=42, shuffle=True)


def test_draws_take_the_asked_number_from_each_category():
    chosen = draw(POOL, RULES, seed=7, shuffle=False)
    assert len([q for q in chosen if q < 10]) == 3
    assert len([q for q in chosen if 10 <= q < 30]) == 5
    assert chosen[-2:] == [30, 31]  # count 0: all of the category, in order


def test_different_seeds_draw_differently():
    draws = {tuple(draw(POOL, RULES, seed=seed, shuffle=True)) for seed in range(20)}
    assert len(draws) > 15


def test_asking_more_than_a_category_holds_is_an_error():
    with pytest.raises(DrawError) as error:
        draw(POOL, [Rule("c", 3)], seed=1, shuffle=False)
    assert error.value.params == {"wanted": 3, "category": "c", "available": 2}


def test_a_question_is_never_drawn_twice():
    pool = {"a": [1, 2, 3], "b": [2, 3, 4]}
    chosen = draw(pool, [Rule("a", 0), Rule("b", 1)], seed=3, shuffle=True)
    assert sorted(chosen) == [1, 2, 3, 4]


@given(seed=st.integers(), counts=st.lists(st.integers(0, 10), min_size=1, max_size=3))
def test_draws_are_reproducible_and_without_repeats(seed, counts):
    rules = [Rule(name, count) for name, count in zip("abc", counts, strict=False)]
    rules = [r for r in rules if r.count <= len(POOL[r.category])]
    first = draw(POOL, rules, seed=seed, shuffle=True)
    assert first == draw(POOL, rules, seed=seed, shuffle=True)
    assert len(first) == len(set(first))


def test_option_order_is_a_seeded_permutation():
    question = Question(QType.SINGLE, "x", choices=tuple(Choice(str(i), 0) for i in range(6)))
    order = option_order(question, seed=5, key=1, shuffle=True)
    assert sorted(order) == list(range(6))
    assert order == option_order(question, seed=5, key=1, shuffle=True)
    assert option_order(question, seed=5, key=1, shuffle=False) == list(range(6))
    assert {tuple(option_order(question, seed=s, key=1, shuffle=True)) for s in range(10)} != {
        tuple(order)
    }


@given(seed=st.integers(), size=st.integers(2, 8))
def test_ordering_items_are_never_shown_in_the_right_order(seed, size):
    question = Question(QType.ORDERING, "x", items=tuple(str(i) for i in range(size)))
    shown = ordering_display(question, seed=seed, key="q")
    assert sorted(shown) == list(range(size))
    assert shown != list(range(size))


def test_matching_layout_lists_distinct_answers_including_distractors():
    question = Question(
        QType.MATCHING, "x", pairs=(Pair("a", "1"), Pair("b", "2"), Pair("c", "1"), Pair("", "9"))
    )
    lefts, rights = matching_layout(question, seed=11, key=3)
    assert sorted(lefts) == [0, 1, 2]
    assert sorted(rights) == ["1", "2", "9"]
    assert (lefts, rights) == matching_layout(question, seed=11, key=3)
