"""Trainers record their own roll-out workshops; a manager validates them before they count.

Reach (the reach table, ReachYear and ReachCube) must stay equal to COUNT(DISTINCT) over the
enrolments of validated workshops, whatever the order of recording, attendance, validation
and rejection.
"""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse

from fortalece.accounts.models import Role
from fortalece.core.testing import client_for, make_user
from fortalece.geography.tests.factories import CountryFactory
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.reporting import selectors
from fortalece.training import services
from fortalece.training.models import (
    Enrolment,
    ProgrammeReach,
    ReachCube,
    ReachYear,
    Workshop,
    WorkshopTrainer,
)
from fortalece.training.services.reach_rollups import ALL_YEARS

pytestmark = pytest.mark.django_db


def _assert_reach_equals_count_distinct(programme_id: int) -> None:
    assert selectors.reach_table_reached(programme_id) == selectors.plain_reached(programme_id)
    assert selectors.reach_table_completed(programme_id) == selectors.plain_completed(programme_id)
    for column in ("sex", "profession", "subdivision"):
        assert selectors.reach_table_by(programme_id, column) == selectors.plain_by(
            programme_id, column
        )
    # The year rollup and its cube count the same people.
    years = ReachYear.objects.filter(programme_id=programme_id)
    assert years.values("person_id").distinct().count() == selectors.plain_reached(programme_id)
    cube = ReachCube.objects.filter(programme_id=programme_id)
    by_year = cube.exclude(year=ALL_YEARS).values_list("people", flat=True)
    assert sum(by_year) == years.count()
    # Over all years, a person is one row: the cube's all-years rows count people.
    every_year = cube.filter(year=ALL_YEARS).values_list("people", flat=True)
    assert sum(every_year) == selectors.plain_reached(programme_id)


def _record(world, trainer_user, **extra):
    return services.workshop_record(
        by=trainer_user,
        trainer=world.trainer_person,
        course=world.course,
        title="Réplica en Uruapan",
        start_date=datetime.date(2022, 3, 1),
        end_date=datetime.date(2022, 3, 2),
        country=world.mexico,
        subdivision=world.michoacan,
        municipality=None,
        venue="",
        capacity=None,
        **extra,
    )


def _attend_all(workshop, people, by):
    services.enrolments_bulk_create(
        workshop=workshop, person_ids=[p.pk for p in people], status="enrolled", by=by
    )
    ids = list(workshop.enrolments.values_list("pk", flat=True))
    for session in workshop.sessions.all():
        services.attendance_bulk_record(
            session=session, present_enrolment_ids=ids, absent_enrolment_ids=[], by=by
        )


def test_recorded_workshop_counts_only_once_validated_and_leaves_reach_when_rejected(world):
    trainer_user = world.users["trainer"]
    workshop = _record(world, trainer_user)
    assert workshop.validation == Workshop.Validation.PENDING
    assert workshop.recorded_by == trainer_user
    assert WorkshopTrainer.objects.get(workshop=workshop).person == world.trainer_person
    assert workshop.sessions.count() == 2

    people = [PersonFactory(institution=world.institution) for _ in range(6)]
    _attend_all(workshop, people, trainer_user)
    assert set(workshop.enrolments.values_list("status", flat=True)) == {"completed"}
    programme_id = workshop.programme_id
    # Attended and completed, but not validated: nobody is reached yet.
    assert not ProgrammeReach.objects.filter(person__in=people).exists()
    assert not ReachYear.objects.filter(person__in=people).exists()
    _assert_reach_equals_count_distinct(programme_id)

    manager = world.users["state_manager"]
    services.workshop_validate(workshop=workshop, by=manager)
    assert ProgrammeReach.objects.filter(person__in=people, completed=True).count() == 6
    assert ReachYear.objects.filter(person__in=people, year=2022).count() == 6
    _assert_reach_equals_count_distinct(programme_id)

    with pytest.raises(ValidationError):
        services.workshop_reject(workshop=workshop, by=manager, reason="  ")
    services.workshop_reject(workshop=workshop, by=manager, reason="No attendance sheets.")
    workshop.refresh_from_db()
    assert workshop.validation == Workshop.Validation.REJECTED
    assert workshop.rejection_reason == "No attendance sheets."
    assert workshop.validated_by == manager
    assert not ProgrammeReach.objects.filter(person__in=people).exists()
    _assert_reach_equals_count_distinct(programme_id)

    # A rebuild from scratch gives the same answer as the incremental refreshes.
    from fortalece.training.services.reach import reach_rebuild
    from fortalece.training.services.reach_rollups import reach_year_rebuild

    before = selectors.reach_table_by(programme_id, "sex")
    reach_rebuild(programme_id=programme_id)
    reach_year_rebuild(programme_id=programme_id)
    assert selectors.reach_table_by(programme_id, "sex") == before
    _assert_reach_equals_count_distinct(programme_id)


