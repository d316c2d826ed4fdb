"""Saved reports (opaque links, sharing through the policies, scheduled e-mail exactly once
per period) and the PDF report (charts, map, narrative; suppressed for donors)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse

from conftest import matrix
from fortalece.core.scheduling import schedule_due
from fortalece.core.testing import assert_permission_matrix, client_for, make_user
from fortalece.reporting.models import SavedReport, SavedReportDelivery
from fortalece.reporting.saved import clean_query, deliver, saved_report_create
from fortalece.reporting.tests.pdftext import pdf_text
from fortalece.reporting.tests.test_indicator_views import add_people

pytestmark = pytest.mark.django_db
DASHBOARD = {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "me"}
DASHBOARD |= {"donor"}
MEXICO = ZoneInfo("America/Mexico_City")


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"
    settings.FORTALECE_EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def test_the_stored_query_keeps_only_the_page_s_filters():
    query = "programme=3&programme=x&q=Ana+L%C3%B3pez&email=a@b.c&from=2021&by=state&by=<s>"
    assert clean_query(query) == "programme=3&from=2021&by=state"


def test_saving_from_the_indicators_page_gives_an_opaque_link(world):
    client = client_for(world.users["manager"])
    query = f"programme={world.programme.pk}&from=2021&to=2021&by=sex"
    response = client.post(
        reverse("reporting:saved_list"),
        {"name": "Donor update", "query": query, "frequency": "weekly"},
    )
    report = SavedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "reporting:saved_edit", args=[report.token]
    )
    assert report.query == query and report.frequency == "weekly"
    assert (
        len(report.token) == 24 and report.get_absolute_url() == f"/reports/saved/{report.token}/"
    )
    assert (
        report.token.replace("-", "").replace("_", "").isalnum() and "programme" not in report.token
    )
    opened = client.get(report.get_absolute_url())
    assert opened.status_code == 302 and opened["Location"] == f"/reports/indicators/?{query}"
    pdf = client.get(report.get_absolute_url() + "?format=pdf")
    assert pdf["Location"] == f"/reports/indicators/report.pdf?{query}"


def test_sharing_accepts_only_people_allowed_to_see_the_programmes(world):
    owner = world.users["manager"]
    report = saved_report_create(
        owner=owner, name="Mexico", query=f"programme={world.programme.pk}"
    )
    edit = reverse("reporting:saved_edit", args=[report.token])
    donor, elsewhere = world.users["donor"], world.users["other_manager"]
    response = client_for(owner).post(
        edit,
        {
            "name": "Mexico 2021",
            "frequency": "monthly",
            "share_with": f"{donor.email}, {elsewhere.email}\nnobody@example.org",
        },
        follow=True,
    )
    assert "Not shared with 2 address(es)" in response.content.decode()
    report.refresh_from_db()
    assert list(report.shared_with.all()) == [donor] and report.frequency == "monthly"
    assert client_for(donor).get(report.get_absolute_url()).status_code == 302
    assert client_for(elsewhere).get(report.get_absolute_url()).status_code == 404
    assert client_for(world.users["me"]).get(report.get_absolute_url()).status_code == 404
    # Only the owner edits it.
    assert client_for(donor).get(edit).status_code == 403
    assert client_for(world.users["admin"]).get(report.get_absolute_url()).status_code == 404


def test_a_reader_sees_the_report_through_their_own_policy(world):
    add_people(world, 12, sex="female", year=2021)
    add_people(world, 3, sex="male", year=2021)
    owner = world.users["manager"]
    report = saved_report_create(owner=owner, name="Sex", query="by=sex&from=2021&to=2021")
    report.shared_with.add(world.users["donor"])
    for user, exact in ((owner, True), (world.users["donor"], False)):
        response = client_for(user).get(report.get_absolute_url(), follow=True)
        assert response.context["report"]["suppressed"] is not exact


def test_permission_matrices(world):
    assert_permission_matrix(reverse("reporting:saved_list"), matrix(world, DASHBOARD))
    assert_permission_matrix(reverse("reporting:indicators_pdf"), matrix(world, DASHBOARD))
    report = saved_report_create(owner=world.users["manager"], name="R", query="")
    allowed = {"manager"}
    assert_permission_matrix(
        report.get_absolute_url(), [row for row in matrix(world, allowed) if row.label != "manager"]
    )
    assert client_for(world.users["manager"]).get(report.get_absolute_url()).status_code == 302
    assert_permission_matrix(
        reverse("reporting:saved_edit", args=[report.token]), matrix(world, allowed)
    )
    assert client_for(None).get("/reports/saved/not-a-token/").status_code == 302
    assert client_for(world.users["manager"]).get("/reports/saved/not-a-token/").status_code == 404


def _scheduled(world):
    add_people(world, 12, sex="female", year=2021, name="Policía de Morelia")
    add_people(world, 2, sex="male", year=2021)
    report = saved_report_create(
        owner=world.users["manager"], name="Weekly", query="by=sex", frequency="weekly"
    )
    report.shared_with.add(world.users["donor"])
    return report


def test_the_scheduler_sends_each_period_once_and_the_next_period_again(world):
    _scheduled(world)
    monday = datetime.datetime(2026, 11, 23, 8, 0, tzinfo=MEXICO)
    enqueued = schedule_due(now=monday)
    assert ("saved_reports_weekly", "2026-W48") in enqueued
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [world.users["manager"].email, world.users["donor"].email]
    )
    assert all(m.attachments[0][0] == "report-2026-W48.pdf" for m in mail.outbox)
    # Later the same week, a second scheduler, a retried task: nothing more.
    schedule_due(now=monday + datetime.timedelta(days=3))
    assert deliver(frequency="weekly", period="2026-W48") == 0
    assert len(mail.outbox) == 2
    schedule_due(now=monday + datetime.timedelta(days=7))
    assert len(mail.outbox) == 4
    assert SavedReportDelivery.objects.count() == 4
    # Before the hour nothing is due yet.
    assert ("saved_reports_weekly", "2026-W50") not in schedule_due(
        now=monday + datetime.timedelta(days=14, hours=-2)
    )


def test_each_reader_receives_the_figures_their_role_allows_and_no_names(world):
    report = _scheduled(world)
    deliver(frequency="weekly", period="2026-W48")
    sent = {m.to[0]: m for m in mail.outbox}
    donor = pdf_text(sent[world.users["donor"].email].attachments[0][1])
    manager = pdf_text(sent[world.users["manager"].email].attachments[0][1])
    assert "Weekly" in donor and "hidden" in donor
    assert "hidden" not in manager.split("Exact counts")[0]
    assert report.token in sent[world.users["donor"].email].body
    from fortalece.people.models import Person

    for person in Person.objects.all():
        assert person.family_names not in donor
    # A reader who lost access gets nothing.
    world.users["donor"].role_assignments.all().delete()
    world.users["donor"]._fortalece_scope = None
    mail.outbox.clear()
    deliver(frequency="weekly", period="2026-W49")
    assert [m.to[0] for m in mail.outbox] == [world.users["manager"].email]


def test_the_pdf_has_the_figures_map_and_edited_narrative_and_hides_small_ones_for_donors(world):
    add_people(world, 40, sex="female", year=2021)
    add_people(world, 2, sex="male", year=2021, subdivision=world.jalisco)
    url = reverse("reporting:indicators_pdf") + "?by=state&from=2021&to=2021"
    response = client_for(world.users["manager"]).get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "42" in text and "People trained by state of Mexico" in text and "MIC" in text
    donor = client_for(world.users["donor"]).post(
        url, {"sentence-en-0": "Edited <b>line</b> & more"}
    )
    text = pdf_text(donor.content)
    assert "Edited" in text and "hidden" in text
    assert "JAL hidden" in text
    assert "JAL 2 " not in text and "Jalisco 0 2" not in text and "Jalisco 2" not in text


def test_a_new_user_without_reports_sees_an_empty_list(world):
    user = make_user("me_officer", country=world.mexico)
    response = client_for(user).get(reverse("reporting:saved_list"))
    assert "No saved reports yet." in response.content.decode()
