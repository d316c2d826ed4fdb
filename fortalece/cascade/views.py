from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from fortalece.cascade import services
from fortalece.cascade.forms import AccreditationRuleForm, AssessmentForm, AwardForm, ReasonForm
from fortalece.cascade.models import Accreditation, AccreditationRule, Award
from fortalece.cascade.policies import accreditation_rule_policy, trainer_cascade_policy
from fortalece.cascade.selectors import (
    accreditation_overview,
    cascade_breakdown,
    cascade_children,
    cascade_cycles,
    cascade_figures,
    cascade_generations,
)
from fortalece.core.charts import bar_chart
from fortalece.core.choices import Profession, Sex
from fortalece.core.query import query_int
from fortalece.core.views_forms import call_service
from fortalece.geography.models import Subdivision
from fortalece.people.models import Person
from fortalece.people.policies import person_policy
from fortalece.programmes.policies import programme_policy


def _bars(rows: list[tuple[int, int]]) -> str:
    """People first reached per generation, drawn with the dashboard's bar chart."""
    from django.utils.safestring import mark_safe

    labelled = [(_("Generation %(g)s") % {"g": g}, n) for g, n in rows]
    svg = bar_chart(labelled, title=_("People first reached, by generation"))
    return mark_safe(svg)  # noqa: S308 - bar_chart escapes every label


