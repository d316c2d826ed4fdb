"""Who may see and do what with assignments, submissions, grades and the gradebook.

* Authors (programme managers with rights on the course's programme, and the trainers of a
  cohort of the course) set assignments and rubrics up.
* Learners see the assignments of the courses they are enrolled in and only their own
  submissions, files and grades; they never grade.
* Trainers see and grade only the submissions of the cohorts they train; programme managers
  those of the workshops in their scope; M&E officers read.
* The gradebook of a cohort follows the same rule (``gradebook_policy`` is on the workshop).
"""

from __future__ import annotations

from django.db.models import Q

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope
from fortalece.assignments.models import Assignment, Rubric, Submission, SubmissionFile
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.programmes.policies import programme_q
from fortalece.training.models import Workshop
from fortalece.training.policies import workshop_q

R = Role
STAFF = (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER)


def _workshops(condition: Q):  # type: ignore[no-untyped-def]
    return Workshop.objects.filter(condition).values("pk")


def _staff_workshops(scope: UserScope, roles: tuple[str, ...], field: str = "pk") -> list[Q]:
    """Conditions that ``field`` is a workshop the staff roles among ``roles`` reach: managers
    and M&E officers by their scope, trainers only the workshops they train."""
    conditions = [
        Q(**{f"{field}__in": _workshops(workshop_q(a))})
        for a in scope.for_roles(*[r for r in roles if r in (R.PROGRAMME_MANAGER, R.ME_OFFICER)])
    ]
    if R.TRAINER in roles and scope.person_id and scope.has_role(R.TRAINER):
        conditions.append(Q(**{f"{field}__in": _workshops(Q(trainers=scope.person_id))}))
    return conditions


def author_q(scope: UserScope, prefix: str) -> Q | None:
    """Authors of a course's content (as ``learning.policies``): programme managers with a
    country or programme scope, and trainers holding a role on the course's programme."""
    conditions = [
        programme_q(a, prefix=prefix)
        for a in scope.for_roles(R.PROGRAMME_MANAGER)
        if a.country_id or a.programme_id
    ]
    conditions += [
        Q(**{f"{prefix}pk": a.programme_id}) for a in scope.for_roles(R.TRAINER) if a.programme_id
    ]
    return any_of(conditions)


class AssignmentPolicy(ModelPolicy[Assignment]):
    model = Assignment
    actions = {
        "view": (*STAFF, R.LEARNER),
        "change": (R.PROGRAMME_MANAGER, R.TRAINER),
        "submit": (R.LEARNER, R.TRAINER, R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT),
        "grade": (R.PROGRAMME_MANAGER, R.TRAINER),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Assignment.objects.select_related("item__module__course__programme", "rubric")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        roles = self.actions[action]
        course = "item__module__course"
        conditions: list[Q] = []
        if action in ("view", "change"):
            author = author_q(scope, f"{course}__programme__")
            if author is not None:
                conditions.append(author)
        if action in ("view", "grade"):
            conditions += _staff_workshops(scope, roles, f"{course}__workshops")
        if action in ("view", "submit") and scope.person_id:
            conditions.append(Q(**{f"{course}__workshops__enrolments__person_id": scope.person_id}))
        return any_of(conditions)


class SubmissionPolicy(ModelPolicy[Submission]):
    model = Submission
    actions = {
        "view": (*STAFF, R.LEARNER, R.FOCAL_POINT),
        "grade": (R.PROGRAMME_MANAGER, R.TRAINER),
    }

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Submission.objects.select_related(
            "assignment__item__module__course", "enrolment__person", "enrolment__workshop"
        )

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        roles = self.actions[action]
        conditions = _staff_workshops(scope, roles, "enrolment__workshop")
        if action == "grade":
            allowed = any_of(conditions)
            if allowed is not None and scope.person_id:
                # Nobody grades their own work, whatever else they may do.
                allowed &= ~Q(enrolment__person_id=scope.person_id)
            return allowed
        if scope.person_id:
            conditions.append(Q(enrolment__person_id=scope.person_id))
        return any_of(conditions)


class SubmissionFilePolicy(ModelPolicy[SubmissionFile]):
    model = SubmissionFile
    actions = {"view": SubmissionPolicy.actions["view"]}

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return SubmissionFile.objects.select_related("submission")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        inner = submission_policy.scope_filter(scope, "view")
        if inner is None:
            return None
        return Q(submission__in=Submission.objects.filter(inner).values("pk"))


class RubricPolicy(ModelPolicy[Rubric]):
    model = Rubric
    actions = {"view": (R.PROGRAMME_MANAGER, R.TRAINER), "change": (R.PROGRAMME_MANAGER, R.TRAINER)}

    def base_queryset(self):  # type: ignore[no-untyped-def]
        return Rubric.objects.select_related("course__programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return author_q(scope, "course__programme__")


class GradebookPolicy(ModelPolicy[Workshop]):
    """The gradebook of a cohort (a workshop of an online or blended course)."""

    model = Workshop
    actions = {
        "view": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER),
        "override": (R.PROGRAMME_MANAGER, R.TRAINER),
    }

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return any_of(_staff_workshops(scope, self.actions[action]))


assignment_policy = AssignmentPolicy()
submission_policy = SubmissionPolicy()
submission_file_policy = SubmissionFilePolicy()
rubric_policy = RubricPolicy()
gradebook_policy = GradebookPolicy()
