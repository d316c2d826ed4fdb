import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from fortalece.core.choices import Sex
from fortalece.demo.synthetic import generate
from fortalece.geography.models import Municipality
from fortalece.people.models import Institution, Person
from fortalece.people.services import institution_update, person_update
from fortalece.reporting import indicators
from fortalece.reporting.indicators import BREAKDOWNS, IndicatorFilters
from fortalece.training.models import Course, Enrolment, ReachYear
from fortalece.training.services import attendance_record, course_update, enrolment_set_status
from fortalece.training.services.reach_rollups import reach_year_rebuild

pytestmark = pytest.mark.django_db


def _assert_same(filters):
    assert indicators.headline(filters) == indicators.naive_headline(filters)
    for breakdown in BREAKDOWNS:
        assert indicators.rollup_breakdown(filters, breakdown.key) == (
            indicators.naive_breakdown(filters, breakdown.key)
        ), breakdown.key


def test_the_year_rollup_and_count_distinct_agree_for_every_breakdown_and_after_changes():
    call_command("load_geography", country="MX", verbosity=0)
    result = generate(people=300, seed=5)
    programme_id = result.programme.pk
    # Some variety: an online and a train-the-trainer course, institutions in municipalities.
    courses = list(Course.objects.filter(programme_id=programme_id).order_by("pk"))
    course_update(course=courses[0], modality=Course.Modality.ONLINE)
    if len(courses) > 1:
        course_update(course=courses[1], is_train_the_trainer=True, hours=Decimal(40))
    institution = Institution.objects.filter(people__reach__programme_id=programme_id).first()
    town = Municipality.objects.filter(subdivision=institution.subdivision).first()
    institution_update(institution=institution, municipality=town, kind="court")
    years = sorted(set(ReachYear.objects.values_list("year", flat=True)))
    assert len(years) > 2
    cases = [
        IndicatorFilters(programme_ids=(programme_id,)),
        IndicatorFilters(programme_ids=(programme_id,), year_from=years[1], year_to=years[1]),
        IndicatorFilters(programme_ids=(programme_id,), year_from=years[0], year_to=years[2]),
    ]
    for filters in cases:
        _assert_same(filters)
    assert ReachYear.objects.filter(online=True).exists()
    assert ReachYear.objects.filter(municipality=town, institution_kind="court").exists()

    changed = Enrolment.objects.filter(workshop__programme_id=programme_id).order_by("pk")[:30]
    for enrolment in changed:
        enrolment_set_status(enrolment=enrolment, status=Enrolment.Status.DROPPED, by=None)
    for enrolment in changed[:10]:
        enrolment_set_status(enrolment=enrolment, status=Enrolment.Status.ENROLLED, by=None)
        for session in enrolment.workshop.sessions.all():
            attendance_record(session=session, enrolment=enrolment, present=True, by=None)
    assert Enrolment.objects.get(pk=changed[0].pk).status == Enrolment.Status.COMPLETED
    person = Person.objects.filter(reach__programme_id=programme_id).order_by("pk").first()
    person_update(person=person, by=None, sex=Sex.OTHER if person.sex != Sex.OTHER else Sex.MALE)
    for filters in cases:
        _assert_same(filters)

    before = indicators.breakdown_counts(cases[0], "state")
    reach_year_rebuild(programme_id=programme_id)
    assert indicators.breakdown_counts(cases[0], "state") == before


def test_two_programmes_count_a_person_once(world):
    from fortalece.training.tests.factories import (
        CourseFactory,
        EnrolmentFactory,
        SessionFactory,
        WorkshopFactory,
    )

    other_course = CourseFactory(programme=world.other_programme, hours=Decimal(10))
    workshop = WorkshopFactory(
        course=other_course,
        country=world.mexico,
        start_date=datetime.date(2021, 3, 1),
        end_date=datetime.date(2021, 3, 2),
    )
    attendance_record(session=world.session, enrolment=world.enrolment, present=True, by=None)
    first, _second = (
        SessionFactory(workshop=workshop, date=datetime.date(2021, 3, d)) for d in (1, 2)
    )
    both = EnrolmentFactory(workshop=workshop, person=world.person)
    attendance_record(session=first, enrolment=both, present=True, by=None)  # half: attended
    filters = IndicatorFilters(
        programme_ids=(world.programme.pk, world.other_programme.pk), year_from=2021, year_to=2021
    )
    figures = indicators.headline(filters)
    assert figures["people"] == 1
    assert figures["participations"] == 2 and figures["completions"] == 1
    assert figures == indicators.naive_headline(filters)
    assert indicators.trend(filters, suppress_small=False) == [(2021, 1)]
    assert indicators.trend(filters, suppress_small=True) == [(2021, None)]
