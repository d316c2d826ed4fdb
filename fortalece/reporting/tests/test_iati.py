"""The IATI activity export validates against the official 2.03 schema."""

from pathlib import Path

import pytest
from django.urls import reverse
from lxml import etree

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for
from fortalece.programmes.models import Organisation, ProgrammePartner, SdgTarget
from fortalece.reporting.iati import activity_document
from fortalece.training.models import ProgrammeReach

pytestmark = pytest.mark.django_db
SCHEMA = Path(__file__).parent / "data" / "iati-2.03" / "iati-activities-schema.xsd"


def _schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def _reach(world, count, sex):
    from fortalece.people.tests.factories import PersonFactory

    for _ in range(count):
        person = PersonFactory(institution=world.institution, sex=sex)
        ProgrammeReach.objects.create(
            programme=world.programme,
            person=person,
            sex=sex,
            profession=person.profession,
            subdivision=world.michoacan,
            first_reached_on=world.workshop.start_date,
        )


def test_the_activity_file_validates_and_carries_results_by_sex(world):
    eu = Organisation.objects.create(name="European Union", acronym="EU", kind="multilateral")
    unodc = Organisation.objects.create(name="UNODC", kind="un")
    ProgrammePartner.objects.create(programme=world.programme, organisation=eu, role="donor")
    ProgrammePartner.objects.create(
        programme=world.programme, organisation=unodc, role="implementer"
    )
    world.programme.subdivisions.add(world.michoacan)
    sdg = SdgTarget.objects.filter(code="5.2").first() or SdgTarget.objects.create(
        code="5.2", goal=5, title_en="Violence", title_es="Violencia"
    )
    world.programme.sdg_targets.add(sdg)
    _reach(world, 12, "female")
    _reach(world, 9, "male")
    document = etree.fromstring(activity_document(world.programme))
    schema = _schema()
    assert schema.validate(document), schema.error_log
    activity = document.find("iati-activity")
    assert activity.find("iati-identifier").text.endswith(world.programme.code)
    roles = {o.get("role") for o in activity.findall("participating-org")}
    assert roles == {"1", "4"}
    assert activity.find("tag").get("code") == "5.2"
    assert activity.find("location").get("ref") == "MX-MIC"
    actuals = activity.findall("result/indicator/period/actual")
    assert [
        (a.get("value"), a.find("dimension").get("value") if len(a) else None) for a in actuals
    ] == [
        ("21", None),
        ("12", "female"),
        ("9", "male"),
    ]


def test_small_figures_are_left_out_and_the_file_still_validates(world):
    _reach(world, 12, "female")
    _reach(world, 2, "male")
    document = etree.fromstring(activity_document(world.programme))
    assert _schema().validate(document)
    actuals = document.findall("iati-activity/result/indicator/period/actual")
    assert [a.get("value") for a in actuals] == ["14"]  # no sex split: 2 men would show


def test_iati_permission_matrix_and_a_corrupt_schema_would_fail(world):
    url = reverse("reporting:iati", args=[world.programme.pk])
    allowed = {"admin", "manager", "state_manager", "other_state_manager", "me", "donor"}
    assert_permission_matrix(url, matrix(world, allowed))
    response = client_for(world.users["donor"]).get(url)
    broken = etree.fromstring(response.content)
    broken.find("iati-activity").remove(broken.find("iati-activity/iati-identifier"))
    assert not _schema().validate(broken)
