"""Reporting II in the demo: headcounts (SSP Michoacán and a few more institutions, two dates),
a refresher period, the seeds' reported figures for the Mexico programme, Spotlight's six
pillars as a results framework, and a saved report shared with the donor. Safe to run twice.
"""

import datetime
from typing import Any

from django.db.models import Count

from fortalece.accounts.models import User
from fortalece.people.models import Institution
from fortalece.programmes.models import Programme
from fortalece.reporting.models import (
    Headcount,
    ReachYear,
    ReportedFigure,
    ResultsIndicator,
    ResultsOutcome,
    ResultsPillar,
    SavedReport,
)
from fortalece.reporting.saved import saved_report_create
from fortalece.reporting.workforce import headcount_record

MEXICO = "mx-vulnerable-groups"
SPOTLIGHT = "mx-spotlight-ibero-2021"

# Seeds 002, 003 and 004: the same programme's figures as published, years as each text says.
REPORTED = [
    {
        "description": "Police officers and first responders trained since 2016",
        "people": 10_000,
        "states": 25,
        "municipalities": 20,
        "year_from": 2016,
        "year_to": 2020,
        "source": "UNODC Mexico: police responses to gender-based violence proven to have "
        "strong positive impact",
        "source_date": datetime.date(2020, 7, 1),
        "note": "“More than 10,000”.",
    },
    {
        "description": "First responders trained over the last four years",
        "people": 12_000,
        "states": 25,
        "municipalities": 30,
        "year_from": 2017,
        "year_to": 2020,
        "source": "UNODC: police officers trained by UNODC in Mexico are recognized for their work",
        "source_date": datetime.date(2021, 1, 12),
        "note": "“More than 12,000”.",
    },
    {
        "description": "Police officers and emergency call operators reached",
        "people": 7_500,
        "states": 26,
        "year_from": 2019,
        "year_to": 2019,
        "source": "UNODC: preventing and responding to violence against women (annual overview)",
        "source_date": datetime.date(2020, 3, 1),
        "note": "The report gives no year for this figure; 2019 is assumed from the figures "
        "around it. The same report also says 8,000 in 25 states.",
    },
    {
        "description": "Police officers and emergency call operators in the training programme",
        "people": 8_000,
        "states": 25,
        "year_from": 2019,
        "year_to": 2019,
        "source": "UNODC: preventing and responding to violence against women (annual overview)",
        "source_date": datetime.date(2020, 3, 1),
        "note": "Another section of the same report (7,500 in 26 states).",
    },
]

# Seed 001: the Spotlight Initiative's six pillars in Mexico.
PILLARS = [
    "Legal and regulatory framework",
    "Institutional strengthening, both organic and budgetary",
    "Prevention and transformation of social norms through community work",
    "Guarantee of accessible and quality services for girls and women victims",
    "Statistical data and knowledge management",
    "Work with civil society organisations",
]


def run(say: Any = print) -> None:
    headcounts(say)
    reported_figures(say)
    framework(say)
    saved_report(say)


