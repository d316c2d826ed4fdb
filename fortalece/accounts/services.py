from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.accounts.models import Role, RoleAssignment, User

SCOPE_FIELDS = ("country", "subdivision", "programme", "institution")


@transaction.atomic
def user_create(
    *, email: str, first_name: str, last_name: str, password: str, language: str = ""
) -> User:
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    return User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        language=language,
    )


@transaction.atomic
def user_update(*, user: User, by: User, **fields: Any) -> User:
    allowed = {"first_name", "last_name", "language", "is_active"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValueError(f"Cannot update {sorted(unknown)}")
    if fields.get("is_active") is False and user.pk == by.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    for name, value in fields.items():
        setattr(user, name, value)
    user.save(update_fields=list(fields))
    # Django's ModelBackend refuses inactive users on their next request, which ends their
    # sessions everywhere.
    return user


@transaction.atomic
def role_assign(*, user: User, role: str, **scope: Any) -> RoleAssignment:
    scope = {k: v for k, v in scope.items() if k in SCOPE_FIELDS and v is not None}
    if role == Role.ADMINISTRATOR and scope:
        raise ValidationError(_("An administrator has no scope: leave the scope empty."))
    if role not in (Role.ADMINISTRATOR, Role.LEARNER) and len(scope) != 1:
        raise ValidationError(
            _("Choose exactly one scope: a country, a state, a programme or an institution.")
        )
    existing = RoleAssignment.objects.filter(user=user, role=role, **scope)
    for field in SCOPE_FIELDS:
        if field not in scope:
            existing = existing.filter(**{f"{field}__isnull": True})
    found = existing.first()
    if found:
        return found
    return RoleAssignment.objects.create(user=user, role=role, **scope)


@transaction.atomic
def role_remove(*, assignment: RoleAssignment, by: User) -> None:
    if assignment.user_id == by.pk and assignment.role == Role.ADMINISTRATOR:
        remaining = RoleAssignment.objects.filter(user=by, role=Role.ADMINISTRATOR).exclude(
            pk=assignment.pk
        )
        if not remaining.exists() and not by.is_superuser:
            raise ValidationError(_("You cannot remove your own last administrator role."))
    assignment.delete()
