import pytest
from django.core.management import call_command

from fortalece.core.choices import Sex
from fortalece.demo.synthetic import generate
from fortalece.geography.models import Subdivision
from fortalece.people.models import Person
from fortalece.people.services import institution_update, person_update
from fortalece.reporting import selectors
from fortalece.training.models import Enrolment
from fortalece.training.services import attendance_record, enrolment_set_status
from fortalece.training.services.reach import reach_rebuild

pytestmark = pytest.mark.django_db


def _assert_same(programme_id):
    assert selectors.reach_table_reached(programme_id) == selectors.plain_reached(programme_id)
    assert selectors.reach_table_completed(programme_id) == selectors.plain_completed(programme_id)
    for column in ("sex", "profession", "subdivision"):
        assert selectors.reach_table_by(programme_id, column) == selectors.plain_by(
            programme_id, column
        )


def test_reach_table_and_count_distinct_agree_on_a_generated_dataset_and_after_changes():
    call_command("load_geography", country="MX", verbosity=0)
    result = generate(people=400, seed=3)
    programme_id = result.programme.pk
    _assert_same(programme_id)
    assert selectors.reach_table_reached(programme_id) > 300

    changed = Enrolment.objects.filter(workshop__programme_id=programme_id).order_by("pk")[:40]
    for enrolment in changed:
        enrolment_set_status(enrolment=enrolment, status=Enrolment.Status.DROPPED, by=None)
    _assert_same(programme_id)
    for enrolment in changed[:20]:
        enrolment_set_status(enrolment=enrolment, status=Enrolment.Status.ENROLLED, by=None)
    _assert_same(programme_id)

    # Attendance marks turn enrolled people into attended or completed ones.
    for enrolment in changed[:10]:
        for session in enrolment.workshop.sessions.all():
            attendance_record(session=session, enrolment=enrolment, present=True, by=None)
    assert Enrolment.objects.get(pk=changed[0].pk).status == Enrolment.Status.COMPLETED
    _assert_same(programme_id)

    # The person's sex and their institution's state follow edits through the people services.
    person = Person.objects.filter(reach__programme_id=programme_id).order_by("pk").first()
    person_update(person=person, by=None, sex=Sex.OTHER if person.sex != Sex.OTHER else Sex.MALE)
    _assert_same(programme_id)
    institution = person.institution
    moved_to = Subdivision.objects.exclude(pk=institution.subdivision_id).order_by("code").first()
    institution_update(institution=institution, subdivision=moved_to)
    _assert_same(programme_id)
    assert selectors.reach_table_by(programme_id, "subdivision")[moved_to.pk] > 0

    before = selectors.reach_table_by(programme_id, "sex")
    reach_rebuild(programme_id=programme_id)
    assert selectors.reach_table_by(programme_id, "sex") == before


def test_generator_is_deterministic_and_refuses_to_run_twice_with_one_seed():
    call_command("load_geography", country="MX", verbosity=0)
    first = generate(people=50, seed=9)
    with pytest.raises(ValueError):
        generate(people=50, seed=9)
    names = sorted(first.programme.workshops.values_list("title", "start_date"))
    assert len(names) == first.workshops
