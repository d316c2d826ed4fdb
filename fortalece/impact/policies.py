from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.programmes.policies import programme_q

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


study_policy = StudyPolicy()
instrument_policy = InstrumentPolicy()
