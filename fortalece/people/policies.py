from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import Assignment, UserScope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.people.models import Institution, Person

R = Role


def _programme_countries(programme_id: int) -> Q:
    from fortalece.geography.models import Country

    return Q(institution__country__in=Country.objects.filter(programmes=programme_id).values("pk"))


def person_q(a: Assignment) -> Q:
    from fortalece.training.models import Enrolment

    if a.institution_id:
        return Q(institution_id=a.institution_id)
    if a.subdivision_id:
        return Q(institution__subdivision_id=a.subdivision_id)
    if a.country_id:
        return Q(institution__country_id=a.country_id)
    if a.programme_id:
        return _programme_countries(a.programme_id) | Q(
            pk__in=Enrolment.objects.filter(workshop__programme_id=a.programme_id).values(
                "person_id"
            )
        )
    return Q(pk__in=[])


def trainer_people_q(scope: UserScope) -> Q | None:
    """A trainer sees the people enrolled in the workshops they train, and themself."""
    from fortalece.training.models import Enrolment

    if not scope.person_id or not scope.has_role(R.TRAINER):
        return None
    return Q(pk=scope.person_id) | Q(
        pk__in=Enrolment.objects.filter(workshop__trainers=scope.person_id).values("person_id")
    )


class PersonPolicy(ModelPolicy[Person]):
    model = Person
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT, R.TRAINER),
        "add": (R.PROGRAMME_MANAGER, R.FOCAL_POINT),
        "change": (R.PROGRAMME_MANAGER, R.FOCAL_POINT),
        "delete": (R.PROGRAMME_MANAGER,),
        "merge": (R.PROGRAMME_MANAGER,),
        "import": (R.PROGRAMME_MANAGER,),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Person.objects.select_related("institution", "institution__subdivision")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        roles = [r for r in self.actions[action] if r != R.TRAINER]
        conditions = [person_q(a) for a in scope.for_roles(*roles)]
        if R.TRAINER in self.actions[action]:
            trainer_q = trainer_people_q(scope)
            if trainer_q is not None:
                conditions.append(trainer_q)
        return any_of(conditions)


def institution_q(a: Assignment) -> Q:
    if a.institution_id:
        return Q(pk=a.institution_id)
    if a.subdivision_id:
        return Q(subdivision_id=a.subdivision_id)
    if a.country_id:
        return Q(country_id=a.country_id)
    if a.programme_id:
        from fortalece.geography.models import Country

        return Q(country__in=Country.objects.filter(programmes=a.programme_id).values("pk"))
    return Q(pk__in=[])


class InstitutionPolicy(ModelPolicy[Institution]):
    model = Institution
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT, R.TRAINER),
        "add": (R.PROGRAMME_MANAGER,),
        "change": (R.PROGRAMME_MANAGER,),
        "delete": (R.PROGRAMME_MANAGER,),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Institution.objects.select_related("country", "subdivision", "municipality")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return any_of([institution_q(a) for a in scope.for_roles(*self.actions[action])])


person_policy = PersonPolicy()
institution_policy = InstitutionPolicy()
