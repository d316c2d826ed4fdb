"""Reads for the impact pages: what readers see instead of variable names."""

from typing import Any

from fortalece.impact.core.labels import Labels, build, decode_design
from fortalece.impact.models import Study
from fortalece.impact.services import instrument_from_json, place_names


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
