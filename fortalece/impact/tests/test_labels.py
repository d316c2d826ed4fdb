"""Readers see question labels, choice labels and place names, never bare variable names; the
raw names stay beside them for analysts and in the JSON (issue 9)."""

import io
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from openpyxl import Workbook

from fortalece.core.testing import client_for
from fortalece.impact.core import cli
from fortalece.impact.core.instrument import Instrument
from fortalece.impact.core.labels import (
    MISSING,
    Labels,
    build,
    column_label,
    decode_design,
    relabel,
    value_label,
)
from fortalece.impact.core.report import analyze
from fortalece.impact.core.simulate import simulate
from fortalece.impact.core.xlsform import read_xlsform, write_xlsform
from fortalece.impact.management.commands.impact_analyze import Command
from fortalece.impact.models import Study, SurveyInstrument


@pytest.fixture(scope="module")
def small_study():
    return simulate(trained=120, comparison=90, seed=11)


def _xlsx(sheets: dict[str, list[list[str]]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _form() -> Instrument:
    """Languages named as Kobo names them (``label::Español``, ``label::English``)."""
    head = ["type", "name", "label::Español", "label::English", "fortalece_indices"]
    return read_xlsform(
        _xlsx(
            {
                "survey": [
                    head,
                    ["integer", "anios", "Años de servicio", "Years of service", ""],
                    ["select_one sexo", "sexo", "Sexo", "Sex", ""],
                    ["text", "estado", "estado", "estado", ""],  # a placeholder label
                    ["select_one acuerdo", "culpa", "Tienen la culpa", "To blame", "aw"],
                    ["select_one acuerdo", "grave", "Es grave", "Serious", "aw"],
                ],
                "choices": [
                    ["list_name", "name", "label::Español", "label::English"],
                    *[["acuerdo", str(v), str(v), str(v)] for v in range(1, 6)],
                    ["sexo", "m", "Mujer", "Woman"],
                    ["sexo", "h", "Hombre", "Man"],
                ],
                "fortalece_indices": [
                    ["code", "label::Español", "label::English"],
                    ["aw", "Sensibilización", "Awareness"],
                ],
            }
        )
    ).instrument


def test_labels_come_from_the_form_in_the_readers_language_and_never_guessed():
    form = _form()
    assert column_label(form, "anios", "es") == "Años de servicio"
    assert column_label(form, "anios", "en") == "Years of service"
    assert column_label(form, "estado", "es") == "estado"  # no label: the name
    assert column_label(form, "not_a_question", "en") == "not_a_question"
    assert value_label(form, "sexo", "m", "es") == "Mujer"
    assert value_label(form, "sexo", "m", "en") == "Woman"
    assert value_label(form, "sexo", "x", "en") == "x"
    places = {"MX-ROO": "Quintana Roo"}
    assert value_label(form, "estado", "MX-ROO", "es", places) == "Quintana Roo"
    assert value_label(form, "estado", "MX-XXX", "es", places) == "MX-XXX"
    index = next(i for i in form.indices if i.code == "aw")
    assert (index.label_in("es"), index.label_in("en")) == ("Sensibilización", "Awareness")


def test_the_adjustments_columns_read_as_question_and_value():
    form = _form()
    design = {
        "anios": ("anios", None),
        "anios_missing": ("anios", MISSING),
        "sexo_m": ("sexo", "m"),
        "estado_MX-ROO": ("estado", "MX-ROO"),
    }
    block = build(form, columns=["anios"], design=design, places={"MX-ROO": "Quintana Roo"})
    es, en = Labels(block, "es"), Labels(block, "en")
    assert es.design("anios") == "Años de servicio"
    assert es.design("anios_missing") == "Años de servicio: sin respuesta"
    assert en.design("anios_missing") == "Years of service: no answer"
    assert en.design("sexo_m") == "Sex: Woman"
    assert es.design("estado_MX-ROO") == "estado: Quintana Roo"
    assert block["design"]["sexo_m"]["column"] == "sexo"
    assert block["design"]["sexo_m"]["value"] == "m"
    assert en.design("unknown_column") == "unknown_column"
    assert Labels(None, "es").column("anios") == "anios"
    # Results stored before the labels: the columns are decoded from the covariates' names.
    assert decode_design(["anios", "anios_missing", "estado_MX-ROO", "x"], ["anios", "estado"]) == {
        "anios": ("anios", None),
        "anios_missing": ("anios", MISSING),
        "estado_MX-ROO": ("estado", "MX-ROO"),
    }
    message = {"text": "Covariate '%(name)s': …", "params": {"name": "anios"}, "en": "…"}
    assert relabel(message, es)["params"]["name"] == "Años de servicio (anios)"
    assert relabel({**message, "params": {"name": "estado"}}, es)["params"]["name"] == "estado"


def test_the_analysis_names_covariates_by_their_labels_and_keeps_the_raw_names(small_study):
    rows = [dict(r) for r in small_study.rows]
    for row in rows[::9]:
        row["years_service"] = ""
    result = analyze(
        small_study.instrument,
        rows,
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state"],
        cluster="state",
        draws=60,
        places={"MX-MIC": "Michoacán"},
    )
    labels = result["labels"]
    assert labels["design"]["state_MX-MIC"]["es"] == "Entidad federativa: Michoacán"
    assert labels["design"]["state_MX-MIC"]["en"] == "State: Michoacán"
    assert labels["design"]["years_service_missing"]["en"] == "Years of service: no answer"
    assert {b["column"] for b in result["balance"]} >= {"years_service", "state_MX-MIC"}
    assert labels["values"]["state"]["MX-MIC"] == {"en": "Michoacán", "es": "Michoacán"}
    assert labels["values"]["sex"]["female"]["en"] == "female"  # no choice label: the value
    method_es = " ".join(result["method"]["es"])
    method_en = " ".join(result["method"]["en"])
    assert "Años de servicio, Entidad federativa recogen" in method_es
    assert "Years of service, State capture" in method_en
    assert "'Entidad federativa' (" in method_es and "'State' (" in method_en
    for text in (method_es, method_en, *result["headlines"]["es"], *result["headlines"]["en"]):
        assert "years_service" not in text and "'state'" not in text
    sentences = [i["sensitivity"]["sentence"] for i in result["indices"] if i.get("sensitivity")]
    assert all(
        re.search(r"as strong as (Years of service|State)", s["en"])
        and re.search(r"tan fuerte como (Años de servicio|Entidad federativa)", s["es"])
        for s in sentences
    )
    # Spanish numbers in the sentence carry decimal commas.
    assert re.search(r"explicar el \d+,\d%", sentences[0]["es"])
    items = {r["name"]: r for r in result["items"]}
    assert items["aw_blame"]["label_es"].startswith("Las mujeres tienen la culpa")
    assert items["aw_blame"]["label_en"].startswith("Women are to blame")


# --- The study page, its JSON and PDF ------------------------------------------------------


def _run_study(client, world, study_data) -> Study:
    response = client.post(
        reverse("impact:instrument_upload"),
        {
            "programme": world.programme.pk,
            "xlsform": SimpleUploadedFile("form.xlsx", write_xlsform(study_data.instrument)),
        },
    )
    assert response.status_code == 302
    headers = list(study_data.rows[0])
    lines = [",".join(headers)] + [",".join(r[h] for h in headers) for r in study_data.rows]
    response = client.post(
        reverse("impact:study_create"),
        {
            "title": "Impact 2020",
            "instrument": SurveyInstrument.objects.get().pk,
            "answers": SimpleUploadedFile("kobo.csv", "\n".join(lines).encode()),
            "group_column": "group",
            "treated_value": "trained",
            "covariates": "years_service, state",
            "cluster": "state",
            "subgroups": "state",
            "seed": 1,
            "draws": 60,
        },
    )
    assert response.status_code == 302
    study = Study.objects.get()
    client.post(reverse("impact:study_run", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.DONE, study.error
    return study


def _text(html: str) -> str:
    """What a reader reads: tags, analysts' secondary names (<code>) and titles left out."""
    html = re.sub(r"<code>.*?</code>", "", html)
    return re.sub(r"<[^>]+>", " ", html)


@pytest.mark.django_db
def test_the_study_page_shows_labels_in_spanish_and_english(world, small_study):
    client = client_for(world.users["me"])
    study = _run_study(client, world, small_study)
    es = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    en = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    # Balance: the question and the state's name, the raw column in small type.
    assert "Entidad federativa: Michoacán <small><code>state_MX-MIC</code></small>" in es
    assert "State: Michoacán <small><code>state_MX-MIC</code></small>" in en
    assert "Años de servicio <small><code>years_service</code></small>" in es
    # A state the geography tables lack is named as load_geography would name it.
    assert "Entidad federativa: Quintana Roo <small><code>state_MX-ROO</code></small>" in es
    assert "Years of service <small><code>years_service</code></small>" in en
    # Subgroups by state: the place's name, the code beside it.
    assert "Michoacán <small><code>MX-MIC</code></small>" in es
    # Sensitivity benchmark, assumptions and headlines name the question.
    assert re.search(r'title="(years_service|state)">(Años de servicio|Entidad federativa)<', es)
    assert "Años de servicio, Entidad federativa recogen" in es
    assert "Years of service, State capture" in en
    # Statements in the reader's language.
    assert "Las mujeres tienen la culpa de estar en una relación violenta" in es
    assert "Women are to blame for being in a violent relationship" in en
    for page in (es, en):
        reader = _text(page)
        assert "years_service" not in reader
        assert "state_MX" not in reader
    # The JSON keeps the raw names with their labels.
    download = client.get(reverse("impact:study_download", args=[study.pk, "json"]))
    exported = json.loads(download.content)
    assert exported["balance"][0]["column"] == "years_service"
    assert exported["labels"]["design"]["state_MX-MIC"] == {
        "column": "state",
        "value": "MX-MIC",
        "en": "State: Michoacán",
        "es": "Entidad federativa: Michoacán",
    }
    pdf = client.get(
        reverse("impact:study_download", args=[study.pk, "pdf"]), HTTP_ACCEPT_LANGUAGE="es"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


@pytest.mark.django_db
def test_a_result_stored_before_labels_still_shows_them(world, small_study):
    client = client_for(world.users["me"])
    study = _run_study(client, world, small_study)
    result = dict(study.result)
    del result["labels"]
    Study.objects.filter(pk=study.pk).update(result=result)
    page = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "State: Michoacán <small><code>state_MX-MIC</code></small>" in page
    assert "Years of service <small><code>years_service</code></small>" in page


@pytest.mark.django_db
def test_an_item_that_looks_reversed_is_named_by_its_statement(world, small_study):
    client = client_for(world.users["me"])
    study = _run_study(client, world, small_study)
    result = dict(study.result)
    aware = next(i for i in result["indices"] if i["code"] == "aware")
    aware["reliability"] = {**aware["reliability"], "item_rest": {"aw_blame": -0.12}}
    Study.objects.filter(pk=study.pk).update(result=result)
    es = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    en = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "La afirmación «Las mujeres tienen la culpa de estar en una relación violenta» " in es
    assert "(aw_blame) se correlaciona negativamente" in es and "(r = -0,12)" in es
    assert "Statement “Women are to blame for being in a violent relationship” (aw_blame)" in en
    assert "(r = -0.12)" in en


# --- The command line -------------------------------------------------------------------


def _files(tmp_path, study_data):
    form, data = tmp_path / "form.xlsx", tmp_path / "data.csv"
    form.write_bytes(write_xlsform(study_data.instrument))
    headers = list(study_data.rows[0])
    data.write_text(
        ",".join(headers)
        + "\n"
        + "\n".join(",".join(r[h] for h in headers) for r in study_data.rows)
    )
    return [
        "--form",
        str(form),
        "--data",
        str(data),
        "--covariates",
        "years_service,state",
        "--cluster",
        "state",
        "--draws",
        "60",
        "--json",
        str(tmp_path / "out.json"),
        "--html",
        str(tmp_path / "out.html"),
    ]


def test_the_command_line_writes_its_report_in_spanish(tmp_path, small_study):
    out = io.StringIO()
    assert cli.main([*_files(tmp_path, small_study), "--lang", "es"], out=out) == 0
    page = (tmp_path / "out.html").read_text()
    assert "<html lang='es'>" in page
    for text in (
        "Informe de impacto",
        "¿Son comparables los grupos?",
        "Cómo se estimó la cifra principal",
        "Advertencias",
        "Cómo se leyeron las respuestas",
        "personas capacitadas y",
        "Años de servicio <small><code>years_service</code></small>",
        "Entidad federativa: Michoacán de Ocampo <small><code>state_MX-MIC</code></small>",
        "Efecto de la capacitación en cada índice",
    ):
        assert text in page, text
    assert "Sensibilización sobre la violencia de género" in page  # the index, in Spanish
    assert "years_service" not in _text(page)
    printed = out.getvalue()
    assert "El personal capacitado obtuvo" in printed
    assert "Trained officers scored" not in printed
    assert "se trató como sin respuesta" in printed  # the reading notes too
    result = json.loads((tmp_path / "out.json").read_text())
    assert result["labels"]["design"]["state_MX-MIC"]["en"] == "State: Michoacán de Ocampo"


def test_the_command_line_in_english_and_its_default_language(tmp_path, small_study, monkeypatch):
    monkeypatch.delenv("FORTALECE_LANGUAGE", raising=False)
    out = io.StringIO()
    assert cli.main([*_files(tmp_path, small_study), "--lang", "en"], out=out) == 0
    page = (tmp_path / "out.html").read_text()
    assert "<html lang='en'>" in page and "Are the groups comparable?" in page
    assert "State: Michoacán de Ocampo <small><code>state_MX-MIC</code></small>" in page
    assert "Trained officers scored" in out.getvalue()
    assert cli.language_of(None, "es-mx") == "es"
    assert cli.language_of(None, None) == "en"
    monkeypatch.setenv("FORTALECE_LANGUAGE", "es")
    assert cli.language_of(None, "en") == "es"
    assert cli.language_of("en", "es") == "en"


@override_settings(LANGUAGE_CODE="es")
def test_manage_py_uses_djangos_translations_and_the_sites_language(
    tmp_path, small_study, monkeypatch
):
    monkeypatch.delenv("FORTALECE_LANGUAGE", raising=False)
    out = io.StringIO()
    command = Command(stdout=out, stderr=io.StringIO())
    command.run_from_argv(["manage.py", "impact_analyze", *_files(tmp_path, small_study)])
    page = (tmp_path / "out.html").read_text()
    assert "<html lang='es'>" in page and "¿Son comparables los grupos?" in page
    assert "El personal capacitado obtuvo" in out.getvalue()
