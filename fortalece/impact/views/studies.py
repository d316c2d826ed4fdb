"""Impact studies: the list, the upload form, the check step, the report and its downloads."""

import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import floatformat
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.charts import distribution_chart, forest_plot
from fortalece.core.exports import xlsx_response
from fortalece.core.pagination import paginate
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.core.data import DataError
from fortalece.impact.core.instrument import instrument_from_json
from fortalece.impact.core.labels import Labels, column_label, index_label, relabel
from fortalece.impact.core.published import compare
from fortalece.impact.core.reading import reading_block
from fortalece.impact.core.scales import ScaleError
from fortalece.impact.forms import StudyForm
from fortalece.impact.models import Study
from fortalece.impact.pdf import render_study_pdf
from fortalece.impact.policies import instrument_policy, study_policy
from fortalece.impact.selectors import study_instrument, study_labels, study_responses
from fortalece.impact.services.studies import (
    study_column_map_set,
    study_create,
    study_queue,
    study_reading_change,
)
from fortalece.impact.texts import headlines, method_notes, translate


def _svg(markup: str) -> str:
    return mark_safe(markup)  # noqa: S308 - core.charts escapes every label


class StudyListView(PolicyRequiredMixin, View):
    policy = study_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        studies = self.get_queryset().select_related("programme", "instrument")
        context = {
            "can_add": study_policy.user_has_permission(request.user, "add"),
            "instruments": instrument_policy.instances_user_has_permission_for(request.user, "view")
            if instrument_policy.user_has_permission(request.user, "view")
            else [],
            **paginate(request, studies.order_by("-created_at")),
        }
        return render(request, "impact/study_list.html", context)


