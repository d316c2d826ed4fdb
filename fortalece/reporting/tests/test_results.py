"""Reported figures beside counted reach, the results framework and its IATI results."""

import datetime

import pytest
from django.urls import reverse
from lxml import etree

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for, query_count
from fortalece.reporting.iati import activity_document
from fortalece.reporting.models import (
    ReportedFigure,
    ResultsIndicator,
    ResultsOutcome,
    ResultsPillar,
)
from fortalece.reporting.results import figures_beside_counted, framework
from fortalece.reporting.tests.test_coverage import force, trained
from fortalece.reporting.tests.test_iati import _schema

pytestmark = pytest.mark.django_db
DASHBOARD = {"admin", "manager", "state_manager", "other_state_manager", "me", "donor"}
CHANGERS = {"admin", "manager"}


@pytest.fixture(autouse=True)
def _english(settings):
    settings.LANGUAGE_CODE = "en"


def figure(world, people, year_from, year_to, **extra):
    return ReportedFigure.objects.create(
        programme=world.programme,
        description=extra.pop("description", f"{people} trained"),
        people=people,
        year_from=year_from,
        year_to=year_to,
        source=extra.pop("source", "UNODC press release"),
        source_date=extra.pop("source_date", datetime.date(year_to, 7, 1)),
        **extra,
    )


def test_reported_figures_stand_beside_the_counted_people_of_their_years(world):
    trained(world, world.institution, 8, completed_on=datetime.date(2019, 3, 1))
    trained(world, world.institution, 4, completed_on=datetime.date(2020, 3, 1))
    a = figure(world, 10_000, 2016, 2020, states=25)
    b = figure(world, 12_000, 2017, 2020, states=25)
    c = figure(world, 8, 2019, 2019, states=1)
    rows = {
        r["figure"].pk: r
        for r in figures_beside_counted(ReportedFigure.objects.all(), suppress_small=False)
    }
    assert (rows[a.pk]["counted"], rows[c.pk]["counted"]) == (12, 8)
    assert {f.kind for f in rows[a.pk]["flags"]} == {"above_counted", "states_differ", "shrinks"}
    assert rows[a.pk]["against"] == [b]
    assert rows[c.pk]["flags"] == []


def test_donors_see_small_counted_figures_hidden_but_the_reported_ones(world):
    trained(world, world.institution, 3, completed_on=datetime.date(2019, 3, 1))
    figure(world, 7_500, 2019, 2019, states=26)
    [row] = figures_beside_counted(ReportedFigure.objects.all(), suppress_small=True)
    assert row["counted"] is None and row["flags"] == [] and row["figure"].people == 7_500


def test_the_figures_page_shows_both_numbers_and_never_their_sum(world):
    trained(world, world.institution, 12, completed_on=datetime.date(2019, 3, 1))
    figure(world, 7_500, 2019, 2019, states=26, description="Professionals in 26 states")
    url = reverse("reporting:reported_figures", args=[world.programme.pk])
    text = client_for(world.users["manager"]).get(url).content.decode()
    assert (
        "Professionals in 26 states" in text and "7,500" in text and ">12<" in text.replace(" ", "")
    )
    assert "7,512" not in text
    assert "above what was counted" in text
    indicators = client_for(world.users["manager"]).get(reverse("reporting:indicators"))
    page = indicators.content.decode()
    assert "Reported figures beside counted reach" in page and "7,512" not in page
    assert indicators.context["report"]["headline"]["people"] == 12


def test_a_manager_records_a_reported_figure_and_bad_parts_are_refused(world):
    url = reverse("reporting:reported_figures", args=[world.programme.pk])
    data = {
        "description": "Police and 911 operators",
        "people": "7500",
        "women": "5000",
        "men": "3000",
        "states": "26",
        "year_from": "2019",
        "year_to": "2019",
        "source": "UNODC annual report",
        "source_date": "2020-06-01",
    }
    client = client_for(world.users["manager"])
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Women and men together cannot exceed the people." in response.content.decode()
    data["men"] = "2500"
    assert client.post(url, data).status_code == 302
    assert ReportedFigure.objects.get().programme == world.programme
    assert client_for(world.users["donor"]).post(url, data).status_code == 403
    assert client_for(world.users["me"]).post(url, data).status_code == 403


def spotlight(world):
    pillar = ResultsPillar.objects.create(
        programme=world.programme, number=4, title="Quality, accessible services"
    )
    outcome = ResultsOutcome.objects.create(
        pillar=pillar, code="4.1", title="Justice officials respond better to VAWG"
    )
    reached = ResultsIndicator.objects.create(
        outcome=outcome,
        title="Officials trained",
        measure="people_reached",
        baseline=0,
        baseline_year=2020,
        target=40,
        target_year=2026,
    )
    share = ResultsIndicator.objects.create(
        outcome=outcome,
        title="Share of the police force trained",
        measure="force_share",
        baseline=0,
        baseline_year=2020,
        target=50,
        target_year=2026,
    )
    reported = ResultsIndicator.objects.create(
        outcome=outcome,
        title="Professionals trained (reported)",
        measure="reported",
        baseline=0,
        baseline_year=2016,
        target=10000,
        target_year=2026,
    )
    return pillar, outcome, reached, share, reported


def _reach_rows(world, count, sex):
    from fortalece.reporting.tests.test_iati import _reach

    _reach(world, count, sex)


