import pytest
from django.core.management import call_command

from fortalece.demo.synthetic import generate
from fortalece.reporting import selectors
from fortalece.reporting.services import reach_rebuild
from fortalece.training.models import Enrolment
from fortalece.training.services import enrolment_set_status

pytestmark = pytest.mark.django_db


def _assert_same(programme_id):
    assert selectors.reach_table_reached(programme_id) == selectors.plain_reached(programme_id)
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
