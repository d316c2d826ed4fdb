"""A programme as an IATI 2.03 activity file (``iati-activities``), valid against the official
schema (tested with lxml against the XSD in ``tests/data/iati-2.03``).

What goes in: the reporting organisation, title and description, the participating
organisations (donors as funding, implementers as implementing), status and dates, the
recipient countries and states (as locations), the sector (DAC 15180, ending violence against
women and girls), the SDG targets as tags (vocabulary 3), and one result per target with its
baseline (0 at the start) and the counted actual, disaggregated by sex. Counts published in an
IATI file are public: a sex figure below the minimum cell size is left out (with the other one,
which would give it away).

The programme's results framework follows: one outcome result per framework outcome
(pillar and outcome in its title and description), each indicator with its baseline, its
target and the counted actual (published figures only); the reported figures linked to an
indicator are named in the actual's comment, never added to it.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone
from lxml import etree

from fortalece.programmes.models import Target
from fortalece.programmes.selectors import target_progress
from fortalece.reporting.results import framework
from fortalece.reporting.selectors import publish_progress
from fortalece.training.models import ProgrammeReach

SECTOR_EVAW = "15180"  # OECD DAC 5: Ending violence against women and girls
ORGANISATION_TYPES = {
    "government": "10",
    "multilateral": "40",
    "un": "40",
    "academic": "80",
    "civil_society": "22",
    "private": "70",
    "other": "90",
}
PARTNER_ROLES = {"donor": "1", "implementer": "4", "partner": "3"}  # funding/implementing/extending


def _narrative(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    etree.SubElement(element, "narrative").text = text
    return element


def _org_ref() -> str:
    return getattr(settings, "FORTALECE_IATI_ORG_REF", "XX-FORTALECE")


def activity_document(programme: Any) -> bytes:
    """The ``iati-activities`` XML document for one programme."""
    now = timezone.now().replace(microsecond=0)
    root = etree.Element(
        "iati-activities", version="2.03", **{"generated-datetime": now.isoformat()}
    )
    activity = etree.SubElement(
        root,
        "iati-activity",
        **{
            "last-updated-datetime": programme.updated_at.replace(microsecond=0).isoformat(),
            "{http://www.w3.org/XML/1998/namespace}lang": "en",
        },
    )
    reference = _org_ref()
    etree.SubElement(activity, "iati-identifier").text = f"{reference}-{programme.code}"
    partners = list(programme.partners.select_related("organisation"))
    implementer = next((p.organisation for p in partners if p.role == "implementer"), None)
    reporting = etree.SubElement(
        activity,
        "reporting-org",
        ref=reference,
        type=ORGANISATION_TYPES.get(implementer.kind if implementer else "other", "90"),
    )
    etree.SubElement(reporting, "narrative").text = implementer.name if implementer else "Fortalece"
    _narrative(activity, "title", programme.name)
    description = _narrative(activity, "description", programme.description or programme.name)
    description.set("type", "1")
    for partner in partners:
        org = etree.SubElement(
            activity,
            "participating-org",
            role=PARTNER_ROLES.get(partner.role, "3"),
            type=ORGANISATION_TYPES.get(partner.organisation.kind, "90"),
        )
        etree.SubElement(org, "narrative").text = partner.organisation.name
    if not partners:
        org = etree.SubElement(activity, "participating-org", role="4")
        etree.SubElement(org, "narrative").text = "Fortalece"
    today = timezone.localdate()
    ended = programme.end_date is not None and programme.end_date < today
    etree.SubElement(activity, "activity-status", code="4" if ended else "2")
    etree.SubElement(
        activity, "activity-date", type="2", **{"iso-date": programme.start_date.isoformat()}
    )
    if programme.end_date:
        etree.SubElement(
            activity,
            "activity-date",
            type="4" if ended else "3",
            **{"iso-date": programme.end_date.isoformat()},
        )
    countries = list(programme.countries.order_by("code"))
    for country in countries:
        share = str(round(100 / len(countries), 2)).rstrip("0").rstrip(".")
        etree.SubElement(activity, "recipient-country", code=country.code, percentage=share)
    for state in programme.subdivisions.order_by("code"):
        location = etree.SubElement(activity, "location", ref=state.code)
        _narrative(location, "name", state.name)
        etree.SubElement(location, "administrative", vocabulary="G1", level="1", code=state.code)
    etree.SubElement(activity, "sector", vocabulary="1", code=SECTOR_EVAW, percentage="100")
    for sdg in programme.sdg_targets.order_by("goal", "code"):
        etree.SubElement(activity, "tag", vocabulary="3", code=sdg.code)
    end = min(programme.end_date or today, today)
    start = programme.start_date
    published = publish_progress(
        target_progress(programme), minimum=settings.FORTALECE_MIN_CELL_SIZE
    )
    for row in published:
        _result(activity, programme, row, start=start, end=max(end, start))
    _framework_results(activity, programme, start=start, end=max(end, start))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _result(
    activity: etree._Element,
    programme: Any,
    row: dict[str, Any],
    *,
    start: datetime.date,
    end: datetime.date,
) -> None:
    target = row["target"]
    result = etree.SubElement(activity, "result", type="1", **{"aggregation-status": "1"})
    _narrative(result, "title", target.description)
    indicator = etree.SubElement(result, "indicator", measure="1", ascending="1")
    _narrative(indicator, "title", target.get_metric_display())
    etree.SubElement(
        indicator, "baseline", year=str(start.year), value="0", **{"iso-date": start.isoformat()}
    )
    period = etree.SubElement(indicator, "period")
    etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
    etree.SubElement(period, "period-end", **{"iso-date": end.isoformat()})
    etree.SubElement(period, "target", value=str(target.value))
    if row["current"] is None:  # too small to publish
        return
    etree.SubElement(period, "actual", value=str(row["current"]))
    for sex, count in _by_sex(programme, target).items():
        actual = etree.SubElement(period, "actual", value=str(count))
        etree.SubElement(actual, "dimension", name="sex", value=sex)


def _by_sex(programme: Any, target: Any) -> dict[str, int]:
    """People counted by a target, women and men, when both can be published."""
    from django.db.models import Count

    if target.metric == Target.Metric.WORKSHOPS_HELD:
        return {}
    reach = ProgrammeReach.objects.filter(programme=programme)
    if target.metric == Target.Metric.PEOPLE_COMPLETED:
        reach = reach.filter(completed=True)
    states = [s.pk for s in target.subdivisions.all()]
    if states:
        reach = reach.filter(subdivision__in=states)
    if target.profession:
        reach = reach.filter(profession=target.profession)
    counts = dict(
        reach.order_by().values_list("sex").annotate(n=Count("pk")).values_list("sex", "n")
    )
    female, male = counts.get("female", 0), counts.get("male", 0)
    minimum = settings.FORTALECE_MIN_CELL_SIZE
    other = sum(n for sex, n in counts.items() if sex not in ("female", "male"))
    if any(0 < n < minimum for n in (female, male, other)):
        return {}
    return {"female": female, "male": male}


def _framework_results(
    activity: etree._Element, programme: Any, *, start: datetime.date, end: datetime.date
) -> None:
    for pillar in framework(programme, suppress_small=True):
        for entry in pillar["outcomes"]:
            if not entry["indicators"]:
                continue
            outcome = entry["outcome"]
            result = etree.SubElement(activity, "result", type="2", **{"aggregation-status": "0"})
            _narrative(result, "title", f"{outcome.code} {outcome.title}")
            _narrative(result, "description", str(pillar["pillar"]))
            for row in entry["indicators"]:
                item = row["indicator"]
                percent = item.measure == "force_share"
                indicator = etree.SubElement(
                    result, "indicator", measure="2" if percent else "1", ascending="1"
                )
                _narrative(indicator, "title", item.title)
                _narrative(indicator, "description", str(item.get_measure_display()))
                etree.SubElement(
                    indicator,
                    "baseline",
                    year=str(item.baseline_year),
                    value=_decimal(item.baseline),
                )
                period = etree.SubElement(indicator, "period")
                etree.SubElement(period, "period-start", **{"iso-date": start.isoformat()})
                period_end = min(end, datetime.date(max(item.target_year, start.year), 12, 31))
                etree.SubElement(
                    period, "period-end", **{"iso-date": max(period_end, start).isoformat()}
                )
                etree.SubElement(period, "target", value=_decimal(item.target))
                counted = item.measure != "reported"
                if row["actual"] is None and not row["reported"]:
                    continue
                actual = etree.SubElement(period, "actual")
                if row["actual"] is not None:
                    actual.set("value", _decimal(row["actual"]))
                if row["reported"]:
                    named = "; ".join(
                        f"{f.people:,} ({f.source}, {f.source_date.isoformat()})"
                        for f in row["reported"]
                    )
                    label = "Counted in Fortalece. Reported elsewhere" if counted else "Reported"
                    _narrative(actual, "comment", f"{label}: {named}")


def _decimal(value: Any) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
