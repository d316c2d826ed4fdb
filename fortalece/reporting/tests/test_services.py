import pytest

from fortalece.reporting.models import ProgrammeReach
from fortalece.reporting.services import reach_rebuild, reach_refresh
from fortalece.training.models import Enrolment
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
