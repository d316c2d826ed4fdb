"""Moodle GIFT and Aiken: reading real-world files, line-numbered errors, round trips for every
type, and Hypothesis proof that no text makes a reader raise anything but FormatError."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.quizzes.core.aiken import read_aiken, write_aiken
from fortalece.quizzes.core.errors import FormatError
from fortalece.quizzes.core.gift import escape, read_gift, write_gift
from fortalece.quizzes.core.questions import (
    Choice,
    NumericAnswer,
    Pair,
    QType,
    Question,
    validate,
)

EXAMPLE = r"""// Banco de preguntas de ejemplo
$CATEGORY: $course$/top/Primer contacto

::Seguridad::¿Qué es lo primero en la atención?{
  ~Pedir pruebas#No: la seguridad va primero.
  =Garantizar la seguridad de la víctima#Correcto.
  ~%25%Tomar datos generales
  ####La seguridad de la víctima es la prioridad.
}

::Privada::La violencia familiar es un asunto privado.{F#No: es un delito.#Bien.}

La orden de protección es {~opcional =urgente ~innecesaria} en riesgo alto.

::Plazo::¿Cuántas horas dura una orden de emergencia?{#72:0}

::Rango::Un número entre 1 y 5 {#1..5}

::Varias:: Medidas de protección {
  ~%50%Alejamiento
  ~%50%Vigilancia
  ~%-100%Mediación
}

::Relaciona:: Relaciona cada número con su servicio {
  =911 -> Emergencias
  =089 -> Denuncia anónima
}

::Ley:: Nombre corto de la ley general de acceso {=LGAMVLV =Ley General de Acceso}

$CATEGORY: Marco legal

::Multilínea::
Pregunta escrita
en varias líneas {
  =sí
  ~no
}

::Escapes:: ¿Cuál es la razón 1\:2 en \{llaves\}?{=uno\:dos ~tres\#cuatro}
"""


def test_reads_every_gift_construct():
    questions = read_gift(EXAMPLE)
    assert [q.qtype for q in questions] == [
        QType.SINGLE,
        QType.TRUE_FALSE,
        QType.SINGLE,
        QType.NUMERIC,
        QType.NUMERIC,
        QType.MULTIPLE,
        QType.MATCHING,
        QType.SHORT,
        QType.SINGLE,
        QType.SINGLE,
    ]
    first = questions[0]
    assert first.title == "Seguridad"
    assert first.category == "Primer contacto"
    assert first.general_feedback == "La seguridad de la víctima es la prioridad."
    assert [c.weight for c in first.choices] == [0, 100, 25]
    assert first.choices[0].feedback == "No: la seguridad va primero."
    tf = questions[1]
    assert tf.correct is False
    assert (tf.feedback_true, tf.feedback_false) == ("No: es un delito.", "Bien.")
    assert questions[2].text == "La orden de protección es _____ en riesgo alto."
    assert questions[3].numbers == (NumericAnswer(72, 0),)
    assert questions[4].numbers == (NumericAnswer(1, 0, 5),)
    assert [c.weight for c in questions[5].choices] == [50, 50, -100]
    assert questions[6].pairs == (Pair("911", "Emergencias"), Pair("089", "Denuncia anónima"))
    assert [c.text for c in questions[7].choices] == ["LGAMVLV", "Ley General de Acceso"]
    assert questions[8].category == "Marco legal"
    assert questions[8].text == "Pregunta escrita\nen varias líneas"
    assert questions[9].text == "¿Cuál es la razón 1:2 en {llaves}?"
    assert [c.text for c in questions[9].choices] == ["uno:dos", "tres#cuatro"]


def test_reads_moodle_html_exports_as_plain_text():
    (question,) = read_gift("::q::[html]<p>¿Es <b>seguro</b> &amp; rápido?</p>{T}")
    assert question.text == "¿Es seguro & rápido?"


def test_numeric_with_several_weighted_answers_and_other_feedback():
    (question,) = read_gift("::n:: Año {#\n=1917:0#Exacto\n=%50%1917:2#Cerca\n~#Lejos\n}")
    assert question.numbers == (
        NumericAnswer(1917, 0, None, 100, "Exacto"),
        NumericAnswer(1917, 2, None, 50, "Cerca"),
    )
    assert question.wrong_feedback == "Lejos"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("::a::x{=a ~b}\n\n::b:: sin respuestas", 3, "no answers"),
        ("\n\n::a:: x {=a ~b", 3, "no matching }"),
        ("::a:: x {}", 1, "Essay"),
        ("::a:: x {=a} y {=b}", 1, "only one answer block"),
        ("::a x {=a}", 1, "not closed"),
        ("q {\n=a\n~%abc%b\n}", 3, "weight"),
        ("q {\n=a\n~%150%b\n}", 3, "between -100"),
        ("q {#abc}", 1, "not a numeric answer"),
        ("q {#1..x}", 1, "not a numeric answer"),
        ("q {\n=a -> b\n=c\n}", 3, "->"),
        ("q {texto =a ~b}", 1, "comes before"),
        ("q {~a ~b}", 1, "add up to 100"),
        ("q {=a}\n\nr {~a}", 3, "two options"),
        ("q {T#a#b#c}", 1, "at most two"),
        ("q {#=1 ~#a ~#b}", 1, "only one ~"),
    ],
)
def test_gift_errors_name_the_line(text, line, fragment):
    with pytest.raises(FormatError) as error:
        read_gift(text)
    found = error.value.errors[0]
    assert found.line == line
    assert fragment in found.render()


def test_gift_reports_every_bad_question_not_just_the_first():
    with pytest.raises(FormatError) as error:
        read_gift("a {}\n\nb {=x}\n\nc {}\n")
    assert [e.line for e in error.value.errors] == [1, 5]


AIKEN = """¿Qué ley protege a las mujeres?
A. Ley de Tránsito
B) Ley General de Acceso
C. Ley de Aguas
ANSWER: B

Pregunta en
dos líneas
A. Sí
B. No
ANSWER: A
"""


def test_reads_aiken():
    first, second = read_aiken(AIKEN)
    assert first.qtype == QType.SINGLE
    assert [c.weight for c in first.choices] == [0, 100, 0]
    assert first.choices[1].text == "Ley General de Acceso"
    assert second.text == "Pregunta en\ndos líneas"


@pytest.mark.parametrize(
    ("text", "line", "fragment"),
    [
        ("A. x\nB. y\nANSWER: A", 1, "before any question"),
        ("Q\nA. x\nB. y\nANSWER: C", 4, "one of the options"),
        ("Q\nA. x\nB. y\n", 1, "no ANSWER"),
        ("Q\nA. x\nA. y\nANSWER: A", 3, "twice"),
        ("Q\nA. x\nB. y\nmás texto\nANSWER: A", 4, "Expected another option"),
        ("Q\nA. x\nANSWER: A", 1, "two options"),
        ("ANSWER: A", 1, "before the question"),
        ("Q\nANSWER: A", 2, "before the question"),
    ],
)
def test_aiken_errors_name_the_line(text, line, fragment):
    with pytest.raises(FormatError) as error:
        read_aiken(text)
    assert error.value.errors[0].line == line
    assert fragment in error.value.errors[0].render()


# Round trips


def texts(min_size=1):
    alphabet = st.characters(
        blacklist_categories=("Cs",), blacklist_characters="\r\x1c\x1d\x1e\x85\u2028\u2029\x0b\x0c"
    )
    return (
        st.text(alphabet=alphabet, min_size=min_size, max_size=30)
        .map(lambda s: s.strip().translate({c: None for c in range(0xE000, 0xE008)}))
        .filter(lambda s: len(s) >= min_size and "\n\n" not in s)
    )


def one_line(min_size=1):
    return texts(min_size).map(lambda s: " ".join(s.split())).filter(lambda s: len(s) >= min_size)


weights = st.integers(-100, 100).map(float) | st.sampled_from([33.333, -12.5, 0.5])


@st.composite
def questions(draw):
    qtype = draw(st.sampled_from([t for t in QType if t != QType.ORDERING]))
    base = {
        "text": draw(texts()),
        "title": draw(texts(0)),
        "category": draw(texts(0)),
        "general_feedback": draw(texts(0)),
    }
    if qtype == QType.SINGLE:
        others = draw(
            st.lists(
                st.tuples(texts(), st.integers(-100, 99).map(float), texts(0)),
                min_size=1,
                max_size=4,
            )
        )
        right = (draw(texts()), 100.0, draw(texts(0)))
        choices = [right, *others]
        return Question(qtype, choices=tuple(Choice(*c) for c in choices), **base)
    if qtype == QType.MULTIPLE:
        n = draw(st.integers(1, 4))
        positives = [100.0 / n] * n
        negatives = draw(st.lists(st.integers(-100, 0).map(float), max_size=3))
        ws = positives + negatives
        if len(ws) < 2:
            ws.append(0.0)
        choices = [Choice(draw(texts()), w, draw(texts(0))) for w in ws]
        return Question(qtype, choices=tuple(choices), **base)
    if qtype == QType.TRUE_FALSE:
        return Question(
            qtype,
            correct=draw(st.booleans()),
            feedback_true=draw(texts(0)),
            feedback_false=draw(texts(0)),
            **base,
        )
    if qtype == QType.SHORT:
        answer = texts().filter(lambda s: "->" not in s)
        feedback = texts(0).filter(lambda s: "->" not in s)
        others = draw(st.lists(st.tuples(answer, weights, feedback), max_size=3))
        choices = [(draw(answer), 100.0, draw(feedback)), *others]
        return Question(qtype, choices=tuple(Choice(*c) for c in choices), **base)
    if qtype == QType.NUMERIC:
        finite = st.floats(-1e9, 1e9, allow_nan=False) | st.integers(-1000, 1000).map(float)
        numbers = []
        for _ in range(draw(st.integers(1, 3))):
            value = draw(finite)
            if draw(st.booleans()):
                numbers.append(
                    NumericAnswer(
                        value, 0.0, value + draw(st.floats(0, 1e6)), draw(weights), draw(texts(0))
                    )
                )
            else:
                numbers.append(
                    NumericAnswer(
                        value, draw(st.floats(0, 1e6)), None, draw(weights), draw(texts(0))
                    )
                )
        numbers[0] = NumericAnswer(
            numbers[0].value, numbers[0].tolerance, numbers[0].high, 100.0, numbers[0].feedback
        )
        return Question(qtype, numbers=tuple(numbers), wrong_feedback=draw(texts(0)), **base)
    lefts = draw(
        st.lists(texts().filter(lambda s: "->" not in s), min_size=2, max_size=4, unique=True)
    )
    pairs = [Pair(left, draw(texts())) for left in lefts]
    if draw(st.booleans()):
        pairs.append(Pair("", draw(texts())))
    return Question(qtype, pairs=tuple(pairs), **base)


ROUND_TRIP = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROUND_TRIP
@given(bank=st.lists(questions(), min_size=1, max_size=4))
def test_gift_round_trips_every_type(bank):
    for question in bank:
        assert validate(question) == [], question
    text, skipped = write_gift(bank)
    assert skipped == []
    assert read_gift(text) == bank


def test_gift_writer_leaves_out_what_gift_cannot_hold_and_says_why():
    ordering = Question(QType.ORDERING, "Ordena", title="o", items=("a", "b"))
    arrow = Question(QType.MATCHING, "x", pairs=(Pair("a->b", "1"), Pair("c", "2")))
    fine = Question(QType.TRUE_FALSE, "x", correct=True)
    text, skipped = write_gift([ordering, arrow, fine])
    assert [s.index for s in skipped] == [0, 1]
    assert "ordering" in skipped[0].render()
    assert read_gift(text) == [fine]


def test_gift_escapes_reserved_characters():
    assert escape("a~b=c#d{e}f:g\\h\ni") == "a\\~b\\=c\\#d\\{e\\}f\\:g\\\\h\\ni"


@st.composite
def aiken_questions(draw):
    stem = draw(
        st.lists(
            one_line().filter(
                lambda s: (
                    not s.upper().startswith("ANSWER")
                    and not (len(s) > 2 and s[0].isupper() and s[1] in ".)")
                )
            ),
            min_size=1,
            max_size=2,
        )
    )
    options = draw(st.lists(one_line(), min_size=2, max_size=6))
    right = draw(st.integers(0, len(options) - 1))
    choices = tuple(Choice(o, 100.0 if i == right else 0.0) for i, o in enumerate(options))
    return Question(QType.SINGLE, "\n".join(stem), choices=choices)


@ROUND_TRIP
@given(bank=st.lists(aiken_questions(), min_size=1, max_size=4))
def test_aiken_round_trips(bank):
    text, skipped = write_aiken(bank)
    assert skipped == []
    assert read_aiken(text) == bank


def test_aiken_writer_leaves_out_other_types_and_partial_credit():
    partial = Question(QType.SINGLE, "x", choices=(Choice("a", 100), Choice("b", 50)))
    tf = Question(QType.TRUE_FALSE, "x", correct=True)
    fine = Question(QType.SINGLE, "x", choices=(Choice("a", 0), Choice("b", 100)))
    text, skipped = write_aiken([partial, tf, fine])
    assert [s.index for s in skipped] == [0, 1]
    assert read_aiken(text) == [fine]


# Fuzzing: nothing but FormatError, and errors always carry a line inside the file


GIFTISH = st.lists(
    st.sampled_from(
        list("{}=~#%:\\->.0123456789 \nTFabc[]/$_")
        + [
            "::",
            "####",
            "//",
            "$CATEGORY:",
            "[html]",
            "<p>",
            "<![",
            "\r",
            "..",
            "ANSWER: A",
            "A. ",
            "B) ",
            "\n\n",
            "%50%",
            "%-100%",
            "->",
        ]
    ),
    max_size=80,
).map("".join)
FUZZ = settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _only_format_errors(reader, text):
    try:
        result = reader(text)
    except FormatError as error:
        lines = text.count("\n") + text.count("\r") + 1
        assert error.errors
        for e in error.errors:
            assert 1 <= e.line <= lines
            assert e.render()
        return
    assert isinstance(result, list)
    for question in result:
        assert validate(question) == []


@FUZZ
@given(text=GIFTISH | st.text(max_size=300))
def test_no_text_makes_the_gift_reader_raise_anything_but_a_parse_error(text):
    _only_format_errors(read_gift, text)


@FUZZ
@given(text=GIFTISH | st.text(max_size=300))
def test_no_text_makes_the_aiken_reader_raise_anything_but_a_parse_error(text):
    _only_format_errors(read_aiken, text)


@ROUND_TRIP
@given(bank=st.lists(questions(), min_size=1, max_size=3))
def test_damaged_gift_files_fail_cleanly(bank):
    text, _ = write_gift(bank)
    for cut in range(0, len(text), max(1, len(text) // 7)):
        _only_format_errors(read_gift, text[:cut] + "{" + text[cut:])
        _only_format_errors(read_gift, text[:cut])


def test_oversized_files_are_refused_on_line_one():
    with pytest.raises(FormatError) as error:
        read_gift("x" * 2_000_001)
    assert error.value.errors[0].line == 1
    with pytest.raises(FormatError):
        read_aiken("x" * 2_000_001)
