"""Planning the next survey: minimum detectable effect or sample size."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.core.planner import PlanError, from_study, mde, sample_size
from fortalece.impact.forms import PlanForm
from fortalece.impact.models import Study
from fortalece.impact.policies import study_policy
from fortalece.impact.texts import translate


class PlanView(PolicyRequiredMixin, View):
    """Plan the next survey: minimum detectable effect or sample size (pure core planner).

    Reads only: a GET form, optionally filled in from a past study the user may view.
    """

    policy = study_policy

    def get(self, request: HttpRequest) -> HttpResponse:
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
                error = translate(problem.message)
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
