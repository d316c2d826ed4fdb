import pytest
from django.urls import reverse

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.training.models import ReachYear

pytestmark = pytest.mark.django_db

URL = "/reports/indicators/"
ALLOWED = {
    "admin",
    "manager",
    "state_manager",
    "other_state_manager",
    "other_manager",
    "me",
    "donor",
}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def add_people(
    world,
    count,
    *,
    sex="female",
    subdivision=None,
    year=2021,
    programme=None,
    country=None,
    profession="police",
    name=None,
):
    country = country or world.mexico
    institution = InstitutionFactory(
        country=country,
        subdivision=subdivision if country is not world.mexico else subdivision or world.michoacan,
        kind="police",
        **({"name": name} if name else {}),
    )
    people = []
    for _ in range(count):
        person = PersonFactory(institution=institution, sex=sex, profession=profession)
        ReachYear.objects.create(
            programme=programme or world.programme,
            person=person,
            year=year,
            sex=sex,
            profession=profession,
            institution=institution,
            institution_kind="police",
            country=country,
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
        )
        people.append(person)
    from fortalece.training.services.reach_rollups import reach_cube_rebuild

    reach_cube_rebuild(programme_id=(programme or world.programme).pk)
    return people


def test_permission_matrix(world):
    assert reverse("reporting:indicators") == URL
    assert_permission_matrix(URL, matrix(world, ALLOWED))
    assert_permission_matrix(URL + "?by=municipality&from=2020&to=2022", matrix(world, ALLOWED))


def test_a_manager_sees_exact_figures_by_every_breakdown(world):
    add_people(world, 20)
    add_people(world, 2, sex="male", subdivision=world.jalisco)
    client = client_for(world.users["manager"])
    response = client.get(URL, {"by": "state", "from": "2021", "to": "2021"})
    report = response.context["report"]
    assert report["headline"]["people"] == 22 and not report["suppressed"]
    rows = {r.label: r.people for r in report["table"]["rows"]}
    assert rows == {"Michoacán": [20, 0, 0, 20], "Jalisco": [0, 2, 0, 2]}
    assert report["table"]["total"].people == [20, 2, 0, 22]
    for by in (
        "sex",
        "profession",
        "institution_kind",
        "institution",
        "country",
        "state",
        "municipality",
        "modality",
        "delivery",
        "ttt",
        "year",
        "nonsense",
    ):
        assert client.get(URL, {"by": by}).status_code == 200


def test_donors_never_see_a_small_count_or_a_name(world):
    add_people(world, 20)
    people = add_people(world, 2, sex="male", subdivision=world.jalisco)
    response = client_for(world.users["donor"]).get(URL, {"by": "state"})
    report = response.context["report"]
    assert report["suppressed"]
    html = response.content.decode()
    for row in report["table"]["rows"] + [report["table"]["total"]]:
        assert all(n is None or n == 0 or n >= 5 for n in row.people), row
    # Jalisco's 2 men: hidden, and so is enough else that 22 - 20 cannot give them away.
    jalisco = next(r for r in report["table"]["rows"] if r.label == "Jalisco")
    assert jalisco.people[1] is None and jalisco.people[3] is None
    assert people[0].family_names not in html and "hidden" in html


def test_a_programme_the_user_cannot_see_is_ignored_not_shown(world):
    add_people(world, 7, programme=world.other_programme)
    add_people(world, 6)
    response = client_for(world.users["manager"]).get(
        URL, {"programme": [world.other_programme.pk, "x", "99999999999"]}
    )
    # Only the programme chosen and visible counts: none of them here, so everything visible.
    assert response.context["filters"].programme_ids == (world.programme.pk,)
    assert response.context["report"]["headline"]["people"] == 6


def test_the_page_takes_a_fixed_number_of_queries(world):
    add_people(world, 6)
    client = client_for(world.users["admin"])
    few = query_count(client, URL + "?by=institution")
    add_people(world, 30, subdivision=world.jalisco)
    add_people(world, 12, year=2022)
    assert query_count(client, URL + "?by=institution") == few


NARRATIVE = "/reports/indicators/narrative/"
EXPORT = "/reports/indicators/export/"


def test_narrative_and_export_permission_matrix(world):
    assert reverse("reporting:narrative") == NARRATIVE
    assert reverse("reporting:indicators_export") == EXPORT
    for url in (NARRATIVE, EXPORT, EXPORT + "?format=csv&by=institution"):
        assert_permission_matrix(url, matrix(world, ALLOWED))
    assert_permission_matrix(EXPORT, matrix(world, ALLOWED), method="post")


