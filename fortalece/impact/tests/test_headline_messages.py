"""Headlines, method notes and sensitivity sentences are messages rendered in the reader's
language, with exactly the texts the English and Spanish f-strings wrote before them."""

import ast
import json
from pathlib import Path

import pytest
from django.utils import translation

from fortalece.impact import texts
from fortalece.impact.core import cli
from fortalece.impact.core.messages import (
    Label,
    Message,
    Number,
    catalogue,
    from_dict,
    result_texts,
    translate_with,
)
from fortalece.impact.tests.headline_cases import BEFORE, cases
from fortalece.impact.tests.headline_cases import texts as stored_texts

CORE = Path(__file__).resolve().parents[1] / "core"


@pytest.fixture(scope="module")
def results():
    return {name: run() for name, run in cases().items()}


@pytest.fixture(scope="module")
def before():
    return json.loads(BEFORE.read_text(encoding="utf-8"))


def test_the_texts_a_result_stores_are_those_the_f_strings_wrote(results, before):
    for name, result in results.items():
        assert stored_texts(result) == before[name], name


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_messages_render_as_the_f_strings_wrote_in_django_and_on_the_command_line(
    results, before, language
):
    gettext = catalogue(language)
    with translation.override(language):
        for name, result in results.items():
            old = before[name]
            assert texts.headlines(result) == old["headlines"][language], name
            assert texts.method_notes(result) == old["method"].get(language, []), name
            sentences = [
                texts.translate(i["sensitivity"]["sentence_message"])
                for i in result["indices"]
                if i.get("sensitivity")
            ]
            assert sentences == [s[language] for s in old["sentences"]], name
            assert [
                translate_with(m, gettext, language=language) for m in result["headline_messages"]
            ] == old["headlines"][language], name


def test_the_follow_up_writes_p_below_0_001_with_the_readers_decimal_mark(results):
    lines = results["followup_low_scorers_lost"]["headlines"]
    assert any("p < 0.001" in line for line in lines["en"])
    assert any("p < 0,001" in line for line in lines["es"])
    assert not any("0.001" in line for line in lines["es"])


def test_numbers_and_labels_are_written_for_the_reader_and_survive_storage():
    message = Message(
        "%(index)s: %(effect)s (p < %(p)s)",
        {
            "index": Label("Skills", "Habilidades"),
            "effect": Number(-2.25, 1),
            "p": Number(0.001, 3),
        },
    )
    assert str(message) == "Skills: -2.2 (p < 0.001)"
    stored = json.loads(json.dumps(message.as_dict()))
    assert stored["en"] == str(message)
    assert from_dict(stored) == message
    assert (
        translate_with(stored, lambda text: text, language="es") == "Habilidades: -2,2 (p < 0,001)"
    )
    assert translate_with(stored, lambda text: text, language="en") == str(message)
    # A NaN stored as JSON null reads as it did before the messages.
    assert translate_with({"text": "%(x)s", "params": {"x": {"number": None}}}, str) == "nan"


def test_a_result_stored_before_the_messages_shows_the_texts_it_stored(results, tmp_path):
    old = {
        k: v
        for k, v in results["aipw_clusters"].items()
        if k not in ("headline_messages", "method_messages")
    }
    old["headlines"] = {"en": ["An old headline."], "es": ["Una cifra antigua."]}
    old["method"] = {"headline": "aipw", "en": ["An old note."], "es": ["Una nota antigua."]}
    for language in ("en", "es"):
        with translation.override(language):
            assert texts.headlines(old) == [old["headlines"][language][0]]
            assert texts.method_notes(old) == [old["method"][language][0]]
        assert result_texts(old, "headlines", language, str) == old["headlines"][language]
    page = cli.render_html(old, "es")
    assert "Una cifra antigua." in page and "Una nota antigua." in page
    assert result_texts({}, "method", "es", str) == []


def test_the_command_line_report_renders_the_messages_in_its_language(results, before):
    page = cli.render_html(results["aipw_clusters"], "es")
    for line in (
        before["aipw_clusters"]["headlines"]["es"] + before["aipw_clusters"]["method"]["es"]
    ):
        assert line.replace("'", "&#x27;") in page


def test_no_headline_is_written_as_an_f_string_in_the_core():
    words = (
        "points",
        "puntos",
        "Headline",
        "Cifra",
        "Sensitiv",
        "Sensibilidad",
        "officers",
        "cluster",
        "aggregate",
        "agregado",
    )
    for name in (
        "report.py",
        "repeated.py",
        "followup.py",
        "sensitivity.py",
        "planner.py",
        "published.py",
    ):
        source = (CORE / name).read_text(encoding="utf-8")
        assert "es_decimal" not in source, name
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.JoinedStr):
                text = "".join(
                    v.value
                    for v in node.values
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)
                )
                assert not any(w in text for w in words), (name, node.lineno, text)
