"""Surveys answered in Fortalece: links per workshop and wave, the public form, its QR code."""

from typing import Any

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.core.data import DataError
from fortalece.impact.forms import CodeForm, answer_form
from fortalece.impact.models import SurveyLink
from fortalece.impact.policies import instrument_policy
from fortalece.impact.services.studies import study_from_collected
from fortalece.impact.services.surveys import link_create, response_save
from fortalece.impact.tasks import run_study
from fortalece.training.policies import workshop_policy


class SurveyLinksView(PolicyRequiredMixin, View):
    """An instrument's survey links: create them, see how many answered, analyse the answers."""

    policy = instrument_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
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
        instrument = instrument_policy.get_for_user(user=request.user, pk=pk, action="change")
        if request.POST.get("action") == "analyse":
            try:
                study = study_from_collected(
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
        link_create(
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

        return get_object_or_404(
            SurveyLink.objects.select_related("instrument", "workshop"), token=token, active=True
        )

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        link = self._link(token)
        return render(
            request,
            "impact/survey.html",
            {
                "link": link,
                "code_form": CodeForm(),
                "answers": answer_form(link.instrument),
            },
        )

    def post(self, request: HttpRequest, token: str) -> HttpResponse:
        link = self._link(token)
        code_form = CodeForm(request.POST)
        answers = answer_form(link.instrument, request.POST)
        if code_form.is_valid() and answers.is_valid():
            given = {k: v for k, v in answers.cleaned_data.items() if v}
            response, created = response_save(link=link, code=code_form.code(), answers=given)
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

        link = get_object_or_404(
            SurveyLink.objects.select_related("instrument", "workshop"), token=token, active=True
        )
        return render(request, "impact/survey_qr.html", {"link": link})
