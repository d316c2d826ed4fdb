"""Trainers record the workshops they give themselves; managers validate them.

A recorded workshop waits for a programme manager: its participants count in reach once it
is validated. Trainers also open before/after survey links for their own workshops.
"""

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.pagination import paginate
from fortalece.core.policies import own_person_id
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Country
from fortalece.people.models import Person
from fortalece.training import services
from fortalece.training.forms import WorkshopForm
from fortalece.training.models import Enrolment, Workshop, WorkshopTrainer
from fortalece.training.policies import course_policy, workshop_policy


def _trainer_courses(request: HttpRequest):  # type: ignore[no-untyped-def]
    return course_policy.instances_user_has_permission_for(request.user, "view")


def _trainer_countries(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Country.objects.filter(
        programmes__in=_trainer_courses(request).values("programme")
    ).distinct()


class WorkshopRecordView(PolicyRequiredMixin, View):
    """A trainer records a workshop they gave (or will give) of a course of their programme."""

    policy = workshop_policy
    permission_action = "record"

    def _form(self, request: HttpRequest, data: Any = None) -> WorkshopForm:
        return WorkshopForm(
            data, courses=_trainer_courses(request), countries=_trainer_countries(request)
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        return render(
            request, "training/workshop_form.html", {"form": self._form(request), "recording": True}
        )

    def post(self, request: HttpRequest) -> HttpResponse:
        form = self._form(request, request.POST)
        workshop = call_service(
            form,
            lambda data: services.workshop_record(
                by=request.user,
                trainer=Person.objects.get(pk=own_person_id(request.user) or 0),
                **data,
            ),
        )
        if workshop is not None:
            messages.success(
                request,
                _(
                    "Workshop recorded. Enrol its participants and take attendance; it "
                    "counts in reach once a programme manager validates it."
                ),
            )
            return redirect(workshop)
        return render(request, "training/workshop_form.html", {"form": form, "recording": True})


class ValidationQueueView(PolicyRequiredMixin, View):
    """Workshops trainers recorded, waiting for a manager: validate or reject with a reason."""

    policy = workshop_policy
    permission_action = "validate"

    def get(self, request: HttpRequest) -> HttpResponse:
        waiting = (
            self.get_queryset()
            .filter(validation=Workshop.Validation.PENDING)
            .order_by("start_date", "pk")
        )
        context = paginate(request, waiting)
        shown = list(context["object_list"])
        # Counted for the rows shown only.
        counts = dict(
            Enrolment.objects.filter(workshop__in=[w.pk for w in shown])
            .order_by()
            .values_list("workshop_id")
            .annotate(
                n=Count("pk", filter=Q(status__in=Enrolment.REACHED_STATUSES)),
            )
            .values_list("workshop_id", "n")
        )
        leads: dict[int, list[str]] = {}
        for trainer in WorkshopTrainer.objects.filter(
            workshop__in=[w.pk for w in shown]
        ).select_related("person"):
            leads.setdefault(trainer.workshop_id, []).append(str(trainer.person))
        for workshop in shown:
            workshop.attended = counts.get(workshop.pk, 0)  # type: ignore[attr-defined]
            workshop.trainer_names = ", ".join(leads.get(workshop.pk, []))  # type: ignore[attr-defined]
        context["object_list"] = shown
        return render(request, "training/validation_queue.html", context)

    def post(self, request: HttpRequest) -> HttpResponse:
        pk = request.POST.get("workshop", "")
        workshop = workshop_policy.get_for_user(
            user=request.user, pk=query_int(pk), action="validate"
        )
        decision = request.POST.get("decision")
        try:
            if decision == "validate":
                services.workshop_validate(workshop=workshop, by=request.user)
                messages.success(
                    request,
                    _("%(workshop)s validated: its participants count in reach.")
                    % {"workshop": workshop.title},
                )
            elif decision == "reject":
                services.workshop_reject(
                    workshop=workshop, by=request.user, reason=request.POST.get("reason", "")
                )
                messages.success(
                    request,
                    _("%(workshop)s rejected; the trainer sees your reason.")
                    % {"workshop": workshop.title},
                )
            else:
                messages.error(request, _("Choose to validate or to reject."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        return redirect("training:validation_queue")
