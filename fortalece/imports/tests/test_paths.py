"""The set-based people import (PostgreSQL: staging table, checks in SQL) and the row-by-row
one (SQLite) give the same errors, the same summary and the same people on the same ugly file.

On SQLite only the row-by-row path runs (against the expected errors written here); on
PostgreSQL both run, on the same job, and must agree with each other and with that list.
"""

import datetime
import io
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fortalece.accounts.models import Role
from fortalece.core.testing import make_user
from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
from fortalece.imports import services
from fortalece.imports.models import ImportJob
from fortalece.people.models import Person
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory

pytestmark = pytest.mark.django_db

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
PATHS = [
    "row by row",
    pytest.param("set-based", marks=pytest.mark.skipif(not ON_POSTGRES, reason="PostgreSQL only")),
]
# Mixed-case headers with stray blanks; the first cell carries a BOM in the CSV.
HEADER = ["NOMBRE(S) ", "apellidos", "SeXo", "Profesión", "INSTITUCIÓN", "Estado", "Correo"]
HEADER += ["Cargo", "Teléfono"]
SSP = "Secretaría de Seguridad"
ROWS: list[list[Any]] = [
    # 2: fine (trailing blanks, upper-case email, institution without its accent)
    [
        "  José ",
        "Núñez Pérez ",
        "f",
        "POLICÍA",
        "secretaria de seguridad ",
        "Michoacán",
        "JOSE@Example.org ",
        datetime.date(2024, 1, 5),
        4431234567,
    ],
    # 3: the same email in another case, the name without accents
    ["Jose", "Nunez Perez", "F", "Policia", SSP, "MIC", "jose@example.org", "", ""],
    # 4: fine, no email
    ["Ana", "López", "F", "Policía", SSP, "", "", "", ""],
    # 5: row 4 again, in capitals without accents
    ["ANA", "LOPEZ", "Mujer", "policia", "SECRETARIA DE SEGURIDAD", "", "", "", ""],
    # 6: four errors in one row
    ["", "Gómez", "Q", "Astronauta", SSP, "", "no-es-correo", "", ""],
    # 7: an institution outside the importer's scope
    ["Luis", "Pérez", "M", "Fiscal", "Fiscalía de Jalisco", "Jalisco", "luis@example.org", "", ""],
    # 8: a state that is not one
    ["Rosa", "Cruz", "F", "Juez", SSP, "Narnia", "rosa@example.org", "", ""],
    # 9: blank (skipped)
    ["   ", " ", "", "", "", "", "", "", ""],
    # 10: registered already, elsewhere (outside the importer's scope): counted, not added
    ["Marta", "Flores", "F", "Perito", SSP, "", "MARTA@example.org", "", ""],
    # 11: unknown state and unknown institution
    ["Pedro", "Ruiz", "M", "Policía", "Instituto Nuevo", "Narnia", "", "", ""],
    # 12: a bad state, and row 8's person again
    ["Rosa", "Cruz", "F", "Juez", SSP, "Narnia", "ROSA@example.org", "", ""],
]
TWICE = "This person appears twice in the file."
BAD_STATE = "'%(value)s' is not a state of Mexico."
UNKNOWN = (
    "Unknown institution '%(value)s': create it first, or tick “create missing institutions” "
    "and give its state."
)
EXPECTED = [
    (3, "G (Correo)", TWICE, {}),
    (5, "A (NOMBRE(S))", TWICE, {}),
    (6, "A (NOMBRE(S))", "%(field)s is empty.", {"field": "The given name"}),
    (6, "C (SeXo)", "'%(value)s' is not a recognised sex — use F, M, Otro or No especificado.",
     {"value": "Q"}),
    (6, "D (Profesión)",
     "'%(value)s' is not a recognised profession — use e.g. Policía, Operador 911, Fiscal, Juez.",
     {"value": "Astronauta"}),
    (6, "G (Correo)", "'%(value)s' is not an email address.", {"value": "no-es-correo"}),
    (7, "E (INSTITUCIÓN)", UNKNOWN, {"value": "Fiscalía de Jalisco"}),
    (8, "F (Estado)", BAD_STATE, {"value": "Narnia"}),
    (11, "F (Estado)", BAD_STATE, {"value": "Narnia"}),
    (11, "E (INSTITUCIÓN)", UNKNOWN, {"value": "Instituto Nuevo"}),
    (12, "F (Estado)", BAD_STATE, {"value": "Narnia"}),
    (12, "G (Correo)", TWICE, {}),
]  # fmt: skip


