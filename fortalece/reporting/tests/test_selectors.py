"""Dashboard figures on a dataset small enough to count by hand.

Programme P, Mexico; institutions in Jalisco (J) and Michoacán (M). Workshops:
W1 J 2021-03, W2 M 2021-05, W3 J 2022-01, W4 M 2030 (future), W5 J 2021-04 (nobody came),
and WX in another programme.

    a  female police      J  W1 attended, W3 completed    reached 2021-03, completed
    b  female police      J  W1 completed                 reached 2021-03, completed
    c  male   911         M  W2 attended                  reached 2021-05
    d  male   police      M  W2 dropped                   not reached
    e  n/s    police      M  W2 attended, W3 attended     reached 2021-05
    f  female prosecutor  J  W3 completed                 reached 2022-01, completed
    g  male   police      J  W4 enrolled, W5 nominated    not reached
    h  female police      J  WX attended                  another programme only

Reached 5, completed 3 (60 %), workshops held 3 (W1, W2, W3).
"""

import datetime
from types import SimpleNamespace

import pytest
from django.utils import translation

from fortalece.accounts.models import Role
from fortalece.core.choices import Profession, Sex
from fortalece.core.testing import make_user
from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.programmes.models import Target
from fortalece.programmes.tests.factories import ProgrammeFactory, TargetFactory
from fortalece.reporting import selectors
from fortalece.reporting.selectors import DashboardFilters, dashboard
from fortalece.training.models import Enrolment
from fortalece.training.services.reach import reach_rebuild
from fortalece.training.tests.factories import CourseFactory, EnrolmentFactory, WorkshopFactory

pytestmark = pytest.mark.django_db

S = Enrolment.Status
D = datetime.date


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def data():
    mexico = CountryFactory(code="MX")
    jalisco = SubdivisionFactory(country=mexico, code="MX-JAL", name="Jalisco")
    michoacan = SubdivisionFactory(country=mexico, code="MX-MIC", name="Michoacán")
    programme = ProgrammeFactory(countries=[mexico])
    course = CourseFactory(programme=programme)
    other_course = CourseFactory(programme=ProgrammeFactory(countries=[mexico]))

    def workshop(state, start, course=course):
        return WorkshopFactory(
            course=course,
            subdivision=state,
            start_date=start,
            end_date=start + datetime.timedelta(days=2),
        )

    w1, w2 = workshop(jalisco, D(2021, 3, 10)), workshop(michoacan, D(2021, 5, 3))
    w3, w4 = workshop(jalisco, D(2022, 1, 10)), workshop(michoacan, D(2030, 1, 1))
    w5, wx = workshop(jalisco, D(2021, 4, 5)), workshop(jalisco, D(2021, 3, 1), other_course)
    inst = {
        "J": InstitutionFactory(country=mexico, subdivision=jalisco),
        "M": InstitutionFactory(country=mexico, subdivision=michoacan),
    }
    cast = {
        "a": (Sex.FEMALE, Profession.POLICE, "J", [(w1, S.ATTENDED), (w3, S.COMPLETED)]),
        "b": (Sex.FEMALE, Profession.POLICE, "J", [(w1, S.COMPLETED)]),
        "c": (Sex.MALE, Profession.EMERGENCY_OPERATOR, "M", [(w2, S.ATTENDED)]),
        "d": (Sex.MALE, Profession.POLICE, "M", [(w2, S.DROPPED)]),
        "e": (Sex.NOT_STATED, Profession.POLICE, "M", [(w2, S.ATTENDED), (w3, S.ATTENDED)]),
        "f": (Sex.FEMALE, Profession.PROSECUTOR, "J", [(w3, S.COMPLETED)]),
        "g": (Sex.MALE, Profession.POLICE, "J", [(w4, S.ENROLLED), (w5, S.NOMINATED)]),
        "h": (Sex.FEMALE, Profession.POLICE, "J", [(wx, S.ATTENDED)]),
    }
    for sex, profession, state, enrolments in cast.values():
        person = PersonFactory(sex=sex, profession=profession, institution=inst[state])
        for w, status in enrolments:
            EnrolmentFactory(workshop=w, person=person, status=status)
    reach_rebuild()
    return SimpleNamespace(mexico=mexico, jalisco=jalisco, michoacan=michoacan, programme=programme)


def test_headline_figures_count_each_person_once(data):
    figures = dashboard(data.programme, DashboardFilters(), suppress_small=False)
    assert figures["reached"] == 5
    assert figures["completed"] == 3
    assert figures["completion_rate"] == 60
    assert figures["workshops_held"] == 3


def test_exact_tables_hide_only_a_small_cell_of_sex_not_stated(data):
    figures = dashboard(data.programme, DashboardFilters(), suppress_small=False)
    assert figures["by_sex"] == [("Female", 3), ("Male", 1), ("Not stated", "<5")]
    assert figures["by_profession"] == [
        ("Police officer", 3),
        ("911 / emergency call operator", 1),
        ("Prosecutor", 1),
    ]
    assert figures["by_state"] == [("Jalisco", 3), ("Michoacán", 2)]


def test_months_run_without_gaps_from_the_first_to_the_last_reach(data):
    months = dashboard(data.programme, DashboardFilters(), suppress_small=False)["by_month"]
    assert months[0] == ("2021-03", 2)
    assert months[-1] == ("2022-01", 1)
    assert len(months) == 11
    assert dict(months)["2021-05"] == 2
    assert sum(n for _, n in months) == 5


