"""Where a status came from decides what may change it: attendance never overwrites an
imported record or a course completed online."""

import datetime

import pytest

from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Enrolment
from fortalece.training.services import (
    enrolment_complete_online,
    enrolment_recompute,
    enrolment_set_status,
    enrolments_bulk_create,
    session_create,
)

pytestmark = pytest.mark.django_db


def test_imported_completion_survives_a_session_added_later(world):
    people = [PersonFactory(institution=world.institution) for _ in range(3)]
    enrolments_bulk_create(
        workshop=world.workshop,
        person_ids=[p.pk for p in people],
        status=Enrolment.Status.COMPLETED,
        by=world.users["manager"],
    )
    session_create(workshop=world.workshop, date=datetime.date(2021, 11, 23))
    enrolment_recompute(enrolments=Enrolment.objects.filter(workshop=world.workshop))
    imported = Enrolment.objects.filter(person__in=people)
    assert set(imported.values_list("status", flat=True)) == {Enrolment.Status.COMPLETED}
    assert set(imported.values_list("status_source", flat=True)) == {Enrolment.Source.IMPORT}
    # The enrolment made by hand is still decided by attendance.
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.ENROLLED
    assert world.enrolment.status_source == Enrolment.Source.ATTENDANCE


def test_online_completion_counts_in_reach_and_is_not_undone_by_attendance(world):
    from fortalece.training.models import ProgrammeReach

    enrolment_complete_online(enrolment=world.enrolment, completed_on=datetime.date(2026, 3, 1))
    enrolment_recompute(enrolments=Enrolment.objects.filter(pk=world.enrolment.pk))
    world.enrolment.refresh_from_db()
    assert world.enrolment.status == Enrolment.Status.COMPLETED
    assert world.enrolment.status_source == Enrolment.Source.ONLINE
    reach = ProgrammeReach.objects.get(programme=world.programme, person=world.person)
    assert reach.completed


def test_re_enrolling_by_hand_hands_the_status_back_to_attendance(world):
    enrolments_bulk_create(
        workshop=world.workshop,
        person_ids=[PersonFactory(institution=world.institution).pk],
        status=Enrolment.Status.ATTENDED,
        by=world.users["manager"],
    )
    imported = Enrolment.objects.get(status_source=Enrolment.Source.IMPORT)
    enrolment_set_status(
        enrolment=imported, status=Enrolment.Status.DROPPED, by=world.users["manager"]
    )
    enrolment_set_status(
        enrolment=imported, status=Enrolment.Status.ENROLLED, by=world.users["manager"]
    )
    imported.refresh_from_db()
    assert imported.status_source == Enrolment.Source.ATTENDANCE
    assert imported.status == Enrolment.Status.ENROLLED