def _namibia(world):
    from fortalece.geography.tests.factories import CountryFactory
    from fortalece.programmes.models import Organisation, ProgrammePartner

    namibia = CountryFactory(code="NA", name_en="Namibia", name_es="Namibia")
    world.programme.countries.add(namibia)
    unodc = Organisation.objects.create(
        name="United Nations Office on Drugs and Crime", acronym="UNODC"
    )
    ProgrammePartner.objects.create(
        programme=world.programme, organisation=unodc, role="implementer"
    )
    add_people(world, 76, country=namibia, year=2019, profession="prosecutor")
    add_people(world, 27, sex="male", country=namibia, year=2019, profession="victim_services")
    return namibia


def test_the_narrative_says_namibia_103_participants_76_female_and_27_male(world):
    namibia = _namibia(world)
    client = client_for(world.users["donor"])
    response = client.get(NARRATIVE, {"from": "2019", "to": "2019", "country": namibia.pk})
    texts = [line["text"] for line in response.context["lines"]]
    assert texts == [
        "In Namibia, UNODC trained 103 participants (76 female and 27 male) in 2019.",
        "En Namibia, la UNODC capacitó a 103 participantes (76 mujeres y 27 hombres) en 2019.",
    ]
    line = response.context["lines"][0]
    assert line["facts"].source["programme_id"] == world.programme.pk  # traceable
    assert "see the figures" in response.content.decode()


def test_donor_narrative_leaves_out_a_small_bracket_and_a_small_group(world):
    add_people(world, 20)
    add_people(world, 3, sex="male")
    response = client_for(world.users["donor"]).get(NARRATIVE)
    [english, spanish] = [line["text"] for line in response.context["lines"]]
    assert english == f"In {world.mexico.name_en}, the programme trained 23 police officers."
    assert "(" not in english and "(" not in spanish and "3" not in english.replace("23", "")
    manager = client_for(world.users["manager"]).get(NARRATIVE).context["lines"][0]["text"]
    assert "(20 female and 3 male)" in manager


def test_xlsx_export_reads_back_with_a_sheet_per_table_the_edited_narrative_and_no_small_count(
    world,
):
    import io

    from openpyxl import load_workbook

    _namibia(world)
    add_people(world, 2, sex="male", name='=HYPERLINK("http://evil")')
    client = client_for(world.users["donor"])
    response = client.post(
        EXPORT + "?by=institution&from=2019&to=2021",
        {"sentence-en-0": "=cmd|' /C calc'!A0 edited by hand"},
    )
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Summary", "Institution", "Trend", "Targets", "Narrative"]
    values = [c.value for sheet in book for row in sheet.iter_rows() for c in row]
    numbers = [v for v in values if isinstance(v, int | float)]
    # No count from 1 to 4 anywhere a donor gets (target values and years aside).
    people = [c.value for row in book["Institution"].iter_rows(min_row=2) for c in row[1:]]
    assert not [v for v in people if isinstance(v, int | float) and 0 < v < 5]
    assert numbers  # the sheets do carry numbers
    assert not any(isinstance(v, str) and v.startswith("=") for v in values)
    narrative = book["Narrative"]
    assert narrative["A2"].value == "'=cmd|' /C calc'!A0 edited by hand"
    assert narrative["C2"].value.startswith("In Namibia, UNODC trained 103 participants")
    csv = client.get(EXPORT + "?format=csv&by=state")
    assert csv.status_code == 200 and "Summary" in csv.content.decode()


MAP = "/reports/indicators/map/"


def test_map_permission_matrix(world):
    assert reverse("reporting:map") == MAP
    assert_permission_matrix(MAP, matrix(world, ALLOWED))


def test_maps_show_states_countries_and_rates_and_hide_small_cells_for_donors(world):
    world.michoacan.population, world.michoacan.population_female = 4748846, 2441054
    world.michoacan.save()
    add_people(world, 30)
    add_people(world, 2, sex="male", subdivision=world.jalisco)
    manager = client_for(world.users["manager"]).get(MAP)
    states = {r["name"]: r for r in manager.context["data"]["states"]}
    assert states["Michoacán"]["people"] == 30
    assert states["Michoacán"]["per_100k"] == 0.6  # 30 / 4,748,846 × 100,000
    assert states["Michoacán"]["women_per_100k"] == 1.2
    assert states["Jalisco"]["people"] == 2
    assert "<svg" in manager.content.decode() and "MIC" in manager.content.decode()
    donor = client_for(world.users["donor"]).get(MAP)
    states = {r["name"]: r for r in donor.context["data"]["states"]}
    assert states["Jalisco"]["people"] is None and states["Jalisco"]["per_100k"] is None
    assert states["Michoacán"]["people"] is None  # hidden too: 32 - 30 would give Jalisco away
    html = donor.content.decode()
    assert "hatch" in html and ">2<" not in html
