from typing import Any

from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import Assignment, UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.programmes.policies import programme_q
from fortalece.training.models import Course, Enrolment, Workshop

R = Role


def workshop_q(a: Assignment) -> Q:
    if a.programme_id:
        return Q(programme_id=a.programme_id)
    if a.subdivision_id:
        return Q(subdivision_id=a.subdivision_id)
    if a.country_id:
        return Q(country_id=a.country_id)
    if a.institution_id:
        # A focal point sees the workshops their staff attend and those open to them nearby.
        nearby = Q(country_id=a.institution_country_id) & (
            Q(subdivision__isnull=True) | Q(subdivision_id=a.institution_subdivision_id)
        )
        return nearby | Q(
            pk__in=Enrolment.objects.filter(person__institution_id=a.institution_id).values(
                "workshop_id"
            )
        )
    return Q(pk__in=[])


class WorkshopPolicy(ModelPolicy[Workshop]):
    model = Workshop
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER, R.FOCAL_POINT),
        "add": (R.PROGRAMME_MANAGER,),
        "change": (R.PROGRAMME_MANAGER,),
        "delete": (R.PROGRAMME_MANAGER,),
        # Enrol people, take attendance: the workshop's own trainers may too.
        "manage_enrolment": (R.PROGRAMME_MANAGER, R.TRAINER),
        "take_attendance": (R.PROGRAMME_MANAGER, R.TRAINER),
        "nominate": (R.FOCAL_POINT,),
        "import": (R.PROGRAMME_MANAGER,),
        # A trainer records a workshop they gave themselves; a manager validates it before
        # it counts in reach.
        "record": (R.TRAINER,),
        "validate": (R.PROGRAMME_MANAGER,),
        # Before/after survey links for the workshop's participants.
        "survey_links": (R.PROGRAMME_MANAGER, R.TRAINER),
    }

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "record":
            # Recording makes the trainer the workshop's lead: they need a person record.
            scope = get_user_scope(user)
            return bool(scope.person_id and scope.has_role(R.TRAINER))
        return super().user_has_permission(user, action)

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Workshop.objects.select_related(
            "course", "programme", "country", "subdivision", "municipality"
        )

    def place_in_scope(
        self,
        user: Any,
        action: str,
        *,
        programme_id: int | None,
        country_id: int | None,
        subdivision_id: int | None,
    ) -> bool:
        """Would a workshop held here, in this programme, be within the user's reach for
        ``action``? Checked before saving, so nobody plans a workshop they could not see."""
        scope = get_user_scope(user)
        if scope.is_admin:
            return True
        managing = [r for r in self._roles_for(action) if r != R.TRAINER]
        for a in scope.for_roles(*managing):
            if a.programme_id and a.programme_id == programme_id:
                return True
            if a.subdivision_id and a.subdivision_id == subdivision_id:
                return True
            if a.country_id and a.country_id == country_id:
                return True
        return False

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        roles = self.actions[action]
        conditions = [workshop_q(a) for a in scope.for_roles(*[r for r in roles if r != R.TRAINER])]
        if R.TRAINER in roles and scope.person_id and scope.has_role(R.TRAINER):
            conditions.append(Q(trainers=scope.person_id))
        return any_of(conditions)


class CoursePolicy(ModelPolicy[Course]):
    model = Course
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER, R.FOCAL_POINT),
        "add": (R.PROGRAMME_MANAGER,),
        "change": (R.PROGRAMME_MANAGER,),
        "delete": (R.PROGRAMME_MANAGER,),
        # Plan workshops of the course: state managers too, in their state.
        "schedule": (R.PROGRAMME_MANAGER,),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Course.objects.select_related("programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        assignments = scope.for_roles(*self.actions[action])
        if action not in ("view", "schedule"):
            # A curriculum belongs to the programme: state managers use it, do not edit it.
            assignments = [a for a in assignments if a.country_id or a.programme_id]
        return any_of([programme_q(a, prefix="programme__") for a in assignments])

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "add":
            scope = get_user_scope(user)
            return scope.is_admin or any(
                a.country_id or a.programme_id for a in scope.for_roles(R.PROGRAMME_MANAGER)
            )
        return super().user_has_permission(user, action)


# The workshop half of the people rules (people/hooks.py; registered in training/plugins.py).
def programme_people_q(programme_id: int) -> Q:
    """People enrolled in the programme's workshops (seen by roles scoped to the programme)."""
    return Q(
        pk__in=Enrolment.objects.filter(workshop__programme_id=programme_id).values("person_id")
    )


def trainer_people_q(person_id: int) -> Q:
    """People enrolled in the workshops the trainer trains."""
    return Q(pk__in=Enrolment.objects.filter(workshop__trainers=person_id).values("person_id"))


workshop_policy = WorkshopPolicy()
course_policy = CoursePolicy()