def test_trainer_records_enrols_and_manager_validates_through_the_pages(world):
    trainer = client_for(world.users["trainer"])
    response = trainer.post(
        reverse("training:workshop_record"),
        {
            "course": world.course.pk,
            "title": "Réplica en Zamora",
            "start_date": "2022-05-10",
            "end_date": "2022-05-10",
            "country": world.mexico.pk,
            "subdivision": world.michoacan.pk,
            "generate_sessions": "on",
        },
    )
    assert response.status_code == 302, response.content[:2000]
    workshop = Workshop.objects.get(title="Réplica en Zamora")
    assert workshop.validation == Workshop.Validation.PENDING
    page = trainer.get(workshop.get_absolute_url(), headers={"accept-language": "en"})
    assert "Waiting for validation" in page.content.decode()
    assert reverse("training:workshop_surveys", args=[workshop.pk]) in page.content.decode()

    # The trainer finds a participant they were never shown before (same programme country).
    newcomer = PersonFactory(institution=world.institution, given_names="Xóchitl")
    found = trainer.post(
        reverse("training:person_search", args=[workshop.pk]) + "?for=enrol", {"q": "xochitl"}
    )
    assert newcomer.full_name in found.content.decode()
    enrol = trainer.post(
        reverse("training:workshop_enrol", args=[workshop.pk]), {"person": newcomer.pk}
    )
    assert enrol.status_code == 302
    assert Enrolment.objects.filter(workshop=workshop, person=newcomer).exists()
    # …but nobody from outside the programme's countries.
    stranger = world.stranger
    refused = trainer.post(
        reverse("training:workshop_enrol", args=[workshop.pk]), {"person": stranger.pk}
    )
    assert refused.status_code == 404

    manager = client_for(world.users["state_manager"])
    queue = manager.get(reverse("training:validation_queue"))
    assert "Réplica en Zamora" in queue.content.decode()
    listing = manager.get(reverse("training:workshop_list"))
    assert reverse("training:validation_queue") in listing.content.decode()
    rejected = manager.post(
        reverse("training:validation_queue"),
        {"workshop": workshop.pk, "decision": "reject", "reason": ""},
    )
    assert rejected.status_code == 302
    assert Workshop.objects.get(pk=workshop.pk).validation == Workshop.Validation.PENDING
    manager.post(
        reverse("training:validation_queue"), {"workshop": workshop.pk, "decision": "validate"}
    )
    assert Workshop.objects.get(pk=workshop.pk).validation == Workshop.Validation.VALIDATED


def test_trainer_creates_before_and_after_survey_links_for_their_workshop(world):
    from fortalece.impact.models import SurveyInstrument, SurveyLink

    instrument = SurveyInstrument.objects.create(
        programme=world.programme, title="Conocimientos", version="1", definition={}
    )
    trainer = client_for(world.users["trainer"])
    url = reverse("training:workshop_surveys", args=[world.workshop.pk])
    assert "Conocimientos" in trainer.get(url).content.decode()
    for wave in ("pre", "post"):
        response = trainer.post(url, {"instrument": instrument.pk, "wave": wave})
        assert response.status_code == 302
    links = SurveyLink.objects.filter(workshop=world.workshop)
    assert sorted(links.values_list("wave", flat=True)) == ["post", "pre"]
    assert set(links.values_list("audience", flat=True)) == {"trained"}
    assert set(links.values_list("created_by", flat=True)) == {world.users["trainer"].pk}
    # An instrument of another programme is refused.
    other = SurveyInstrument.objects.create(
        programme=world.other_workshop.programme, title="Otro", version="1", definition={}
    )
    trainer.post(url, {"instrument": other.pk, "wave": "pre"})
    assert links.count() == 2


def test_regional_workshop_counts_each_participant_in_their_own_country(world):
    """Seed 004: prosecutors from 10 countries in one workshop held in one of them."""
    from fortalece.programmes.tests.factories import ProgrammeFactory
    from fortalece.training.tests.factories import CourseFactory, WorkshopFactory

    countries = [CountryFactory(code=code) for code in ("TH", "VN", "KH", "LA", "NP")]
    programme = ProgrammeFactory(countries=countries)
    course = CourseFactory(programme=programme)
    workshop = WorkshopFactory(course=course, country=countries[0], subdivision=None)
    services.session_create(workshop=workshop, date=workshop.start_date)
    people = []
    for country in countries:
        office = InstitutionFactory(country=country, subdivision=None)
        people += [PersonFactory(institution=office) for _ in range(2)]
    _attend_all(workshop, people, None)
    by_country = dict(
        ReachYear.objects.filter(programme=programme)
        .values_list("country__code")
        .annotate(n=Count("pk"))
        .values_list("country__code", "n")
    )
    assert by_country == {c.code: 2 for c in countries}
    _assert_reach_equals_count_distinct(programme.pk)


def test_managers_workshops_are_validated_from_the_start(world):
    workshop = services.workshop_create(
        course=world.course,
        title="Planned",
        start_date=datetime.date(2022, 1, 1),
        end_date=datetime.date(2022, 1, 1),
        country=world.mexico,
        subdivision=world.michoacan,
    )
    assert workshop.validation == Workshop.Validation.VALIDATED
    assert workshop.recorded_by is None


def test_a_trainer_without_a_person_record_cannot_record(world):
    lone = make_user(Role.TRAINER, programme=world.programme)
    assert client_for(lone).get(reverse("training:workshop_record")).status_code == 403


@pytest.mark.parametrize("odd", ["²", "٣", "9" * 30])
def test_odd_ids_posted_to_roll_out_pages_are_refused_never_a_server_error(world, odd):
    """``str.isdigit`` is true for "²", which ``int`` refuses: those were 500s (query_int)."""
    from fortalece.impact.models import SurveyLink

    manager = client_for(world.users["state_manager"])
    response = manager.post(
        reverse("training:validation_queue"), {"workshop": odd, "decision": "validate"}
    )
    assert response.status_code == 404
    trainer = client_for(world.users["trainer"])
    url = reverse("training:workshop_surveys", args=[world.workshop.pk])
    assert trainer.post(url, {"instrument": odd, "wave": "pre"}).status_code == 302
    assert not SurveyLink.objects.filter(workshop=world.workshop).exists()
