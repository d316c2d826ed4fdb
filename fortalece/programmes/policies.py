from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import Assignment, UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.programmes.models import Programme

R = Role
STAFF_VIEWERS = (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.DONOR_VIEWER, R.TRAINER, R.FOCAL_POINT)


def programme_q(a: Assignment, prefix: str = "") -> Q:
    """Programmes that fall within one assignment's scope."""
    if a.programme_id:
        return Q(**{f"{prefix}pk": a.programme_id})
    if a.country_id:
        return Q(**{f"{prefix}countries": a.country_id})
    if a.subdivision_id:
        return Q(**{f"{prefix}countries": a.subdivision_country_id})
    if a.institution_id:
        return Q(**{f"{prefix}countries": a.institution_country_id})
    return Q(pk__in=[])


class ProgrammePolicy(ModelPolicy[Programme]):
    model = Programme
    actions = {
        "view": STAFF_VIEWERS,
        "view_dashboard": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.DONOR_VIEWER),
        # Only country-wide managers create programmes; the form limits them to their countries.
        "add": (R.PROGRAMME_MANAGER,),
        "change": (R.PROGRAMME_MANAGER,),
        "delete": (R.PROGRAMME_MANAGER,),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        assignments = scope.for_roles(*self.actions[action])
        if action in {"change", "delete"}:
            # A state-scoped manager runs workshops in their state but not the programme itself.
            assignments = [a for a in assignments if a.country_id or a.programme_id]
        return any_of([programme_q(a) for a in assignments])

    def user_has_permission(self, user, action):  # type: ignore[no-untyped-def]
        if action == "add":
            scope = get_user_scope(user)
            return scope.is_admin or any(a.country_id for a in scope.for_roles(R.PROGRAMME_MANAGER))
        return super().user_has_permission(user, action)

    def addable_country_ids(self, user) -> list[int] | None:  # type: ignore[no-untyped-def]
        """Countries the user may create programmes in (``None``: any)."""
        scope = get_user_scope(user)
        if scope.is_admin:
            return None
        return [a.country_id for a in scope.for_roles(R.PROGRAMME_MANAGER) if a.country_id]

    def exact_figures_programmes(self, user) -> QuerySet[Programme]:  # type: ignore[no-untyped-def]
        """Programmes whose dashboards the user sees with exact counts: administrators, and
        managers or M&E officers whose scope covers the programme. Anyone else allowed on a
        dashboard (donor viewers) sees published figures there, even when they hold another
        role elsewhere."""
        scope = get_user_scope(user)
        if scope.is_admin:
            return Programme.objects.all()
        staff = scope.for_roles(R.PROGRAMME_MANAGER, R.ME_OFFICER)
        condition = any_of([programme_q(a) for a in staff])
        if condition is None:
            return Programme.objects.none()
        return Programme.objects.filter(condition)

    def sees_exact_figures(self, user, programme_ids) -> bool:  # type: ignore[no-untyped-def]
        """Exact figures for every one of ``programme_ids`` (else the published ones)."""
        if get_user_scope(user).is_admin:
            return True
        wanted = set(programme_ids)
        if not wanted:
            return False
        covered = self.exact_figures_programmes(user).filter(pk__in=list(wanted))
        return covered.values("pk").distinct().count() == len(wanted)


programme_policy = ProgrammePolicy()
