from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.policies import own_person_id
from fortalece.core.query import query_int, query_ints
from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.people.names import normalise
from fortalece.people.policies import person_policy
from fortalece.training import services
from fortalece.training.models import Enrolment, Session, WorkshopTrainer
from fortalece.training.policies import workshop_policy
from fortalece.training.selectors import (
    enrollable_people,
    session_roster,
    workshop_roster,
    workshop_summary,
)

SEARCH_LIMIT = 20


def search_people(user: Any, text: str, *, queryset: Any = None) -> Any:
    query = normalise(text)
    if len(query) < 2:
        return []
    people = (
        queryset
        if queryset is not None
        else person_policy.instances_user_has_permission_for(user, "view")
    )
    for word in query.split()[:5]:
        people = people.filter(search_name__contains=word)
    return people.select_related("institution").order_by("family_names", "given_names")[
        :SEARCH_LIMIT
    ]


class PersonSearchView(PolicyRequiredMixin, View):
    """htmx: people matching a name, each with a button to enrol (or make trainer).

    The name is POSTed, not put in the URL, so that it never reaches access logs.
    """

    policy = workshop_policy
    permission_action = "view"

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        purpose = request.GET.get("for", "enrol")
        if purpose == "trainer":
            allowed = workshop_policy.user_has_permission_for_instance(
                request.user, "change", workshop
            )
        elif purpose == "nominate":
            allowed = workshop_policy.user_has_permission_for_instance(
                request.user, "nominate", workshop
            )
        else:
            allowed = workshop_policy.user_has_permission_for_instance(
                request.user, "manage_enrolment", workshop
            )
        if not allowed:
            raise PermissionDenied
        queryset = None
        if purpose == "nominate":
            queryset = person_policy.nominable(request.user)
        elif purpose == "enrol":
            queryset = enrollable_people(request.user, workshop)
        text = request.POST.get("q", "")
        people = search_people(request.user, text, queryset=queryset)
        enrolled = set(
            workshop.enrolments.filter(person__in=[p.pk for p in people]).values_list(
                "person_id", flat=True
            )
        )
        return render(
            request,
            "training/_person_results.html",
            {
                "workshop": workshop,
                "people": people,
                "enrolled": enrolled,
                "purpose": purpose,
                "query": text,
            },
        )


