"""Who may author, take and follow online courses (deny by default).

* Authors: programme managers with a country or programme scope (as for editing courses)
  and trainers holding a role on the course's programme.
* Learners: their own enrolment only (``selectors.learner_enrolment``); never another's.
* Cohort progress: managers in scope and the cohort's own trainers (``manage_enrolment`` on
  the workshop).
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.learning.models import Diploma, DiplomaAward
from fortalece.programmes.models import Programme
from fortalece.programmes.policies import programme_q
from fortalece.training.models import Course

R = Role
AUTHORS = (R.PROGRAMME_MANAGER, R.TRAINER)
STAFF = (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER)


def _author_conditions(scope: UserScope, prefix: str) -> Q | None:
    conditions = [
        programme_q(a, prefix=prefix)
        for a in scope.for_roles(R.PROGRAMME_MANAGER)
        if a.country_id or a.programme_id
    ]
    conditions += [
        Q(**{f"{prefix}pk": a.programme_id}) for a in scope.for_roles(R.TRAINER) if a.programme_id
    ]
    return any_of(conditions)


class CourseContentPolicy(ModelPolicy[Course]):
    """The online content of a course (modules, items, resources, export, copy)."""

    model = Course
    actions = {
        "view": STAFF,
        "author": AUTHORS,
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Course.objects.select_related("programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "author":
            return _author_conditions(scope, "programme__")
        conditions = [
            programme_q(a, prefix="programme__")
            for a in scope.for_roles(R.PROGRAMME_MANAGER, R.ME_OFFICER)
        ]
        author = _author_conditions(scope, "programme__")
        if author is not None:
            conditions.append(author)
        if scope.person_id and scope.has_role(R.TRAINER):
            conditions.append(Q(workshops__trainers=scope.person_id))
        return any_of(conditions)

    def author_programmes(self, user: Any) -> QuerySet[Programme]:
        """Programmes where the user may author courses (where a copy or an import may go)."""
        scope = get_user_scope(user)
        if scope.is_admin:
            return Programme.objects.order_by("name")
        condition = _author_conditions(scope, "")
        if condition is None:
            return Programme.objects.none()
        return Programme.objects.filter(
            pk__in=Programme.objects.filter(condition).values("pk")
        ).order_by("name")

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "author":
            scope = get_user_scope(user)
            if scope.user_id is None:
                return False
            return scope.is_admin or _author_conditions(scope, "programme__") is not None
        return super().user_has_permission(user, action)


class DiplomaPolicy(ModelPolicy[Diploma]):
    model = Diploma
    actions = {
        "view": STAFF,
        "change": AUTHORS,
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Diploma.objects.select_related("programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "change":
            return _author_conditions(scope, "programme__")
        conditions = [
            programme_q(a, prefix="programme__")
            for a in scope.for_roles(R.PROGRAMME_MANAGER, R.ME_OFFICER)
        ]
        author = _author_conditions(scope, "programme__")
        if author is not None:
            conditions.append(author)
        return any_of(conditions)

    def user_has_permission(self, user: Any, action: str) -> bool:
        if action == "change":
            scope = get_user_scope(user)
            if scope.user_id is None:
                return False
            return scope.is_admin or _author_conditions(scope, "programme__") is not None
        return super().user_has_permission(user, action)


class DiplomaAwardPolicy(ModelPolicy[DiplomaAward]):
    """A diploma certificate: its holder, and staff of the diploma's programme."""

    model = DiplomaAward
    actions = {"view": (*STAFF, R.LEARNER)}

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return DiplomaAward.objects.select_related("diploma__programme", "person")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        conditions = [
            programme_q(a, prefix="diploma__programme__")
            for a in scope.for_roles(R.PROGRAMME_MANAGER, R.ME_OFFICER)
        ]
        author = _author_conditions(scope, "diploma__programme__")
        if author is not None:
            conditions.append(author)
        if scope.person_id:
            conditions.append(Q(person_id=scope.person_id))
        return any_of(conditions)


course_content_policy = CourseContentPolicy()
diploma_policy = DiplomaPolicy()
diploma_award_policy = DiplomaAwardPolicy()
