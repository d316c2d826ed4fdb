"""Report pages read the reach table from the replica when one is configured; nothing else
does, and writes never go there. The test database alias ``replica`` mirrors ``default``."""

import re

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fortalece.core.routers import ReportingReplicaRouter, replica_reads
from fortalece.core.testing import client_for
from fortalece.people.models import Person
from fortalece.training.models import ProgrammeReach

pytestmark = pytest.mark.django_db(transaction=True, databases=["default", "replica"])


def test_dashboard_reads_the_reach_table_from_the_replica(world, settings):
    settings.FORTALECE_READ_REPLICA = True
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    with (
        CaptureQueriesContext(connections["replica"]) as replica,
        CaptureQueriesContext(connections["default"]) as default,
    ):
        response = client_for(world.users["manager"]).get(url)
    assert response.status_code == 200
    # Reading the reach table itself; a query of another table may still filter by it in a
    # subquery (aliased U0), which runs where its outer query runs.
    reach = re.compile(r'FROM "reporting_programmereach"(?! U\d)')
    assert any(reach.search(q["sql"]) for q in replica.captured_queries)
    assert not any(reach.search(q["sql"]) for q in default.captured_queries)
    # Who the user is and what they may see is decided on the primary.
    assert not any("accounts_" in q["sql"] for q in replica.captured_queries)


def test_without_a_replica_everything_reads_from_default(world, settings):
    settings.FORTALECE_READ_REPLICA = False
    url = reverse("reporting:dashboard", args=[world.programme.pk])
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert client_for(world.users["manager"]).get(url).status_code == 200
    assert replica.captured_queries == []


def test_router_only_routes_report_tables_inside_replica_reads(settings):
    settings.FORTALECE_READ_REPLICA = True
    router = ReportingReplicaRouter()
    assert router.db_for_read(ProgrammeReach) is None
    with replica_reads():
        assert router.db_for_read(ProgrammeReach) == "replica"
        assert router.db_for_read(Person) is None
        assert router.db_for_write(ProgrammeReach) is None
    assert router.allow_migrate("replica", "reporting") is False
    assert router.allow_migrate("default", "reporting") is True
