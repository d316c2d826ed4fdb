"""Scoring of every question type, partial credit included (pure, no database)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fortalece.quizzes.core.questions import (
    Choice,
    NumericAnswer,
    Pair,
    QType,
    Question,
    validate,
)
from fortalece.quizzes.core.scoring import (
    normalise,
    parse_number,
    score,
    short_answer_matches,
    total_percent,
)

SINGLE = Question(
    QType.SINGLE,
    "¿Qué se hace primero?",
    choices=(
        Choice("Pedir pruebas", 0, "No: primero la seguridad."),
        Choice("Garantizar la seguridad", 100, "Correcto."),
        Choice("Llamar a la familia", 25),
        Choice("Culpar a la víctima", -50),
    ),
)
MULTIPLE = Question(
    QType.MULTIPLE,
    "¿Cuáles son medidas de protección?",
    choices=(
        Choice("Orden de alejamiento", 50, "Sí."),
        Choice("Rondines de vigilancia", 50),
        Choice("Mediación obligatoria", -100, "Prohibida."),
        Choice("Nada", 0),
    ),
)
TRUE_FALSE = Question(
    QType.TRUE_FALSE,
    "La violencia es privada.",
    correct=False,
    feedback_true="No.",
    feedback_false="Bien.",
)
SHORT = Question(
    QType.SHORT,
    "Capital",
    choices=(
        Choice("Ciudad de México", 100, "Sí"),
        Choice("CDMX", 100),
        Choice("Mexico", 50, "Casi"),
        Choice("Tol*", 25),
    ),
    wrong_feedback="No.",
)
NUMERIC = Question(
    QType.NUMERIC,
    "Días",
    numbers=(
        NumericAnswer(3.5, 0.5, feedback="Bien"),
        NumericAnswer(1, 0, 5, weight=50, feedback="Dentro del rango"),
    ),
    wrong_feedback="Fuera.",
)
MATCHING = Question(
    QType.MATCHING,
    "Relaciona",
    pairs=(Pair("911", "Emergencias"), Pair("089", "Denuncia anónima"), Pair("", "Distractor")),
)
ORDERING = Question(
    QType.ORDERING, "Ordena", items=("Escuchar", "Proteger", "Canalizar", "Dar seguimiento")
)
ALL = [SINGLE, MULTIPLE, TRUE_FALSE, SHORT, NUMERIC, MATCHING, ORDERING]


def test_every_example_question_is_valid():
    for question in ALL:
        assert validate(question) == [], question.qtype


@pytest.mark.parametrize(
    ("response", "fraction", "state"),
    [
        (1, 1.0, "correct"),
        (0, 0.0, "wrong"),
        (2, 0.25, "partial"),
        (3, 0.0, "wrong"),
        (None, 0.0, "blank"),
        (9, 0.0, "blank"),
        (True, 0.0, "blank"),
    ],
)
def test_single_choice_scores_the_chosen_weight_floored_at_zero(response, fraction, state):
    marked = score(SINGLE, response)
    assert marked.fraction == fraction
    assert marked.state == state


def test_single_choice_returns_the_chosen_options_feedback():
    assert score(SINGLE, 0).feedback == ("No: primero la seguridad.",)


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ({0, 1}, 1.0),
        ({0}, 0.5),
        ({0, 1, 2}, 0.0),
        ({0, 2}, 0.0),
        ({0, 1, 3}, 1.0),
        ({3}, 0.0),
        ([1, 1, 1], 0.5),
        (set(), 0.0),
    ],
)
def test_multiple_choice_sums_weights_with_negative_weights_and_a_floor(response, fraction):
    assert score(MULTIPLE, response).fraction == fraction


def test_multiple_choice_never_goes_above_full_marks():
    generous = Question(
        QType.MULTIPLE, "x", choices=(Choice("a", 100), Choice("b", 0), Choice("c", 0))
    )
    assert score(generous, {0, 1, 2}).fraction == 1.0


def test_multiple_choice_feedback_for_each_ticked_option():
    assert score(MULTIPLE, {0, 2}).feedback == ("Sí.", "Prohibida.")


def test_true_false_is_all_or_nothing_with_feedback_for_the_chosen_side():
    assert score(TRUE_FALSE, False).fraction == 1.0
    assert score(TRUE_FALSE, False).feedback == ("Bien.",)
    assert score(TRUE_FALSE, True).fraction == 0.0
    assert score(TRUE_FALSE, True).feedback == ("No.",)
    assert score(TRUE_FALSE, "False").state == "blank"


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("ciudad de mexico", 1.0),
        ("  CIUDAD   DE  MÉXICO ", 1.0),
        ("cdmx", 1.0),
        ("México", 0.5),
        ("Toluca", 0.25),
        ("tolú", 0.25),
        ("Monterrey", 0.0),
    ],
)
def test_short_answer_ignores_case_accents_and_spaces(response, fraction):
    assert score(SHORT, response).fraction == fraction


def test_short_answer_takes_the_best_matching_answer_and_its_feedback():
    best = Question(QType.SHORT, "x", choices=(Choice("a*", 50, "half"), Choice("ab", 100, "full")))
    assert score(best, "AB").fraction == 1.0
    assert score(best, "AB").feedback == ("full",)
    assert score(best, "ax").feedback == ("half",)
    assert score(SHORT, "nada").feedback == ("No.",)
    assert score(SHORT, "   ").state == "blank"


def test_short_answer_wildcard_matches_any_text_only_where_written():
    assert short_answer_matches("vio*cia", "violencia")
    assert not short_answer_matches("vio*cia", "violencias")
    assert short_answer_matches("a.b", "A.B")
    assert not short_answer_matches("a.b", "axb")  # a dot is a dot, not a regex


@pytest.mark.parametrize(
    ("response", "fraction"),
    [
        ("3.5", 1.0),
        ("3,9", 1.0),
        ("4", 1.0),
        ("3", 1.0),
        ("4.01", 0.5),
        ("1", 0.5),
        ("5", 0.5),
        ("5.5", 0.0),
        ("tres", 0.0),
        ("", 0.0),
        (" -1e0 ", 0.0),
    ],
)
def test_numeric_tolerance_and_ranges(response, fraction):
    assert score(NUMERIC, response).fraction == fraction


def test_numeric_feedback_and_unreadable_numbers():
    assert score(NUMERIC, "3.6").feedback == ("Bien",)
    assert score(NUMERIC, "4.5").feedback == ("Dentro del rango",)
    assert score(NUMERIC, "abc").feedback == ("Fuera.",)
    assert score(NUMERIC, "abc").state == "wrong"
    assert parse_number("1.000.000") is None
    assert parse_number("2,5") == 2.5


def test_matching_gives_credit_per_pair():
    assert score(MATCHING, {0: "Emergencias", 1: "Denuncia anónima"}).fraction == 1.0
    assert score(MATCHING, {0: "Emergencias", 1: "Distractor"}).fraction == 0.5
    assert score(MATCHING, {0: "Emergencias"}).fraction == 0.5
    assert score(MATCHING, {2: "Distractor"}).state == "blank"
    assert score(MATCHING, {}).state == "blank"
    assert score(MATCHING, ["Emergencias"]).state == "blank"


def test_ordering_gives_credit_per_item_in_its_place():
    assert score(ORDERING, [0, 1, 2, 3]).fraction == 1.0
    assert score(ORDERING, [1, 0, 2, 3]).fraction == 0.5
    assert score(ORDERING, [3, 2, 1, 0]).fraction == 0.0
    assert score(ORDERING, [0, 0, 1, 2]).fraction == 0.0  # not a permutation
    assert score(ORDERING, [0, 1, 2]).fraction == 0.0
    assert score(ORDERING, []).state == "blank"
    assert score(ORDERING, "0123").state == "blank"


def test_total_is_the_mark_weighted_mean():
    assert total_percent([1.0, 0.5, 0.0]) == 50.0
    assert total_percent([1.0, 0.0], [3, 1]) == 75.0
    assert total_percent([]) == 0.0


def test_normalise_folds_accents_and_case():
    assert normalise("  Ñandú  ÁRBOL ") == "nandu arbol"


def test_validation_catches_what_cannot_be_scored():
    assert validate(Question(QType.SINGLE, "x", choices=(Choice("a", 50), Choice("b", 0))))
    assert validate(Question(QType.MULTIPLE, "x", choices=(Choice("a", 50), Choice("b", 0))))
    thirds = tuple(Choice(str(i), 33.333) for i in range(3))
    assert validate(Question(QType.MULTIPLE, "x", choices=thirds)) == []
    assert validate(Question(QType.TRUE_FALSE, "x"))
    assert validate(Question(QType.SHORT, "x", choices=(Choice("a", 50),)))
    assert validate(Question(QType.NUMERIC, "x", numbers=(NumericAnswer(1, -1),)))
    assert validate(Question(QType.NUMERIC, "x", numbers=(NumericAnswer(5, 0, 1),)))
    assert validate(Question(QType.MATCHING, "x", pairs=(Pair("a", "b"),)))
    assert validate(Question(QType.ORDERING, "x", items=("a", "a")))
    assert validate(Question(QType.SINGLE, " ", choices=SINGLE.choices))


def test_json_shape_round_trips_every_type():
    for question in ALL:
        assert Question.from_dict(question.to_dict()) == question


ANY_RESPONSE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text() | st.floats(),
    lambda children: (
        st.lists(children)
        | st.dictionaries(st.integers() | st.text(), children)
        | st.frozensets(st.integers())
    ),
    max_leaves=10,
)


@given(response=ANY_RESPONSE)
def test_any_response_scores_between_zero_and_one_without_raising(response):
    for question in ALL:
        marked = score(question, response)
        assert 0.0 <= marked.fraction <= 1.0
