from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.programmes.models import Programme
from fortalece.programmes.policies import programme_policy, programme_q

R = Role


class _ProgrammeScoped(ModelPolicy):  # type: ignore[type-arg]
    actions = {
        "view": (R.ME_OFFICER, R.PROGRAMME_MANAGER, R.DONOR_VIEWER),
        "add": (R.ME_OFFICER,),
        "change": (R.ME_OFFICER,),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        assignments = scope.for_roles(*self.actions[action])
        return any_of([programme_q(a, prefix="programme__") for a in assignments])


class StudyPolicy(_ProgrammeScoped):
    """M&E officers run studies; managers and donor viewers of the programme read reports."""

    model = Study


class InstrumentPolicy(_ProgrammeScoped):
    model = SurveyInstrument
    actions = {
        "view": (R.ME_OFFICER, R.PROGRAMME_MANAGER),
        "add": (R.ME_OFFICER,),
        "change": (R.ME_OFFICER,),
    }

    def addable_programmes(self, user: Any) -> QuerySet[Programme]:
        """Programmes the user may add instruments to: those they see, within their M&E
        scope (any programme for administrators)."""
        visible = programme_policy.instances_user_has_permission_for(user, "view")
        scope = get_user_scope(user)
        if scope.is_admin:
            return visible
        condition = any_of([programme_q(a) for a in scope.for_roles(*self.actions["add"])])
        if condition is None:
            return visible.none()
        return visible.filter(pk__in=Programme.objects.filter(condition).values("pk"))


study_policy = StudyPolicy()
instrument_policy = InstrumentPolicy()