class EnrolView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "manage_enrolment"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        return render(
            request,
            "training/enrol.html",
            {
                "workshop": workshop,
                "summary": workshop_summary(workshop),
                "roster": workshop_roster(workshop)[:500],
            },
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        person = get_object_or_404(
            enrollable_people(request.user, workshop), pk=query_int(request.POST.get("person"))
        )
        try:
            _enrolment, created = services.enrolment_create(
                workshop=workshop, person=person, by=request.user
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("%(name)s enrolled.") % {"name": person.full_name})
            else:
                messages.info(
                    request,
                    _("%(name)s was already in this workshop.") % {"name": person.full_name},
                )
        return redirect("training:workshop_enrol", pk=workshop.pk)


class EnrolmentStatusView(PolicyRequiredMixin, View):
    policy = workshop_policy
    permission_action = "manage_enrolment"

    def post(self, request: HttpRequest, pk: int, enrolment_pk: int) -> HttpResponse:
        workshop = self.get_object()
        enrolment = get_object_or_404(Enrolment, workshop=workshop, pk=enrolment_pk)
        action = request.POST.get("action")
        try:
            if action == "remove":
                services.enrolment_delete(enrolment=enrolment, by=request.user)
                messages.success(request, _("Removed from the workshop."))
            elif action in ("enrolled", "dropped"):
                services.enrolment_set_status(enrolment=enrolment, status=action, by=request.user)
                messages.success(request, _("Status changed."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.POST.get("next") == "detail":
            return redirect(workshop)
        return redirect("training:workshop_enrol", pk=workshop.pk)


class NominateView(PolicyRequiredMixin, View):
    """A focal point proposes their institution's staff for a workshop."""

    policy = workshop_policy
    permission_action = "nominate"

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        own = person_policy.own_institution_ids(request.user)
        mine = workshop.enrolments.filter(person__institution_id__in=own).select_related("person")
        return render(request, "training/nominate.html", {"workshop": workshop, "mine": mine})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        workshop = self.get_object()
        person = get_object_or_404(
            person_policy.nominable(request.user),
            pk=query_int(request.POST.get("person")),
        )
        try:
            _enrolment, created = services.enrolment_create(
                workshop=workshop, person=person, by=request.user, status=Enrolment.Status.NOMINATED
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            if created:
                messages.success(request, _("%(name)s nominated.") % {"name": person.full_name})
            else:
                messages.info(
                    request,
                    _("%(name)s was already in this workshop.") % {"name": person.full_name},
                )
        return redirect("training:workshop_nominate", pk=workshop.pk)


class AttendanceView(PolicyRequiredMixin, View):
    """The trainer's phone in the room: everyone present in one tap, then the exceptions."""

    policy = workshop_policy
    permission_action = "take_attendance"

    def _session(self, pk: int, session_pk: int) -> Session:
        workshop = self.get_object()
        return get_object_or_404(
            Session.objects.select_related("workshop"), workshop=workshop, pk=session_pk
        )

    def render_page(
        self,
        request: HttpRequest,
        session: Session,
        partial: bool = False,
        error: str | None = None,
    ) -> HttpResponse:
        roster = session_roster(session)
        present = sum(1 for _, mark in roster if mark)
        context = {
            "workshop": session.workshop,
            "session": session,
            "sessions": session.workshop.sessions.all(),
            "roster": roster,
            "present": present,
            "total": len(roster),
            "unmarked": sum(1 for _, mark in roster if mark is None),
            "error": error,
        }
        template = "training/_attendance_roster.html" if partial else "training/attendance.html"
        return render(request, template, context)

    def get(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        return self.render_page(request, self._session(pk, session_pk))

    def post(self, request: HttpRequest, pk: int, session_pk: int) -> HttpResponse:
        session = self._session(pk, session_pk)
        error = None
        try:
            self.record(request, session)
        except ValidationError as exc:
            # e.g. someone was dropped on another device meanwhile: show the fresh roster.
            error = " ".join(exc.messages)
        if request.htmx:  # type: ignore[attr-defined]
            return self.render_page(request, session, partial=True, error=error)
        if error:
            messages.error(request, error)
        return redirect(
            "training:session_attendance", pk=session.workshop_id, session_pk=session.pk
        )

    def record(self, request: HttpRequest, session: Session) -> None:
        roster_ids = [e.pk for e, _ in session_roster(session)]
        if "all_present" in request.POST:
            services.attendance_bulk_record(
                session=session,
                present_enrolment_ids=roster_ids,
                absent_enrolment_ids=[],
                by=request.user,
            )
        elif "enrolment" in request.POST:
            enrolment_id = query_int(request.POST.get("enrolment")) or 0
            present = request.POST.get("present") == "1"
            services.attendance_bulk_record(
                session=session,
                present_enrolment_ids=[enrolment_id] if present else [],
                absent_enrolment_ids=[] if present else [enrolment_id],
                by=request.user,
            )
        else:
            marked_present = set(query_ints(request.POST.getlist("present"), limit=10_000))
            services.attendance_bulk_record(
                session=session,
                present_enrolment_ids=[i for i in roster_ids if i in marked_present],
                absent_enrolment_ids=[i for i in roster_ids if i not in marked_present],
                by=request.user,
            )
            messages.success(request, _("Attendance saved."))


class MyTrainingView(LoginRequiredMixin, View):
    def get(self, request: HttpRequest) -> HttpResponse:
        person_id = own_person_id(request.user)
        if not person_id:
            return render(request, "training/my_training.html", {"enrolments": [], "teaching": []})
        enrolments = (
            Enrolment.objects.filter(person_id=person_id)
            .select_related("workshop", "workshop__course", "workshop__programme")
            .annotate(total_sessions=Count("workshop__sessions"))
            .order_by("-workshop__start_date", "-pk")
        )
        teaching = (
            WorkshopTrainer.objects.filter(person_id=person_id)
            .select_related("workshop", "workshop__course")
            .order_by("-workshop__start_date", "-pk")
        )
        rows = [(e, e.total_sessions) for e in enrolments]
        return render(
            request,
            "training/my_training.html",
            {
                "rows": rows,
                "teaching": teaching,
                "person_id": person_id,
                # A learner who once co-trained sees the workshop's name, not a link refused.
                "can_see_workshops": workshop_policy.user_has_permission(request.user, "view"),
            },
        )
