"""Studies: the answers file checked against its instrument, the check step, the analysis run
in the background (the Django side of the pure analysis core; loads the statistics stack)."""

import datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from fortalece.impact.core.data import DataError, read_responses
from fortalece.impact.core.followup import analyze_followup
from fortalece.impact.core.instrument import instrument_from_json
from fortalece.impact.core.messages import as_message
from fortalece.impact.core.reading import (
    duplicate_codes,
    reading_block,
    resolve_columns,
    with_overrides,
)
from fortalece.impact.core.repeated import analyze_repeated
from fortalece.impact.core.report import AnalysisError, analyze
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.impact.selectors import (
    collected_rows,
    place_names,
    study_instrument,
    study_responses,
)
from fortalece.impact.tasks import run_study


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
    comparison_value: str = "",
    subgroups: list[str] | None = None,
    design: str = "post",
    wave_column: str = "",
    pre_value: str = "",
    post_value: str = "",
    code_column: str = "",
    followup_value: str = "",
    unknown: str = "refuse",
    draft: bool = False,
) -> Study:
    """Check the answers file against the instrument (raises DataError), store it, queue the
    analysis. Columns may be named by full path, bare name or label (stored resolved); duplicate
    pseudonymous codes in a wave of a group refuse a before/after file, naming the rows."""
    reading = {"unknown": unknown}
    responses = read_responses(
        data_name, content, instrument_from_json(instrument.definition), unknown=unknown
    )
    columns = list(dict.fromkeys(key for row in responses.rows for key in row))
    wanted: dict[str, Any] = {
        "covariates": covariates,
        "cluster": cluster,
        "subgroups": subgroups or [],
    }
    if design in ("post", "did") or (design == "followup" and group_column):
        wanted["group"] = group_column
    if design != "post":
        wanted.update(wave=wave_column, code=code_column)
    resolved, problems = resolve_columns(
        wanted, columns, instrument_from_json(instrument.definition)
    )
    if problems:
        raise DataError(problems)
    if design != "post":
        duplicates = duplicate_codes(
            responses.rows,
            code=resolved["code"],
            wave=resolved["wave"],
            group=resolved.get("group") if design in ("did", "followup") else None,
            row_numbers=responses.row_numbers,
        )
        if duplicates:
            raise DataError(duplicates)
    covariates = resolved["covariates"]
    cluster = resolved["cluster"] or ""
    group_column = resolved.get("group", group_column)
    wave_column = resolved.get("wave", wave_column)
    code_column = resolved.get("code", code_column)
    study = Study.objects.create(
        programme=programme,
        instrument=instrument,
        title=title,
        data_name=data_name[:255],
        rows=len(responses.rows),
        group_column=group_column,
        treated_value=treated_value,
        comparison_value=comparison_value,
        covariates=covariates,
        subgroups=resolved["subgroups"] or [],
        cluster=cluster,
        seed=seed,
        draws=draws,
        created_by=by,
        design=design,
        wave_column=wave_column,
        pre_value=pre_value,
        post_value=post_value,
        followup_value=followup_value,
        code_column=code_column,
        reading=reading,
        # A draft waits for the check step (the study page); otherwise it is queued.
        status=Study.Status.DRAFT if draft else Study.Status.QUEUED,
    )
    study.data.save(data_name, ContentFile(content), save=True)
    return study


def study_from_collected(*, instrument: SurveyInstrument, title: str, by: Any) -> Study:
    """A study over the answers collected in the platform (design chosen from what exists)."""
    rows = collected_rows(instrument)
    if not rows:
        raise ValueError("no answers")
    waves = {r["wave"] for r in rows}
    groups = {r["group"] for r in rows}
    followup = {"post", "followup"} <= waves
    if followup:
        # The trained at the post-test and at the follow-up, paired within their workshop.
        design = "followup"
        rows = [r for r in rows if r["wave"] in ("post", "followup") and r["group"] == "trained"]
    elif waves == {"pre", "post"}:
        design = "did" if groups == {"trained", "control"} else "prepost"
    else:
        design = "post"
    names = sorted({key for row in rows for key in row})
    lines = [",".join(names)] + [",".join(row.get(n, "") for n in names) for row in rows]
    stamp = datetime.date.today().isoformat()  # noqa: DTZ011 - a label in a file name
    return study_create(
        programme=instrument.programme,
        instrument=instrument,
        title=title,
        data_name=f"collected-{stamp}.csv",
        content="\n".join(lines).encode("utf-8"),
        group_column="workshop" if followup else "group",
        treated_value="trained",
        covariates=[],
        cluster="",
        seed=1,
        draws=300,
        by=by,
        design=design,
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        followup_value="followup" if followup else "",
        code_column="code",
    )


