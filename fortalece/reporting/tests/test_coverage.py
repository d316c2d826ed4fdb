"""Coverage of a workforce: headcounts (typed, imported, dated), share trained, refreshers."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.reporting.coverage import coverage_report, due_people
from fortalece.reporting.models import Headcount
from fortalece.reporting.workforce import headcount_import, headcount_record
from fortalece.training.models import ReachYear
from fortalece.training.services.reach_rollups import reach_cube_rebuild

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 6, 30)
VIEWERS = {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "me"}
VIEWERS |= {"focal", "donor"}
PEOPLE = {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "me"}
PEOPLE |= {"focal"}
RECORDERS = {"admin", "manager", "state_manager", "other_state_manager", "other_manager", "focal"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def trained(world, institution, count, *, sex="female", completed_on=None, programme=None):
    people = []
    for _ in range(count):
        person = PersonFactory(institution=institution, sex=sex)
        ReachYear.objects.create(
            programme=programme or world.programme,
            person=person,
            year=(completed_on or datetime.date(2024, 5, 1)).year,
            sex=sex,
            profession="police",
            institution=institution,
            institution_kind=institution.kind,
            country=institution.country,
            subdivision=institution.subdivision,
            participations=1,
            completions=1,
            hours=8,
            in_person=True,
            online=False,
            blended=False,
            train_the_trainer=False,
            other_course=True,
            completed=True,
            last_completed_on=completed_on or datetime.date(2024, 5, 1),
        )
        people.append(person)
    # The year rows were written by hand: the cube summing them follows, as every write
    # through the services keeps it in step.
    reach_cube_rebuild(programme_id=(programme or world.programme).pk)
    return people


def force(institution, as_of, women, men, by=None):
    headcount_record(
        institution=institution,
        as_of=as_of,
        counts={("police", "female"): women, ("police", "male"): men},
        by=by,
    )


def report(world, *, by="institution", suppress=False, on=TODAY, institutions=None):
    from fortalece.people.models import Institution

    return coverage_report(
        institutions=institutions or Institution.objects.all(),
        programmes=[world.programme],
        on=on,
        by=by,
        suppress_small=suppress,
    )


def test_share_of_the_force_trained_by_institution_and_sex(world):
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    trained(world, world.institution, 10, sex="female")
    trained(world, world.institution, 20, sex="male")
    [row] = report(world)["rows"]
    assert (row["force"], row["force_women"], row["trained"], row["trained_women"]) == (
        100,
        40,
        30,
        10,
    )
    assert (row["share"], row["share_women"]) == (30.0, 25.0)
    professions = report(world)["professions"]
    assert professions == [{"label": "Police officer", "force": 100, "trained": 30, "share": 30.0}]


def test_the_force_is_the_latest_headcount_on_or_before_the_day(world):
    force(world.institution, datetime.date(2024, 1, 1), 10, 90)
    force(world.institution, datetime.date(2026, 1, 1), 50, 150)
    assert report(world, on=datetime.date(2025, 6, 1))["rows"][0]["force"] == 100
    assert report(world, on=TODAY)["rows"][0]["force"] == 200
    assert report(world, on=datetime.date(2023, 1, 1))["rows"] == []
    # A new return on the same day replaces that day's numbers.
    force(world.institution, datetime.date(2026, 1, 1), 1, 1)
    assert Headcount.objects.filter(as_of=datetime.date(2026, 1, 1)).count() == 2


def test_states_add_their_institutions_and_carry_rates_per_100000(world):
    world.michoacan.population, world.michoacan.population_female = 4_748_846, 2_442_000
    world.michoacan.save()
    other = InstitutionFactory(country=world.mexico, subdivision=world.michoacan)
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    force(other, datetime.date(2025, 1, 1), 10, 10)
    trained(world, world.institution, 12, sex="female")
    trained(world, other, 8, sex="male")
    [row] = report(world, by="state")["rows"]
    assert (row["name"], row["force"], row["trained"], row["share"]) == ("Michoacán", 120, 20, 16.7)
    assert row["per_100k"] == round(100000 * 20 / 4_748_846, 1)
    assert row["women_per_100k"] == round(100000 * 12 / 2_442_000, 1)


def test_due_for_a_refresher_after_the_programme_s_months_unless_already_nominated(world):
    from fortalece.training.models import Enrolment
    from fortalece.training.tests.factories import EnrolmentFactory, WorkshopFactory

    world.programme.refresher_months = 24
    world.programme.save()
    old = trained(world, world.institution, 3, completed_on=datetime.date(2023, 6, 1))
    trained(world, world.institution, 2, completed_on=datetime.date(2025, 6, 1))
    upcoming = WorkshopFactory(course=world.course, start_date=TODAY, end_date=TODAY)
    EnrolmentFactory(workshop=upcoming, person=old[0], status=Enrolment.Status.NOMINATED)
    from fortalece.people.models import Institution

    due = due_people(Institution.objects.all(), [world.programme], TODAY)
    assert set(due) == set(old[1:])
    force(world.institution, datetime.date(2025, 1, 1), 50, 50)
    assert report(world)["rows"][0]["due"] == 2
    world.programme.refresher_months = None
    world.programme.save()
    assert due_people(Institution.objects.all(), [world.programme], TODAY).count() == 0


def test_donors_get_small_trained_and_due_counts_hidden(world):
    other = InstitutionFactory(country=world.mexico, subdivision=world.jalisco)
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    force(other, datetime.date(2025, 1, 1), 40, 60)
    trained(world, world.institution, 30, sex="female")
    trained(world, world.institution, 30, sex="male")
    trained(world, other, 2, sex="female")
    trained(world, other, 30, sex="male")
    rows = {r["name"]: r for r in report(world, by="state", suppress=True)["rows"]}
    assert rows["Jalisco"]["trained_women"] is None
    assert rows["Jalisco"]["share_women"] is None
    assert rows["Michoacán"]["trained_women"] is None  # complementary: the column total shows
    exact = {r["name"]: r for r in report(world, by="state")["rows"]}
    assert exact["Jalisco"]["trained_women"] == 2


def test_permission_matrix(world):
    assert_permission_matrix(reverse("reporting:coverage"), matrix(world, VIEWERS))
    assert_permission_matrix(
        reverse("reporting:coverage") + "?by=institution&on=2026-01-01&programme=x",
        matrix(world, VIEWERS),
    )
    assert_permission_matrix(reverse("reporting:refresher"), matrix(world, PEOPLE))
    assert_permission_matrix(reverse("reporting:headcounts"), matrix(world, RECORDERS))


def test_donors_see_states_only_and_no_link_to_people(world):
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    trained(world, world.institution, 30)
    response = client_for(world.users["donor"]).get(
        reverse("reporting:coverage") + "?by=institution"
    )
    text = response.content.decode()
    assert "Michoacán" in text
    assert str(world.institution) not in text
    assert reverse("reporting:refresher") not in text


def test_a_focal_point_sees_their_institution_only(world):
    other = InstitutionFactory(country=world.mexico, subdivision=world.michoacan, name="Other SSP")
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    force(other, datetime.date(2025, 1, 1), 40, 60)
    response = client_for(world.users["focal"]).get(
        reverse("reporting:coverage") + "?by=institution"
    )
    text = response.content.decode()
    assert str(world.institution) in text and "Other SSP" not in text


def test_the_coverage_page_runs_a_fixed_number_of_queries(world):
    client = client_for(world.users["manager"])
    url = reverse("reporting:coverage") + "?by=institution"
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    trained(world, world.institution, 3)
    few = query_count(client, url)
    few_states = query_count(client, reverse("reporting:coverage"))
    for _ in range(5):
        institution = InstitutionFactory(country=world.mexico, subdivision=world.jalisco)
        force(institution, datetime.date(2025, 1, 1), 4, 6)
        trained(world, institution, 2)
    assert query_count(client, url) == few
    assert query_count(client, reverse("reporting:coverage")) == few_states


def test_a_focal_point_types_their_headcount(world):
    client = client_for(world.users["focal"])
    data = {
        "institution": world.institution.pk,
        "as_of": "2026-03-31",
        "n_police_female": "35",
        "n_police_male": "120",
        "n_emergency_operator_female": "0",
    }
    response = client.post(reverse("reporting:headcounts"), data)
    assert response.status_code == 302
    rows = Headcount.objects.filter(institution=world.institution).order_by("profession", "sex")
    assert [(r.profession, r.sex, r.count) for r in rows] == [
        ("emergency_operator", "female", 0),
        ("police", "female", 35),
        ("police", "male", 120),
    ]
    assert rows[0].recorded_by == world.users["focal"]
    # Another institution is not theirs to record.
    data["institution"] = world.other_institution.pk
    response = client.post(reverse("reporting:headcounts"), data)
    assert response.status_code == 200 and "Select a valid choice" in response.content.decode()


def _csv(rows):
    lines = ["institution,as of,profession,sex,people", *rows]
    return io.BytesIO("\n".join(lines).encode())


def test_an_import_with_one_bad_row_saves_nothing_and_names_the_cell(world):
    from fortalece.people.models import Institution

    upload = _csv(
        [
            f"{world.institution.name},2026-03-31,police,female,30",
            f"{world.institution.name},2026-03-31,police,male,abc",
        ]
    )
    saved, problems = headcount_import(
        name="h.csv", upload=upload, institutions=Institution.objects.all(), by=None
    )
    assert saved == 0 and Headcount.objects.count() == 0
    assert [(p.row, p.column) for p in problems] == [(3, "E")]


def test_the_import_page_saves_a_good_file_and_shows_the_errors_of_a_bad_one(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client = client_for(world.users["manager"])
    pk = world.institution.pk
    bad = SimpleUploadedFile("h.csv", _csv([f"{pk},2026-13-01,police,F,3"]).read())
    response = client.post(reverse("reporting:headcounts"), {"file": bad})
    text = response.content.decode()
    assert response.status_code == 200 and "Nothing was saved" in text and "is not a date" in text
    good = SimpleUploadedFile(
        "h.csv",
        _csv(
            [
                f"{world.institution.pk},31/03/2026,Policía,Mujer,30",
                f"{world.institution.pk},31/03/2026,Policía,Hombre,70",
            ]
        ).read(),
    )
    response = client.post(reverse("reporting:headcounts"), {"file": good})
    assert response.status_code == 302
    assert Headcount.objects.filter(institution=world.institution).count() == 2
    # A state manager elsewhere cannot import into this institution.
    other = client_for(world.users["other_state_manager"])
    again = SimpleUploadedFile("h.csv", _csv([f"{pk},2026-04-01,police,F,3"]).read())
    response = other.post(reverse("reporting:headcounts"), {"file": again})
    assert "No institution you may record" in response.content.decode()


def test_the_focal_point_nominates_from_the_refresher_list(world):
    from fortalece.training.models import Enrolment
    from fortalece.training.tests.factories import WorkshopFactory

    world.programme.refresher_months = 24
    world.programme.save()
    [person] = trained(world, world.institution, 1, completed_on=datetime.date(2020, 1, 1))
    today = timezone.localdate()
    upcoming = WorkshopFactory(
        course=world.course,
        subdivision=world.michoacan,
        start_date=today + datetime.timedelta(days=30),
        end_date=today + datetime.timedelta(days=31),
    )
    client = client_for(world.users["focal"])
    response = client.get(reverse("reporting:refresher"))
    text = response.content.decode()
    assert person.full_name in text
    nominate = reverse("training:workshop_nominate", args=[upcoming.pk])
    assert f'action="{nominate}"' in text
    client.post(nominate, {"person": person.pk}, follow=True)
    assert Enrolment.objects.get(person=person, workshop=upcoming).status == "nominated"
    assert person.full_name not in client.get(reverse("reporting:refresher")).content.decode()
