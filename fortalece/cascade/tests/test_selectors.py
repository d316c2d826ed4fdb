import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fortalece.cascade.core import graph as reference
from fortalece.cascade.selectors import (
    cascade_breakdown,
    cascade_cycles,
    cascade_figures,
    cascade_generations,
)
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.training.models import Enrolment, WorkshopTrainer
from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db


def build(edges, people=None, status=Enrolment.Status.COMPLETED):
    """One workshop per trainer; each learner enrolled in their trainer's workshop."""
    institution = InstitutionFactory()
    ids = sorted({p for e in edges for p in e} | set(people or []))
    persons = {i: PersonFactory(institution=institution) for i in ids}
    workshops = {}
    for trainer, learner in edges:
        if trainer not in workshops:
            first = next(iter(workshops.values()), None)
            workshops[trainer] = WorkshopFactory(**({"course": first.course} if first else {}))
            WorkshopTrainer.objects.create(workshop=workshops[trainer], person=persons[trainer])
        EnrolmentFactory(workshop=workshops[trainer], person=persons[learner], status=status)
    return persons


def test_hand_computed_three_generation_cascade():
    # master 1 -> state trainers 2, 3 -> officers 4, 5, 6 (2 taught 4, 5; 3 taught 6)
    persons = build([(1, 2), (1, 3), (2, 4), (2, 5), (3, 6)])
    figures = cascade_figures()
    master = figures[persons[1].pk]
    assert (master.direct, master.indirect, master.depth, master.trainers_trained) == (2, 3, 2, 2)
    assert master.multiplier == 1.5
    state = figures[persons[2].pk]
    assert (state.direct, state.indirect, state.depth, state.trainers_trained) == (2, 0, 1, 0)
    assert state.multiplier is None
    assert cascade_generations() == [(1, 2), (2, 3)]
    assert cascade_cycles() == []


def test_person_reached_twice_counts_once_at_the_nearest_generation():
    persons = build([(1, 2), (2, 3), (1, 3)])
    master = cascade_figures()[persons[1].pk]
    assert (master.direct, master.indirect) == (2, 0)


def test_loops_are_reported_and_never_recurse_forever():
    persons = build([(1, 2), (2, 3), (3, 1)])
    figures = cascade_figures()
    assert figures[persons[1].pk].total == 2
    assert sorted(cascade_cycles()) == sorted(p.pk for p in persons.values())


def test_nominated_or_dropped_people_are_not_part_of_the_cascade():
    build([(1, 2)], status=Enrolment.Status.NOMINATED)
    assert cascade_figures() == {}


def test_breakdown_by_sex_adds_up_to_the_total():
    persons = build([(1, 2), (1, 3), (2, 4)])
    rows = cascade_breakdown(root_id=persons[1].pk, by="sex")
    assert sum(r[1] for r in rows) == 2
    assert sum(r[2] for r in rows) == 1


def test_breakdown_refuses_unknown_columns():
    with pytest.raises(ValueError):
        cascade_breakdown(root_id=1, by="email; DROP TABLE x")


forests = st.lists(
    st.tuples(st.integers(0, 9), st.integers(0, 9)).filter(lambda e: e[0] != e[1]),
    min_size=1,
    max_size=18,
    unique=True,
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(edges=forests)
def test_sql_matches_the_reference_on_generated_graphs(edges):
    WorkshopTrainer.objects.all().delete()
    Enrolment.objects.all().delete()
    persons = build(edges)
    by_pk = {p.pk: i for i, p in persons.items()}
    graph = reference.adjacency(edges)

    sql = {by_pk[k]: v for k, v in cascade_figures().items()}

    for trainer in graph:
        expected = reference.figures(graph, trainer)
        got = sql[trainer]
        assert (got.direct, got.indirect, got.depth, got.trainers_trained) == (
            expected.direct,
            expected.indirect,
            expected.depth,
            expected.trainers_trained,
        ), (edges, trainer)
    assert {by_pk[p] for p in cascade_cycles()} == reference.trainers_in_cycles(graph)
