"""Policies of the reporting app's own records (programme figures use ``programme_policy``)."""

from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.people.models import Institution
from fortalece.people.policies import institution_q
from fortalece.reporting.models import SavedReport

R = Role


class CoveragePolicy(ModelPolicy[Institution]):
    """Coverage of a workforce, per institution: focal points see and record their own
    institution, managers and M&E officers their scope, donors the aggregates of the
    institutions in their programmes' countries (never a person)."""

    model = Institution
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT, R.DONOR_VIEWER),
        "record": (R.PROGRAMME_MANAGER, R.FOCAL_POINT),
        # Who sees people (the refresher list): never donors.
        "people": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return any_of([institution_q(a) for a in scope.for_roles(*self.actions[action])])

    def aggregates_only(self, user) -> bool:  # type: ignore[no-untyped-def]
        """Donor viewers (and nobody else) see published figures only."""

        scope = get_user_scope(user)
        return not scope.is_admin and not scope.has_role(*self.actions["people"])


class SavedReportPolicy(ModelPolicy[SavedReport]):
    """A saved report is its owner's; the people it is shared with may open it. What it
    shows is always decided by the reader's own programme policy."""

    model = SavedReport
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.DONOR_VIEWER),
        "change": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.DONOR_VIEWER),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "change":
            return Q(owner_id=scope.user_id)
        return Q(owner_id=scope.user_id) | Q(shared_with=scope.user_id)

    def instances_user_has_permission_for(self, user, action: str):  # type: ignore[no-untyped-def]
        """Administrators too: a saved report is its owner's own, like a bookmark, so nobody
        else opens or edits it unless it was shared with them."""
        qs = super().instances_user_has_permission_for(user, action)
        scope = get_user_scope(user)
        condition = self.scope_filter(scope, action) if scope.is_admin else None
        if condition is not None:
            qs = qs.filter(pk__in=SavedReport.objects.filter(condition).values("pk"))
        return qs


coverage_policy = CoveragePolicy()
saved_report_policy = SavedReportPolicy()
