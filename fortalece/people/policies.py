from functools import reduce
from operator import or_
from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import Assignment, UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.geography.models import Country
from fortalece.people import hooks
from fortalece.people.models import Institution, Person
from fortalece.programmes.models import Programme

R = Role


def _programme_countries(programme_id: int) -> Q:

    return Q(institution__country__in=Country.objects.filter(programmes=programme_id).values("pk"))


def person_q(a: Assignment) -> Q:
    if a.institution_id:
        return Q(institution_id=a.institution_id)
    if a.subdivision_id:
        return Q(institution__subdivision_id=a.subdivision_id)
    if a.country_id:
        return Q(institution__country_id=a.country_id)
    if a.programme_id:
        # and, through training's hook, the people enrolled in the programme's workshops.
        return reduce(
            or_, hooks.programme_people(a.programme_id), _programme_countries(a.programme_id)
        )
    return Q(pk__in=[])


def trainer_people_q(scope: UserScope) -> Q | None:
    """A trainer sees themself and, through training's hook, the people enrolled in the
    workshops they train."""
    if not scope.person_id or not scope.has_role(R.TRAINER):
        return None
    return reduce(or_, hooks.trainer_people(scope.person_id), Q(pk=scope.person_id))


class PersonPolicy(ModelPolicy[Person]):
    """Managers, M&E officers and focal points see the people in their scope; trainers the
    people in their workshops. Contact details and nominations are narrower (below)."""

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

    def can_see_contact(self, user: Any, person: Person) -> bool:
        """Email and phone: administrators, managers who may change the person, and focal
        points of the person's institution."""
        scope = get_user_scope(user)
        if scope.is_admin:
            return True
        if any(a.institution_id == person.institution_id for a in scope.for_roles(R.FOCAL_POINT)):
            return True
        return bool(scope.for_roles(R.PROGRAMME_MANAGER)) and self.user_has_permission_for_instance(
            user, "change", person
        )

    def own_institution_ids(self, user: Any) -> list[int]:
        """The institutions the user is focal point of."""
        scope = get_user_scope(user)
        return [a.institution_id for a in scope.for_roles(R.FOCAL_POINT) if a.institution_id]

    def nominable(self, user: Any) -> QuerySet[Person]:
        """People a focal point may nominate for a workshop: their own institution's staff."""
        return self.base_queryset().filter(institution_id__in=self.own_institution_ids(user))

    def placeable_institutions(self, user: Any) -> QuerySet[Institution]:
        """Institutions a person may be put in: a focal point only their own; managers and
        administrators every institution they see."""
        scope = get_user_scope(user)
        if not scope.is_admin and not scope.for_roles(R.PROGRAMME_MANAGER):
            return Institution.objects.filter(pk__in=self.own_institution_ids(user))
        return institution_policy.instances_user_has_permission_for(user, "view")


def institution_q(a: Assignment) -> Q:
    if a.institution_id:
        return Q(pk=a.institution_id)
    if a.subdivision_id:
        return Q(subdivision_id=a.subdivision_id)
    if a.country_id:
        return Q(country_id=a.country_id)
    if a.programme_id:
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

    def country_choices(self, user: Any) -> QuerySet[Any]:
        """Countries offered when filtering or placing institutions: those of the user's
        assignments and of their programmes (all for administrators)."""

        scope = get_user_scope(user)
        if scope.is_admin:
            return Country.objects.all()
        ids: set[Any] = {
            a.country_id or a.subdivision_country_id or a.institution_country_id
            for a in scope.assignments
        }
        programme_ids = [a.programme_id for a in scope.assignments if a.programme_id]
        countries = Country.objects.filter(pk__in=[i for i in ids if i])
        if programme_ids:
            countries = countries | Country.objects.filter(
                pk__in=Programme.countries.through.objects.filter(
                    programme_id__in=programme_ids
                ).values("country_id")
            )
        return countries.distinct()


person_policy = PersonPolicy()
institution_policy = InstitutionPolicy()
