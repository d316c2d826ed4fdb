"""A workshop's before/after survey links (its trainers may make them): a page of the
training: namespace served by impact, which sits above training (fortalece/urls.py adds
impact.urls.training_urlpatterns to that namespace)."""

from django.contrib import messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.query import query_int
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.impact.models import SurveyInstrument, SurveyLink
from fortalece.impact.services.surveys import link_create
from fortalece.training.models import Workshop
from fortalece.training.policies import workshop_policy


class WorkshopSurveyLinksView(PolicyRequiredMixin, View):
    """Before/after survey links for one workshop's participants (its trainers may make them)."""

    policy = workshop_policy
    permission_action = "survey_links"
    object_action = "view"

    def _workshop(self, request: HttpRequest, pk: int) -> Workshop:
        return workshop_policy.get_for_user(user=request.user, pk=pk, action="survey_links")

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self._workshop(request, pk)
        links = (
            SurveyLink.objects.filter(workshop=workshop)
            .select_related("instrument")
            .annotate(answers=Count("responses"))
        )
        return render(
            request,
            "training/workshop_surveys.html",
            {
                "workshop": workshop,
                "links": links,
                "instruments": SurveyInstrument.objects.filter(
                    programme_id=workshop.programme_id
                ).order_by("title"),
                "waves": SurveyLink.Wave.choices,
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:

        workshop = self._workshop(request, pk)
        wave = request.POST.get("wave", "")
        instrument_id = query_int(request.POST.get("instrument"))
        instrument = (
            SurveyInstrument.objects.filter(
                programme_id=workshop.programme_id, pk=instrument_id
            ).first()
            if instrument_id is not None
            else None
        )
        if instrument is None or wave not in SurveyLink.Wave.values:
            messages.error(request, _("Choose a questionnaire and when it is answered."))
            return redirect("training:workshop_surveys", pk=pk)
        link_create(
            instrument=instrument,
            wave=wave,
            audience=SurveyLink.Audience.TRAINED,
            workshop=workshop,
            by=request.user,
        )
        messages.success(request, _("Link created: share it or show its QR code."))
        return redirect("training:workshop_surveys", pk=pk)
