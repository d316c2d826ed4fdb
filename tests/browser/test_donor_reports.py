"""The donor viewer's journey through the reports (issue 10): aggregates, maps, narrative and
the exported files, never a name or a small count."""

import csv
import datetime
import io

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.people.tests.factories import InstitutionFactory, PersonFactory
from fortalece.reporting.tests.pdftext import pdf_text
from fortalece.training.models import ReachYear
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _people(programme, institution, count, sex):
    people = []
    for _ in range(count):
        person = PersonFactory(institution=institution, sex=sex, family_names="Zubiría Quintanar")
        ReachYear.objects.create(
            programme=programme,
            person=person,
            year=2024,
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
            last_completed_on=datetime.date(2024, 5, 1),
        )
        people.append(person)
    return people


@pytest.fixture
def donor_world():
    from fortalece.geography.tests.factories import CountryFactory, SubdivisionFactory
    from fortalece.programmes.tests.factories import ProgrammeFactory
    from fortalece.reporting.models import ReportedFigure
    from fortalece.reporting.workforce import headcount_record
    from fortalece.training.services.reach_rollups import reach_cube_rebuild

    mexico = CountryFactory(code="MX", name_en="Mexico", name_es="México")
    michoacan = SubdivisionFactory(country=mexico, code="MX-MIC", name="Michoacán")
    jalisco = SubdivisionFactory(country=mexico, code="MX-JAL", name="Jalisco")
    programme = ProgrammeFactory(countries=[mexico], name="Vulnerable Groups")
    big = InstitutionFactory(country=mexico, subdivision=michoacan, kind="police")
    small = InstitutionFactory(country=mexico, subdivision=jalisco, kind="police")
    _people(programme, big, 31, "female")
    _people(programme, big, 24, "male")
    _people(programme, small, 3, "female")
    _people(programme, small, 17, "male")
    reach_cube_rebuild(programme_id=programme.pk)
    for institution in (big, small):
        headcount_record(
            institution=institution,
            as_of=datetime.date(2025, 1, 1),
            counts={("police", "female"): 120, ("police", "male"): 380},
            by=None,
        )
    ReportedFigure.objects.create(
        programme=programme,
        description="Professionals in 26 states",
        people=7500,
        states=26,
        year_from=2024,
        year_to=2024,
        source="Annual report",
        source_date=datetime.date(2025, 3, 1),
    )
    make_user(Role.DONOR_VIEWER, email="donor@example.org", programme=programme)
    return programme


def _no_secrets(text: str) -> None:
    assert "Zubiría" not in text and "Zubir" not in text
    # Jalisco's 3 women are a small cell: never shown, on any page or in any file.
    for line in text.splitlines():
        if "Jalisco" in line or "JAL" in line:
            assert not any(cell.strip() == "3" for cell in line.replace(";", ",").split(",")), line


def test_donor_sees_aggregates_maps_narrative_and_exports_without_names_or_small_counts(
    desktop, donor_world
):
    page = desktop
    # A shared, busy machine can take longer than the usual 15 s for a first page.
    page.set_default_timeout(60_000)
    sign_in(page, "donor@example.org", PASSWORD)
    go(page, "/reports/indicators/?by=sex&from=2024&to=2024")
    assert page.locator(".stat__value").first.inner_text() == "75"
    assert "Professionals in 26 states" in page.content()
    shot(page, "donor-indicators")
    go(page, "/reports/indicators/?by=state&from=2024&to=2024")
    row = page.locator("#breakdown tr", has_text="Jalisco").first
    assert "hidden" in row.inner_text() and "\t3\t" not in f"\t{row.inner_text()}\t"
    _no_secrets(page.inner_text("main"))
    page.get_by_role("link", name="Maps").click()
    # The click starts a navigation; wait for the map page before counting.
    expect(page.locator("#mexico svg")).to_have_count(1)
    shot(page, "donor-map")
    _no_secrets(page.inner_text("main"))
    go(page, "/reports/indicators/?by=state&from=2024&to=2024")
    page.get_by_role("link", name="Narrative").click()
    page.wait_for_url("**/reports/indicators/narrative/**")
    narrative = page.inner_text("main")
    assert "Mexico" in narrative and "75" in narrative
    _no_secrets(narrative)
    shot(page, "donor-narrative")
    with page.expect_download() as pdf:
        page.get_by_role("button", name="Download the report (PDF) with this narrative").click()
    text = pdf_text(open(pdf.value.path(), "rb").read())
    assert "75" in text and "hidden" in text
    _no_secrets(text.replace("JAL hidden", ""))
    assert "JAL 3 " not in text
    go(page, "/reports/indicators/?by=state&from=2024&to=2024")
    with page.expect_download() as xlsx:
        page.get_by_role("link", name="Download XLSX").click()
    workbook = load_workbook(io.BytesIO(open(xlsx.value.path(), "rb").read()), read_only=True)
    cells = [
        ",".join("" if v is None else str(v) for v in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    ]
    assert any("75" in line for line in cells)
    _no_secrets("\n".join(cells))
    with page.expect_download() as csv_file:
        page.get_by_role("link", name="Download CSV").click()
    rows = list(csv.reader(io.StringIO(open(csv_file.value.path(), encoding="utf-8-sig").read())))
    _no_secrets("\n".join(",".join(r) for r in rows))
    go(page, "/reports/coverage/")
    coverage = page.inner_text("main")
    assert "Michoacán" in coverage and "1,000" in coverage
    _no_secrets(coverage)
    shot(page, "donor-coverage")
    for url in ("/reports/coverage/refresher/", "/people/"):
        response = page.request.get(page.base_url + url)  # type: ignore[attr-defined]
        assert response.status in (403, 404)