def test_the_framework_counts_each_indicator_and_links_reported_figures(world):
    _pillar, _outcome, reached, share, reported = spotlight(world)
    _reach_rows(world, 10, "female")
    _reach_rows(world, 10, "male")
    world.programme.subdivisions.add(world.michoacan)
    force(world.institution, datetime.date(2025, 1, 1), 40, 60)
    trained(world, world.institution, 25)
    seven = figure(world, 7_500, 2019, 2019)
    reported.reported_figures.add(seven)
    reached.reported_figures.add(seven)
    [pillar] = framework(world.programme, suppress_small=False)
    rows = {r["indicator"].pk: r for r in pillar["outcomes"][0]["indicators"]}
    assert rows[reached.pk]["actual"] == 20 and rows[reached.pk]["progress"] == 50
    assert rows[share.pk]["actual"] == 25
    assert rows[reported.pk]["actual"] == 7_500 and rows[reported.pk]["progress"] == 75


def test_the_framework_goes_into_the_iati_file_which_still_validates(world):
    _pillar, _outcome, reached, _share, reported = spotlight(world)
    _reach_rows(world, 10, "female")
    _reach_rows(world, 10, "male")
    seven = figure(world, 7_500, 2019, 2019, source="UNODC annual report")
    reported.reported_figures.add(seven)
    reached.reported_figures.add(seven)
    document = etree.fromstring(activity_document(world.programme))
    schema = _schema()
    assert schema.validate(document), schema.error_log
    [outcome] = document.findall("iati-activity/result[@type='2']")
    assert outcome.find("title/narrative").text == "4.1 Justice officials respond better to VAWG"
    assert outcome.find("description/narrative").text == "4. Quality, accessible services"
    indicators = outcome.findall("indicator")
    assert [i.find("title/narrative").text for i in indicators] == [
        "Officials trained",
        "Share of the police force trained",
        "Professionals trained (reported)",
    ]
    counted = indicators[0].find("period/actual")
    assert counted.get("value") == "20"
    assert (
        "Reported elsewhere: 7,500 (UNODC annual report" in counted.find("comment/narrative").text
    )
    assert indicators[1].get("measure") == "2" and indicators[1].find("period/actual") is None
    only_reported = indicators[2].find("period/actual")
    assert only_reported.get("value") == "7500"
    assert only_reported.find("comment/narrative").text.startswith("Reported: 7,500")


def test_small_counted_actuals_are_left_out_of_the_iati_framework(world):
    spotlight(world)
    _reach_rows(world, 3, "female")
    document = etree.fromstring(activity_document(world.programme))
    assert _schema().validate(document)
    [outcome] = document.findall("iati-activity/result[@type='2']")
    assert outcome.find("indicator/period/actual") is None


def test_permission_matrices(world):
    for name in ("reported_figures", "results_framework"):
        url = reverse(f"reporting:{name}", args=[world.programme.pk])
        assert_permission_matrix(url, matrix(world, DASHBOARD))
    url = reverse("reporting:results_framework", args=[world.programme.pk])
    data = {"kind": "pillar", "pillar-number": "1", "pillar-title": "Laws and policies"}
    assert_permission_matrix(url, matrix(world, CHANGERS), method="post", data=data)
    url = reverse("reporting:reported_figures", args=[world.programme.pk])
    assert_permission_matrix(url, matrix(world, CHANGERS), method="post", data={})


def test_a_manager_builds_the_framework_from_the_page(world):
    url = reverse("reporting:results_framework", args=[world.programme.pk])
    client = client_for(world.users["manager"])
    client.post(url, {"kind": "pillar", "pillar-number": "4", "pillar-title": "Services"})
    pillar = ResultsPillar.objects.get()
    client.post(
        url,
        {
            "kind": "outcome",
            "outcome-pillar": pillar.pk,
            "outcome-code": "4.1",
            "outcome-title": "Better",
        },
    )
    outcome = ResultsOutcome.objects.get()
    response = client.post(
        url,
        {
            "kind": "indicator",
            "indicator-outcome": outcome.pk,
            "indicator-title": "Officials trained",
            "indicator-measure": "people_reached",
            "indicator-baseline": "0",
            "indicator-baseline_year": "2020",
            "indicator-target": "100",
            "indicator-target_year": "2026",
        },
    )
    assert response.status_code == 302
    text = client.get(url).content.decode()
    assert "Pillar 4: Services" in text and "Officials trained" in text


def test_the_framework_page_runs_a_fixed_number_of_queries(world):
    client = client_for(world.users["manager"])
    url = reverse("reporting:results_framework", args=[world.programme.pk])
    spotlight(world)
    few = query_count(client, url)
    _pillar, outcome, *_rest = spotlight_more(world)
    assert query_count(client, url) == few


def spotlight_more(world):
    pillar = ResultsPillar.objects.create(programme=world.programme, number=5, title="Data")
    outcome = ResultsOutcome.objects.create(pillar=pillar, code="5.1", title="Better data")
    for n in range(4):
        indicator = ResultsIndicator.objects.create(
            outcome=outcome,
            title=f"Indicator {n}",
            measure="people_reached",
            baseline=0,
            baseline_year=2020,
            target=10,
            target_year=2026,
        )
        indicator.reported_figures.add(figure(world, 100 + n, 2020, 2020))
    return pillar, outcome