def test_published_tables_hide_small_cells_with_complementary_suppression(data, settings):
    settings.FORTALECE_MIN_CELL_SIZE = 2
    figures = dashboard(data.programme, DashboardFilters(), suppress_small=True)
    assert figures["by_sex"] == [("Female", 3), ("Male", "<2"), ("Not stated", "<2")]
    assert figures["by_profession"] == [
        ("Police officer", 3),
        ("911 / emergency call operator", "<2"),
        ("Prosecutor", "<2"),
    ]
    assert figures["by_state"] == [("Jalisco", 3), ("Michoacán", 2)]
    months = dict(figures["by_month"])
    # 2022-01 holds one person; the smallest other month is hidden with it, marked as such.
    assert months["2022-01"] == "<2" and months["2021-03"] == "hidden"
    assert months["2021-05"] == 2 and months["2021-04"] == 0
    assert figures["reached"] == 5  # no filter: the programme's total is published


def test_filters_by_state_and_by_month_of_first_reach(data):
    by_state = dashboard(
        data.programme, DashboardFilters(subdivision_id=data.michoacan.pk), suppress_small=False
    )
    assert (by_state["reached"], by_state["completed"], by_state["workshops_held"]) == (2, 0, 1)
    since_may = dashboard(
        data.programme, DashboardFilters(date_from=D(2021, 5, 1)), suppress_small=False
    )
    # ``a`` came back in 2022 but was first reached in March 2021.
    assert since_may["reached"] == 3
    assert since_may["workshops_held"] == 2
    until_april = dashboard(
        data.programme, DashboardFilters(date_to=D(2021, 4, 30)), suppress_small=False
    )
    assert (until_april["reached"], until_april["completed"]) == (2, 2)


def test_donors_do_not_see_a_filtered_headline_below_the_minimum(data):
    narrow = DashboardFilters(subdivision_id=data.michoacan.pk)
    figures = dashboard(data.programme, narrow, suppress_small=True)
    assert figures["reached"] is None
    assert figures["completed"] is None
    assert figures["completion_rate"] is None
    assert dashboard(data.programme, narrow, suppress_small=False)["reached"] == 2


def test_reach_table_and_count_distinct_agree_by_hand(data):
    pk = data.programme.pk
    assert selectors.plain_reached(pk) == selectors.reach_table_reached(pk) == 5
    assert selectors.plain_completed(pk) == selectors.reach_table_completed(pk) == 3
    assert (
        selectors.plain_by(pk, "sex")
        == selectors.reach_table_by(pk, "sex")
        == {
            "female": 3,
            "male": 1,
            "not_stated": 1,
        }
    )
    assert selectors.plain_by(pk, "subdivision") == {data.jalisco.pk: 3, data.michoacan.pk: 2}
    assert selectors.reach_table_by(pk, "subdivision") == {
        data.jalisco.pk: 3,
        data.michoacan.pk: 2,
    }


def test_who_sees_exact_figures(world):
    programme = world.programme
    donor_and_manager_elsewhere = make_user(Role.DONOR_VIEWER, programme=programme)
    donor_and_manager_elsewhere.role_assignments.create(
        role=Role.PROGRAMME_MANAGER, country=world.guatemala
    )
    expected = {
        "admin": True,
        "manager": True,
        "state_manager": True,
        "me": True,
        "donor": False,
    }
    for label, exact in expected.items():
        assert selectors.sees_exact_figures(world.users[label], programme) is exact, label
    assert selectors.sees_exact_figures(donor_and_manager_elsewhere, programme) is False


def test_donors_see_small_target_progress_hidden_but_workshop_counts_kept(data):
    reached = TargetFactory(programme=data.programme, metric=Target.Metric.PEOPLE_REACHED)
    held = TargetFactory(programme=data.programme, metric=Target.Metric.WORKSHOPS_HELD, value=10)
    rows = [
        {"target": reached, "current": 3, "percent": 4.0, "bar": 4.0, "done": False},
        {"target": held, "current": 3, "percent": 30.0, "bar": 30.0, "done": False},
    ]
    published = selectors.publish_progress(rows, minimum=5)
    assert (published[0]["current"], published[0]["percent"]) == (None, None)
    assert published[1] == rows[1]


def test_publish_puts_hidden_rows_last_in_label_order():
    rows = [("Zacatecas", 2), ("Colima", 40), ("Baja California", 1), ("Jalisco", 9)]
    shown = selectors.publish(rows, minimum=5, suppress_small=True, sensitive=set())
    assert shown == [("Colima", 40), ("Jalisco", 9), ("Baja California", "<5"), ("Zacatecas", "<5")]


def test_publish_marks_a_complementary_cell_as_hidden_not_small():
    rows = [("Male", 31), ("Female", 24), ("Not stated", 1)]
    assert selectors.publish(rows, minimum=5, suppress_small=True, sensitive=set()) == [
        ("Male", 31),
        ("Female", "hidden"),
        ("Not stated", "<5"),
    ]


def test_month_series_fills_gaps_across_years():
    assert selectors.month_series({"2020-11": 1, "2021-02": 3}) == [
        ("2020-11", 1),
        ("2020-12", 0),
        ("2021-01", 0),
        ("2021-02", 3),
    ]
    assert selectors.month_series({}) == []