@transaction.atomic
def study_reading_change(
    *, study: Study, keep: list[str] | None = None, missing: list[str] | None = None
) -> Study:
    """Record which codes a draft study scores as answers / never scores (raises ScaleError,
    naming the question, when a scale would no longer be one)."""
    options = {**(study.reading or {})}
    if keep is not None:
        options["keep"] = sorted(set(keep))
    if missing is not None:
        options["missing"] = sorted(set(missing))
    with_overrides(
        instrument_from_json(study.instrument.definition),
        keep=options.get("keep", []),
        missing=options.get("missing", []),
    )
    Study.objects.filter(pk=study.pk, status=Study.Status.DRAFT).update(reading=options)
    study.refresh_from_db()
    return study


def study_column_map_set(*, study: Study, header: str, question: str) -> bool:
    """Match a file header of a draft study to a question of its instrument by hand ("" for
    "not a question"); anything else is ignored. True when it was recorded."""
    names = {i.name for i in instrument_from_json(study.instrument.definition).items}
    if not header or (question and question not in names):
        return False
    return bool(
        Study.objects.filter(pk=study.pk, status=Study.Status.DRAFT).update(
            column_map={**study.column_map, header: question}
        )
    )


def study_queue(*, study: Study) -> bool:
    """Start the analysis of a draft study once (a second click finds it queued already)."""
    claimed = Study.objects.filter(pk=study.pk, status=Study.Status.DRAFT).update(
        status=Study.Status.QUEUED
    )
    if claimed:
        run_study.enqueue(study.pk)
    return bool(claimed)


DEFAULT_SUBGROUPS = ("sex", "profession", "state")  # the analysis' own default


def _places(rows: list[dict[str, str]], columns: Any) -> dict[str, str]:
    """Names of the state codes the report may show (its covariates' and subgroups' values)."""
    return place_names({str(r.get(c, "")).strip() for r in rows for c in columns})


def study_run(*, study: Study) -> Study:
    """Run the analysis and store the result; any failure is recorded on the study."""
    Study.objects.filter(pk=study.pk).update(status=Study.Status.RUNNING)
    try:
        instrument = study_instrument(study)
        responses = study_responses(study, instrument)
        if study.design == Study.Design.POST:
            result = analyze(
                instrument,
                responses.rows,
                group_column=study.group_column,
                treated_value=study.treated_value,
                comparison_value=study.comparison_value or None,
                covariates=study.covariates,
                subgroups=study.subgroups or None,
                cluster=study.cluster or None,
                seed=study.seed,
                draws=study.draws,
                places=_places(
                    responses.rows, [*study.covariates, *(study.subgroups or DEFAULT_SUBGROUPS)]
                ),
            )
        elif study.design == Study.Design.FOLLOWUP:
            result = analyze_followup(
                instrument,
                responses.rows,
                wave_column=study.wave_column,
                post_value=study.post_value,
                followup_value=study.followup_value,
                code_column=study.code_column,
                group_column=study.group_column or None,
                seed=study.seed,
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
        earlier = study.instrument.warnings + responses.warnings
        result["warnings"] = earlier + result["warnings"]
        result["warning_messages"] = [as_message(w).as_dict() for w in earlier] + result.get(
            "warning_messages", []
        )
        result["reading"] = reading_block(
            instrument,
            responses.rows,
            unknown=responses.unknown,
            columns={
                "group": study.group_column,
                "covariates": study.covariates,
                "cluster": study.cluster,
                "wave": study.wave_column,
                "code": study.code_column,
            },
        )
    except Exception as error:
        message = error.message.as_dict() if isinstance(error, AnalysisError) else {}
        Study.objects.filter(pk=study.pk).update(
            status=Study.Status.FAILED, error=str(error)[:2000], error_message=message
        )
        raise
    Study.objects.filter(pk=study.pk).update(status=Study.Status.DONE, result=result, error="")
    study.refresh_from_db()
    return study
