"""The instrument builder's pure steps and the pseudonymous code, without a database."""

import pytest

from fortalece.impact.core.instrument import (
    Instrument,
    InstrumentError,
    instrument_from_json,
    instrument_to_json,
    with_index,
    with_question,
)
from fortalece.impact.core.pseudonym import pseudonymous_code

QUESTION = {"name": "q1", "label_es": "¿Sabe?", "label_en": "", "indices": "k", "kind": "likert"}


def test_an_index_then_a_question_make_a_valid_instrument_that_survives_json():
    definition = with_index(Instrument("T", "1"), code="k", label="Knowledge", components="")
    definition = with_question(definition, {**QUESTION, "reverse": True})
    definition.validate()
    item = definition.item("q1")
    assert (item.reverse, item.missing_codes, item.labels) == (
        True,
        ("98",),
        (("Español (es)", "¿Sabe?"),),
    )
    assert instrument_from_json(instrument_to_json(definition)) == definition


def test_a_knowledge_question_takes_its_first_option_as_the_right_one():
    definition = with_index(Instrument("T", "1"), code="k", label="K", components="")
    options = "Sí\n\nNo\n"
    item = with_question(definition, {**QUESTION, "kind": "knowledge", "options": options}).item(
        "q1"
    )
    assert (item.correct, item.choices) == ("o1", (("o1", "Sí"), ("o2", "No")))


@pytest.mark.parametrize(
    "change",
    [{"indices": "nope"}, {"kind": "knowledge", "options": "only one"}, {"name": "q0"}],
)
def test_the_builder_refuses_what_would_not_make_sense(change):
    definition = with_index(Instrument("T", "1"), code="k", label="K", components="")
    definition = with_question(definition, {**QUESTION, "name": "q0"})
    with pytest.raises(InstrumentError):
        with_question(definition, {**QUESTION, **change})
    with pytest.raises(InstrumentError):
        with_index(definition, code="k", label="again", components="")


def test_the_pseudonymous_code_folds_accents_and_pads_short_names():
    assert pseudonymous_code("Ángela", 7, "5512345607") == "AN0707"
    assert pseudonymous_code("Ñ", 21, "42") == "NX2142"
