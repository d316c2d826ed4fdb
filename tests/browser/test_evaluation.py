import pytest

from fortalece.accounts.models import Role
from fortalece.core.testing import PASSWORD, make_user
from fortalece.impact.core.simulate import simulate
from fortalece.impact.core.xlsform import write_xlsform
from fortalece.programmes.tests.factories import ProgrammeFactory
from tests.browser.conftest import go, shot, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_me_officer_uploads_a_form_and_answers_and_reads_the_report(desktop, browser, tmp_path):
    from fortalece.geography.tests.factories import CountryFactory

    mexico = CountryFactory(code="MX")
    programme = ProgrammeFactory(name="Strengthening Programme", countries=[mexico])
    make_user(Role.ME_OFFICER, email="me@example.org", country=mexico)
    study = simulate(trained=160, comparison=110, seed=3)
    form_path, data_path = tmp_path / "form.xlsx", tmp_path / "kobo.csv"
    form_path.write_bytes(write_xlsform(study.instrument))
    headers = list(study.rows[0])
    data_path.write_text(
        "\n".join([";".join(headers)] + [";".join(r[h] for h in headers) for r in study.rows]),
        encoding="utf-8",
    )

    sign_in(desktop, "me@example.org", PASSWORD)
    go(desktop, "/evaluation/")
    shot(desktop, "evaluation-empty-desktop-en")
    desktop.get_by_role("link", name="Upload an instrument").first.click()
    desktop.select_option("#id_programme", label=programme.name)
    desktop.set_input_files("#id_xlsform", str(form_path))
    desktop.get_by_role("button", name="Check and save").click()
    desktop.wait_for_load_state("networkidle")
    shot(desktop, "instrument-desktop-en")
    go(desktop, "/evaluation/studies/new/")
    desktop.fill("#id_title", "Impact 2020")
    desktop.select_option("#id_instrument", index=1)
    desktop.set_input_files("#id_answers", str(data_path))
    desktop.fill("#id_covariates", "years_service, state")
    desktop.fill("#id_cluster", "state")
    desktop.fill("#id_draws", "50")
    desktop.get_by_role("button", name="Check and analyse").click()
    desktop.wait_for_load_state("networkidle")
    shot(desktop, "study-columns-desktop-en")
    desktop.get_by_role("button", name="Run the analysis").click()
    desktop.wait_for_load_state("networkidle")
    assert desktop.locator("h2", has_text="In short").is_visible()
    assert desktop.locator(".chart svg circle").count() == 4
    shot(desktop, "study-report-desktop-en")
    report_url = desktop.url

    context = browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="es-MX",
        is_mobile=True,
        extra_http_headers={"Accept-Language": "es"},
    )
    phone = context.new_page()
    phone.base_url = desktop.base_url  # type: ignore[attr-defined]
    sign_in(phone, "me@example.org", PASSWORD)
    phone.goto(report_url)
    assert phone.locator("h2", has_text="En breve").is_visible()
    shot(phone, "study-report-phone-es")
    context.close()
