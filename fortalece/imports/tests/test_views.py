import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for
from fortalece.imports.models import ImportJob
from fortalece.people.models import Person
from fortalece.training.models import Enrolment

pytestmark = pytest.mark.django_db

MANAGERS = {"admin", "manager", "state_manager", "other_state_manager", "other_manager"}
HEADER = "Nombre(s),Apellidos,Sexo,Profesión,Institución,Estado,Correo\n"


def _upload(client, content: bytes, name="lista.csv", kind="people", **extra):
    data = {"kind": kind, "file": SimpleUploadedFile(name, content), **extra}
    response = client.post(reverse("imports:create"), data)
    assert response.status_code == 302, response.content[:2000]
    return ImportJob.objects.latest("pk")


def _check(client, job):
    data = {k: str(v) for k, v in job.mapping.items()}
    data["action"] = "check"
    client.post(reverse("imports:detail", args=[job.pk]), data)
    job.refresh_from_db()
    return job


def test_permission_matrix(world):
    assert_permission_matrix(reverse("imports:list"), matrix(world, MANAGERS))
    assert_permission_matrix(reverse("imports:create"), matrix(world, MANAGERS))
    assert_permission_matrix(reverse("imports:template", args=["people"]), matrix(world, MANAGERS))
    job = _upload(
        client_for(world.users["manager"]), (HEADER + "Ana,López,F,Policía,X,,\n").encode()
    )
    for url in (reverse("imports:detail", args=[job.pk]), reverse("imports:errors", args=[job.pk])):
        assert_permission_matrix(url, matrix(world, {"admin", "manager"}))


def test_file_with_errors_reports_row_and_column_and_saves_nothing(world):
    client = client_for(world.users["manager"])
    name = world.institution.name
    content = (
        HEADER + f"Ana,López,F,Policía,{name},,ana@example.org\nLuis,Pérez,Q,Policía,{name},,\n"
    ).encode()
    job = _check(client, _upload(client, content))
    assert job.status == ImportJob.Status.INVALID
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert "C (Sexo)" in page and ">3<" in page
    report = client.get(reverse("imports:errors", args=[job.pk])).content.decode()
    assert "Sexo" in report
    assert not Person.objects.filter(email="ana@example.org").exists()


def test_valid_file_is_imported_once(world):
    client = client_for(world.users["manager"])
    name = world.institution.name
    content = (
        HEADER + f"Ana,López,F,Policía,{name},,ana@example.org\nLuis,Pérez,M,911,{name},,\n"
    ).encode()
    job = _check(client, _upload(client, content))
    assert job.status == ImportJob.Status.READY and job.summary["new"] == 2
    url = reverse("imports:detail", args=[job.pk])
    client.post(url, {"action": "save"})
    client.post(url, {"action": "save"})
    assert Person.objects.filter(family_names__in=["López", "Pérez"]).count() == 2
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE


