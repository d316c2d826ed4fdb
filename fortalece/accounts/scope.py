"""What a signed-in user may reach: their roles and the scopes of those roles.

Read once per request and cached on the user object; policies turn it into querysets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fortalece.accounts.models import Role, RoleAssignment


@dataclass(frozen=True)
class Assignment:
    role: str
    country_id: int | None = None
    subdivision_id: int | None = None
    subdivision_country_id: int | None = None
    programme_id: int | None = None
    institution_id: int | None = None
    institution_country_id: int | None = None
    institution_subdivision_id: int | None = None


@dataclass(frozen=True)
class UserScope:
    user_id: int | None
    person_id: int | None
    is_admin: bool
    assignments: tuple[Assignment, ...]

    @property
    def roles(self) -> frozenset[str]:
        return frozenset(a.role for a in self.assignments)

    def has_role(self, *roles: str) -> bool:
        return self.is_admin or any(a.role in roles for a in self.assignments)

    def for_roles(self, *roles: str) -> list[Assignment]:
        return [a for a in self.assignments if a.role in roles]


EMPTY_SCOPE = UserScope(user_id=None, person_id=None, is_admin=False, assignments=())


def get_user_scope(user: Any) -> UserScope:
    """The user's scope; anonymous and inactive users have none."""
    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    cached = getattr(user, "_fortalece_scope", None)
    if cached is not None:
        return cached
    rows = RoleAssignment.objects.filter(user=user).select_related("subdivision", "institution")
    assignments = tuple(
        Assignment(
            role=row.role,
            country_id=row.country_id,
            subdivision_id=row.subdivision_id,
            subdivision_country_id=row.subdivision.country_id if row.subdivision else None,
            programme_id=row.programme_id,
            institution_id=row.institution_id,
            institution_country_id=row.institution.country_id if row.institution else None,
            institution_subdivision_id=row.institution.subdivision_id if row.institution else None,
        )
        for row in rows
    )
    person_id = (
        user.__class__.person.related.related_model.objects.filter(user=user)
        .values_list("pk", flat=True)
        .first()
    )
    scope = UserScope(
        user_id=user.pk,
        person_id=person_id,
        is_admin=user.is_superuser or any(a.role == Role.ADMINISTRATOR for a in assignments),
        assignments=assignments,
    )
    user._fortalece_scope = scope
    return scope
