"""The programme dashboard runs a fixed number of queries, however many people it counts."""

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for, query_count
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.training import services
from fortalece.training.models import Enrolment

pytestmark = pytest.mark.django_db


def _reach(world, people: int) -> None:
    from fortalece.geography.tests.factories import SubdivisionFactory

    state = SubdivisionFactory(country=world.mexico)
    institution = InstitutionFactory(country=world.mexico, subdivision=state)
    ids = [PersonFactory(institution=institution).pk for _ in range(people)]
    services.enrolments_bulk_create(
        workshop=world.workshop, person_ids=ids, status=Enrolment.Status.COMPLETED, by=None
    )


@pytest.mark.parametrize("role", ["admin", "manager", "me", "donor"])
def test_dashboard_query_count_does_not_grow_with_people(world, role):
    client = client_for(world.users[role])
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    _reach(world, 3)
    before = query_count(client, url)
    _reach(world, 40)
    assert query_count(client, url) == before
