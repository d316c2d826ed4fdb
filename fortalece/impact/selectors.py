"""Reads for the impact pages: what readers see instead of variable names, a study's answers
file as read, the answers collected in the platform."""

from typing import Any

from fortalece.geography.core.names import subdivision_names
from fortalece.geography.models import Subdivision
from fortalece.impact.core.data import Responses, read_responses
from fortalece.impact.core.instrument import Instrument, instrument_from_json
from fortalece.impact.core.labels import PLACE_CODE, Labels, build, decode_design
from fortalece.impact.core.reading import with_overrides
from fortalece.impact.models import Study, SurveyInstrument, SurveyResponse


def place_names(values: Any) -> dict[str, str]:
    """Names of the ISO 3166-2 codes among ``values`` (state answers), from the geography
    tables (else pycountry); one query, none when no value is a code."""
    codes = {v for v in values if isinstance(v, str) and PLACE_CODE.match(v)}
    if not codes:
        return {}
    names = dict(Subdivision.objects.filter(code__in=codes).values_list("code", "name"))
    # Codes the tables lack (geography not loaded yet): the names load_geography would store.
    return {**subdivision_names(codes - set(names)), **names}


def result_labels(instrument: Any, result: dict[str, Any]) -> dict[str, Any]:
    """The labels block of a result analysed before results stored one (same layout)."""
    settings = result.get("meta", {}).get("settings", {})
    covariates = settings.get("covariates") or []
    design = decode_design([b["column"] for b in result.get("balance", [])], covariates)
    values = {
        column: [g["value"] for g in groups]
        for column, groups in (result.get("subgroups") or {}).items()
    }
    shown = [v for vs in values.values() for v in vs] + [str(v) for _, v in design.values() if v]
    return build(
        instrument,
        columns=[*covariates, *([settings["cluster"]] if settings.get("cluster") else [])],
        values=values,
        design=design,
        places=place_names(shown),
    )


def study_labels(study: Study, language: str) -> Labels:
    """Labels of a finished study's variables in ``language`` (stored, else rebuilt)."""
    block = (study.result or {}).get("labels")
    if block is None:
        block = result_labels(instrument_from_json(study.instrument.definition), study.result)
    return Labels(block, language)


def study_instrument(study: Study) -> Instrument:
    """The study's instrument with the check step's word on "don't know" codes."""
    options = study.reading or {}
    return with_overrides(
        instrument_from_json(study.instrument.definition),
        keep=options.get("keep", []),
        missing=options.get("missing", []),
    )


def study_responses(study: Study, instrument: Instrument) -> Responses:
    study.data.open("rb")
    try:
        content = study.data.read()
    finally:
        study.data.close()
    return read_responses(
        study.data_name,
        content,
        instrument,
        study.column_map,
        unknown=(study.reading or {}).get("unknown", "refuse"),
    )


def collected_rows(instrument: SurveyInstrument) -> list[dict[str, str]]:
    """Every collected answer of the instrument as a row: code, wave, group and the answers."""
    responses = (
        SurveyResponse.objects.filter(link__instrument=instrument)
        .select_related("link")
        .order_by("pk")
    )
    return [
        {
            **{k: str(v) for k, v in response.answers.items()},
            "code": response.code,
            "wave": response.link.wave,
            "group": response.link.audience,
            "workshop": str(response.link.workshop_id or ""),
        }
        for response in responses.iterator()
    ]
