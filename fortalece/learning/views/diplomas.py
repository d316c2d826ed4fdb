"""Diplomas: ordered courses with their own rule, hours and certificate."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.credentials.codes import normalise
from fortalece.learning.forms import DiplomaCourseForm, DiplomaForm
from fortalece.learning.models import Diploma, DiplomaAward, DiplomaCourse
from fortalece.learning.pdf import render_diploma_pdf
from fortalece.learning.policies import diploma_award_policy, diploma_policy
from fortalece.learning.services import diplomas as services
from fortalece.learning.views.portability import _author_programmes
from fortalece.training.models import Course


class DiplomaListView(PolicyRequiredMixin, View):
    policy = diploma_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        diplomas = (
            self.get_queryset()
            .annotate(
                course_count=Count("entries", distinct=True),
                award_count=Count("awards", distinct=True),
            )
            .order_by("programme__name", "title")
        )

        return render(
            request,
            "learning/diploma_list.html",
            {
                "can_add": diploma_policy.user_has_permission(request.user, "change"),
                **paginate(request, diplomas),
            },
        )


class DiplomaDetailView(PolicyRequiredMixin, View):
    policy = diploma_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        diploma = self.get_object()
        can_change = diploma_policy.user_has_permission_for_instance(
            request.user, "change", diploma
        )
        entries = diploma.entries.select_related("course").order_by("position", "id")
        awards = diploma_award_policy.instances_user_has_permission_for(
            request.user, "view"
        ).filter(diploma=diploma)
        form = DiplomaCourseForm(
            courses=Course.objects.filter(programme=diploma.programme).exclude(
                diploma_entries__diploma=diploma
            )
        )
        return render(
            request,
            "learning/diploma_detail.html",
            {
                "diploma": diploma,
                "entries": entries,
                "can_change": can_change,
                "form": form,
                "awards": awards.order_by("-issued_on")[:50],
            },
        )


class DiplomaCreateView(PolicyRequiredMixin, View):
    policy = diploma_policy
    permission_action = "change"

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request,
            "learning/diploma_form.html",
            {"form": DiplomaForm(programmes=_author_programmes(request))},
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = DiplomaForm(request.POST, programmes=_author_programmes(request))
        diploma = call_service(form, lambda data: services.diploma_create(**data))
        if diploma is not None:
            messages.success(request, _("Diploma created. Now add its courses."))
            return redirect("learning:diploma", pk=diploma.pk)
        return render(request, "learning/diploma_form.html", {"form": form})


class DiplomaUpdateView(PolicyRequiredMixin, View):
    policy = diploma_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        diploma = self.get_object()
        form = DiplomaForm(instance=diploma, programmes=_author_programmes(request))
        return render(request, "learning/diploma_form.html", {"form": form, "diploma": diploma})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        diploma = self.get_object()
        form = DiplomaForm(
            request.POST,
            # The form edits a copy: the service compares the saved programme with the new one.
            instance=Diploma.objects.get(pk=diploma.pk),
            programmes=_author_programmes(request),
        )
        saved = call_service(form, lambda data: services.diploma_update(diploma=diploma, **data))
        if saved is not None:
            return redirect("learning:diploma", pk=diploma.pk)
        return render(request, "learning/diploma_form.html", {"form": form, "diploma": diploma})


class DiplomaCourseAddView(PolicyRequiredMixin, View):
    policy = diploma_policy
    permission_action = "change"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        diploma = self.get_object()
        form = DiplomaCourseForm(
            request.POST, courses=Course.objects.filter(programme=diploma.programme)
        )
        if form.is_valid():
            try:
                services.diploma_course_add(diploma=diploma, **form.cleaned_data)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
        else:
            messages.error(request, _("Choose a course of the programme."))
        return redirect("learning:diploma", pk=diploma.pk)


class DiplomaEntryView(LoginRequiredMixin, View):
    """Move a course up or down in the diploma, or remove it."""

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        entry = get_object_or_404(DiplomaCourse.objects.select_related("diploma"), pk=pk)
        diploma_policy.get_for_user(user=request.user, pk=entry.diploma_id, action="change")
        action = request.POST.get("action")
        if action == "remove":
            services.diploma_course_remove(entry=entry)
        elif action in ("up", "down"):
            services.diploma_course_move(entry=entry, offset=-1 if action == "up" else 1)
        else:
            raise PermissionDenied
        return redirect("learning:diploma", pk=entry.diploma_id)


class DiplomaAwardView(PolicyRequiredMixin, View):
    """A diploma certificate as PDF: its holder and the programme's staff."""

    policy = diploma_award_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        award = self.get_object()
        response = HttpResponse(render_diploma_pdf(award), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="diploma-{award.code}.pdf"'
        return response


class DiplomaVerifyView(View):
    """Public: anyone holding a diploma's code may verify it (holder, diploma, hours, date)."""

    def get(self, request: HttpRequest, code: str) -> HttpResponse:
        canonical = normalise(code)
        award = (
            DiplomaAward.objects.filter(code=canonical)
            .only("code", "holder_name", "diploma_title", "hours", "completed_on")
            .first()
            if canonical
            else None
        )
        return render(
            request, "learning/diploma_verify.html", {"award": award}, status=200 if award else 404
        )