def _csv(rows: list[list[Any]]) -> bytes:
    lines = [",".join(HEADER)] + [",".join(str(c) for c in row) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append([c if c != "" else None for c in row])  # Excel dates and numbers stay so
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {"lista.csv": _csv, "lista.xlsx": _xlsx}


@pytest.fixture
def place() -> dict[str, Any]:
    mexico = CountryFactory(code="MX")
    michoacan = SubdivisionFactory(country=mexico, code="MX-MIC", name="Michoacán")
    jalisco = SubdivisionFactory(country=mexico, code="MX-JAL", name="Jalisco")
    ours = InstitutionFactory(name=SSP, country=mexico, subdivision=michoacan)
    theirs = InstitutionFactory(name="Fiscalía de Jalisco", country=mexico, subdivision=jalisco)
    PersonFactory(email="marta@example.org", institution=theirs)
    manager = make_user(Role.PROGRAMME_MANAGER, subdivision=michoacan)
    return {"manager": manager, "ours": ours}


def _job(place: dict[str, Any], name: str, rows: list[list[Any]]) -> ImportJob:
    upload = SimpleUploadedFile(name, FORMATS[name](rows))
    return services.import_upload(user=place["manager"], kind="people", upload=upload)


def _run(job: ImportJob, user: Any, path: str, monkeypatch: Any, step: Any) -> ImportJob:
    with monkeypatch.context() as patch:
        patch.setattr(services, "_set_based", lambda: path == "set-based")
        return step(job=ImportJob.objects.get(pk=job.pk), user=user)


def _shown(errors: list[dict[str, Any]]) -> list[str]:
    """The errors as the error report shows them, in Spanish."""
    with translation.override("es"):
        return [
            f"{e['row']} {e['column']} "
            + (_(e["message"]) % e["params"] if e["params"] else _(e["message"]))
            for e in errors
        ]


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("path", PATHS)
def test_both_paths_report_the_same_errors_on_an_ugly_file(place, name, path, monkeypatch):
    job = _job(place, name, ROWS)
    assert job.total_rows == len(ROWS) - 1  # the blank row is not counted
    checked = _run(job, place["manager"], path, monkeypatch, services.import_check)
    assert checked.status == ImportJob.Status.INVALID
    got = [(e["row"], e["column"], e["message"], e["params"]) for e in checked.errors]
    assert got == EXPECTED
    # New: rows 2, 4 and 8 (row 8 has an error, but its person is counted for the summary);
    # row 10 is registered already.
    assert (checked.summary["new"], checked.summary["existing"]) == (3, 1)
    if ON_POSTGRES:  # the other path, on the same job: the very same errors and summary
        other = "row by row" if path == "set-based" else "set-based"
        again = _run(job, place["manager"], other, monkeypatch, services.import_check)
        assert again.errors == checked.errors
        assert _shown(again.errors) == _shown(checked.errors)
        assert again.summary == checked.summary
    shown = _shown(checked.errors)
    assert shown[0].startswith("3 G (Correo) ") and TWICE not in shown[0]  # translated
    assert "Narnia" in shown[7]


GOOD = [r for i, r in enumerate(ROWS, start=2) if i in (2, 4, 9, 10)] + [
    ["Pedro", "Ruiz", "M", "Policía", "Instituto Nuevo", "Michoacán", "", "", ""],
    ["Lucía", "Ruiz", "F", "Fiscal", "INSTITUTO NUEVO", "MIC", "lucia@example.org", "", ""],
]


@pytest.mark.parametrize("name", sorted(FORMATS))
@pytest.mark.parametrize("path", PATHS)
def test_both_paths_save_the_same_people(place, name, path, monkeypatch):
    job = _job(place, name, GOOD)
    job.create_missing_institutions = True
    job.save(update_fields=["create_missing_institutions"])
    checked = _run(job, place["manager"], path, monkeypatch, services.import_check)
    assert checked.status == ImportJob.Status.READY, checked.errors
    assert checked.summary["new_institutions"] == 2  # rows, as the summary has always counted
    import contextlib

    import pghistory

    # As the privacy middleware sets it (PostgreSQL only: SQLite has no history).
    context = pghistory.context(source="import test") if ON_POSTGRES else contextlib.nullcontext()
    with context:
        done = _run(checked, place["manager"], path, monkeypatch, services.import_save)
    assert done.summary["saved"] == 4  # Marta is registered already
    people = {
        (p.given_names, p.family_names, p.sex, p.profession, p.rank, p.email, p.phone,
         p.search_name, p.family_key, p.institution.name, p.institution.subdivision.code)
        for p in Person.objects.exclude(email="marta@example.org").select_related(
            "institution__subdivision"
        )
    }  # fmt: skip
    rank = "2024-01-05"  # an Excel date cell reads as the date, as text does
    assert people == {
        ("José", "Núñez Pérez", "female", "police", rank, "jose@example.org", "4431234567",
         "jose nunez perez", "nunez", SSP, "MX-MIC"),
        ("Ana", "López", "female", "police", "", "", "", "ana lopez", "lopez", SSP, "MX-MIC"),
        ("Pedro", "Ruiz", "male", "police", "", "", "", "pedro ruiz", "ruiz",
         "Instituto Nuevo", "MX-MIC"),
        ("Lucía", "Ruiz", "female", "prosecutor", "", "lucia@example.org", "", "lucia ruiz",
         "ruiz", "Instituto Nuevo", "MX-MIC"),
    }  # fmt: skip
    if ON_POSTGRES:  # every new person has its history row, as the trigger writes them
        from django.apps import apps

        events = apps.get_model("privacy", "PersonEvent").objects.filter(pgh_label="insert")
        new = Person.objects.exclude(email="marta@example.org")
        assert sorted(events.filter(pgh_obj__in=new).values_list("pgh_obj_id", flat=True)) == (
            sorted(new.values_list("pk", flat=True))
        )
        event = events.get(email="jose@example.org")
        assert (event.given_names, event.family_names, event.rank) == ("José", "Núñez Pérez", rank)
        assert event.pgh_context.metadata == {"source": "import test"}


@pytest.mark.parametrize("path", PATHS)
def test_a_file_changed_after_its_check_saves_nothing(place, path, monkeypatch):
    """The save reads the file again; a row that no longer passes (here the last of 6,000,
    after a batch was staged) stops it, and nothing is written."""
    from django.core.files.base import ContentFile

    rows = [
        [f"Persona{i}", "Prueba", "F", "Policía", SSP, "", f"p{i}@example.org", "", ""]
        for i in range(6000)
    ]
    job = _job(place, "lista.csv", rows)
    checked = _run(job, place["manager"], path, monkeypatch, services.import_check)
    assert checked.status == ImportJob.Status.READY, checked.errors[:3]
    rows[-1][2] = "Q"
    checked.file.save("lista.csv", ContentFile(_csv(rows)), save=True)
    with (
        translation.override("en"),
        pytest.raises(services.FileProblem, match="changed since it was checked"),
    ):
        _run(checked, place["manager"], path, monkeypatch, services.import_save)
    assert not Person.objects.filter(family_names="Prueba").exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportJob.Status.READY
