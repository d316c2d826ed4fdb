from functools import partial
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core import pages
from fortalece.core.pagination import paginate
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.geography.models import Country, Subdivision
from fortalece.people.policies import person_policy
from fortalece.programmes.policies import programme_policy
from fortalece.training import services
from fortalece.training.forms import SessionForm, TrainerForm, WorkshopForm
from fortalece.training.models import Session, Workshop, WorkshopTrainer
from fortalece.training.policies import course_policy, workshop_policy
from fortalece.training.selectors import (
    workshop_list,
    workshop_list_counts,
    workshop_roster,
    workshop_summary,
)


class WorkshopListView(PolicyRequiredMixin, View):
    policy = workshop_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        filters = {
            "programme": query_int(request.GET.get("programme")),
            "subdivision": query_int(request.GET.get("subdivision")),
            "when": request.GET.get("when")
            if request.GET.get("when") in ("upcoming", "past")
            else "",
        }
        workshops = workshop_list(queryset=self.get_queryset(), filters=filters)
        programmes = programme_policy.instances_user_has_permission_for(request.user, "view")
        context = {
            "filters": filters,
            "programmes": programmes.order_by("name"),
            "subdivisions": Subdivision.objects.filter(
                pk__in=self.get_queryset().values("subdivision")
            ).order_by("name"),
            "can_add": workshop_policy.user_has_permission(request.user, "add"),
            "can_record": workshop_policy.user_has_permission(request.user, "record"),
            "filtered": any(filters.values()),
            **paginate(request, workshops),
        }
        # The page is cut first; only its rows are counted (one query, whatever the total).
        context["object_list"] = workshop_list_counts(list(context["object_list"]))
        if workshop_policy.user_has_permission(request.user, "validate"):
            context["can_validate"] = True
            context["to_validate"] = (
                workshop_policy.instances_user_has_permission_for(request.user, "validate")
                .filter(validation=Workshop.Validation.PENDING)
                .count()
            )
        return render(request, "training/workshop_list.html", context)


class WorkshopDetailView(PolicyRequiredMixin, View):
    policy = workshop_policy

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        user = request.user

        def allowed(action: str) -> bool:
            return workshop_policy.user_has_permission_for_instance(user, action, workshop)

        can_change, can_enrol = allowed("change"), allowed("manage_enrolment")
        can_attend = allowed("take_attendance")
        roster = workshop_roster(workshop)
        if not (can_change or can_enrol or can_attend):
            # Those who only look (a focal point, an M&E officer) see the participants they
            # may see anyway, e.g. a focal point their own institution's staff; counts stay whole.
            roster = roster.filter(
                person__in=person_policy.instances_user_has_permission_for(user, "view").values(
                    "pk"
                )
            )
        context = {
            "workshop": workshop,
            "summary": workshop_summary(workshop),
            "sessions": workshop.sessions.all(),
            "trainers": WorkshopTrainer.objects.filter(workshop=workshop).select_related("person"),
            "roster": roster[:500],
            "can_change": can_change,
            "can_delete": allowed("delete"),
            "can_enrol": can_enrol,
            "can_attend": can_attend,
            "can_nominate": allowed("nominate"),
            "can_import": allowed("import"),
            "can_surveys": allowed("survey_links"),
            "can_validate": workshop.validation == Workshop.Validation.PENDING
            and allowed("validate"),
            # Links up the layers: credentials and cascade say who may follow them.
            "can_certify": allowed("change")
            and pages.may_follow("credentials:workshop", user, workshop),
            "can_see_people": person_policy.user_has_permission(user, "view"),
            # No link its reader may not follow (the crawl test): programme, course, trainers.
            "can_see_programme": programme_policy.user_has_permission_for_instance(
                user, "view", workshop.programme
            ),
            "can_see_course": course_policy.user_has_permission_for_instance(
                user, "view", workshop.course
            ),
            "cascades_shown": pages.links_shown(
                "cascade:trainer",
                user,
                WorkshopTrainer.objects.filter(workshop=workshop).values_list(
                    "person_id", flat=True
                ),
            ),
        }
        return render(request, "training/workshop_detail.html", context)


def _courses(request: HttpRequest):  # type: ignore[no-untyped-def]
    return course_policy.instances_user_has_permission_for(request.user, "schedule")


def _in_scope(request: HttpRequest, action: str) -> Any:
    return partial(workshop_policy.place_in_scope, request.user, action)


def _countries(request: HttpRequest):  # type: ignore[no-untyped-def]
    return Country.objects.filter(programmes__in=_courses(request).values("programme")).distinct()


