import json
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.charts import distribution_chart, forest_plot
from fortalece.core.exports import xlsx_response
from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact import services
from fortalece.impact.core.data import DataError
from fortalece.impact.core.published import compare
from fortalece.impact.core.reading import reading_block, set_aside, set_aside_messages
from fortalece.impact.core.scales import ScaleError
from fortalece.impact.core.xlsform import XLSFormError
from fortalece.impact.forms import InstrumentUploadForm, StudyForm
from fortalece.impact.models import Study
from fortalece.impact.pdf import render_study_pdf
from fortalece.impact.policies import instrument_policy, study_policy
from fortalece.impact.tasks import run_study
from fortalece.impact.texts import translate
from fortalece.training.policies import workshop_policy


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


class InstrumentProgrammesMixin:
    """Instruments belong to a programme the user works on as an M&E officer."""

    def _programmes(self, request: HttpRequest) -> Any:
        return instrument_policy.addable_programmes(request.user)


class InstrumentUploadView(InstrumentProgrammesMixin, PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        form = InstrumentUploadForm(programmes=self._programmes(request))
        return render(request, "impact/instrument_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = InstrumentUploadForm(
            request.POST, request.FILES, programmes=self._programmes(request)
        )
        if form.is_valid():
            upload = form.cleaned_data["xlsform"]
            try:
                instrument = services.instrument_upload(
                    programme=form.cleaned_data["programme"],
                    name=upload.name,
                    content=upload.read(),
                    by=request.user,
                )
            except XLSFormError as error:
                form.add_error("xlsform", translate(error.message))
            else:
                messages.success(request, _("Instrument saved."))
                return redirect(instrument)
        return render(request, "impact/instrument_form.html", {"form": form})


def kirkpatrick_labels() -> dict[str, str]:
    return {
        "reaction": _("Reaction"),
        "learning": _("Learning"),
        "behaviour": _("Behaviour"),
        "results": _("Results"),
    }


class InstrumentDetailView(PolicyRequiredMixin, View):
    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        definition = instrument.definition
        parsed = services.instrument_from_json(definition)
        items = []
        level_labels = kirkpatrick_labels()
        for item, data in zip(parsed.items, definition.get("items", []), strict=True):
            labels = dict(item.choices)
            scale = ""
            if item.kind == "likert":
                low, high = (f"{v:g}" for v in (item.scale_min, item.scale_max))
                scale = f"{low}–{high}"
            items.append(
                {
                    **data,
                    "level_label": level_labels.get(item.level, ""),
                    "scale": scale,
                    "not_scored": ", ".join(
                        f"{c} '{labels.get(c, c)}'" for c in item.missing_codes
                    ),
                }
            )
        return render(
            request,
            "impact/instrument_detail.html",
            {
                "instrument": instrument,
                "items": items,
                "indices": [
                    {**data, "level_label": level_labels.get(parsed.index_level(index.code), "")}
                    for index, data in zip(
                        parsed.indices, definition.get("indices", []), strict=True
                    )
                ],
                "set_aside": [translate(m) for m in set_aside_messages(set_aside(parsed))],
            },
        )


class InstrumentDownloadView(PolicyRequiredMixin, View):
    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        instrument.xlsform.open("rb")
        response = HttpResponse(
            instrument.xlsform.read(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="instrument-{instrument.pk}.xlsx"'
        return response


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
                study = services.study_create(
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
                )
            except DataError as error:
                problems = [translate(m) for m in error.messages]
                form.add_error(
                    "answers", _("The file has problems: nothing was saved. See the list below.")
                )
            else:
                Study.objects.filter(pk=study.pk).update(status=Study.Status.DRAFT)
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
            indices = [i for i in result["indices"] if "error" not in i]
            if language == "es":
                indices = [{**i, "label": i.get("label_es") or i["label"]} for i in indices]
            context.update(
                result=result,
                reading=[translate(m) for m in result.get("reading", {}).get("messages", [])],
                caveats=(
                    [translate(m) for m in result["warning_messages"]]
                    if "warning_messages" in result
                    else result["warnings"]
                ),
                indices=indices,
                headlines=result["headlines"][language],
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
                        {
                            "sex": _("By sex"),
                            "profession": _("By profession"),
                            "state": _("By state"),
                        }.get(column, column),
                        groups,
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
                method_notes=result.get("method", {}).get(language, []),
                sensitivity=[
                    (i["label"], i["sensitivity"]) for i in indices if i.get("sensitivity")
                ],
                published=published_comparison(result, language),
            )
        template = (
            "impact/_study_status.html"
            if getattr(request, "htmx", False) and context["busy"]
            else "impact/study_detail.html"
        )  # type: ignore[attr-defined]
        return render(request, template, context)


def _draft_preview(study: Study) -> dict[str, Any]:
    """How the file's columns were matched to the instrument's questions, what reading sets
    aside ("don't know" codes, answers that are not choices), and the file's first rows."""
    instrument = services.instrument_from_json(study.instrument.definition)
    try:
        instrument = services.study_instrument(study)
        responses = services.study_responses(study, instrument)
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
                    services.study_reading_change(study=study, keep=[*keep, code])
                elif action == "unkeep":
                    services.study_reading_change(study=study, keep=list(keep - {code}))
                elif action == "missing":
                    codes = [c.strip() for c in request.POST.get("codes", "").split(",")]
                    services.study_reading_change(study=study, missing=[c for c in codes if c])
            except ScaleError as error:
                messages.error(request, translate(error.message))
            else:
                messages.success(request, _("How the answers are scored was changed."))
            return redirect(study)
        if action == "map":
            # Only questions of the instrument (or "not a question") can be chosen.
            instrument = services.instrument_from_json(study.instrument.definition)
            names = {i.name for i in instrument.items}
            header, question = request.POST.get("header", ""), request.POST.get("question", "")
            if header and (question in names or question == ""):
                Study.objects.filter(pk=study.pk, status=Study.Status.DRAFT).update(
                    column_map={**study.column_map, header: question}
                )
            return redirect(study)
        claimed = Study.objects.filter(pk=study.pk, status=Study.Status.DRAFT).update(
            status=Study.Status.QUEUED
        )
        if claimed:
            run_study.enqueue(study.pk)
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
        effects = [
            [
                i["label"],
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
                r["label"],
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


# Collecting answers in the platform.


class SurveyLinksView(PolicyRequiredMixin, View):
    """An instrument's survey links: create them, see how many answered, analyse the answers."""

    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        from fortalece.impact.models import SurveyLink

        instrument = self.get_object()
        links = SurveyLink.objects.filter(instrument=instrument).select_related("workshop")
        links = links.annotate(answers=Count("responses"))
        workshops = workshop_policy.instances_user_has_permission_for(request.user, "view").filter(
            programme=instrument.programme
        )
        return render(
            request,
            "impact/links.html",
            {
                "instrument": instrument,
                "links": links,
                "workshops": workshops.order_by("-start_date")[:200],
                "can_change": instrument_policy.user_has_permission_for_instance(
                    request.user, "change", instrument
                ),
                "waves": SurveyLink.Wave.choices,
                "audiences": SurveyLink.Audience.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from fortalece.impact import collection
        from fortalece.impact.models import SurveyLink

        instrument = instrument_policy.get_for_user(user=request.user, pk=pk, action="change")
        if request.POST.get("action") == "analyse":
            try:
                study = collection.study_from_collected(
                    instrument=instrument,
                    title=_("Answers collected in Fortalece"),
                    by=request.user,
                )
            except (ValueError, DataError):
                messages.error(request, _("There are no usable answers yet."))
                return redirect("impact:links", pk=pk)
            run_study.enqueue(study.pk)
            return redirect(study)
        wave = request.POST.get("wave", "")
        audience = request.POST.get("audience", "")
        if wave not in SurveyLink.Wave.values or audience not in SurveyLink.Audience.values:
            messages.error(request, _("Choose when and who answers."))
            return redirect("impact:links", pk=pk)
        workshop = None
        workshop_id = query_int(request.POST.get("workshop"))
        if workshop_id is not None:
            workshop = workshop_policy.get_for_user(user=request.user, pk=workshop_id)
        followup_days = query_int(request.POST.get("followup_days"))
        if followup_days is not None and not (
            1 <= followup_days <= 1095 and wave == SurveyLink.Wave.POST and workshop is not None
        ):
            messages.error(
                request,
                _("A follow-up (1 to 1,095 days) is for a workshop's post-test link."),
            )
            return redirect("impact:links", pk=pk)
        collection.link_create(
            instrument=instrument,
            wave=wave,
            audience=audience,
            workshop=workshop,
            by=request.user,
            followup_days=followup_days,
        )
        messages.success(request, _("Link created: share it or show its QR code."))
        return redirect("impact:links", pk=pk)


class SurveyView(View):
    """Public: consent, a pseudonymous code, then the questions. No account, no name."""

    def _link(self, token: str) -> Any:
        from django.shortcuts import get_object_or_404

        from fortalece.impact.models import SurveyLink

        return get_object_or_404(
            SurveyLink.objects.select_related("instrument", "workshop"), token=token, active=True
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        from fortalece.impact import collection

        link = self._link(token)
        return render(
            request,
            "impact/survey.html",
            {
                "link": link,
                "code_form": collection.CodeForm(),
                "answers": collection.answer_form(link.instrument),
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        from fortalece.impact import collection

        link = self._link(token)
        code_form = collection.CodeForm(request.POST)
        answers = collection.answer_form(link.instrument, request.POST)
        if code_form.is_valid() and answers.is_valid():
            given = {k: v for k, v in answers.cleaned_data.items() if v}
            response, created = collection.response_save(
                link=link, code=code_form.code(), answers=given
            )
            return render(
                request,
                "impact/survey_done.html",
                {"link": link, "code": response.code, "created": created},
            )
        return render(
            request,
            "impact/survey.html",
            {"link": link, "code_form": code_form, "answers": answers},
        )


class SurveyQrView(View):
    """Public, like the survey itself: the link's QR code large enough to print or project, for
    the trainer who shares it (the token is the survey's own address; nothing else is shown)."""

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        from django.shortcuts import get_object_or_404

        from fortalece.impact.models import SurveyLink

        link = get_object_or_404(
            SurveyLink.objects.select_related("instrument", "workshop"), token=token, active=True
        )
        return render(request, "impact/survey_qr.html", {"link": link})


# Building an instrument in the browser.


class InstrumentBlankView(InstrumentProgrammesMixin, PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        from fortalece.impact.builder import BlankInstrumentForm

        return render(
            request,
            "impact/instrument_form.html",
            {"form": BlankInstrumentForm(programmes=self._programmes(request)), "blank": True},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        from fortalece.impact.builder import BlankInstrumentForm, instrument_blank

        form = BlankInstrumentForm(request.POST, programmes=self._programmes(request))
        if form.is_valid():
            from fortalece.impact.models import SurveyInstrument

            if SurveyInstrument.objects.filter(
                programme=form.cleaned_data["programme"],
                title=form.cleaned_data["title"],
                version=form.cleaned_data["version"],
            ).exists():
                form.add_error("version", _("This programme already has this instrument version."))
            else:
                instrument = instrument_blank(by=request.user, **form.cleaned_data)
                return redirect("impact:instrument_build", pk=instrument.pk)
        return render(request, "impact/instrument_form.html", {"form": form, "blank": True})


class InstrumentBuildView(PolicyRequiredMixin, View):
    policy = instrument_policy
    permission_action = "change"

    def _render(
        self,
        request: HttpRequest,
        instrument: Any,
        index_form: Any = None,
        question_form: Any = None,
        problems: list[str] | None = None,
    ) -> HttpResponse:
        from fortalece.impact.builder import IndexForm, QuestionForm

        definition = instrument.definition
        return render(
            request,
            "impact/instrument_build.html",
            {
                "instrument": instrument,
                "items": definition.get("items", []),
                "indices": definition.get("indices", []),
                "index_form": index_form or IndexForm(prefix="index"),
                "question_form": question_form or QuestionForm(prefix="q"),
                "problems": problems or [],
            },
        )

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        instrument = self.get_object()
        return self._render(request, instrument)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        from fortalece.impact import builder
        from fortalece.impact.core.instrument import InstrumentError

        instrument = self.get_object()
        if "index-code" in request.POST:
            form = builder.IndexForm(request.POST, prefix="index")
            if form.is_valid():
                try:
                    problems = builder.index_add(instrument=instrument, **form.cleaned_data)
                except InstrumentError as error:
                    form.add_error(None, translate(error.message))
                else:
                    messages.success(request, _("Index added."))
                    return self._render(request, instrument, problems=problems)
            return self._render(request, instrument, index_form=form)
        question = builder.QuestionForm(request.POST, prefix="q")
        if question.is_valid():
            try:
                problems = builder.question_add(instrument=instrument, data=question.cleaned_data)
            except InstrumentError as error:
                question.add_error(None, translate(error.message))
            else:
                messages.success(request, _("Question added."))
                return self._render(request, instrument, problems=problems)
        return self._render(request, instrument, question_form=question)


class PlanView(PolicyRequiredMixin, View):
    """Plan the next survey: minimum detectable effect or sample size (pure core planner).

    Reads only: a GET form, optionally filled in from a past study the user may view.
    """

    policy = study_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        from fortalece.impact.core.planner import PlanError, from_study, mde, sample_size
        from fortalece.impact.forms import PlanForm

        study = None
        initial: dict[str, Any] = {"alpha": 0.05, "power": 0.8, "clusters": 0, "icc": 0}
        choices: list[tuple[str, str]] = []
        study_pk = query_int(request.GET.get("study"))
        if study_pk is not None:
            study = study_policy.get_for_user(user=request.user, pk=study_pk, action="view")
            if study.status == Study.Status.DONE and study.result:
                try:
                    past = from_study(study.result)
                except PlanError:
                    past = {}
                labels = {i["code"]: i.get("label") or i["code"] for i in study.result["indices"]}
                choices = [(code, labels.get(code, code)) for code in past]
                code = request.GET.get("index") or (choices[-1][0] if choices else "")
                if code in past:
                    values = past[code]
                    initial.update(
                        n_treated=values["n_treated"],
                        n_comparison=values["n_comparison"],
                        sd=round(values["sd"], 2) if values["sd"] else None,
                        clusters=values["clusters"],
                        icc=round(values["icc"], 4),
                        index=code,
                    )
        bound = "sd" in request.GET
        form = PlanForm(request.GET if bound else None, initial=initial)
        plan = error = None
        if bound and form.is_valid():
            data = form.cleaned_data
            common = {
                "sd": data["sd"],
                "clusters": data.get("clusters") or 0,
                "icc": data.get("icc") or 0.0,
                "alpha": data["alpha"],
                "power": data["power"],
            }
            try:
                if data.get("effect") is None:
                    plan = mde(
                        n_treated=data["n_treated"], n_comparison=data["n_comparison"], **common
                    )
                else:
                    ratio = (
                        data["n_treated"] / data["n_comparison"]
                        if data.get("n_treated") and data.get("n_comparison")
                        else 1.0
                    )
                    plan = sample_size(effect=data["effect"], ratio=ratio, **common)
            except PlanError as problem:
                error = str(problem)
        elif not bound and initial.get("sd"):
            form = PlanForm(initial=initial)
        context = {
            "form": form,
            "plan": plan,
            "effect": form.cleaned_data.get("effect") if bound and form.is_valid() else None,
            "error": error,
            "study": study,
            "choices": choices,
            "index": initial.get("index", ""),
        }
        template = (
            "impact/_plan_result.html" if getattr(request, "htmx", False) else "impact/plan.html"
        )
        return render(request, template, context)
