"""The gradebook of a course: items × learners of the cohorts the user may see, weighted
totals, filters, paging, overrides with a reason, and a formula-safe XLSX export."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from fortalece.assignments import services
from fortalece.assignments.access import course_for_gradebook, may_author
from fortalece.assignments.forms import OverrideForm, WeightsForm
from fortalece.assignments.policies import gradebook_policy
from fortalece.assignments.selectors import (
    gradebook_cell,
    gradebook_columns,
    gradebook_enrolments,
    gradebook_rows,
    override_history,
)
from fortalece.assignments.templatetags.assignments_tags import pct
from fortalece.core import search_tokens
from fortalece.core.exports import xlsx_response
from fortalece.core.pagination import paginate
from fortalece.core.views_forms import call_service
from fortalece.learning.models import CourseItem
from fortalece.training.models import Enrolment

FILTERS = ("cohort", "status", "q")
PAGE_SIZES = (25, 50, 100, 1000)


def _filters(request: HttpRequest, cohorts: Any) -> dict[str, Any]:
    params = search_tokens.search_params(request)
    try:
        cohort_id = int(params.get("cohort") or 0)
    except ValueError:
        cohort_id = 0
    if cohort_id and not any(c.pk == cohort_id for c in cohorts):
        cohort_id = 0
    status = params.get("status", "")
    if status not in Enrolment.Status.values:
        status = ""
    return {"cohort": cohort_id, "status": status, "q": params.get("q", "")[:100]}


def _enrolments(course: Any, cohorts: Any, filters: dict[str, Any]) -> Any:
    return gradebook_enrolments(
        course=course,
        cohorts=cohorts,
        cohort_id=filters["cohort"] or None,
        status=filters["status"],
        search=filters["q"],
    )


@login_required
def gradebook(request: HttpRequest, course_pk: int) -> HttpResponse:
    course, cohorts = course_for_gradebook(request.user, course_pk)
    if request.method == "POST":
        return search_tokens.stash(request, request.POST, FILTERS)
    if search_tokens.needs_stash(request, ("q",)):
        return search_tokens.stash(request, request.GET, FILTERS)
    cohorts = list(cohorts)
    filters = _filters(request, cohorts)
    try:
        per_page = int(request.GET.get("per") or 50)
    except ValueError:
        per_page = 50
    per_page = per_page if per_page in PAGE_SIZES else 50
    columns = gradebook_columns(course)
    paged = paginate(request, _enrolments(course, cohorts, filters), per_page=per_page)
    enrolments = list(paged["object_list"])
    rows = gradebook_rows(course=course, enrolments=enrolments, columns=columns)
    overriding = set(
        gradebook_policy.instances_user_has_permission_for(request.user, "override")
        .filter(course=course)
        .values_list("pk", flat=True)
    )
    # The cohort is named in each row only when the rows come from several cohorts.
    show_cohort = len(cohorts) > 1 and not filters["cohort"]
    _cells_html(rows, course, overriding, show_cohort=show_cohort)
    return render(
        request,
        "assignments/gradebook.html",
        {
            **paged,
            "course": course,
            "cohorts": cohorts,
            "columns": columns,
            "rows": rows,
            "filters": filters,
            "statuses": Enrolment.Status.choices,
            "per_page": per_page,
            "page_sizes": PAGE_SIZES,
            "overriding": overriding,
            "can_weigh": may_author(request.user, course),
            "search_token": request.GET.get(search_tokens.SEARCH_PARAM, ""),
        },
    )


def _cells_html(rows: list[Any], course: Any, overriding: set[int], *, show_cohort: bool) -> None:
    """Each row as one HTML string: 600 × 40 cells through template tags took seconds, joined
    here they take milliseconds. Every name and label is escaped; the rest are numbers and
    ids."""
    changed = escape(_("changed"))
    to_grade = escape(_("to grade"))
    override_title = escape(_("Change this grade"))
    base = reverse("assignments:override", args=[course.pk, 1, 1])[: -len("1/1/")]
    statuses = {value: escape(label) for value, label in Enrolment.Status.choices}
    for row in rows:
        enrolment = row.enrolment
        enrolment_id = enrolment.pk
        link = enrolment.workshop_id in overriding
        cohort = f"{escape(enrolment.workshop.title)} · " if show_cohort else ""
        parts = [
            f'<th scope="row">{escape(enrolment.person.full_name)}<br><small>'
            f"{cohort}{statuses.get(enrolment.status, '')}</small></th>"
        ]
        for cell in row.cells:
            text = pct(cell.score)
            if link:
                text = (
                    f'<a href="{base}{enrolment_id}/{cell.item_id}/" '
                    f'title="{override_title}">{text}</a>'
                )
            if cell.overridden:
                text += f' <span class="badge badge--warn">{changed}</span>'
            if cell.awaiting:
                text += f' <span class="badge">{to_grade}</span>'
            parts.append(f'<td class="num">{text}</td>')
        parts.append(f'<td class="num"><strong>{pct(row.total)}</strong></td>')
        row.html = mark_safe("".join(parts))  # noqa: S308 - numbers, ids, escaped labels


@login_required
def gradebook_export(request: HttpRequest, course_pk: int) -> HttpResponse:
    """Every learner the filters keep (not only one page), one row each; text cells that a
    spreadsheet could read as formulas are neutralised (``core.exports``)."""
    course, cohorts = course_for_gradebook(request.user, course_pk)
    cohorts = list(cohorts)
    filters = _filters(request, cohorts)
    columns = gradebook_columns(course)
    enrolments = list(_enrolments(course, cohorts, filters))
    rows = gradebook_rows(course=course, enrolments=enrolments, columns=columns)
    header = [
        _("Family names"),
        _("Given names"),
        _("Cohort"),
        _("Status"),
        *[f"{c.item.display_title} (×{c.weight.normalize():f})" for c in columns],
        _("Weighted total (%)"),
    ]

    def number(value: Decimal | None) -> float | str:
        return float(value) if value is not None else ""

    body = (
        [
            row.enrolment.person.family_names,
            row.enrolment.person.given_names,
            row.enrolment.workshop.title,
            row.enrolment.get_status_display(),
            *[number(cell.score) for cell in row.cells],
            number(row.total),
        ]
        for row in rows
    )
    stamp = timezone.localdate().isoformat()
    return xlsx_response(f"gradebook-{course.pk}-{stamp}.xlsx", [(_("Gradebook"), header, body)])


@login_required
def gradebook_override(
    request: HttpRequest, course_pk: int, enrolment_pk: int, item_pk: int
) -> HttpResponse:
    course, cohorts = course_for_gradebook(request.user, course_pk, "override")
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_pk, workshop__in=cohorts)
        .select_related("person", "workshop__course")
        .first()
    )
    item = (
        CourseItem.objects.filter(
            pk=item_pk, module__course=course, kind__in=(CourseItem.Kind.QUIZ, "assignment")
        )
        .select_related("module")
        .first()
    )
    if enrolment is None or item is None:
        raise Http404
    form = OverrideForm(request.POST or None)
    # On GET the form is unbound, so not valid: nothing is changed.
    override = call_service(
        form,
        lambda data: services.grade_override(
            enrolment=enrolment,
            item=item,
            new_score=data["score"],
            reason=data["reason"],
            by=request.user,
        ),
    )
    if override is not None:
        messages.success(request, _("Grade changed; the reason is kept in its history."))
        return redirect("assignments:gradebook", course_pk=course.pk)
    return render(
        request,
        "assignments/override.html",
        {
            "course": course,
            "enrolment": enrolment,
            "item": item,
            "form": form,
            "current": gradebook_cell(enrolment=enrolment, item=item),
            "history": override_history(enrolment=enrolment, item=item),
        },
    )


@login_required
def gradebook_weights(request: HttpRequest, course_pk: int) -> HttpResponse:
    course, _cohorts = course_for_gradebook(request.user, course_pk)
    if not may_author(request.user, course):
        raise Http404
    columns = gradebook_columns(course)
    form = WeightsForm(request.POST or None, columns=columns)
    if request.method == "POST" and form.is_valid():
        services.weights_save(weights=form.weights())
        messages.success(request, _("Weights saved."))
        return redirect("assignments:gradebook", course_pk=course.pk)
    return render(request, "assignments/weights.html", {"course": course, "form": form})