class WorkshopCreateView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "add"

    def get(self, request: HttpRequest) -> HttpResponse:
        initial: dict[str, Any] = {}
        course_id = query_int(request.GET.get("course"))
        if course_id:
            course = course_policy.get_for_user(user=request.user, pk=course_id, action="schedule")
            initial = {"course": course, "title": course.title}
            countries = list(course.programme.countries.all()[:2])
            if len(countries) == 1:
                initial["country"] = countries[0]
        form = WorkshopForm(
            courses=_courses(request), countries=_countries(request), initial=initial
        )
        return render(request, "training/workshop_form.html", {"form": form})

    def post(self, request: HttpRequest) -> HttpResponse:
        form = WorkshopForm(
            request.POST,
            courses=_courses(request),
            countries=_countries(request),
            place_in_scope=_in_scope(request, "add"),
        )
        workshop = call_service(form, lambda data: services.workshop_create(**data))
        if workshop is not None:
            messages.success(request, _("Workshop created. Now enrol its participants."))
            return redirect(workshop)
        return render(request, "training/workshop_form.html", {"form": form})


class WorkshopUpdateView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        form = WorkshopForm(
            instance=workshop,
            courses=_courses(request),
            countries=_countries(request),
            creating=False,
        )
        return render(request, "training/workshop_form.html", {"form": form, "workshop": workshop})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        form = WorkshopForm(
            request.POST,
            # The form edits a copy: the service reads the saved programme before the change.
            instance=Workshop.objects.get(pk=workshop.pk),
            courses=_courses(request),
            countries=_countries(request),
            creating=False,
            place_in_scope=_in_scope(request, "change"),
        )
        saved = call_service(form, lambda data: services.workshop_update(workshop=workshop, **data))
        if saved is not None:
            messages.success(request, _("Workshop saved."))
            return redirect(workshop)
        return render(request, "training/workshop_form.html", {"form": form, "workshop": workshop})


class WorkshopDeleteView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "delete"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": workshop,
                "cancel_url": workshop.get_absolute_url(),
                "consequences": _("Its sessions, enrolments and attendance are deleted with it."),
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        try:
            services.workshop_delete(workshop=workshop)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(workshop)
        messages.success(request, _("Workshop deleted."))
        return redirect("training:workshop_list")


class SessionCreateView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        return render(
            request,
            "training/session_form.html",
            {"workshop": workshop, "form": SessionForm(workshop=workshop)},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        form = SessionForm(request.POST, workshop=workshop)
        session = call_service(
            form, lambda data: services.session_create(workshop=workshop, **data)
        )
        if session is not None:
            messages.success(request, _("Session added."))
            return redirect(workshop)
        return render(request, "training/session_form.html", {"workshop": workshop, "form": form})


class SessionUpdateView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "change"

    def _session(self, session_pk: int) -> tuple[Workshop, Session]:
        workshop = self.get_object()
        return workshop, get_object_or_404(Session, workshop=workshop, pk=session_pk)

    def get(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        workshop, session = self._session(session_pk)
        form = SessionForm(instance=session, workshop=workshop)
        return render(
            request,
            "training/session_form.html",
            {"workshop": workshop, "session": session, "form": form},
        )

    def post(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        workshop, session = self._session(session_pk)
        form = SessionForm(request.POST, instance=session, workshop=workshop)
        saved = call_service(form, lambda data: services.session_update(session=session, **data))
        if saved is not None:
            messages.success(request, _("Session saved."))
            return redirect(workshop)
        return render(
            request,
            "training/session_form.html",
            {"workshop": workshop, "session": session, "form": form},
        )


class SessionDeleteView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        workshop = self.get_object()
        session = get_object_or_404(Session, workshop=workshop, pk=session_pk)
        return render(
            request,
            "core/confirm_delete.html",
            {
                "object": session,
                "cancel_url": workshop.get_absolute_url(),
                "consequences": _(
                    "Attendance taken in this session is deleted; completion is recalculated."
                ),
            },
        )

    def post(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        workshop = self.get_object()
        session = get_object_or_404(Session, workshop=workshop, pk=session_pk)
        services.session_delete(session=session)
        messages.success(request, _("Session deleted."))
        return redirect(workshop)


class TrainersView(PolicyRequiredMixin, View):
    """Add and remove a workshop's trainers (searching the people the user may see)."""

    policy = workshop_policy
    permission_action = "change"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        trainers = WorkshopTrainer.objects.filter(workshop=workshop).select_related(
            "person", "person__institution"
        )
        return render(
            request,
            "training/trainers.html",
            {"workshop": workshop, "trainers": trainers, "form": TrainerForm()},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:

        workshop = self.get_object()
        remove = query_int(request.POST.get("remove"))
        if remove:
            services.trainer_remove(workshop=workshop, person_id=remove)
            messages.success(request, _("Trainer removed."))
            return redirect("training:workshop_trainers", pk=workshop.pk)
        form = TrainerForm(request.POST)
        person = person_policy.get_for_user(
            user=request.user, pk=query_int(request.POST.get("person"))
        )
        if form.is_valid():
            services.trainer_add(workshop=workshop, person=person, role=form.cleaned_data["role"])
            messages.success(request, _("%(name)s added as trainer.") % {"name": person.full_name})
        return redirect("training:workshop_trainers", pk=workshop.pk)
