import re

import pytest
from django.urls import reverse

from fortalece.core.testing import client_for
from fortalece.geography.tests.factories import SubdivisionFactory
from fortalece.referrals.models import Pathway, Service

pytestmark = pytest.mark.django_db

NATIONAL = {"911", "089", "55 5658 1111"}


def test_demo_directory_is_marked_and_has_no_real_numbers_but_the_national_lines(world):
    from fortalece.demo.seed import referrals

    SubdivisionFactory(country=world.mexico, code="MX-ROO", name="Quintana Roo")
    assert referrals.seed(say=lambda _m: None)
    assert referrals.seed(say=lambda _m: None) is False  # safe to run twice
    services = Service.objects.all()
    assert services.exists() and not services.filter(is_demo=False).exists()
    for s in services:
        assert s.phone in NATIONAL or re.fullmatch(r"\d{2,3} 000 \d{4}", s.phone), s.phone
        assert s.phone in NATIONAL or s.name.startswith("(demo)")
        assert not s.whatsapp or " 000 " in s.whatsapp
    tourist = Pathway.objects.get(subdivision__code="MX-ROO", case_kind="foreign_tourist")
    assert tourist.is_demo and tourist.steps.count() >= 3
    assert all(step.never for step in tourist.steps.all())
    assert Pathway.objects.filter(subdivision__code="MX-MIC").count() >= 3
    # Every step points to services of the directory where it names some.
    assert tourist.steps.filter(services__isnull=False).exists()


def _many(world, n):
    for i in range(n):
        s = Service.objects.create(
            name=f"S{i}",
            kind="shelter",
            country=world.mexico,
            subdivision=world.michoacan,
            latitude=19.7 + i / 1000,
            longitude=-101.19,
        )
        s.hours.create(weekday=i % 7, opens="09:00", closes="17:00")


@pytest.mark.parametrize("n", [3, 30])
def test_list_and_search_queries_do_not_grow_with_rows(world, n, django_assert_max_num_queries):
    _many(world, n)
    client = client_for(world.users["state_manager"])
    # 21 whatever the number of services (the header's notification bell is one of them).
    with django_assert_max_num_queries(21):
        assert client.get(reverse("referrals:service_list")).status_code == 200
    with django_assert_max_num_queries(21):
        response = client.get(
            reverse("referrals:search"), {"lat": "19.7", "lon": "-101.19"}, follow=True
        )
        assert response.status_code == 200
