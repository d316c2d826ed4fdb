from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fortalece.training.models import Enrolment, ProgrammeReach
from fortalece.training.services.reach import reach_rebuild, reach_refresh
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def test_reach_counts_a_person_once_however_many_workshops_they_attend():
    first = WorkshopFactory()
    second = WorkshopFactory(course__programme=first.programme)
    enrolment = EnrolmentFactory(workshop=first, status=Enrolment.Status.ATTENDED)
    EnrolmentFactory(workshop=second, person=enrolment.person, status=Enrolment.Status.COMPLETED)

    reach_refresh(programme_id=first.programme_id, person_ids=[enrolment.person_id])

    row = ProgrammeReach.objects.get()
    assert row.person_id == enrolment.person_id
    assert row.completed is True


def test_reach_refresh_removes_people_no_longer_reached():
    enrolment = EnrolmentFactory(status=Enrolment.Status.ATTENDED)
    programme_id = enrolment.workshop.programme_id
    reach_refresh(programme_id=programme_id, person_ids=[enrolment.person_id])
    enrolment.status = Enrolment.Status.DROPPED
    enrolment.save()

    reach_refresh(programme_id=programme_id, person_ids=[enrolment.person_id])

    assert not ProgrammeReach.objects.exists()


def test_nominated_and_enrolled_people_are_not_reached_yet():
    EnrolmentFactory(status=Enrolment.Status.NOMINATED)
    EnrolmentFactory(status=Enrolment.Status.ENROLLED)

    assert reach_rebuild() == 0


def test_rebuild_matches_refresh_and_leaves_other_programmes_alone():
    first = WorkshopFactory()
    other = WorkshopFactory()
    people = [
        EnrolmentFactory(workshop=first, status=status).person_id
        for status in (Enrolment.Status.ATTENDED, Enrolment.Status.COMPLETED)
    ]
    EnrolmentFactory(workshop=other, status=Enrolment.Status.ATTENDED)
    reach_refresh(programme_id=first.programme_id, person_ids=people)
    fields = ("programme_id", "person_id", "sex", "profession", "subdivision_id")
    refreshed = sorted(ProgrammeReach.objects.values_list(*fields, "first_reached_on", "completed"))

    with CaptureQueriesContext(connection) as queries:
        assert reach_rebuild(programme_id=first.programme_id) == 2
    # The advisory lock (PostgreSQL) reads no row; leave it out of the count.
    statements = [
        q["sql"].split()[0].upper()
        for q in queries.captured_queries
        if "pg_advisory_xact_lock" not in q["sql"]
    ]
    # One DELETE and one INSERT … SELECT: no row is ever read into Python.
    assert [s for s in statements if s in {"SELECT", "DELETE", "INSERT"}] == ["DELETE", "INSERT"]
    assert (
        sorted(ProgrammeReach.objects.values_list(*fields, "first_reached_on", "completed"))
        == refreshed
    )
    assert reach_rebuild() == 3


def test_rebuild_reach_command_rebuilds_one_or_all_programmes():
    enrolment = EnrolmentFactory(status=Enrolment.Status.ATTENDED)
    out = StringIO()
    call_command("rebuild_reach", programme=enrolment.workshop.programme_id, stdout=out)
    assert "1" in out.getvalue()
    assert ProgrammeReach.objects.get().person_id == enrolment.person_id
    call_command("rebuild_reach", stdout=StringIO())
    assert ProgrammeReach.objects.count() == 1


def test_rebuild_reach_command_explains_an_unknown_programme():
    with pytest.raises(CommandError, match="No programme with id 999999"):
        call_command("rebuild_reach", programme=999999)
