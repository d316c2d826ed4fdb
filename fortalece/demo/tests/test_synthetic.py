"""``fortalece generate_synthetic``: small datasets, same seed same data, never twice."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Max, Min

from fortalece.core.choices import Profession, Sex
from fortalece.demo.synthetic import ProgrammeExists, generate
from fortalece.people.models import Person
from fortalece.programmes.models import Programme
from fortalece.reporting import selectors
from fortalece.training.models import Attendance, Enrolment

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _mexico():
    call_command("load_geography", country="MX", verbosity=0)


def _snapshot(programme):
    """Everything generated for a programme, in creation order, without ids or codes."""
    people = list(
        Person.objects.filter(enrolments__workshop__programme=programme)
        .distinct()
        .order_by("pk")
        .values_list(
            "given_names", "family_names", "sex", "profession", "institution__subdivision__code"
        )
    )
    enrolments = list(
        Enrolment.objects.filter(workshop__programme=programme)
        .order_by("pk")
        .values_list("workshop__title", "workshop__start_date", "status", "sessions_attended")
    )
    return people, enrolments


def test_a_small_dataset_is_complete_and_its_reach_table_is_built():
    result = generate(people=120, seed=5)
    programme = result.programme
    people = Person.objects.filter(enrolments__workshop__programme=programme).distinct()
    assert people.count() == result.people == 120
    enrolments = Enrolment.objects.filter(workshop__programme=programme)
    assert enrolments.count() == result.enrolments
    assert 120 <= result.enrolments <= 360
    assert Attendance.objects.filter(enrolment__workshop__programme=programme).count() == (
        result.attendance
    )
    span = programme.workshops.aggregate(first=Min("start_date"), last=Max("end_date"))
    assert span["first"] >= datetime.date(2016, 1, 1)
    assert span["last"] <= datetime.date(2025, 12, 31)
    assert set(people.values_list("institution__country__code", flat=True)) == {"MX"}
    assert people.values("institution__subdivision").distinct().count() > 10
    sexes = dict(people.order_by().values_list("sex").annotate(n=Count("pk")))
    assert sexes[Sex.MALE] > sexes[Sex.FEMALE] > 0
    professions = dict(people.order_by().values_list("profession").annotate(n=Count("pk")))
    assert max(professions, key=professions.__getitem__) == Profession.POLICE
    assert selectors.reach_table_reached(programme.pk) == selectors.plain_reached(programme.pk)
    assert selectors.reach_table_reached(programme.pk) > 100


def test_the_same_seed_gives_the_same_data_and_another_seed_other_data():
    first = generate(people=60, seed=7, code="synthetic-a")
    again = generate(people=60, seed=7, code="synthetic-b")
    other = generate(people=60, seed=8, code="synthetic-c")
    assert _snapshot(first.programme) == _snapshot(again.programme)
    assert _snapshot(first.programme)[0] != _snapshot(other.programme)[0]


def test_running_twice_refuses_and_adds_nothing():
    out = StringIO()
    call_command("generate_synthetic", people=30, seed=2, stdout=out, stderr=StringIO())
    assert "synthetic-2" in out.getvalue()
    people = Person.objects.count()
    with pytest.raises(CommandError, match="already exists"):
        call_command("generate_synthetic", people=30, seed=2, stderr=StringIO())
    assert Person.objects.count() == people
    assert Programme.objects.filter(code__startswith="synthetic-").count() == 1
    with pytest.raises(ProgrammeExists):
        generate(people=5, seed=99, code="synthetic-2")


def test_a_programme_code_and_the_enrolment_density_can_be_chosen(capsys):
    call_command(
        "generate_synthetic",
        people=200,
        seed=4,
        programme="bench-dense",
        enrolments_per_person=4,
        stdout=StringIO(),
    )
    programme = Programme.objects.get(code="bench-dense")
    enrolments = Enrolment.objects.filter(workshop__programme=programme).count()
    assert 3 * 200 < enrolments < 5 * 200
    assert "200/200" in capsys.readouterr().err  # the progress bar, on stderr


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"people": 0}, "at least 1"),
        ({"people": 5, "enrolments_per_person": 0.5}, "between 1 and 10"),
        ({"people": 5, "programme": "no spaces please"}, "short code"),
    ],
)
def test_bad_options_are_explained(options, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_synthetic", **options)


def test_people_look_like_a_police_and_911_programme():
    programme = generate(people=1500, seed=11).programme
    people = Person.objects.filter(enrolments__workshop__programme=programme).distinct()

    def women(profession):
        group = people.filter(profession=profession)
        return group.filter(sex=Sex.FEMALE).count() / group.count()

    assert women(Profession.POLICE) < 0.35 < 0.5 < women(Profession.EMERGENCY_OPERATOR)
    assert people.filter(profession=Profession.POLICE).exclude(rank="").exists()
    # Mexico State and Mexico City (a third of the population) hold a large share.
    big = people.filter(institution__subdivision__code__in=["MX-MEX", "MX-CMX"]).count()
    assert 0.15 < big / 1500 < 0.3
    enrolments = Enrolment.objects.filter(workshop__programme=programme)
    home = enrolments.filter(workshop__subdivision=F("person__institution__subdivision")).count()
    assert home / enrolments.count() > 0.5


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="history triggers exist on PostgreSQL only"
)
def test_synthetic_people_have_no_creation_history_but_later_changes_are_recorded():
    from fortalece.privacy.models import AttendanceEvent, EnrolmentEvent, PersonEvent

    result = generate(people=40, seed=3, code="synthetic-history")
    people = Person.objects.filter(enrolments__workshop__programme=result.programme).distinct()
    assert people.count() == 40
    assert not PersonEvent.objects.filter(pgh_obj_id__in=people.values("pk")).exists()
    assert not EnrolmentEvent.objects.exists() and not AttendanceEvent.objects.exists()
    person = people.first()
    person.given_names = "Otra"
    person.save()
    assert PersonEvent.objects.filter(pgh_obj_id=person.pk).count() == 1
