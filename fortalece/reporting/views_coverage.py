"""Coverage of a workforce: the page, headcount entry and import, the refresher list."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from fortalece.core.views_mixins import PolicyRequiredMixin
from fortalece.people.policies import person_policy
from fortalece.programmes.policies import programme_policy
from fortalece.reporting.coverage import coverage_report, due_people, latest_headcounts
from fortalece.reporting.forms import HeadcountForm, HeadcountImportForm
from fortalece.reporting.models import Headcount
from fortalece.reporting.policies import coverage_policy
from fortalece.reporting.workforce import headcount_import, headcount_record
from fortalece.training.models import ReachYear
from fortalece.training.policies import workshop_policy


def _ints(values: list[str]) -> list[int]:
    return [int(v) for v in values[:50] if v.isascii() and v.isdigit() and len(v) < 10]


def _day(value: str) -> datetime.date | None:
    try:
        day = datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    return day if 1990 <= day.year <= 2100 else None


def coverage_choices(request: HttpRequest) -> dict[str, Any]:
    """Programmes (none ticked: every one the user may see), the day and the grouping."""
    visible = programme_policy.instances_user_has_permission_for(request.user, "view").order_by(
        "name"
    )
    programmes = list(visible)
    chosen = set(_ints(request.GET.getlist("programme"))) & {p.pk for p in programmes}
    selected = [p for p in programmes if p.pk in chosen] if chosen else programmes
    on = _day(request.GET.get("on", "")) or timezone.localdate()
    by = "institution" if request.GET.get("by") == "institution" else "state"
    return {
        "programme_choices": programmes,
        "chosen": chosen,
        "selected": selected,
        "on": on,
        "by": by,
    }


class CoverageView(PolicyRequiredMixin, View):
    """Share of each state's and institution's recorded force trained, due for a refresher,
    and rates per 100,000 inhabitants and women; aggregates only, suppressed for donors."""

    policy = coverage_policy

    def get(self, request: HttpRequest) -> HttpResponse:
        choices = coverage_choices(request)
        institutions = coverage_policy.instances_user_has_permission_for(request.user, "view")
        donor = coverage_policy.aggregates_only(request.user)
        by = "state" if donor else choices["by"]
        report = coverage_report(
            institutions=institutions,
            programmes=choices["selected"],
            on=choices["on"],
            by=by,
            suppress_small=donor,
        )
        context = {
            **choices,
            "by": by,
            "report": report,
            "donor": donor,
            "can_record": coverage_policy.user_has_permission(request.user, "record"),
            "can_see_people": coverage_policy.user_has_permission(request.user, "people"),
            "query": request.GET.urlencode(),
        }
        return render(request, "reporting/coverage.html", context)


class HeadcountView(PolicyRequiredMixin, View):
    """Type one institution's headcount on a date, or import a file of them."""

    policy = coverage_policy
    permission_action = "record"

    def institutions(self) -> Any:
        return coverage_policy.instances_user_has_permission_for(
            self.request.user, "record"
        ).order_by("name")

    def render_page(self, request: HttpRequest, form: Any, upload: Any, problems: Any = ()) -> Any:
        institutions = self.institutions()
        recent = (
            Headcount.objects.filter(institution__in=institutions.values("pk"))
            .order_by()
            .values("institution__name", "as_of")
            .distinct()
            .order_by("-as_of", "institution__name")[:30]
        )
        latest = latest_headcounts(institutions, timezone.localdate())
        return render(
            request,
            "reporting/headcounts.html",
            {
                "form": form,
                "upload": upload,
                "problems": problems,
                "recent": recent,
                "recorded": latest.values("institution_id").distinct().count(),
            },
        )

    def get(self, request: HttpRequest) -> HttpResponse:
        initial = {"as_of": timezone.localdate()}
        institutions = self.institutions()
        if institutions.count() == 1:
            initial["institution"] = institutions.first()
        form = HeadcountForm(institutions=institutions, initial=initial)
        return self.render_page(request, form, HeadcountImportForm())

    def post(self, request: HttpRequest) -> HttpResponse:
        institutions = self.institutions()
        if "file" in request.FILES:
            upload = HeadcountImportForm(request.POST, request.FILES)
            form = HeadcountForm(institutions=institutions)
            if not upload.is_valid():
                return self.render_page(request, form, upload)
            file = upload.cleaned_data["file"]
            saved, problems = headcount_import(
                name=file.name, upload=file, institutions=institutions, by=request.user
            )
            if problems:
                rows = [
                    {"row": p.row, "column": p.column, "text": p.text(_)} for p in problems[:200]
                ]
                return self.render_page(request, form, upload, rows)
            messages.success(
                request, _("%(n)s headcount lines saved from the file.") % {"n": saved}
            )
            return redirect("reporting:headcounts")
        form = HeadcountForm(request.POST, institutions=institutions)
        if not form.is_valid():
            return self.render_page(request, form, HeadcountImportForm())
        saved = headcount_record(
            institution=form.cleaned_data["institution"],
            as_of=form.cleaned_data["as_of"],
            counts=form.counts(),
            by=request.user,
        )
        messages.success(request, _("Headcount saved (%(n)s numbers).") % {"n": saved})
        return redirect("reporting:coverage")


class RefresherView(PolicyRequiredMixin, View):
    """The staff due for a refresher, with the upcoming workshops a focal point may
    nominate them to (the nomination itself is training's own flow)."""

    policy = coverage_policy
    permission_action = "people"
    LIMIT = 200

    def get(self, request: HttpRequest) -> HttpResponse:
        from django.db.models import OuterRef, Subquery

        choices = coverage_choices(request)
        today = timezone.localdate()
        institutions = coverage_policy.instances_user_has_permission_for(request.user, "people")
        visible = person_policy.instances_user_has_permission_for(request.user, "view")
        last = (
            ReachYear.objects.filter(
                person=OuterRef("pk"),
                programme__in=[p.pk for p in choices["selected"]],
                last_completed_on__isnull=False,
            )
            .order_by("-last_completed_on")
            .values("last_completed_on")[:1]
        )
        people_qs = (
            due_people(institutions, choices["selected"], today)
            .filter(pk__in=visible.values("pk"))
            .select_related("institution")
            .annotate(last_completed=Subquery(last))
            .order_by("institution__name", "family_names", "given_names")
        )
        total = people_qs.count()
        people = list(people_qs[: self.LIMIT])
        workshops = list(
            workshop_policy.instances_user_has_permission_for(request.user, "nominate")
            .filter(
                start_date__gte=today,
                programme__in=[p.pk for p in choices["selected"] if p.refresher_months],
            )
            .order_by("start_date")[:3]
        )
        context = {
            **choices,
            "people": people,
            "total": total,
            "limit": self.LIMIT,
            "workshops": workshops,
            "refresher": [p for p in choices["selected"] if p.refresher_months],
        }
        return render(request, "reporting/refresher.html", context)
