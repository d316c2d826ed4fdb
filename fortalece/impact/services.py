"""Instruments and studies: the Django side of the pure analysis core."""

import dataclasses
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from fortalece.impact.core.data import read_responses
from fortalece.impact.core.instrument import Index, Instrument, Item
from fortalece.impact.core.repeated import analyze_repeated
from fortalece.impact.core.report import analyze
from fortalece.impact.core.xlsform import read_xlsform
from fortalece.impact.models import Study, SurveyInstrument


def instrument_to_json(instrument: Instrument) -> dict[str, Any]:
    return dataclasses.asdict(instrument)


def _tuples(value: Any) -> Any:
    """JSON lists back to the tuples of the frozen dataclasses (nested: pairs, triples)."""
    return tuple(_tuples(v) for v in value) if isinstance(value, list) else value


def instrument_from_json(data: dict[str, Any]) -> Instrument:
    item_fields = {f.name for f in dataclasses.fields(Item)}
    items = [
        Item(**{k: _tuples(v) for k, v in i.items() if k in item_fields}) for i in data["items"]
    ]
    indices = [
        Index(**{**i, "components": tuple(i["components"]), "labels": _tuples(i.get("labels", []))})
        for i in data["indices"]
    ]
    return Instrument(
        title=data["title"],
        version=data["version"],
        items=items,
        indices=indices,
        source=data.get("source"),
    )


@transaction.atomic
def instrument_upload(*, programme: Any, name: str, content: bytes, by: Any) -> SurveyInstrument:
    """Parse and check an XLSForm (raises XLSFormError with sheet/row), then store it."""
    parsed = read_xlsform(content)
    instrument, _ = SurveyInstrument.objects.update_or_create(
        programme=programme,
        title=parsed.instrument.title[:200],
        version=parsed.instrument.version[:40],
        defaults={
            "definition": instrument_to_json(parsed.instrument),
            "warnings": parsed.warnings,
            "created_by": by,
        },
    )
    instrument.xlsform.save(name, ContentFile(content), save=True)
    return instrument


@transaction.atomic
def study_create(
    *,
    programme: Any,
    instrument: SurveyInstrument,
    title: str,
    data_name: str,
    content: bytes,
    group_column: str,
    treated_value: str,
    covariates: list[str],
    cluster: str,
    seed: int,
    draws: int,
    by: Any,
    design: str = "post",
    wave_column: str = "",
    pre_value: str = "",
    post_value: str = "",
    code_column: str = "",
) -> Study:
    """Check the answers file against the instrument (raises DataError), store it, queue the analysis."""
    responses = read_responses(data_name, content, instrument_from_json(instrument.definition))
    columns = set(responses.rows[0]) if responses.rows else set()
    needed = [*covariates, *([cluster] if cluster else [])]
    if design != "prepost":
        needed.append(group_column)
    if design != "post":
        needed += [wave_column, code_column]
    for column in needed:
        if column not in columns:
            from fortalece.impact.core.data import DataError

            raise DataError([f"Column '{column}' is not in the file."])
    study = Study.objects.create(
        programme=programme,
        instrument=instrument,
        title=title,
        data_name=data_name[:255],
        rows=len(responses.rows),
        group_column=group_column,
        treated_value=treated_value,
        covariates=covariates,
        cluster=cluster,
        seed=seed,
        draws=draws,
        created_by=by,
        design=design,
        wave_column=wave_column,
        pre_value=pre_value,
        post_value=post_value,
        code_column=code_column,
    )
    study.data.save(data_name, ContentFile(content), save=True)
    return study


def study_run(*, study: Study) -> Study:
    """Run the analysis and store the result; any failure is recorded on the study."""
    Study.objects.filter(pk=study.pk).update(status=Study.Status.RUNNING)
    try:
        instrument = instrument_from_json(study.instrument.definition)
        study.data.open("rb")
        responses = read_responses(study.data_name, study.data.read(), instrument, study.column_map)
        if study.design == Study.Design.POST:
            result = analyze(
                instrument,
                responses.rows,
                group_column=study.group_column,
                treated_value=study.treated_value,
                covariates=study.covariates,
                cluster=study.cluster or None,
                seed=study.seed,
                draws=study.draws,
            )
        else:
            did = study.design == Study.Design.DID
            result = analyze_repeated(
                instrument,
                responses.rows,
                wave_column=study.wave_column,
                pre_value=study.pre_value,
                post_value=study.post_value,
                code_column=study.code_column,
                group_column=study.group_column if did else None,
                treated_value=study.treated_value if did else None,
                covariates=study.covariates,
                cluster=study.cluster or None,
                seed=study.seed,
            )
        result["warnings"] = study.instrument.warnings + responses.warnings + result["warnings"]
    except Exception as error:
        Study.objects.filter(pk=study.pk).update(
            status=Study.Status.FAILED, error=str(error)[:2000]
        )
        raise
    Study.objects.filter(pk=study.pk).update(status=Study.Status.DONE, result=result, error="")
    study.refresh_from_db()
    return study
