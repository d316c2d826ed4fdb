"""The journeys of the foundation issue, walked in Chromium on a phone and on a desktop."""

import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.people.tests.factories import PersonFactory
from fortalece.training.models import Enrolment, Workshop
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def mexico_manager():
    from django.core.management import call_command

    call_command("load_geography", country="MX", verbosity=0)
    call_command("load_sdg_targets", verbosity=0)
    from fortalece.geography.models import Country

    mexico = Country.objects.get(code="MX")
    make_user(Role.PROGRAMME_MANAGER, email="manager@example.org", country=mexico)
    return mexico


def test_manager_creates_a_programme_a_workshop_and_enrols_people(desktop, mexico_manager):
    from fortalece.geography.models import Subdivision
    from fortalece.people.tests.factories import InstitutionFactory

    page = desktop
    sign_in(page, "manager@example.org", PASSWORD)
    shot(page, "home-desktop-en")
    go(page, "/programmes/")
    shot(page, "programmes-empty-desktop-en")
    page.get_by_role("link", name="Create your first programme").click()
    page.fill("#id_name", "Training Workshop for Trainers 2021")
    page.fill("#id_code", "ttt-2021")
    page.select_option("#id_countries", label="Mexico")
    page.fill("#id_start_date", "2021-11-01")
    page.get_by_label("5.2 — Eliminate all forms of violence", exact=False).check()
    shot(page, "programme-form-desktop-en")
    page.get_by_role("button", name="Save programme").click()
    page.wait_for_load_state("networkidle")
    assert page.locator("h1").inner_text() == "Training Workshop for Trainers 2021"
    page.get_by_role("link", name="Add target").click()
    page.fill("#id_description", "75 people in 3 cities")
    page.fill("#id_value", "75")
    page.get_by_role("button", name="Save").click()
    shot(page, "programme-detail-desktop-en")

    page.get_by_role("link", name="courses ›", exact=False).click()
    page.get_by_role("link", name="New course").first.click()
    page.fill("#id_title", "Detection, intervention and assistance")
    page.select_option("#id_modality", "in_person")
    page.fill("#id_hours", "24")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="New workshop").click()
    page.fill("#id_title", "Puerto Vallarta")
    page.fill("#id_start_date", "2021-11-22")
    page.fill("#id_end_date", "2021-11-24")
    page.select_option("#id_country", label="Mexico")
    page.wait_for_function("document.querySelectorAll('#id_subdivision option').length > 30")
    page.select_option("#id_subdivision", label="Jalisco")
    shot(page, "workshop-form-desktop-en")
    page.get_by_role("button", name="Save workshop").click()
    page.wait_for_load_state("networkidle")
    workshop = Workshop.objects.get(title="Puerto Vallarta")
    assert workshop.sessions.count() == 3

    jalisco = Subdivision.objects.get(code="MX-JAL")
    institution = InstitutionFactory(
        country=mexico_manager, subdivision=jalisco, name="Fiscalía de Jalisco"
    )
    PersonFactory(given_names="Ana", family_names="Núñez Ávila", institution=institution)
    page.get_by_role("link", name="Enrol people").first.click()
    page.fill("#person-q", "nunez")
    page.get_by_role("button", name="Enrol").click()
    page.wait_for_load_state("networkidle")
    shot(page, "enrol-desktop-en")
    assert Enrolment.objects.filter(workshop=workshop, person__family_names="Núñez Ávila").exists()


def test_trainer_takes_attendance_on_a_phone(phone):
    from fortalece.training.models import WorkshopTrainer
    from fortalece.training.tests.factories import EnrolmentFactory, SessionFactory, WorkshopFactory

    workshop = WorkshopFactory(title="Primera respuesta — Morelia")
    session = SessionFactory(workshop=workshop)
    trainer = PersonFactory(given_names="Alejandra", family_names="Ruíz Ortiz")
    WorkshopTrainer.objects.create(workshop=workshop, person=trainer)
    enrolments = [EnrolmentFactory(workshop=workshop) for _ in range(6)]
    make_user(
        Role.TRAINER, email="trainer@example.org", programme=workshop.programme, person=trainer
    )

    sign_in(phone, "trainer@example.org", PASSWORD)
    go(phone, f"/training/workshops/{workshop.pk}/sessions/{session.pk}/attendance/")
    shot(phone, "attendance-before-phone-es")

    def attendance_saved(response) -> bool:
        return response.request.method == "POST" and "/attendance/" in response.url

    # Wait for each answer rather than a fixed time: on a loaded machine a fixed wait ends
    # before the server has written the mark.
    with phone.expect_response(attendance_saved) as saved:
        phone.get_by_role("button", name="Marcar a todas las personas presentes").or_(
            phone.get_by_role("button", name="Mark everyone present")
        ).click()
    assert saved.value.ok
    absent = enrolments[0].person.full_name
    with phone.expect_response(attendance_saved) as saved:
        phone.get_by_role("button", name=f"{absent}: ausente").or_(
            phone.get_by_role("button", name=f"{absent}: absent")
        ).click()
    assert saved.value.ok
    phone.wait_for_load_state("networkidle")
    shot(phone, "attendance-after-phone-es")
    statuses = dict(Enrolment.objects.filter(workshop=workshop).values_list("pk", "status"))
    assert statuses[enrolments[0].pk] == Enrolment.Status.ENROLLED
    assert all(statuses[e.pk] == Enrolment.Status.COMPLETED for e in enrolments[1:])


def test_manager_imports_a_file_with_an_error_and_sees_it(desktop, mexico_manager, tmp_path):
    from fortalece.people.tests.factories import InstitutionFactory

    InstitutionFactory(country=mexico_manager, subdivision=None, name="SSP Michoacán")
    path = tmp_path / "personas.csv"
    path.write_text(
        "Nombre(s);Apellidos;Sexo;Profesión;Institución\n"
        "Ana;López;F;Policía;SSP Michoacán\n"
        "Luis;Pérez;Q;Policía;SSP Michoacán\n",
        encoding="utf-8",
    )
    sign_in(desktop, "manager@example.org", PASSWORD)
    go(desktop, "/imports/new/")
    desktop.set_input_files("#id_file", str(path))
    desktop.get_by_role("button", name="Upload and preview").click()
    desktop.wait_for_load_state("networkidle")
    shot(desktop, "import-mapping-desktop-en")
    desktop.get_by_role("button", name="Check every row").click()
    desktop.wait_for_load_state("networkidle")
    errors = desktop.locator(".form-errors table")
    assert "C (Sexo)" in errors.inner_text() and "3" in errors.inner_text()
    shot(desktop, "import-errors-desktop-en")


def test_donor_sees_the_dashboard_on_a_phone(phone):
    import datetime

    from fortalece.training.models import ProgrammeReach
    from fortalece.training.tests.factories import WorkshopFactory

    workshop = WorkshopFactory()
    for i in range(30):
        person = PersonFactory(sex="female" if i % 3 else "male")
        ProgrammeReach.objects.create(
            programme=workshop.programme,
            person=person,
            sex=person.sex,
            profession=person.profession,
            first_reached_on=datetime.date(2020 + i % 4, 1 + i % 12, 1),
        )
    make_user(Role.DONOR_VIEWER, email="donor@example.org", programme=workshop.programme)
    sign_in(phone, "donor@example.org", PASSWORD)
    go(phone, f"/reports/programmes/{workshop.programme.pk}/")
    assert phone.locator(".stat__value").first.inner_text() == "30"
    assert phone.locator(".chart svg").count() >= 3
    shot(phone, "dashboard-phone-es")
