"""Follow-up links (issue 9, point 7): scheduled N days after a workshop ends, created and
e-mailed to its trainers once, answered with the same pseudonymous codes, analysed by level."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fortalece.core.scheduling import registered_jobs, schedule_due
from fortalece.core.testing import client_for
from fortalece.impact.followup import followup_create, send_due
from fortalece.impact.models import Study, SurveyLink, SurveyResponse
from fortalece.impact.tests.test_views import _upload_instrument

pytestmark = pytest.mark.django_db
MEXICO = ZoneInfo("America/Mexico_City")


@pytest.fixture
def scheduled(world, small_study):
    me = client_for(world.users["me"])
    instrument = _upload_instrument(me, world, small_study)
    trainer = world.workshop.trainers.get()
    trainer.email = "trainer@example.org"
    trainer.save(update_fields=["email"])
    links_url = reverse("impact:links", args=[instrument.pk])
    response = me.post(
        links_url,
        {
            "wave": "post",
            "audience": "trained",
            "workshop": world.workshop.pk,
            "followup_days": "90",
        },
    )
    assert response.status_code == 302
    return me, instrument, SurveyLink.objects.get(), links_url


@pytest.fixture(scope="module")
def small_study():
    from fortalece.impact.core.simulate import simulate

    return simulate(trained=40, comparison=30, seed=3)


def test_the_follow_up_job_is_registered_daily():
    job = next(j for j in registered_jobs() if j.name == "impact_followup_links")
    assert job.every == "daily"


def test_the_follow_up_is_created_and_mailed_once_when_due(world, scheduled):
    _, _, post_link, _ = scheduled
    assert post_link.followup_days == 90
    assert world.workshop.end_date == datetime.date(2021, 11, 24)  # due on 2022-02-22
    day_before = datetime.datetime(2022, 2, 21, 8, 0, tzinfo=MEXICO)
    assert ("impact_followup_links", "2022-02-21") in schedule_due(now=day_before)
    assert not SurveyLink.objects.filter(wave="followup").exists()
    assert mail.outbox == []

    schedule_due(now=day_before + datetime.timedelta(days=1))
    follow = SurveyLink.objects.get(wave="followup")
    assert follow.followup_of == post_link
    assert (follow.workshop, follow.audience, follow.instrument) == (
        post_link.workshop,
        "trained",
        post_link.instrument,
    )
    # The trainer gets the link and its QR page to hand out; the participant with an account
    # hears of it directly (messaging's "survey to answer").
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        ["trainer@example.org", world.users["learner"].email]
    )
    body = next(m for m in mail.outbox if m.to == ["trainer@example.org"]).body
    assert follow.get_absolute_url() in body
    assert reverse("impact:survey_qr", kwargs={"token": follow.token}) in body
    assert post_link.token not in body

    # Later that day, the next days, a retried task, a second scheduler: nothing more.
    schedule_due(now=day_before + datetime.timedelta(days=1, hours=5))
    schedule_due(now=day_before + datetime.timedelta(days=2))
    assert send_due(today=datetime.date(2022, 6, 1)) == 0
    assert followup_create(post_link=post_link) is None
    assert SurveyLink.objects.filter(wave="followup").count() == 1
    assert len(mail.outbox) == 2


def test_a_follow_up_is_only_for_a_workshop_post_test_link(world, scheduled):
    me, _, post_link, links_url = scheduled
    for data in (
        {"wave": "pre", "audience": "trained", "workshop": world.workshop.pk},
        {"wave": "post", "audience": "trained"},
        {"wave": "post", "audience": "trained", "workshop": world.workshop.pk},
    ):
        days = "0" if "workshop" in data else "30"
        response = me.post(links_url, {**data, "followup_days": days})
        assert response.status_code == 302
    assert SurveyLink.objects.count() == 1
    page = me.get(links_url).content.decode()
    assert "90" in page
    assert reverse("impact:survey_qr", kwargs={"token": post_link.token}) in page


def test_the_qr_page_is_public_like_the_survey_and_shows_only_the_link(scheduled):
    _, _, link, _ = scheduled
    public = Client()
    page = public.get(reverse("impact:survey_qr", kwargs={"token": link.token}))
    assert page.status_code == 200
    assert b"<svg" in page.content and link.get_absolute_url().encode() in page.content
    assert public.get(reverse("impact:survey_qr", kwargs={"token": "nope"})).status_code == 404
    SurveyLink.objects.filter(pk=link.pk).update(active=False)
    assert public.get(reverse("impact:survey_qr", kwargs={"token": link.token})).status_code == 404


def test_follow_up_answers_pair_with_the_post_test_and_the_report_shows_levels(
    world, scheduled, small_study
):
    me, instrument, post_link, links_url = scheduled
    send_due(today=datetime.date(2022, 3, 1))
    follow = SurveyLink.objects.get(wave="followup")
    items = [i for i in small_study.instrument.items if i.kind != "background"]
    public = Client()
    for link, shift in ((post_link, 0), (follow, 1)):
        for person in range(8 if link == post_link else 6):
            answers = {
                i.name: i.correct
                if i.kind == "knowledge"
                else str(1 + (person * 3 + shift * (person % 2)) % 5)
                for i in items
            }
            response = public.post(
                link.get_absolute_url(),
                {
                    "consent": "on",
                    "mother": f"Ma{'abcdefgh'[person]}",
                    "day": 10 + person,
                    "phone": "07",
                    **answers,
                },
            )
            assert response.context["created"]
    assert SurveyResponse.objects.count() == 14
    me.post(links_url, {"action": "analyse"})
    study = Study.objects.get()
    assert study.design == "followup"
    assert study.status == Study.Status.DONE, study.error
    assert study.result["attrition"] == {
        "post": 8,
        "followup": 6,
        "lost": 2,
        "only_followup": 0,
        "rate_followup": 0.75,
    }
    page = client_for(world.users["me"]).get(study.get_absolute_url()).content.decode()
    assert "Kirkpatrick" in page
