from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import Assignment, UserScope
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
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Workshop.objects.select_related(
            "course", "programme", "country", "subdivision", "municipality"
        )

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
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Course.objects.select_related("programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        assignments = scope.for_roles(*self.actions[action])
        if action != "view":
            assignments = [a for a in assignments if a.country_id or a.programme_id]
        return any_of([programme_q(a, prefix="programme__") for a in assignments])


workshop_policy = WorkshopPolicy()
course_policy = CoursePolicy()
