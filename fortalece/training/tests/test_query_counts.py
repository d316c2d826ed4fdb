"""The busiest pages run a fixed number of queries, however many rows they show."""

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for, query_count
from fortalece.people.tests.factories import PersonFactory
from fortalece.training import services
from fortalece.training.models import Enrolment, WorkshopTrainer
from fortalece.training.tests.factories import WorkshopFactory

pytestmark = pytest.mark.django_db


def _fill(world, workshop, people: int) -> None:
    ids = [PersonFactory(institution=world.institution).pk for _ in range(people)]
    services.enrolments_bulk_create(
        workshop=workshop, person_ids=ids, status=Enrolment.Status.ENROLLED, by=None
    )
    enrolments = list(workshop.enrolments.values_list("pk", flat=True))
    services.attendance_bulk_record(
        session=world.session, present_enrolment_ids=enrolments, absent_enrolment_ids=[], by=None
    )
    WorkshopTrainer.objects.get_or_create(
        workshop=workshop, person=PersonFactory(institution=world.institution)
    )


@pytest.mark.parametrize("role", ["admin", "manager", "trainer", "focal"])
def test_workshop_page_query_count_does_not_grow_with_participants(world, role):
    client = client_for(world.users[role])
    url = reverse("training:workshop_detail", args=[world.workshop.pk])
    _fill(world, world.workshop, 2)
    before = query_count(client, url)
    _fill(world, world.workshop, 30)
    assert query_count(client, url) == before


def test_workshop_list_query_count_does_not_grow_with_workshops(world):
    client = client_for(world.users["manager"])
    url = reverse("training:workshop_list")
    before = query_count(client, url)
    for _ in range(30):
        workshop = WorkshopFactory(
            course=world.course, country=world.mexico, subdivision=world.michoacan
        )
        PersonFactory(institution=world.institution)
        services.enrolment_create(
            workshop=workshop, person=PersonFactory(institution=world.institution), by=None
        )
    assert query_count(client, url) == before
