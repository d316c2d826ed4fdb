import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for
from fortalece.impact.core.simulate import simulate
from fortalece.impact.core.xlsform import write_xlsform
from fortalece.impact.models import Study, SurveyInstrument

pytestmark = pytest.mark.django_db

READERS = {"admin", "manager", "state_manager", "other_state_manager", "me", "donor"}


@pytest.fixture(scope="module")
def small_study():
    return simulate(trained=120, comparison=90, seed=11)


def _csv(study) -> bytes:
    headers = list(study.rows[0])
    lines = [",".join(headers)] + [",".join(r[h] for h in headers) for r in study.rows]
    return "\n".join(lines).encode()


def _upload_instrument(client, world, study):
    response = client.post(
        reverse("impact:instrument_upload"),
        {
            "programme": world.programme.pk,
            "xlsform": SimpleUploadedFile("form.xlsx", write_xlsform(study.instrument)),
        },
    )
    assert response.status_code == 302, response.content[:3000]
    return SurveyInstrument.objects.get()


def _create_study(client, instrument, content: bytes):
    response = _post_study(client, instrument, content)
    if response.status_code == 302:
        study = Study.objects.latest("pk")
        assert study.status == Study.Status.DRAFT
        page = client.get(study.get_absolute_url())
        assert b"Check how the file was read" in page.content or b"Revise" in page.content
        client.post(reverse("impact:study_run", args=[study.pk]))
        client.post(reverse("impact:study_run", args=[study.pk]))  # a second click changes nothing
    return response


def _post_study(client, instrument, content: bytes):
    return client.post(
        reverse("impact:study_create"),
        {
            "title": "Impact 2020",
            "instrument": instrument.pk,
            "answers": SimpleUploadedFile("kobo.csv", content),
            "group_column": "group",
            "treated_value": "trained",
            "covariates": "years_service, state",
            "cluster": "state",
            "seed": 1,
            "draws": 60,
        },
    )


def test_me_officer_runs_a_study_and_everyone_in_scope_reads_it(world, small_study):
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    response = _create_study(client, instrument, _csv(small_study))
    assert response.status_code == 302
    study = Study.objects.get()
    assert study.status == Study.Status.DONE, study.error
    page = client.get(study.get_absolute_url()).content.decode()
    assert "<svg" in page and "Hedges g" in page
    assert_permission_matrix(study.get_absolute_url(), matrix(world, READERS))
    for fmt, kind in (("pdf", b"%PDF"), ("json", b"{"), ("xlsx", b"PK")):
        download = client_for(world.users["donor"]).get(
            reverse("impact:study_download", args=[study.pk, fmt])
        )
        assert download.status_code == 200 and download.content.startswith(kind)
    assert_permission_matrix(
        reverse("impact:instrument_detail", args=[instrument.pk]),
        matrix(world, {"admin", "manager", "state_manager", "other_state_manager", "me"}),
    )


def test_a_bad_answers_file_is_refused_with_row_and_column_and_nothing_is_saved(world, small_study):
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    headers = list(small_study.rows[0])
    rows = [dict(r) for r in small_study.rows]
    rows[2][headers[0]] = "9"
    bad = "\n".join([",".join(headers)] + [",".join(r[h] for h in headers) for r in rows]).encode()
    response = _create_study(client, instrument, bad)
    assert response.status_code == 200
    # Messages are translated now; the test client's language is Spanish (the default).
    assert any("Fila 4, columna A" in p for p in response.context["problems"])
    assert not Study.objects.exists()