def _labelled_breakdown(root_id: int, by: str, programme_id: int | None) -> list[dict[str, Any]]:

    rows = cascade_breakdown(root_id=root_id, by=by, programme_id=programme_id)
    labels: dict[Any, Any]
    if by == "sex":
        labels = dict(Sex.choices)
    elif by == "profession":
        labels = dict(Profession.choices)
    else:
        ids = [r[0] for r in rows if r[0]]
        labels = dict(Subdivision.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [
        {"label": labels.get(value, _("Not recorded")), "direct": d, "indirect": i, "total": d + i}
        for value, d, i in rows
    ]


class TrainerCascadeView(LoginRequiredMixin, View):
    """A trainer's cascade: figures, generations, breakdowns and the tree of trainers trained.

    Open to whoever may see the person, and to the trainer themself.
    """

    def _person(self, request: HttpRequest, pk: int) -> Any:
        return trainer_cascade_policy.get_for_user(user=request.user, pk=pk)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self._person(request, pk)
        programme_id = query_int(request.GET.get("programme"))
        figures = cascade_figures(root_id=person.pk, programme_id=programme_id).get(person.pk)
        children = cascade_children(trainer_id=person.pk, programme_id=programme_id)
        child_figures = cascade_figures(root_ids=tuple(children), programme_id=programme_id)

        trained_trainers = Person.objects.filter(pk__in=list(child_figures)).select_related(
            "institution"
        )
        context = {
            "person": person,
            "figures": figures,
            "generations": _bars(cascade_generations(root_id=person.pk, programme_id=programme_id)),
            "by_state": _labelled_breakdown(person.pk, "subdivision", programme_id),
            "by_sex": _labelled_breakdown(person.pk, "sex", programme_id),
            "by_profession": _labelled_breakdown(person.pk, "profession", programme_id),
            "tree": [(p, child_figures[p.pk]) for p in trained_trainers],
            "awards": Award.objects.filter(person=person),
            "accreditations": Accreditation.objects.filter(person=person).select_related(
                "rule__course"
            ),
            "programme_id": programme_id,
            # Only those who may edit the person record an award (no link others cannot use).
            "can_award": person_policy.user_has_permission_for_instance(
                request.user, "change", person
            ),
        }
        return render(request, "cascade/trainer.html", context)


class TrainerChildrenView(TrainerCascadeView):
    """The trainers a trainer trained, loaded when their branch is opened (htmx)."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self._person(request, pk)
        programme_id = query_int(request.GET.get("programme"))
        children = cascade_children(trainer_id=person.pk, programme_id=programme_id)
        child_figures = cascade_figures(root_ids=tuple(children), programme_id=programme_id)

        trained = Person.objects.filter(pk__in=list(child_figures)).select_related("institution")
        return render(
            request,
            "cascade/_tree.html",
            {"tree": [(p, child_figures[p.pk]) for p in trained], "programme_id": programme_id},
        )


class ProgrammeCascadeView(LoginRequiredMixin, View):
    """The whole cascade of a programme: generations, where it stops growing, top trainers."""

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = programme_policy.get_for_user(user=request.user, pk=pk)
        figures = cascade_figures(programme_id=programme.pk)
        generations = cascade_generations(programme_id=programme.pk)
        can_see_people = person_policy.user_has_permission(request.user, "view")
        top: list[tuple[Any, Any]] = []
        if can_see_people:
            visible = person_policy.instances_user_has_permission_for(request.user, "view")
            best = sorted(figures.values(), key=lambda f: (-f.total, f.trainer_id))[:50]
            people = visible.in_bulk([f.trainer_id for f in best])
            top = [(people[f.trainer_id], f) for f in best if f.trainer_id in people]
        stalled = [g for g, n in generations if n and g > 1]
        context = {
            "programme": programme,
            "trainer_count": len(figures),
            "generations": _bars(generations),
            "deepest": max((g for g, _ in generations), default=0),
            "last_growth": stalled[-1] if stalled else None,
            "dead_ends": sum(1 for f in figures.values() if f.trainers_trained == 0),
            "top": top,
            "can_see_people": can_see_people,
            "cycles": len(cascade_cycles(programme_id=programme.pk)),
            "awards": Award.objects.filter(programme=programme).count(),
            "rules": AccreditationRule.objects.filter(programme=programme).select_related("course"),
            "can_manage": accreditation_rule_policy.can_create_for(request.user, programme),
        }
        return render(request, "cascade/programme.html", context)


class RuleCreateView(LoginRequiredMixin, View):
    def _programme(self, request: HttpRequest, pk: int) -> Any:
        programme = programme_policy.get_for_user(user=request.user, pk=pk)
        if not accreditation_rule_policy.can_create_for(request.user, programme):
            raise PermissionDenied
        return programme

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = AccreditationRuleForm(programme=programme)
        return render(request, "cascade/rule_form.html", {"programme": programme, "form": form})

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        programme = self._programme(request, pk)
        form = AccreditationRuleForm(request.POST, programme=programme)
        rule = call_service(
            form,
            lambda data: services.accreditation_rule_create(programme=programme, **data),
        )
        if rule is not None:
            messages.success(request, _("Accreditation rule saved."))
            return redirect("cascade:rule", pk=rule.pk)
        return render(request, "cascade/rule_form.html", {"programme": programme, "form": form})


class RuleView(LoginRequiredMixin, View):
    """Who is accredited, who is close, whose accreditation lapses soon; grant and withdraw."""

    def _rule(self, request: HttpRequest, pk: int, action: str = "view") -> AccreditationRule:
        return accreditation_rule_policy.get_for_user(user=request.user, pk=pk, action=action)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        rule = self._rule(request, pk)
        context = {
            "rule": rule,
            **accreditation_overview(rule),
            "can_manage": accreditation_rule_policy.user_has_permission_for_instance(
                request.user, "change", rule
            ),
            "reason_form": ReasonForm(),
        }
        return render(request, "cascade/rule.html", context)


class GrantView(RuleView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("cascade:rule", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        rule = self._rule(request, pk, action="change")
        person = person_policy.get_for_user(
            user=request.user, pk=query_int(request.POST.get("person"))
        )
        form = ReasonForm(request.POST)
        if form.is_valid():
            services.accreditation_grant(
                rule=rule, person=person, by=request.user, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("%(name)s is now accredited.") % {"name": person.full_name})
        else:
            messages.error(request, _("Say why the accreditation is granted."))
        return redirect("cascade:rule", pk=rule.pk)


class WithdrawView(RuleView):
    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return redirect("cascade:rule", pk=pk)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:  # type: ignore[override]
        rule = self._rule(request, pk, action="change")
        accreditation = get_object_or_404(
            Accreditation, rule=rule, pk=query_int(request.POST.get("accreditation"))
        )
        form = ReasonForm(request.POST)
        if form.is_valid():
            try:
                services.accreditation_withdraw(
                    accreditation=accreditation, by=request.user, reason=form.cleaned_data["reason"]
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Accreditation withdrawn."))
        else:
            messages.error(request, _("Say why the accreditation is withdrawn."))
        return redirect("cascade:rule", pk=rule.pk)


class AssessmentView(RuleView):
    def get(self, request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:  # type: ignore[override]
        rule = self._rule(request, pk, action="change")
        person = person_policy.get_for_user(user=request.user, pk=person_pk)
        return render(
            request,
            "cascade/assessment_form.html",
            {"rule": rule, "person": person, "form": AssessmentForm()},
        )

    def post(self, request: HttpRequest, pk: int, person_pk: int) -> HttpResponse:
        rule = self._rule(request, pk, action="change")
        person = person_policy.get_for_user(user=request.user, pk=person_pk)
        form = AssessmentForm(request.POST)
        assessment = call_service(
            form,
            lambda data: services.trainer_assessment_record(
                rule=rule, person=person, by=request.user, **data
            ),
        )
        if assessment is not None:
            messages.success(request, _("Assessment recorded."))
            return redirect("cascade:rule", pk=rule.pk)
        return render(
            request, "cascade/assessment_form.html", {"rule": rule, "person": person, "form": form}
        )


class AccreditationHistoryView(RuleView):
    def get(self, request: HttpRequest, pk: int, accreditation_pk: int) -> HttpResponse:  # type: ignore[override]
        rule = self._rule(request, pk)
        accreditation = get_object_or_404(
            Accreditation.objects.select_related("person"), rule=rule, pk=accreditation_pk
        )
        events = accreditation.events.select_related("by")
        return render(
            request,
            "cascade/history.html",
            {"rule": rule, "accreditation": accreditation, "events": events},
        )


class AwardCreateView(LoginRequiredMixin, View):
    def _person(self, request: HttpRequest, pk: int) -> Any:
        return person_policy.get_for_user(user=request.user, pk=pk, action="change")

    def _form(self, request: HttpRequest, data: Any = None) -> AwardForm:
        programmes = programme_policy.instances_user_has_permission_for(request.user, "view")
        return AwardForm(data, programmes=programmes)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self._person(request, pk)
        return render(
            request, "cascade/award_form.html", {"person": person, "form": self._form(request)}
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self._person(request, pk)
        form = self._form(request, request.POST)
        award = call_service(
            form, lambda data: services.award_create(person=person, by=request.user, **data)
        )
        if award is not None:
            messages.success(request, _("Award recorded."))
            return redirect("cascade:trainer", pk=person.pk)
        return render(request, "cascade/award_form.html", {"person": person, "form": form})
