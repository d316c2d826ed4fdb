"""Who may see and do what with question banks, quizzes and attempts.

* Authors of a course's bank and quizzes: administrators, the authors of the course's content
  (programme managers with a country or programme scope, trainers holding a role on the
  course's programme: whoever may add a quiz item may set it up), and the trainers of a
  cohort of the course.
* Learners take the quizzes of courses they are enrolled in and see only their own attempts.
* Trainers see the attempts of the cohorts they train; programme managers and M&E officers
  those of the workshops in their scope. Nobody else sees an attempt.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from fortalece.accounts.models import Role
from fortalece.accounts.scope import UserScope, get_user_scope
from fortalece.core.policies import ModelPolicy, any_of
from fortalece.programmes.policies import programme_q
from fortalece.quizzes.models import Attempt, Question, QuestionCategory, Quiz
from fortalece.training.models import Course, Workshop
from fortalece.training.policies import workshop_q

R = Role
AUTHORS = (R.PROGRAMME_MANAGER, R.TRAINER)
TAKERS = (R.LEARNER, R.TRAINER, R.PROGRAMME_MANAGER, R.ME_OFFICER, R.FOCAL_POINT)


def authored_courses_q(scope: UserScope, prefix: str = "") -> Q | None:
    """Courses whose bank and quizzes the (non-admin) scope may edit; None: none."""
    conditions = [
        programme_q(a, prefix=f"{prefix}programme__")
        for a in scope.for_roles(R.PROGRAMME_MANAGER)
        if a.country_id or a.programme_id
    ]
    conditions += [
        Q(**{f"{prefix}programme_id": a.programme_id})
        for a in scope.for_roles(R.TRAINER)
        if a.programme_id
    ]
    if scope.person_id and scope.has_role(R.TRAINER):
        taught = Workshop.objects.filter(trainers=scope.person_id).values("course_id")
        conditions.append(Q(**{f"{prefix}pk__in": taught}))
    return any_of(conditions)


class BankPolicy(ModelPolicy[Course]):
    """The question bank of a course (the object is the course)."""

    model = Course
    actions = {"view": AUTHORS, "change": AUTHORS}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return authored_courses_q(scope)


class QuestionPolicy(ModelPolicy[Question]):
    model = Question
    actions = {"view": AUTHORS, "change": AUTHORS}

    def base_queryset(self) -> QuerySet[Question]:
        return Question.objects.current().select_related("category", "course")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return authored_courses_q(scope, prefix="course__")


class CategoryPolicy(ModelPolicy[QuestionCategory]):
    model = QuestionCategory
    actions = {"view": AUTHORS, "change": AUTHORS}

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        return authored_courses_q(scope, prefix="course__")


def _staff_workshop_conditions(scope: UserScope, field: str) -> list[Q]:
    conditions = [
        Q(**{f"{field}__in": Workshop.objects.filter(workshop_q(a)).values("pk")})
        for a in scope.for_roles(R.PROGRAMME_MANAGER, R.ME_OFFICER)
    ]
    if scope.person_id and scope.has_role(R.TRAINER):
        taught = Workshop.objects.filter(trainers=scope.person_id).values("pk")
        conditions.append(Q(**{f"{field}__in": taught}))
    return conditions


class QuizPolicy(ModelPolicy[Quiz]):
    model = Quiz
    actions = {
        "view": TAKERS,
        "change": AUTHORS,
        "take": TAKERS,
        "results": (R.PROGRAMME_MANAGER, R.ME_OFFICER, R.TRAINER),
    }

    def base_queryset(self) -> QuerySet[Quiz]:
        return Quiz.objects.select_related("item__module__course__programme")

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        course = "item__module__course__"
        conditions: list[Q] = []
        if action in ("view", "change"):
            authored = authored_courses_q(scope, prefix=course)
            if authored is not None:
                conditions.append(authored)
        if action in ("view", "results"):
            conditions += _staff_workshop_conditions(scope, f"{course}workshops")
        return any_of(conditions)

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Quiz]:
        staff = super().instances_user_has_permission_for(user, action)
        scope = get_user_scope(user)
        if action not in ("view", "take") or scope.person_id is None:
            return staff
        # Learners need no role: being enrolled in a cohort of the course is enough.
        enrolled = Q(item__module__course__workshops__enrolments__person_id=scope.person_id)
        return self.base_queryset().filter(
            Q(pk__in=staff.values("pk")) | Q(pk__in=Quiz.objects.filter(enrolled).values("pk"))
        )


class AttemptPolicy(ModelPolicy[Attempt]):
    model = Attempt
    actions = {"view": TAKERS, "answer": TAKERS}

    def base_queryset(self) -> QuerySet[Attempt]:
        return Attempt.objects.select_related(
            "quiz__item__module__course", "enrolment__person", "enrolment__workshop"
        )

    def scope_filter(self, scope: UserScope, action: str) -> Q | None:
        if action == "answer":
            return None
        return any_of(_staff_workshop_conditions(scope, "enrolment__workshop"))

    def instances_user_has_permission_for(self, user: Any, action: str) -> QuerySet[Attempt]:
        scope = get_user_scope(user)
        qs = self.base_queryset()
        if scope.user_id is None or scope.person_id is None:
            own = qs.none()
        else:
            own = qs.filter(enrolment__person_id=scope.person_id)
        if action == "answer":
            # Answering is the learner's own business: nobody, not even an administrator,
            # answers for them.
            return own
        staff = super().instances_user_has_permission_for(user, action)
        return qs.filter(Q(pk__in=staff.values("pk")) | Q(pk__in=own.values("pk")))


bank_policy = BankPolicy()
question_policy = QuestionPolicy()
category_policy = CategoryPolicy()
quiz_policy = QuizPolicy()
attempt_policy = AttemptPolicy()