def test_a_broken_xlsform_is_refused_with_the_sheet_named(world):
    client = client_for(world.users["me"])
    response = client.post(
        reverse("impact:instrument_upload"),
        {"programme": world.programme.pk, "xlsform": SimpleUploadedFile("form.xlsx", b"not excel")},
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content
    assert not SurveyInstrument.objects.exists()


def test_creating_is_for_me_officers(world):
    allowed = {"admin", "me"}
    assert_permission_matrix(reverse("impact:study_create"), matrix(world, allowed))
    assert_permission_matrix(reverse("impact:instrument_upload"), matrix(world, allowed))
    assert_permission_matrix(
        reverse("impact:study_list"), matrix(world, READERS | {"other_manager"})
    )


def test_a_before_after_study_with_a_comparison_group_runs_in_the_app(world):
    from fortalece.impact.core.simulate import simulate_waves

    waves = simulate_waves(trained=80, comparison=60, seed=4)
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, waves)
    response = client.post(
        reverse("impact:study_create"),
        {
            "title": "Pre/post 2021",
            "instrument": instrument.pk,
            "answers": SimpleUploadedFile("waves.csv", _csv(waves)),
            "design": "did",
            "group_column": "group",
            "treated_value": "trained",
            "covariates": "",
            "cluster": "",
            "wave_column": "wave",
            "pre_value": "pre",
            "post_value": "post",
            "code_column": "code",
            "seed": 1,
            "draws": 50,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    study = Study.objects.get()
    client.post(reverse("impact:study_run", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.DONE, study.error
    assert study.result["design"] == "did"
    assert client.get(study.get_absolute_url()).status_code == 200


def test_people_answer_on_a_phone_with_a_pseudonymous_code_and_the_answers_become_a_study(
    world, small_study
):
    from fortalece.impact.models import SurveyLink, SurveyResponse

    me = client_for(world.users["me"])
    instrument = _upload_instrument(me, world, small_study)
    links_url = reverse("impact:links", args=[instrument.pk])
    assert_permission_matrix(
        links_url, matrix(world, {"admin", "manager", "state_manager", "other_state_manager", "me"})
    )
    for wave in ("pre", "post"):
        for audience in ("trained", "control"):
            me.post(links_url, {"wave": wave, "audience": audience, "workshop": world.workshop.pk})
    assert SurveyLink.objects.count() == 4
    page = me.get(links_url).content.decode()
    assert "<svg" in page

    from django.test import Client

    public = Client()
    items = [i for i in small_study.instrument.items if i.kind != "background"]
    for link in SurveyLink.objects.all():
        for person in range(6):
            answers = {
                i.name: (
                    i.correct
                    if i.kind == "knowledge"
                    else str(
                        1 + (person + (link.wave == "post") * (link.audience == "trained") * 2) % 5
                    )
                )
                for i in items
            }
            response = public.post(
                link.get_absolute_url(),
                {
                    "consent": "on",
                    "mother": f"Ma{'abcdef'[person]}",
                    "day": 10 + person,
                    "phone": "07",
                    **answers,
                },
            )
            assert response.status_code == 200
            assert response.context["created"]
    again = public.post(
        SurveyLink.objects.first().get_absolute_url(),
        {"consent": "on", "mother": "Maa", "day": 10, "phone": "07"},
    )
    assert again.context["created"] is False
    assert SurveyResponse.objects.count() == 24
    assert not any("Ma" in str(r.answers) for r in SurveyResponse.objects.all())

    refused = public.post(
        SurveyLink.objects.first().get_absolute_url(), {"mother": "Zo", "day": 1, "phone": "1"}
    )
    assert refused.status_code == 200 and b"errorlist" in refused.content

    me.post(links_url, {"action": "analyse"})
    study = Study.objects.get()
    assert study.design == "did"
    assert study.status == Study.Status.DONE, study.error


def test_an_instrument_built_in_the_browser_exports_a_valid_xlsform(world):
    from fortalece.impact.core.xlsform import read_xlsform

    client = client_for(world.users["me"])
    response = client.post(
        reverse("impact:instrument_blank"),
        {"programme": world.programme.pk, "title": "Actitudes", "version": "1"},
    )
    assert response.status_code == 302
    instrument = SurveyInstrument.objects.get()
    url = reverse("impact:instrument_build", args=[instrument.pk])
    assert_permission_matrix(url, matrix(world, {"admin", "me"}))
    client.post(url, {"index-code": "aware", "index-label": "Awareness of gender violence"})
    unknown_index = {
        "q-name": "blame",
        "q-label_es": "Las mujeres tienen la culpa",
        "q-kind": "likert",
        "q-indices": "unknown",
    }
    page = client.post(url, unknown_index)  # Spanish, the default
    assert "Índice desconocido: unknown. Añada primero el índice." in page.content.decode()
    page = client.post(url, unknown_index, HTTP_ACCEPT_LANGUAGE="en")
    assert "Unknown index: unknown. Add the index first." in page.content.decode()
    client.post(
        url,
        {
            "q-name": "blame",
            "q-label_es": "Las mujeres tienen la culpa",
            "q-label_en": "Women are to blame",
            "q-kind": "likert",
            "q-indices": "aware",
            "q-reverse": "on",
        },
    )
    client.post(
        url,
        {
            "q-name": "referral",
            "q-label_es": "¿A dónde canalizar?",
            "q-kind": "knowledge",
            "q-indices": "aware",
            "q-options": "Centro de Justicia para las Mujeres\nA su casa",
        },
    )
    instrument.refresh_from_db()
    instrument.xlsform.open("rb")
    parsed = read_xlsform(instrument.xlsform.read()).instrument
    assert parsed.item("blame").reverse
    assert parsed.item("referral").kind == "knowledge"
    assert dict(parsed.item("blame").labels)["English (en)"] == "Women are to blame"


def test_the_check_step_lets_the_officer_match_a_column_by_hand(world, small_study):
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    headers = ["P1" if h == "aw_blame" else h for h in small_study.rows[0]]
    text = (
        ",".join(headers)
        + "\n"
        + "\n".join(",".join(r[h] for h in small_study.rows[0]) for r in small_study.rows)
    )
    _post_study(client, instrument, text.encode())
    study = Study.objects.get()
    page = client.get(study.get_absolute_url()).content.decode()
    assert "aw_blame" in page  # listed among the questions missing from the file
    client.post(
        reverse("impact:study_run", args=[study.pk]),
        {"action": "map", "header": "P1", "question": "aw_blame"},
    )
    client.post(
        reverse("impact:study_run", args=[study.pk]),
        {"action": "map", "header": "P1", "question": "evil"},
    )
    study.refresh_from_db()
    assert study.column_map == {"P1": "aw_blame"}
    client.post(reverse("impact:study_run", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.DONE
    blame = next(i for i in study.result["items"] if i["name"] == "aw_blame")
    assert blame["agree_treated"] is not None


def test_the_web_form_names_the_comparison_value_and_the_subgroups(world, small_study):
    """A misspelt group value is left out and counted, never joined to the comparison group;
    the officer picks the columns the results are broken down by."""
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    rows = [dict(r) for r in small_study.rows]
    for row in rows[:4]:
        row["group"] = "capacitdo"
    headers = list(rows[0])
    content = "\n".join(
        [",".join(headers)] + [",".join(r[h] for h in headers) for r in rows]
    ).encode()

    # Without a comparison value the file holds three values: the run fails and says why.
    _create_study(client, instrument, content)
    failed = Study.objects.latest("pk")
    assert failed.status == Study.Status.FAILED
    assert "capacitdo" in failed.error and "comparison" in failed.error
    client.cookies["django_language"] = "es"
    page = client.get(failed.get_absolute_url()).content.decode()
    assert "Indique el valor de comparación" in page and "&#x27;capacitdo&#x27; (4)" in page
    client.cookies["django_language"] = "en"

    response = client.post(
        reverse("impact:study_create"),
        {
            "title": "Impact 2020 (named comparison)",
            "instrument": instrument.pk,
            "answers": SimpleUploadedFile("kobo.csv", content),
            "group_column": "group",
            "treated_value": "trained",
            "comparison_value": "control",
            "subgroups": "state",
            "covariates": "years_service, state",
            "cluster": "state",
            "seed": 1,
            "draws": 60,
        },
    )
    assert response.status_code == 302, response.content[:2000]
    study = Study.objects.latest("pk")
    assert (study.comparison_value, study.subgroups) == ("control", ["state"])
    client.post(reverse("impact:study_run", args=[study.pk]))
    study.refresh_from_db()
    assert study.status == Study.Status.DONE, study.error
    assert list(study.result["subgroups"]) == ["state"]
    assert any("capacitdo" in w and "left out" in w for w in study.result["warnings"])
    client.cookies["django_language"] = "es"
    page = client.get(study.get_absolute_url()).content.decode()
    assert "4 personas no están en ninguno de los dos grupos" in page
    treated = sum(r["group"] == "trained" for r in rows)
    control = sum(r["group"] == "control" for r in rows)
    assert study.result["groups"] == {"treated": treated, "comparison": control}
    assert study.result["meta"]["settings"]["comparison_value"] == "control"


def test_the_report_renders_its_headline_messages_and_old_results_show_their_stored_texts(
    world, small_study
):
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    _create_study(client, instrument, _csv(small_study))
    study = Study.objects.get()
    assert study.status == Study.Status.DONE, study.error
    page = client.get(study.get_absolute_url())  # Spanish, the default
    assert page.context["headlines"] == study.result["headlines"]["es"]
    assert page.context["method_notes"] == study.result["method"]["es"]
    assert "Cifra principal:" in page.content.decode()
    result = {
        k: v for k, v in study.result.items() if k not in ("headline_messages", "method_messages")
    }
    result["headlines"] = {"en": ["An old headline."], "es": ["Una cifra antigua."]}
    result["method"] = {"headline": "aipw", "en": ["An old note."], "es": ["Una nota antigua."]}
    Study.objects.filter(pk=study.pk).update(result=result)
    page = client.get(study.get_absolute_url()).content.decode()
    assert "Una cifra antigua." in page and "Una nota antigua." in page
    download = client.get(reverse("impact:study_download", args=[study.pk, "pdf"]))
    assert download.status_code == 200 and download.content.startswith(b"%PDF")


def test_the_pdf_prints_titles_and_headlines_with_markup_characters_as_text(world, small_study):
    """reportlab reads a paragraph as markup: a '<' or '&' in a title or a label must be text."""
    from fortalece.reporting.tests.pdftext import pdf_text

    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    _create_study(client, instrument, _csv(small_study))
    study = Study.objects.get()
    assert study.status == Study.Status.DONE, study.error
    result = {
        k: v for k, v in study.result.items() if k not in ("headline_messages", "method_messages")
    }
    result["headlines"] = {"en": ["Effect <b>3 & more"], "es": ["Efecto <b>3 & más"]}
    Study.objects.filter(pk=study.pk).update(title="Policía <911> & C", result=result)
    download = client.get(reverse("impact:study_download", args=[study.pk, "pdf"]))
    assert download.status_code == 200
    text = "".join(pdf_text(download.content).split())  # the extraction spaces some glyphs
    assert "Policía<911>&C" in text and "Efecto<b>3&más" in text


def test_a_form_with_the_version_of_one_in_use_is_refused_and_the_one_in_use_kept(
    world, small_study
):
    """Re-uploading a form fixes it while nothing uses it; once a study does, the same title
    and version would change what the study's answers mean, so it needs a new version."""
    client = client_for(world.users["me"])
    instrument = _upload_instrument(client, world, small_study)
    again = _upload_instrument(client, world, small_study)  # unused: replaced in place
    assert again.pk == instrument.pk
    _create_study(client, instrument, _csv(small_study))
    before = SurveyInstrument.objects.get().definition
    response = client.post(
        reverse("impact:instrument_upload"),
        {
            "programme": world.programme.pk,
            "xlsform": SimpleUploadedFile("form.xlsx", write_xlsform(small_study.instrument)),
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "ya está en este programa y la usan estudios" in page
    assert SurveyInstrument.objects.count() == 1
    assert SurveyInstrument.objects.get().definition == before
