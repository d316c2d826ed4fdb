"""The assignment page: instructions and the learner's own attempts, grades and feedback;
handing work in (text and files, on a phone); files streamed only after the policy allows."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from fortalece.assignments import services
from fortalece.assignments.access import body_too_large, may_author, request_limit
from fortalece.assignments.core import grading
from fortalece.assignments.forms import SubmissionForm
from fortalece.assignments.models import Assignment
from fortalece.assignments.policies import assignment_policy, submission_file_policy
from fortalece.assignments.selectors import learner_attempts
from fortalece.core.views_forms import call_service
from fortalece.learning.selectors import learner_enrolment
from fortalece.learning.services.progress import item_is_open


def _context(request: HttpRequest, assignment: Assignment, form: Any = None) -> dict[str, Any]:
    course = assignment.item.module.course
    enrolment = learner_enrolment(request.user, course)
    attempts = learner_attempts(assignment=assignment, enrolment=enrolment) if enrolment else []
    current = next((a for a in attempts if a.status != a.Status.SUPERSEDED), None)
    late = grading.lateness(services.late_policy_of(assignment), assignment.due_at, timezone.now())
    is_open = enrolment is not None and item_is_open(enrolment=enrolment, item=assignment.item).open
    can_submit = bool(
        enrolment
        and is_open
        and enrolment.status != enrolment.Status.DROPPED
        and services.may_submit(assignment, current)
        and late.accepted
    )
    if can_submit and form is None:
        form = SubmissionForm(assignment=assignment)
    return {
        "assignment": assignment,
        "course": course,
        "item": assignment.item,
        "enrolment": enrolment,
        "attempts": attempts,
        "current": current,
        "late": late,
        "can_submit": can_submit,
        "is_open": is_open,
        "form": form if can_submit else None,
        "can_change": may_author(request.user, course),
        "can_grade": assignment_policy.user_has_permission_for_instance(
            request.user, "grade", assignment
        ),
    }


@login_required
def assignment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assignment = assignment_policy.get_for_user(user=request.user, pk=pk)
    return render(request, "assignments/detail.html", _context(request, assignment))


@csrf_protect
def _submit(request: HttpRequest, assignment: Assignment) -> HttpResponse:
    enrolment = learner_enrolment(request.user, assignment.item.module.course)
    if enrolment is None:
        raise Http404
    form = SubmissionForm(request.POST, request.FILES, assignment=assignment)
    submission = call_service(
        form,
        lambda data: services.submission_create(
            assignment=assignment,
            enrolment=enrolment,
            text=data.get("text", ""),
            files=data.get("attachments", []),
            by=request.user,
            idempotency_key=data.get("key"),
        ),
    )
    if submission is not None:
        messages.success(request, _("Your work was handed in."))
        return redirect("assignments:detail", pk=assignment.pk)
    context = _context(request, assignment, form=form)
    if context["form"] is None:
        # The work can no longer be handed in (deadline, a grade meanwhile): keep the text in
        # sight with the reason, so an answer written offline is never lost.
        context["refused_text"] = request.POST.get("text", "")
        context["refused_errors"] = form.non_field_errors()
        # A conflict, as for quizzes: the outbox stops retrying and shows the reason.
        return render(request, "assignments/detail.html", context, status=409)
    return render(request, "assignments/detail.html", context, status=400)


@csrf_exempt  # checked by _submit once the size is known to be bounded
@require_POST
def assignment_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Refuse an oversized body from its declared length, before Django reads any of it
    (the CSRF check reads the form, so it runs after this)."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("assignments:detail", args=[pk]))
    assignment = assignment_policy.get_for_user(user=request.user, pk=pk, action="submit")
    if body_too_large(request, request_limit(assignment)):
        return render(
            request,
            "assignments/too_large.html",
            {"assignment": assignment, "mb": request_limit(assignment) // (1024 * 1024)},
            status=413,
        )
    return _submit(request, assignment)


@login_required
def submission_file(request: HttpRequest, pk: int) -> HttpResponseBase:
    """Stream a submitted file after the policy allows it: always as a download, never
    sniffed or rendered by the browser, never cached."""
    record = submission_file_policy.get_for_user(user=request.user, pk=pk)
    response = FileResponse(
        record.file.open("rb"),
        as_attachment=True,
        filename=record.filename,
        content_type=record.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