class StudyCreateView(PolicyRequiredMixin, View):
    policy = study_policy
    permission_action = "add"

    def _instruments(self, request: HttpRequest) -> Any:
        return instrument_policy.instances_user_has_permission_for(request.user, "add")

    def get(self, request: HttpRequest) -> HttpResponse:
        form = StudyForm(instruments=self._instruments(request))
        return render(request, "impact/study_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = StudyForm(request.POST, request.FILES, instruments=self._instruments(request))
        problems: list[str] = []
        if form.is_valid():
            instrument = form.cleaned_data["instrument"]
            upload = form.cleaned_data["answers"]
            try:
                study = study_create(
                    programme=instrument.programme,
                    instrument=instrument,
                    title=form.cleaned_data["title"],
                    data_name=upload.name,
                    content=upload.read(),
                    group_column=(
                        form.cleaned_data.get("within_column", "")
                        if form.cleaned_data["design"] == "followup"
                        else form.cleaned_data["group_column"]
                    ),
                    treated_value=form.cleaned_data["treated_value"],
                    comparison_value=form.cleaned_data.get("comparison_value", ""),
                    subgroups=form.subgroup_list(),
                    covariates=form.covariate_list(),
                    cluster=form.cleaned_data["cluster"],
                    seed=form.cleaned_data["seed"],
                    draws=form.cleaned_data["draws"],
                    by=request.user,
                    design=form.cleaned_data["design"],
                    wave_column=form.cleaned_data["wave_column"],
                    pre_value=form.cleaned_data["pre_value"],
                    post_value=form.cleaned_data["post_value"],
                    followup_value=form.cleaned_data.get("followup_value", ""),
                    code_column=form.cleaned_data["code_column"],
                    unknown="missing" if form.cleaned_data.get("unknown_as_missing") else "refuse",
                    draft=True,
                )
            except DataError as error:
                problems = [translate(m) for m in error.messages]
                form.add_error(
                    "answers", _("The file has problems: nothing was saved. See the list below.")
                )
            else:
                return redirect(study)
        return render(request, "impact/study_form.html", {"form": form, "problems": problems[:200]})


def published_comparison(result: dict[str, Any], language: str) -> dict[str, Any] | None:
    """Figures a study was published with (stored with the result), next to ours."""
    published = result.get("published")
    return compare(result, published, language) if published else None


def _followup_rows(result: dict[str, Any], language: str) -> dict[str, Any] | None:
    """A follow-up study's indices by Kirkpatrick level, with each one's attrition comparison."""
    if result.get("design") != "followup":
        return None
    by_code = {i["code"]: i for i in result["indices"]}
    rows = []
    for level in result.get("levels", []):
        for code in level["indices"]:
            entry = by_code[code]
            rows.append(
                {
                    "level": level["label_es"] if language == "es" else level["label"],
                    "label": (entry.get("label_es") if language == "es" else None)
                    or entry["label"],
                    "entry": entry,
                }
            )
    return {"attrition": result["attrition"], "rows": rows}


class StudyDetailView(PolicyRequiredMixin, View):
    policy = study_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        study = self.get_object()
        context: dict[str, Any] = {
            "study": study,
            "busy": study.status in (Study.Status.QUEUED, Study.Status.RUNNING),
        }
        if study.status == Study.Status.DRAFT:
            context.update(_draft_preview(study))
            context["can_change"] = study_policy.user_has_permission_for_instance(
                request.user, "change", study
            )
        if study.status == Study.Status.DONE:
            result = study.result
            language = "es" if request.LANGUAGE_CODE.startswith("es") else "en"
            labels = study_labels(study, language)
            indices = [
                {**i, "label": index_label(i, language)}
                for i in result["indices"]
                if "error" not in i
            ]
            names = {i["code"]: i["label"] for i in indices}
            context.update(
                result=result,
                reading=[translate(m) for m in result.get("reading", {}).get("messages", [])],
                caveats=(
                    [translate(relabel(m, labels)) for m in result["warning_messages"]]
                    if "warning_messages" in result
                    else result["warnings"]
                ),
                indices=indices,
                balance=[
                    {**b, "label": labels.design(b["column"])} for b in result.get("balance", [])
                ],
                items=[
                    {**r, "label": r.get(f"label_{language}") or r.get("label") or r["name"]}
                    for r in result.get("items", [])
                ],
                reliability_notes=_reliability_notes(study, result, language),
                true_effects=[
                    (names.get(code, code), code, value)
                    for code, value in (result.get("simulation") or {})
                    .get("true_effects", {})
                    .items()
                ],
                headlines=headlines(result),
                followup=_followup_rows(result, language),
                forest=_svg(
                    forest_plot(
                        [
                            (
                                i["label"],
                                i["headline"]["effect"],
                                i["headline"]["low"],
                                i["headline"]["high"],
                            )
                            for i in indices
                        ],
                        title=_(
                            "Effect of training on each index (points on a 0–100 scale, 95% CI)"
                        ),
                    )
                ),
                subgroups=[
                    (
                        _subgroup_heading(column, labels),
                        column,
                        [
                            {
                                **g,
                                "label": labels.value(column, g["value"]),
                                "indices": [
                                    {**e, "label": index_label(e, language)}
                                    for e in g.get("indices", [])
                                ],
                            }
                            for g in groups
                        ],
                    )
                    for column, groups in result.get("subgroups", {}).items()
                ],
                distributions=[
                    (
                        i["label"],
                        _svg(
                            distribution_chart(
                                i["distribution"]["treated"],
                                i["distribution"]["comparison"],
                                title=i["label"],
                                names=(_("Trained"), _("Comparison")),
                            )
                        ),
                    )
                    for i in indices
                    if i.get("distribution")
                ],
                can_change=study_policy.user_has_permission_for_instance(
                    request.user, "change", study
                ),
                min_cell=settings.FORTALECE_MIN_CELL_SIZE,
                method_notes=method_notes(result),
                sensitivity=[
                    (
                        i["label"],
                        i["sensitivity"],
                        labels.column(i["sensitivity"]["strongest"]["covariate"])
                        if i["sensitivity"].get("strongest")
                        else "",
                    )
                    for i in indices
                    if i.get("sensitivity")
                ],
                published=published_comparison(result, language),
            )
        template = (
            "impact/_study_status.html"
            if getattr(request, "htmx", False) and context["busy"]
            else "impact/study_detail.html"
        )  # type: ignore[attr-defined]
        return render(request, template, context)


def _reliability_notes(study: Study, result: dict[str, Any], language: str) -> list[str]:
    """Items that correlate negatively with the rest of their index, named by their label
    (the stored English warnings name them by code), in the reader's language."""
    flagged = [
        (name, r)
        for i in result["indices"]
        for name, r in ((i.get("reliability") or {}).get("item_rest") or {}).items()
        if r is not None and r < 0
    ]
    if not flagged:
        return []
    instrument = instrument_from_json(study.instrument.definition)
    return [
        _(
            "Statement “%(label)s” (%(name)s) correlates negatively with the rest of its index "
            "(r = %(r)s): check whether it should be reverse-scored."
        )
        % {"label": column_label(instrument, name, language), "name": name, "r": floatformat(r, 2)}
        for name, r in flagged
    ]


def _subgroup_heading(column: str, labels: Labels) -> str:
    known = {"sex": _("By sex"), "profession": _("By profession"), "state": _("By state")}
    if column in known:
        return known[column]
    return _("By %(column)s") % {"column": labels.column(column)}


def _draft_preview(study: Study) -> dict[str, Any]:
    """How the file's columns were matched to the instrument's questions, what reading sets
    aside ("don't know" codes, answers that are not choices), and the file's first rows."""
    instrument = instrument_from_json(study.instrument.definition)
    try:
        instrument = study_instrument(study)
        responses = study_responses(study, instrument)
    except (DataError, ScaleError) as error:
        messages_ = error.messages if isinstance(error, DataError) else [error.message]
        return {"read_problems": [translate(m) for m in messages_[:200]]}
    scored = [i.name for i in instrument.items if i.kind != "background"]
    matched = set(responses.columns.values())
    headers = list(responses.rows[0]) if responses.rows else []
    block = reading_block(instrument, responses.rows, unknown=responses.unknown)
    options = study.reading or {}
    labels = {name: label for item in instrument.items for name, label in item.choices}
    kept = [(code, labels.get(code, code)) for code in options.get("keep", [])]
    return {
        "columns": sorted(responses.columns.items()),
        "missing_questions": [n for n in scored if n not in matched],
        "other_columns": [h for h in headers if h not in matched],
        "questions": scored,
        "preview_headers": headers[:12],
        "preview_rows": [[row.get(h, "") for h in headers[:12]] for row in responses.rows[:5]],
        "set_aside": [
            {**entry, "text": translate(message)}
            for entry, message in zip(
                block["set_aside"], block["messages"][: len(block["set_aside"])], strict=True
            )
        ],
        "unknown_answers": [translate(m) for m in block["messages"][len(block["set_aside"]) :]],
        "kept_codes": kept,
        "extra_missing": ", ".join(options.get("missing", [])),
        "used_columns": [
            (_("Group"), study.group_column),
            (_("Covariates"), ", ".join(study.covariates)),
            (_("Cluster"), study.cluster),
            (_("Wave"), study.wave_column if study.design != Study.Design.POST else ""),
            (_("Respondent code"), study.code_column if study.design != Study.Design.POST else ""),
        ],
    }


class StudyRunView(PolicyRequiredMixin, View):
    """Confirm the column matching of a draft study and start the analysis."""

    policy = study_policy
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        study = self.get_object()
        action = request.POST.get("action")
        if action in ("keep", "unkeep", "missing") and study.status == Study.Status.DRAFT:
            options = study.reading or {}
            keep = set(options.get("keep", []))
            code = request.POST.get("code", "").strip()
            try:
                if action == "keep" and code:
                    study_reading_change(study=study, keep=[*keep, code])
                elif action == "unkeep":
                    study_reading_change(study=study, keep=list(keep - {code}))
                elif action == "missing":
                    codes = [c.strip() for c in request.POST.get("codes", "").split(",")]
                    study_reading_change(study=study, missing=[c for c in codes if c])
            except ScaleError as error:
                messages.error(request, translate(error.message))
            else:
                messages.success(request, _("How the answers are scored was changed."))
            return redirect(study)
        if action == "map":
            study_column_map_set(
                study=study,
                header=request.POST.get("header", ""),
                question=request.POST.get("question", ""),
            )
            return redirect(study)
        study_queue(study=study)
        return redirect(study)


class StudyDownloadView(PolicyRequiredMixin, View):
    policy = study_policy

    def get(self, request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
        study = self.get_object()
        if study.status != Study.Status.DONE:
            messages.error(request, _("The analysis is not ready yet."))
            return redirect(study)
        if fmt == "pdf":
            response = HttpResponse(
                render_study_pdf(study, request.LANGUAGE_CODE), content_type="application/pdf"
            )
            response["Content-Disposition"] = f'attachment; filename="study-{study.pk}.pdf"'
            return response
        if fmt == "json":
            response = HttpResponse(
                json.dumps(study.result, indent=2, ensure_ascii=False),
                content_type="application/json",
            )
            response["Content-Disposition"] = f'attachment; filename="study-{study.pk}.json"'
            return response
        result = study.result
        language = "es" if request.LANGUAGE_CODE.startswith("es") else "en"
        effects = [
            [
                index_label(i, language),
                i["n_treated"],
                i["n_comparison"],
                i["mean_treated"],
                i["mean_comparison"],
                i["difference"]["effect"],
                i["headline"]["effect"],
                i["headline"]["low"],
                i["headline"]["high"],
                i["relative_improvement"]["effect"],
                i["hedges_g"]["effect"],
                i["p_holm"],
            ]
            for i in result["indices"]
            if "error" not in i
        ]
        items = [
            [
                r["name"],
                r.get(f"label_{language}") or r["label"],
                r["agree_treated"],
                r["agree_comparison"],
                r["p"],
                r.get("p_bh"),
            ]
            for r in result["items"]
        ]
        return xlsx_response(
            f"study-{study.pk}.xlsx",
            [
                (
                    _("Effects"),
                    [
                        _("Index"),
                        _("n trained"),
                        _("n comparison"),
                        _("Mean trained"),
                        _("Mean comparison"),
                        _("Raw difference"),
                        _("Effect"),
                        _("CI low"),
                        _("CI high"),
                        _("Relative improvement"),
                        "Hedges g",
                        _("Holm p"),
                    ],
                    effects,
                ),
                (
                    _("Statements"),
                    [
                        _("Item"),
                        _("Statement"),
                        _("Agree (trained)"),
                        _("Agree (comparison)"),
                        "p",
                        _("p (BH)"),
                    ],
                    items,
                ),
            ],
        )
