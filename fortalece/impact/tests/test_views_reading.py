"""The check step shows what reading sets aside and lets the officer decide (issue 9)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from fortalece.core.testing import client_for
from fortalece.impact.core.simulate import simulate, simulate_waves
from fortalece.impact.core.xlsform import write_xlsform
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.impact.tests.xls import xls_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def small_study():
    return simulate(trained=90, comparison=70, seed=12)


def _kobo_style(study) -> tuple[bytes, bytes]:
    """The form with "No sé" coded 99 and nothing declared; the answers to match."""
    book = load_workbook(io.BytesIO(write_xlsform(study.instrument)))
    survey, choices = book["survey"], book["choices"]
    column = [c.value for c in survey[1]].index("fortalece_missing")
    for row in survey.iter_rows(min_row=2):
        row[column].value = None
    for row in choices.iter_rows(min_row=2):
        if row[1].value == "98":
            row[1].value, row[2].value = "99", "No sé"
    buffer = io.BytesIO()
    book.save(buffer)
    headers = list(study.rows[0])
    renamed = ["datos/years_service" if h == "years_service" else h for h in headers]
    lines = [",".join(renamed)] + [
        ",".join("99" if r[h] == "98" and h != "age" else r[h] for h in headers) for r in study.rows
    ]
    return buffer.getvalue(), "\n".join(lines).encode()


def _upload(client, world, content: bytes, name: str = "form.xlsx", language: str = "en"):
    return client.post(
        reverse("impact:instrument_upload"),
        {"programme": world.programme.pk, "xlsform": SimpleUploadedFile(name, content)},
        HTTP_ACCEPT_LANGUAGE=language,
    )


def _study(client, instrument, content: bytes, **extra):
    data = {
        "title": "Kobo 2024",
        "instrument": instrument.pk,
        "answers": SimpleUploadedFile("kobo.csv", content),
        "group_column": "group",
        "treated_value": "trained",
        "covariates": "datos/years_service, state",
        "cluster": "state",
        "seed": 1,
        "draws": 50,
        **extra,
    }
    return client.post(reverse("impact:study_create"), data, HTTP_ACCEPT_LANGUAGE="en")


def test_the_check_step_reports_dont_know_codes_and_the_report_repeats_it(world, small_study):
    client = client_for(world.users["me"])
    form, answers = _kobo_style(small_study)
    assert _upload(client, world, form).status_code == 302
    instrument = SurveyInstrument.objects.get()
    detail = client.get(instrument.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Choices that are never scored" in detail
    assert "99 &#x27;No sé&#x27; treated as missing in" in detail and "1–5" in detail
    response = _study(client, instrument, answers)
    assert response.status_code == 302, response.content[:3000]
    study = Study.objects.get()
    assert study.covariates == ["years_service", "state"]  # the full path, resolved
    page = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "99 &#x27;No sé&#x27; treated as missing in" in page
    assert "% of answers" in page
    assert "Score 99 as an answer" in page
    # Scoring 99 on a 1–5 scale is no scale: refused, naming the question.
    page = client.post(
        reverse("impact:study_run", args=[study.pk]),
        {"action": "keep", "code": "99"},
        follow=True,
        HTTP_ACCEPT_LANGUAGE="en",
    ).content.decode()
    assert "has a gap" in page
    study.refresh_from_db()
    assert study.reading.get("keep", []) == []
    client.post(reverse("impact:study_run", args=[study.pk]), {"action": "missing", "codes": "1"})
    study.refresh_from_db()
    assert study.reading["missing"] == ["1"]
    client.post(reverse("impact:study_run", args=[study.pk]), {"action": "missing", "codes": ""})
    client.post(reverse("impact:study_run", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.DONE, study.error
    assert study.result["reading"]["set_aside"][0]["code"] == "99"
    report = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert "Cómo se leyeron las respuestas" in report
    assert "99 «No sé» se trató como sin respuesta en" in report


def test_unknown_columns_get_did_you_mean_and_nothing_is_saved(world, small_study):
    client = client_for(world.users["me"])
    assert _upload(client, world, write_xlsform(small_study.instrument)).status_code == 302
    instrument = SurveyInstrument.objects.get()
    headers = list(small_study.rows[0])
    csv = "\n".join(
        [",".join(headers)] + [",".join(r[h] for h in headers) for r in small_study.rows]
    ).encode()
    response = _study(client, instrument, csv, covariates="anios_servicio", cluster="estado")
    assert response.status_code == 200
    problems = response.context["problems"]
    assert any("Did you mean 'years_service'" in p for p in problems)
    assert any("'estado'" in p for p in problems)
    assert not Study.objects.exists()


def test_answers_off_the_choices_are_counted_per_column_and_can_be_left_blank(world, small_study):
    client = client_for(world.users["me"])
    assert _upload(client, world, write_xlsform(small_study.instrument)).status_code == 302
    instrument = SurveyInstrument.objects.get()
    headers = list(small_study.rows[0])
    rows = [dict(r) for r in small_study.rows]
    for r in rows[:3]:
        r["aw_blame"] = "6"
    csv = "\n".join([",".join(headers)] + [",".join(r[h] for h in headers) for r in rows]).encode()
    response = _study(client, instrument, csv, covariates="years_service")
    assert response.status_code == 200
    assert "3 answers are not choices of 'aw_blame'" in response.context["problems"][0]
    response = _study(client, instrument, csv, covariates="years_service", unknown_as_missing="on")
    assert response.status_code == 302
    study = Study.objects.get()
    page = client.get(study.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "3 answers are not choices of &#x27;aw_blame&#x27;" in page


def test_duplicate_codes_are_flagged_at_upload_with_their_rows(world):
    waves = simulate_waves(trained=40, comparison=30, seed=6)
    client = client_for(world.users["me"])
    assert _upload(client, world, write_xlsform(waves.instrument)).status_code == 302
    instrument = SurveyInstrument.objects.get()
    headers = list(waves.rows[0])
    rows = [*waves.rows, waves.rows[3]]
    csv = "\n".join([",".join(headers)] + [",".join(r[h] for h in headers) for r in rows]).encode()
    response = _study(
        client,
        instrument,
        csv,
        design="did",
        covariates="",
        cluster="",
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        code_column="code",
    )
    assert response.status_code == 200
    assert any(
        f"Code '{waves.rows[3]['code']}' appears 2 times" in p and f"rows 5, {len(rows) + 1}" in p
        for p in response.context["problems"]
    )
    assert not Study.objects.exists()


def test_a_legacy_xls_form_uploads_and_a_broken_scale_is_refused_in_spanish(world):
    client = client_for(world.users["me"])
    survey = [
        ["type", "name", "label", "fortalece_indices"],
        ["select_one a", "q1", "Pregunta uno", "x"],
        ["select_one a", "q2", "Pregunta dos", "x"],
    ]
    good = xls_bytes(
        {
            "survey": survey,
            "choices": [["list_name", "name", "label"], *[["a", v, v] for v in (1, 2, 3)]],
        }
    )
    assert _upload(client, world, good, "form.xls").status_code == 302
    gap = xls_bytes(
        {
            "survey": survey,
            "choices": [["list_name", "name", "label"], *[["a", v, v] for v in (1, 2, 5)]],
        }
    )
    response = _upload(client, world, gap, "gap.xls", language="es")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Hoja «survey», fila 2" in text and "tiene un hueco" in text