def test_a_failure_mid_save_leaves_nothing_behind(world, monkeypatch):
    client = client_for(world.users["manager"])
    name = world.institution.name
    rows = "".join(f"Persona{i},Prueba,F,Policía,{name},,p{i}@example.org\n" for i in range(1500))
    job = _check(client, _upload(client, (HEADER + rows).encode()))
    from fortalece.imports import services as import_services
    from fortalece.imports import staging

    # The rows are written (INSERT … SELECT from the staging table on PostgreSQL, a multi-row
    # INSERT elsewhere), then the save fails: the import's transaction must take them back.
    if import_services._set_based():
        original_staged = staging.insert_people

        def failing_staged():
            original_staged()
            assert Person.objects.filter(family_names="Prueba").exists()
            raise RuntimeError("database went away")

        monkeypatch.setattr(staging, "insert_people", failing_staged)
    original = import_services._insert_people

    def failing(people):
        original(people)
        assert Person.objects.filter(family_names="Prueba").exists()
        raise RuntimeError("database went away")

    monkeypatch.setattr(import_services, "_insert_people", failing)
    client.post(reverse("imports:detail", args=[job.pk]), {"action": "save"})
    assert not Person.objects.filter(family_names="Prueba").exists()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_a_failed_save_is_logged_and_the_user_told(world, monkeypatch, caplog):
    client = client_for(world.users["manager"])
    name = world.institution.name
    job = _check(client, _upload(client, (HEADER + f"Ana,López,F,Policía,{name},,\n").encode()))
    from fortalece.imports import services as import_services

    def failing(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(import_services, "import_save", failing)
    with caplog.at_level("ERROR", logger="fortalece.imports.services"):
        response = client.post(
            reverse("imports:detail", args=[job.pk]), {"action": "save"}, follow=True
        )
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert any(r.exc_info and "database went away" in str(r.exc_info[1]) for r in caplog.records)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_enrolments_from_an_xlsx_file(world):
    book = Workbook()
    sheet = book.active
    sheet.append(["Correo", "Estatus"])
    sheet.append([world.person.email, "concluyó"])
    sheet.append(["nobody@example.org", "inscrito"])
    buffer = io.BytesIO()
    book.save(buffer)
    client = client_for(world.users["manager"])
    job = _upload(
        client,
        buffer.getvalue(),
        name="inscripciones.xlsx",
        kind="enrolments",
        workshop=world.workshop.pk,
    )
    job = _check(client, job)
    assert job.status == ImportJob.Status.INVALID
    assert job.errors[0]["row"] == 3


def test_large_files_go_through_the_background_task(world, settings):
    settings.FORTALECE_IMPORT_BACKGROUND_ROWS = 1
    client = client_for(world.users["manager"])
    name = world.institution.name
    content = (
        HEADER + f"Ana,López,F,Policía,{name},,ana@example.org\nLuis,Pérez,M,911,{name},,\n"
    ).encode()
    job = _check(client, _upload(client, content))
    assert job.status == ImportJob.Status.READY
    client.post(reverse("imports:detail", args=[job.pk]), {"action": "save"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert Person.objects.filter(email="ana@example.org").count() == 1


def test_wrong_file_type_is_refused_with_a_message(world):
    client = client_for(world.users["manager"])
    response = client.post(
        reverse("imports:create"), {"kind": "people", "file": SimpleUploadedFile("x.pdf", b"%PDF")}
    )
    assert response.status_code == 200
    assert b"errorlist" in response.content


def test_enrolment_imports_update_nothing_twice(world):
    client = client_for(world.users["manager"])
    content = f"Correo\n{world.person.email}\n".encode()
    job = _check(client, _upload(client, content, kind="enrolments", workshop=world.workshop.pk))
    assert job.status == ImportJob.Status.READY
    assert job.summary["existing"] == 1
    client.post(reverse("imports:detail", args=[job.pk]), {"action": "save"})
    assert Enrolment.objects.filter(person=world.person, workshop=world.workshop).count() == 1


def test_rows_resembling_registered_people_are_flagged_before_saving(world):
    from fortalece.people.tests.factories import InstitutionFactory

    client = client_for(world.users["manager"])
    elsewhere = InstitutionFactory(country=world.mexico, subdivision=world.michoacan)
    person = world.person
    row = f"{person.given_names.upper()},{person.family_names},F,Policía,{elsewhere.name},,\n"
    job = _check(client, _upload(client, (HEADER + row).encode()))
    assert job.status == ImportJob.Status.READY
    assert job.summary["likely_duplicates"][0]["person_id"] == person.pk
    page = client.get(reverse("imports:detail", args=[job.pk])).content.decode()
    assert person.full_name in page


def test_an_enrolment_list_can_add_the_people_it_names_with_the_usual_checks(world):
    client = client_for(world.users["manager"])
    name = world.institution.name
    known = world.person
    content = (
        "Nombre(s),Apellidos,Sexo,Profesión,Institución,Correo,Estatus\n"
        f"{known.given_names},{known.family_names},F,Policía,{name},{known.email},inscrito\n"
        f"Rosa,Méndez Ortiz,F,Policía,{name},rosa@example.org,concluyó\n"
        f"Iván,Ruiz,M,911,{name},,inscrito\n"
    ).encode()
    # Without the option, people missing from the registry are errors and nothing is saved.
    job = _check(client, _upload(client, content, kind="enrolments", workshop=world.workshop.pk))
    assert job.status == ImportJob.Status.INVALID
    assert {e["row"] for e in job.errors} == {3, 4}

    job = _check(
        client,
        _upload(
            client,
            content,
            kind="enrolments",
            workshop=world.workshop.pk,
            create_missing_people="on",
        ),
    )
    assert job.status == ImportJob.Status.READY, job.errors
    assert job.summary["new_people"] == 2
    assert job.summary["existing"] == 1
    client.post(reverse("imports:detail", args=[job.pk]), {"action": "save"})
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    rosa = Person.objects.get(email="rosa@example.org")
    assert (rosa.sex, rosa.profession, rosa.institution) == ("female", "police", world.institution)
    assert Enrolment.objects.get(person=rosa, workshop=world.workshop).status == "completed"
    assert Enrolment.objects.filter(workshop=world.workshop, person__given_names="Iván").exists()


def test_people_an_enrolment_list_would_add_need_their_details_and_no_twin(world):
    client = client_for(world.users["manager"])
    name = world.institution.name
    stranger = world.stranger  # in Guatemala: outside the Mexican manager's scope
    Person.objects.filter(pk=stranger.pk).update(email="gt@example.org")
    stranger.refresh_from_db()
    content = (
        "Nombre(s),Apellidos,Sexo,Profesión,Institución,Correo\n"
        f"Rosa,Méndez,,Policía,{name},\n"  # no sex
        f"Rosa,Méndez,F,Policía,Nowhere Institute,\n"  # unknown institution
        f"Eva,Soto,F,Policía,{name},\n"
        f"Eva,Soto,F,Policía,{name},\n"  # twice in the file
        f"{stranger.given_names},{stranger.family_names},F,Policía,{name},{stranger.email}\n"
    ).encode()
    job = _check(
        client,
        _upload(
            client,
            content,
            kind="enrolments",
            workshop=world.workshop.pk,
            create_missing_people="on",
        ),
    )
    assert job.status == ImportJob.Status.INVALID
    assert sorted(e["row"] for e in job.errors) == [2, 3, 5, 6]
    assert not Person.objects.filter(given_names="Eva").exists()


def test_only_people_importers_see_the_option_to_add_people(world):
    client = client_for(world.users["trainer"])
    response = client_for(world.users["manager"]).get(reverse("imports:create"))
    assert "create_missing_people" in response.content.decode()
    assert client.get(reverse("imports:create")).status_code in (403, 404)