def _force(institution: Institution, as_of: datetime.date, trained: int, *, scale: float) -> None:
    """A plausible force for an institution a programme has trained ``trained`` people of."""

    total = max(60, int(trained * scale))
    police = institution.kind in (Institution.Kind.POLICE, Institution.Kind.SECURITY_SECRETARIAT)
    main = "police" if police else "public_official"
    counts = {
        (main, "female"): int(total * 0.22),
        (main, "male"): total - int(total * 0.22),
    }
    if police:
        counts[("emergency_operator", "female")] = max(10, total // 25)
        counts[("emergency_operator", "male")] = max(5, total // 60)
    headcount_record(institution=institution, as_of=as_of, counts=counts, by=None)


def headcounts(say: Any) -> None:
    if Headcount.objects.exists():
        return
    mexico = Programme.objects.filter(code=MEXICO).first()
    if mexico is not None:
        mexico.refresher_months = 24
        mexico.save(update_fields=["refresher_months"])
    busiest = (
        ReachYear.objects.filter(country__code="MX", institution__isnull=False)
        .values("institution_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "institution_id")[:8]
    )
    trained = {row["institution_id"]: row["n"] for row in busiest}
    ssp = Institution.objects.filter(
        subdivision__code="MX-MIC", kind=Institution.Kind.SECURITY_SECRETARIAT
    ).first()
    if ssp is not None:
        trained.setdefault(ssp.pk, 1)
    for institution in Institution.objects.filter(pk__in=trained).order_by("pk"):
        # Two returns: the force grew between them, so coverage depends on the date asked.
        _force(institution, datetime.date(2023, 1, 1), trained[institution.pk], scale=3)
        _force(institution, datetime.date(2026, 1, 1), trained[institution.pk], scale=3.6)
    say(f"  headcounts: {len(trained)} institutions, 2 dates each")


def reported_figures(say: Any) -> None:
    programme = Programme.objects.filter(code=MEXICO).first()
    if programme is None or programme.reported_figures.exists():
        return
    for figure in REPORTED:
        ReportedFigure.objects.create(programme=programme, **figure)
    pillar = ResultsPillar.objects.create(
        programme=programme, number=1, title="Police and 911 response to gender-based violence"
    )
    outcome = ResultsOutcome.objects.create(
        pillar=pillar, code="1.1", title="First responders trained in the protocols"
    )
    counted = ResultsIndicator.objects.create(
        outcome=outcome,
        title="Police officers and first responders trained",
        measure=ResultsIndicator.Measure.PEOPLE_REACHED,
        baseline=0,
        baseline_year=2016,
        target=10_000,
        target_year=2026,
    )
    reported = ResultsIndicator.objects.create(
        outcome=outcome,
        title="Professionals trained, as reported",
        measure=ResultsIndicator.Measure.REPORTED,
        baseline=0,
        baseline_year=2016,
        target=10_000,
        target_year=2026,
    )
    figures = list(programme.reported_figures.all())
    counted.reported_figures.set(figures)
    reported.reported_figures.set(figures)
    say(f"  reported figures (seeds 002–004): {len(REPORTED)}")


def framework(say: Any) -> None:
    programme = Programme.objects.filter(code=SPOTLIGHT).first()
    if programme is None or programme.pillars.exists():
        return
    pillars = {
        number: ResultsPillar.objects.create(programme=programme, number=number, title=title)
        for number, title in enumerate(PILLARS, start=1)
    }
    specs = [
        (
            3,
            "3.1",
            "Liaisons transmit and apply knowledge that changes social norms",
            [
                ("Liaisons who completed a diploma", "people_completed", 0, 400),
                ("Women liaisons trained", "women_reached", 0, 300),
            ],
        ),
        (
            4,
            "4.1",
            "Justice-chain institutions give accessible, quality services to victims",
            [
                ("Liaisons trained", "people_reached", 0, 500),
                ("Share of the recorded workforce trained", "force_share", 0, 25),
            ],
        ),
    ]
    for number, code, title, indicators in specs:
        outcome = ResultsOutcome.objects.create(pillar=pillars[number], code=code, title=title)
        for name, measure, baseline, target in indicators:
            ResultsIndicator.objects.create(
                outcome=outcome,
                title=name,
                measure=measure,
                baseline=baseline,
                baseline_year=2020,
                target=target,
                target_year=2022,
            )
    # The Spotlight institutions it trained most people in get a headcount (seed 001's states).
    busiest = (
        ReachYear.objects.filter(programme=programme, institution__isnull=False)
        .values("institution_id")
        .annotate(n=Count("person_id", distinct=True))
        .order_by("-n", "institution_id")[:3]
    )
    for row in busiest:
        institution = Institution.objects.get(pk=row["institution_id"])
        if not institution.headcounts.exists():
            _force(institution, datetime.date(2021, 1, 1), row["n"], scale=8)
    say("  results framework: Spotlight's six pillars")


def saved_report(say: Any) -> None:

    owner = User.objects.filter(email="manager@demo.fortalece.org").first()
    programme = Programme.objects.filter(code=MEXICO).first()
    if owner is None or programme is None or SavedReport.objects.filter(owner=owner).exists():
        return
    report = saved_report_create(
        owner=owner,
        name="Mexico — donor update by state",
        query=f"programme={programme.pk}&by=state",
        frequency=SavedReport.Frequency.MONTHLY,
    )
    report.shared_with.set(
        User.objects.filter(email__in=["donor@demo.fortalece.org", "me@demo.fortalece.org"])
    )
    say("  saved report: shared with the donor and the M&E officer, monthly")
