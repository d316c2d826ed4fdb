"""What every URL name requires, said in terms of the policies.

The generated access matrix (``test_access_matrix.py``) walks the URL conf, finds each
pattern's rule here, builds its URL from real demo objects inside and outside each demo
user's scope, asks the page (GET and POST) and compares the answer with what the rule says the
policies allow. ``test_every_url_name_has_a_rule`` fails for a URL name missing here, so a new
page cannot escape the matrix.

A rule never restates a scope by hand: it names the policy and action a page must obey, and
how to reach the policy's object from the page's object (``via``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from fortalece.accounts.models import RoleAssignment, User
from fortalece.accounts.policies import user_policy
from fortalece.api.models import ApiToken
from fortalece.api.policies import api_token_policy
from fortalece.assignments.models import Assignment, Rubric, Submission, SubmissionFile
from fortalece.assignments.policies import (
    assignment_policy,
    gradebook_policy,
    rubric_policy,
    submission_file_policy,
    submission_policy,
)
from fortalece.cascade.models import Accreditation, AccreditationRule
from fortalece.cascade.policies import accreditation_rule_policy, trainer_cascade_policy
from fortalece.core.policies import ModelPolicy
from fortalece.credentials.models import Certificate
from fortalece.credentials.policies import certificate_policy
from fortalece.geography.models import Country, Subdivision
from fortalece.geography.policies import country_policy
from fortalece.impact.models import Study, SurveyInstrument
from fortalece.impact.policies import instrument_policy, study_policy
from fortalece.imports.models import ImportJob
from fortalece.imports.policies import import_policy
from fortalece.learning.models import (
    CourseItem,
    CourseModule,
    Diploma,
    DiplomaAward,
    DiplomaCourse,
    Resource,
)
from fortalece.learning.policies import course_content_policy, diploma_award_policy, diploma_policy
from fortalece.messaging.models import Announcement, Comment, Message, Notification, Thread
from fortalece.messaging.policies import (
    announcement_policy,
    comment_policy,
    message_policy,
    moderated_workshops,
    thread_policy,
)
from fortalece.people.models import Institution, Person
from fortalece.people.policies import institution_policy, person_policy
from fortalece.privacy.policies import person_privacy_policy
from fortalece.programmes.models import Programme, Target
from fortalece.programmes.policies import programme_policy
from fortalece.quizzes.models import Attempt, Question, QuestionCategory, Quiz
from fortalece.quizzes.policies import (
    attempt_policy,
    bank_policy,
    category_policy,
    question_policy,
    quiz_policy,
)
from fortalece.referrals.models import Pathway, Service
from fortalece.referrals.policies import pathway_policy, service_policy
from fortalece.reporting.models import SavedReport
from fortalece.reporting.policies import coverage_policy, saved_report_policy
from fortalece.reporting.saved import may_read
from fortalece.training.models import Course, Enrolment, Session, Workshop
from fortalece.training.policies import course_policy, workshop_policy

Check = Callable[[User, Any], bool]
P, W, C = programme_policy, workshop_policy, course_policy
CC = course_content_policy  # a course's online content


def _follow(obj: Any, via: str | None) -> Any:
    for name in (via or "").split("."):
        if name:
            obj = getattr(obj, name)
    return obj


def can(policy: ModelPolicy[Any], action: str = "view", via: str | None = None) -> Check:
    """``policy.get_for_user(pk=…, action=action)`` would return the object: it is visible
    and the action is allowed on it."""

    def check(user: User, obj: Any) -> bool:
        target = _follow(obj, via)
        allowed = policy.user_has_permission_for_instance(user, "view", target)
        if action != "view":
            allowed = allowed and policy.user_has_permission_for_instance(user, action, target)
        return allowed

    return check


def has(policy: ModelPolicy[Any], action: str = "view") -> Check:
    """The user may do ``action`` somewhere (list and create pages)."""
    return lambda user, obj: policy.user_has_permission(user, action)


def every(*checks: Check) -> Check:
    return lambda user, obj: all(check(user, obj) for check in checks)


def signed_in(user: User, obj: Any) -> bool:
    return True


ADMIN = has(user_policy, "view")  # administrators only


@dataclass(frozen=True)
class Rule:
    """``get``/``post``: who the policies allow (``None``: the method is not served, so
    nobody gets an answer). ``objects``: the page's objects; ``near(user)``: those the user
    can probably reach (so an in-scope object is found quickly); ``kwargs``: the URL's
    arguments for one object."""

    get: Check | None
    post: Check | None
    objects: Callable[[], QuerySet[Any]] | None = None
    near: Callable[[User], QuerySet[Any]] | None = None
    kwargs: Callable[[Any], dict[str, Any]] = field(default=lambda o: {"pk": o.pk})
    query: str = ""
    # REST API: requests carry the user's token; lists are checked item by item.
    api: bool = False
    listed: Callable[[User], QuerySet[Any]] | None = None  # what a list may contain
    body: Callable[[Any, User], dict[str, Any]] | None = None
    # Public pages (no login, by design: SECURITY.md) and one's own account pages are listed
    # so that no name is missing, but not requested: the anonymous sweep covers them.
    kind: str = "private"  # private | public | own
    # The second URL argument names a row of the first (a target of the programme, a session
    # of the workshop): the matrix also asks for one parent with another parent's child.
    nested: bool = False


def objects(model: type, **filters: Any) -> Callable[[], QuerySet[Any]]:
    return lambda: model._default_manager.filter(**filters).order_by("pk")


def near(
    model: type, policy: ModelPolicy[Any], action: str = "view", path: str = "pk"
) -> Callable[[User], QuerySet[Any]]:
    """Objects of ``model`` whose ``path`` is an object ``policy`` lets the user act on."""

    def pick(user: User) -> QuerySet[Any]:
        allowed = policy.instances_user_has_permission_for(user, action).values("pk")
        return model._default_manager.filter(**{f"{path}__in": allowed}).order_by("pk")

    return pick


PUBLIC = Rule(get=None, post=None, kind="public")
OWN = Rule(get=None, post=None, kind="own")


def _person_pair(person: Person) -> dict[str, Any]:
    other = (
        Person.objects.filter(institution_id=person.institution_id)
        .exclude(pk=person.pk)
        .order_by("pk")
        .values_list("pk", flat=True)
        .first()
    )
    return {"pk": person.pk, "other": other or person.pk + 1}


def _merge(user: User, person: Person) -> bool:
    pair = _person_pair(person)
    other = Person.objects.filter(pk=pair["other"]).first()
    return (
        other is not None
        and can(person_policy, "merge")(user, person)
        and can(person_policy, "merge")(user, other)
    )


def _workshop_certificates(user: User, workshop: Workshop) -> bool:
    return (
        can(workshop_policy, "view")(user, workshop)
        and certificate_policy.user_has_permission(user, "issue")
        and workshop_policy.user_has_permission_for_instance(user, "change", workshop)
    )


def _rule_create(user: User, programme: Programme) -> bool:
    return can(programme_policy)(user, programme) and accreditation_rule_policy.can_create_for(
        user, programme
    )


def _assessment(user: User, pair: tuple[AccreditationRule, Person]) -> bool:
    rule, person = pair
    return can(accreditation_rule_policy, "change")(user, rule) and can(person_policy)(user, person)


def _rule_people() -> QuerySet[Any]:
    """(rule, person) pairs for the assessment page: every trainer accredited under a rule."""
    return Accreditation.objects.select_related("rule", "person").order_by("pk")


def _visible_person(user: User) -> int:
    found = person_policy.instances_user_has_permission_for(user, "view").order_by("pk").first()
    return found.pk if found else Person.objects.order_by("pk").first().pk  # type: ignore[union-attr]


def _api_person(institution: Institution, user: User) -> dict[str, Any]:
    return {
        "given_names": "Matriz",
        "family_names": "de Acceso",
        "sex": "female",
        "institution_id": institution.pk,
    }


def _api_person_add(user: User, institution: Institution) -> bool:
    if not person_policy.user_has_permission(user, "add"):
        return False
    if not institution_policy.user_has_permission_for_instance(user, "view", institution):
        return False
    return Person.objects.filter(institution=institution).filter(
        pk__in=person_policy.instances_user_has_permission_for(user, "add").values("pk")
    ).exists() or user_policy.user_has_permission(user, "view")


def _api_enrol(workshop: Workshop, user: User) -> dict[str, Any]:
    return {"workshop_id": workshop.pk, "person_id": _visible_person(user)}


def _api_attend(session: Session, user: User) -> dict[str, Any]:
    enrolment = session.workshop.enrolments.order_by("pk").first()
    return {
        "session_id": session.pk,
        "enrolment_id": enrolment.pk if enrolment else 0,
        "present": True,
    }


def visible(policy: ModelPolicy[Any], action: str = "view") -> Callable[[User], QuerySet[Any]]:
    return lambda user: policy.instances_user_has_permission_for(user, action)


def _sessions(user: User) -> QuerySet[Any]:
    return Session.objects.filter(workshop__in=visible(W)(user).values("pk"))


def _enrolments(user: User) -> QuerySet[Any]:
    return Enrolment.objects.filter(
        workshop__in=visible(W)(user).values("pk"),
        person__in=visible(person_policy)(user).values("pk"),
    )


def _attendance(user: User) -> QuerySet[Any]:
    from fortalece.training.models import Attendance

    return Attendance.objects.filter(enrolment__in=_enrolments(user).values("pk"))


def _saved_open(user: User, report: SavedReport) -> bool:
    """Its owner or a reader it is shared with, who may also see every programme it chose."""
    return can(saved_report_policy)(user, report) and may_read(user, report)


def enrolled(via: str | None = None) -> Check:
    """The user takes the course as a learner: ``learning.selectors.learner_enrolment``
    (their own live enrolment in a cohort of it), the rule every learner page obeys."""
    from fortalece.learning.selectors import learner_enrolment

    return lambda user, obj: learner_enrolment(user, _follow(obj, via)) is not None


def _item_open(user: User, item: CourseItem) -> bool:
    """Enrolled in the item's course, and the item is released to that enrolment."""
    from fortalece.learning.selectors import learner_enrolment
    from fortalece.learning.services.progress import item_is_open

    enrolment = learner_enrolment(user, item.module.course)
    return enrolment is not None and item_is_open(enrolment=enrolment, item=item).open


def _resource(user: User, resource: Resource) -> bool:
    """Staff of the course, or a learner of it whose item is open."""
    return can(CC, via="item.module.course")(user, resource) or _item_open(user, resource.item)


def gradebook(action: str = "view", via: str | None = None) -> Check:
    """The course has a cohort whose gradebook ``gradebook_policy`` lets the user use."""
    return lambda user, obj: (
        gradebook_policy.instances_user_has_permission_for(user, action)
        .filter(course=_follow(obj, via))
        .exists()
    )


def _graded_items() -> QuerySet[Any]:
    return CourseItem.objects.filter(kind__in=(CourseItem.Kind.QUIZ, CourseItem.Kind.ASSIGNMENT))


def _override_rows() -> QuerySet[Any]:
    """Enrolments in cohorts of courses with a quiz or an assignment (the gradebook's cells)."""
    courses = _graded_items().values("module__course_id")
    return Enrolment.objects.filter(workshop__course__in=courses).order_by("pk")


def _override_kwargs(enrolment: Enrolment) -> dict[str, Any]:
    course_id = enrolment.workshop.course_id
    item = _graded_items().filter(module__course_id=course_id).order_by("pk").first()
    return {"course_pk": course_id, "enrolment_pk": enrolment.pk, "item_pk": item.pk if item else 0}


def _bank_kwargs(extra: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    return lambda course: {"course_id": course.pk, **extra}


def _courses_taken(user: User) -> QuerySet[Any]:
    """Courses of the user's own enrolments (a hint for ``near``; the check is ``enrolled``)."""
    from fortalece.accounts.scope import get_user_scope

    person = get_user_scope(user).person_id
    if person is None:
        return Course.objects.none()
    return Course.objects.filter(workshops__enrolments__person_id=person).distinct().order_by("pk")


def _items_taken(user: User) -> QuerySet[Any]:
    return CourseItem.objects.filter(module__course__in=_courses_taken(user).values("pk")).order_by(
        "pk"
    )


def _own_notification(user: User, notification: Notification) -> bool:
    return notification.recipient_id == user.pk


def _cohort_member(user: User, workshop: Workshop) -> bool:
    """A learner of the cohort (live enrolment) or one of its moderators."""
    from fortalece.messaging.policies import learner_workshops

    return (
        learner_workshops(user).filter(pk=workshop.pk).exists()
        or moderated_workshops(user).filter(pk=workshop.pk).exists()
    )


def _cohorts_near(user: User) -> QuerySet[Any]:
    from fortalece.messaging.policies import learner_workshops

    return (
        Workshop.objects.filter(pk__in=learner_workshops(user).values("pk"))
        | Workshop.objects.filter(pk__in=moderated_workshops(user).values("pk"))
    ).order_by("pk")


def _moderates_somewhere(user: User, obj: Any) -> bool:
    return moderated_workshops(user).exists()


RULES: dict[str, Rule] = {
    # --- core and accounts ---------------------------------------------------------------
    "core:home": Rule(get=signed_in, post=None),
    "core:healthz": PUBLIC,
    # The installable app: the same for everyone, nothing personal in them.
    "core:service_worker": PUBLIC,
    "core:manifest": PUBLIC,
    "core:offline": PUBLIC,
    "set_language": PUBLIC,
    "accounts:user_list": Rule(get=ADMIN, post=ADMIN),
    "accounts:user_create": Rule(get=ADMIN, post=ADMIN),
    "accounts:user_detail": Rule(get=ADMIN, post=ADMIN, objects=objects(User)),
    "accounts:user_update": Rule(get=ADMIN, post=ADMIN, objects=objects(User)),
    "accounts:mfa_reset": Rule(get=ADMIN, post=ADMIN, objects=objects(User)),
    "accounts:role_remove": Rule(
        get=ADMIN,
        post=ADMIN,
        objects=objects(RoleAssignment),
        kwargs=lambda a: {"pk": a.user_id, "assignment_pk": a.pk},
        nested=True,
    ),
    # --- geography (reference data: every staff member reads it) ---------------------------
    "geography:country_list": Rule(get=has(country_policy), post=None),
    "geography:subdivision_options": Rule(get=has(country_policy), post=None, query="?country=MX"),
    "geography:municipality_options": Rule(get=has(country_policy), post=None),
    "geography:subdivision_detail": Rule(
        get=has(country_policy), post=None, objects=objects(Subdivision, code__startswith="MX-")
    ),
    "geography:municipality_create": Rule(
        get=None,
        post=has(country_policy, "change"),
        objects=objects(Subdivision, code__startswith="MX-"),
    ),
    "geography:country_detail": Rule(
        get=has(country_policy),
        post=None,
        objects=objects(Country, code__in=["MX", "NA", "GT"]),
        kwargs=lambda c: {"code": c.code},
    ),
    # --- programmes ----------------------------------------------------------------------
    "programmes:list": Rule(get=has(P), post=None),
    "programmes:create": Rule(get=has(P, "add"), post=has(P, "add")),
    "programmes:organisation_create": Rule(get=has(P, "change"), post=has(P, "change")),
    "programmes:detail": Rule(
        get=can(P), post=None, objects=objects(Programme), near=near(Programme, P)
    ),
    "programmes:update": Rule(
        get=can(P, "change"),
        post=can(P, "change"),
        objects=objects(Programme),
        near=near(Programme, P, "change"),
    ),
    "programmes:delete": Rule(
        get=can(P, "delete"),
        post=can(P, "delete"),
        objects=objects(Programme),
        near=near(Programme, P, "delete"),
    ),
    "programmes:target_create": Rule(
        get=can(P, "change"),
        post=can(P, "change"),
        objects=objects(Programme),
        near=near(Programme, P, "change"),
    ),
    **{
        f"programmes:target_{name}": Rule(
            get=can(P, "change", via="programme"),
            post=can(P, "change", via="programme"),
            objects=objects(Target),
            near=near(Target, P, "change", "programme"),
            kwargs=lambda t: {"pk": t.programme_id, "target_pk": t.pk},
            nested=True,
        )
        for name in ("update", "delete")
    },
    # --- people --------------------------------------------------------------------------
    "people:person_list": Rule(get=has(person_policy), post=has(person_policy)),
    "people:person_create": Rule(get=has(person_policy, "add"), post=has(person_policy, "add")),
    "people:person_detail": Rule(
        get=can(person_policy),
        post=None,
        objects=objects(Person),
        near=near(Person, person_policy),
    ),
    **{
        f"people:person_{name}": Rule(
            get=can(person_policy, action),
            post=can(person_policy, action),
            objects=objects(Person),
            near=near(Person, person_policy, action),
        )
        for name, action in (("update", "change"), ("delete", "delete"))
    },
    "people:person_duplicates": Rule(
        get=can(person_policy, "merge"),
        post=None,
        objects=objects(Person),
        near=near(Person, person_policy, "merge"),
    ),
    "people:person_merge": Rule(
        get=_merge,
        post=_merge,
        objects=objects(Person),
        near=near(Person, person_policy, "merge"),
        kwargs=_person_pair,
    ),
    "people:institution_list": Rule(get=has(institution_policy), post=None),
    "people:institution_create": Rule(
        get=has(institution_policy, "add"), post=has(institution_policy, "add")
    ),
    "people:institution_detail": Rule(
        get=can(institution_policy),
        post=None,
        objects=objects(Institution),
        near=near(Institution, institution_policy),
    ),
    **{
        f"people:institution_{name}": Rule(
            get=can(institution_policy, name if name == "delete" else "change"),
            post=can(institution_policy, name if name == "delete" else "change"),
            objects=objects(Institution),
            near=near(Institution, institution_policy, "change"),
        )
        for name in ("update", "delete")
    },
    # --- privacy (administrators act for the data protection officer) --------------------
    "privacy:person": Rule(get=can(person_privacy_policy), post=None, objects=objects(Person)),
    "privacy:person_export": Rule(
        get=can(person_privacy_policy, "export"),
        post=None,
        objects=objects(Person),
        kwargs=lambda p: {"pk": p.pk, "fmt": "json"},
    ),
    "privacy:person_erase": Rule(
        get=can(person_privacy_policy, "erase"),
        post=can(person_privacy_policy, "erase"),
        objects=objects(Person),
    ),
    # --- training ------------------------------------------------------------------------
    "training:course_list": Rule(get=has(C), post=None),
    "training:course_create": Rule(get=has(C, "add"), post=has(C, "add")),
    "training:course_detail": Rule(
        get=can(C), post=None, objects=objects(Course), near=near(Course, C)
    ),
    **{
        f"training:course_{name}": Rule(
            get=can(C, action),
            post=can(C, action),
            objects=objects(Course),
            near=near(Course, C, action),
        )
        for name, action in (("update", "change"), ("delete", "delete"))
    },
    "training:workshop_list": Rule(get=has(W), post=None),
    "training:workshop_create": Rule(get=has(W, "add"), post=has(W, "add")),
    "training:workshop_detail": Rule(
        get=can(W), post=None, objects=objects(Workshop), near=near(Workshop, W)
    ),
    **{
        f"training:workshop_{name}": Rule(
            get=can(W, action),
            post=can(W, action),
            objects=objects(Workshop),
            near=near(Workshop, W, action),
        )
        for name, action in (
            ("update", "change"),
            ("delete", "delete"),
            ("trainers", "change"),
            ("enrol", "manage_enrolment"),
            ("nominate", "nominate"),
        )
    },
    "training:session_create": Rule(
        get=can(W, "change"),
        post=can(W, "change"),
        objects=objects(Workshop),
        near=near(Workshop, W, "change"),
    ),
    **{
        f"training:session_{name}": Rule(
            get=can(W, action, via="workshop"),
            post=can(W, action, via="workshop"),
            objects=objects(Session),
            near=near(Session, W, action, "workshop"),
            kwargs=lambda s: {"pk": s.workshop_id, "session_pk": s.pk},
            nested=True,
        )
        for name, action in (
            ("update", "change"),
            ("delete", "change"),
            ("attendance", "take_attendance"),
        )
    },
    # POST only (the name travels in the body); "for" chooses enrolment, trainer or nominee.
    "training:person_search": Rule(
        get=None,
        post=can(W, "manage_enrolment"),
        objects=objects(Workshop),
        near=near(Workshop, W, "manage_enrolment"),
    ),
    "training:enrolment_status": Rule(
        get=None,
        post=can(W, "manage_enrolment", via="workshop"),
        objects=objects(Enrolment),
        near=near(Enrolment, W, "manage_enrolment", "workshop"),
        kwargs=lambda e: {"pk": e.workshop_id, "enrolment_pk": e.pk},
        nested=True,
    ),
    "training:my_training": Rule(get=signed_in, post=None),
    # --- imports -------------------------------------------------------------------------
    "imports:list": Rule(get=has(import_policy), post=None),
    "imports:create": Rule(get=has(import_policy, "add"), post=has(import_policy, "add")),
    "imports:template": Rule(
        get=has(import_policy, "add"),
        post=None,
        objects=lambda: ImportJob.objects.none(),
        kwargs=lambda o: {"kind": "people"},
    ),
    "imports:detail": Rule(
        get=can(import_policy),
        post=can(import_policy),
        objects=objects(ImportJob),
        near=near(ImportJob, import_policy),
    ),
    "imports:errors": Rule(
        get=can(import_policy),
        post=None,
        objects=objects(ImportJob),
        near=near(ImportJob, import_policy),
    ),
    # --- reporting -----------------------------------------------------------------------
    **{
        f"reporting:{name}": Rule(get=has(P, "view_dashboard"), post=None)
        for name in ("indicators", "map", "narrative")
    },
    "reporting:indicators_export": Rule(
        get=has(P, "view_dashboard"), post=has(P, "view_dashboard")
    ),
    **{
        f"reporting:{name}": Rule(
            get=can(P, "view_dashboard"),
            post=None,
            objects=objects(Programme),
            near=near(Programme, P, "view_dashboard"),
        )
        for name in ("dashboard", "dashboard_export", "iati")
    },
    # --- cascade -------------------------------------------------------------------------
    "cascade:programme": Rule(
        get=can(P), post=None, objects=objects(Programme), near=near(Programme, P)
    ),
    "cascade:rule_create": Rule(
        get=_rule_create,
        post=_rule_create,
        objects=objects(Programme),
        near=near(Programme, P, "change"),
    ),
    **{
        f"cascade:{name}": Rule(
            get=can(trainer_cascade_policy),
            post=None,
            objects=lambda: (
                Person.objects.filter(workshops_trained__isnull=False).distinct().order_by("pk")
            ),
            near=near(Person, trainer_cascade_policy),
        )
        for name in ("trainer", "trainer_children")
    },
    "cascade:award_create": Rule(
        get=can(person_policy, "change"),
        post=can(person_policy, "change"),
        objects=objects(Person),
        near=near(Person, person_policy, "change"),
    ),
    "cascade:rule": Rule(
        get=can(accreditation_rule_policy),
        post=None,
        objects=objects(AccreditationRule),
        near=near(AccreditationRule, accreditation_rule_policy),
    ),
    # GET of grant/withdraw sends back to the rule page: who may see the rule.
    **{
        f"cascade:{name}": Rule(
            get=can(accreditation_rule_policy),
            post=can(accreditation_rule_policy, "change"),
            objects=objects(AccreditationRule),
            near=near(AccreditationRule, accreditation_rule_policy, "change"),
        )
        for name in ("grant", "withdraw")
    },
    "cascade:assessment": Rule(
        get=lambda u, a: _assessment(u, (a.rule, a.person)),
        post=lambda u, a: _assessment(u, (a.rule, a.person)),
        objects=_rule_people,
        near=near(Accreditation, accreditation_rule_policy, "change", "rule"),
        kwargs=lambda a: {"pk": a.rule_id, "person_pk": a.person_id},
    ),
    "cascade:history": Rule(
        get=can(accreditation_rule_policy, via="rule"),
        post=None,
        objects=objects(Accreditation),
        near=near(Accreditation, accreditation_rule_policy, "view", "rule"),
        kwargs=lambda a: {"pk": a.rule_id, "accreditation_pk": a.pk},
        nested=True,
    ),
    # --- impact evaluation ---------------------------------------------------------------
    "impact:study_list": Rule(get=has(study_policy), post=None),
    "impact:study_create": Rule(get=has(study_policy, "add"), post=has(study_policy, "add")),
    "impact:study_detail": Rule(
        get=can(study_policy), post=None, objects=objects(Study), near=near(Study, study_policy)
    ),
    "impact:study_run": Rule(
        get=None,
        post=can(study_policy, "change"),
        objects=objects(Study),
        near=near(Study, study_policy, "change"),
    ),
    "impact:study_download": Rule(
        get=can(study_policy),
        post=None,
        objects=objects(Study),
        near=near(Study, study_policy),
        kwargs=lambda s: {"pk": s.pk, "fmt": "json"},
    ),
    **{
        f"impact:{name}": Rule(
            get=has(instrument_policy, "add"), post=has(instrument_policy, "add")
        )
        for name in ("instrument_upload", "instrument_blank")
    },
    **{
        f"impact:{name}": Rule(
            get=can(instrument_policy),
            post=None,
            objects=objects(SurveyInstrument),
            near=near(SurveyInstrument, instrument_policy),
        )
        for name in ("instrument_detail", "instrument_download")
    },
    "impact:links": Rule(
        get=can(instrument_policy),
        post=can(instrument_policy, "change"),
        objects=objects(SurveyInstrument),
        near=near(SurveyInstrument, instrument_policy),
    ),
    "impact:instrument_build": Rule(
        get=can(instrument_policy, "change"),
        post=can(instrument_policy, "change"),
        objects=objects(SurveyInstrument),
        near=near(SurveyInstrument, instrument_policy, "change"),
    ),
    "impact:survey": PUBLIC,
    "impact:survey_qr": PUBLIC,
    # --- credentials ---------------------------------------------------------------------
    "credentials:verify_form": PUBLIC,
    "credentials:verify": PUBLIC,
    "credentials:issuer": PUBLIC,
    "credentials:badge_class": PUBLIC,
    "credentials:badge_image": PUBLIC,
    "credentials:assertion": PUBLIC,
    "credentials:mine": Rule(get=signed_in, post=None),
    **{
        f"credentials:{name}": Rule(
            get=can(certificate_policy),
            post=None,
            objects=objects(Certificate),
            near=near(Certificate, certificate_policy),
        )
        for name in ("pdf", "badge")
    },
    "credentials:revoke": Rule(
        get=can(certificate_policy, "revoke"),
        post=can(certificate_policy, "revoke"),
        objects=objects(Certificate),
        near=near(Certificate, certificate_policy, "revoke"),
    ),
    "credentials:workshop": Rule(
        get=_workshop_certificates,
        post=_workshop_certificates,
        objects=objects(Workshop),
        near=near(Workshop, W, "change"),
    ),
    # --- referral directory, pathways, phone search, public help page ----------------------
    **{
        f"referrals:{name}": Rule(get=has(service_policy), post=None)
        for name in ("card", "card_pdf", "service_list")
    },
    # The phone's location is POSTed (kept under a token, never in the URL).
    "referrals:search": Rule(get=has(service_policy), post=has(service_policy)),
    "referrals:service_export": Rule(
        get=has(service_policy),
        post=None,
        objects=lambda: Service.objects.none(),
        kwargs=lambda o: {"fmt": "csv"},
    ),
    "referrals:service_reverify": Rule(get=has(service_policy, "change"), post=None),
    **{
        f"referrals:{name}": Rule(get=has(service_policy, "add"), post=has(service_policy, "add"))
        for name in ("service_create", "service_import")
    },
    "referrals:service_detail": Rule(
        get=can(service_policy),
        post=None,
        objects=objects(Service),
        near=visible(service_policy),
    ),
    **{
        f"referrals:service_{name}": Rule(
            get=can(service_policy, action) if served else None,
            post=can(service_policy, action),
            objects=objects(Service),
            near=visible(service_policy, action),
        )
        for name, action, served in (
            ("update", "change", True),
            ("delete", "delete", True),
            ("verified", "change", False),
        )
    },
    "referrals:pathway_list": Rule(get=has(pathway_policy), post=None),
    # Lessons link here; it sends the reader to their own state's pathways.
    "referrals:pathway_mine": Rule(get=has(pathway_policy), post=None),
    "referrals:pathway_create": Rule(
        get=has(pathway_policy, "add"), post=has(pathway_policy, "add")
    ),
    "referrals:pathway_detail": Rule(
        get=can(pathway_policy),
        post=None,
        objects=objects(Pathway),
        near=visible(pathway_policy),
    ),
    **{
        f"referrals:pathway_{name}": Rule(
            get=can(pathway_policy, action),
            post=can(pathway_policy, action),
            objects=objects(Pathway),
            near=visible(pathway_policy, action),
        )
        for name, action in (("update", "change"), ("delete", "delete"))
    },
    # No login, no cookies, by design (issue #11): the anonymous sweep asks them.
    "referrals:help": PUBLIC,
    "referrals:poster": PUBLIC,
    "referrals:service_worker": PUBLIC,  # the offline copies' code: no data
    # --- API tokens and KoboToolbox feeds -------------------------------------------------
    "integrations:tokens": Rule(get=has(api_token_policy), post=has(api_token_policy)),
    "integrations:token_revoke": Rule(
        get=None,
        post=can(api_token_policy, "revoke"),
        objects=objects(ApiToken),
        near=near(ApiToken, api_token_policy, "revoke"),
    ),
    "integrations:kobo_feeds": Rule(
        get=can(instrument_policy, "change"),
        post=can(instrument_policy, "change"),
        objects=objects(SurveyInstrument),
        near=near(SurveyInstrument, instrument_policy, "change"),
    ),
    # --- REST API (/api/v1): the token acts with its user's rights -----------------------
    "api:openapi-json": PUBLIC,
    "api:openapi-view": PUBLIC,
    "api:api-root": PUBLIC,
    # Pushed by KoboToolbox with the feed's secret, not a user's token.
    "api:kobo_submission": PUBLIC,
    "api:programme_list": Rule(get=signed_in, post=None, api=True, listed=visible(P)),
    "api:programme_detail": Rule(
        get=can(P),
        post=None,
        api=True,
        objects=objects(Programme),
        near=near(Programme, P),
        kwargs=lambda p: {"programme_id": p.pk},
    ),
    "api:programme_reach": Rule(
        get=can(P, "view_dashboard"),
        post=None,
        api=True,
        objects=objects(Programme),
        near=near(Programme, P, "view_dashboard"),
        kwargs=lambda p: {"programme_id": p.pk},
    ),
    "api:institution_list": Rule(
        get=signed_in, post=None, api=True, listed=visible(institution_policy)
    ),
    "api:person_list": Rule(get=signed_in, post=None, api=True, listed=visible(person_policy)),
    "api:person_add": Rule(
        get=None,
        post=_api_person_add,
        api=True,
        objects=objects(Institution),
        near=near(Institution, institution_policy),
        kwargs=lambda i: {},
        body=_api_person,
    ),
    "api:person_detail": Rule(
        get=can(person_policy),
        post=None,
        api=True,
        objects=objects(Person),
        near=near(Person, person_policy),
        kwargs=lambda p: {"person_id": p.pk},
    ),
    "api:course_list": Rule(get=signed_in, post=None, api=True, listed=visible(C)),
    "api:workshop_list": Rule(get=signed_in, post=None, api=True, listed=visible(W)),
    "api:workshop_detail": Rule(
        get=can(W),
        post=None,
        api=True,
        objects=objects(Workshop),
        near=near(Workshop, W),
        kwargs=lambda w: {"workshop_id": w.pk},
    ),
    "api:session_list": Rule(get=signed_in, post=None, api=True, listed=_sessions),
    "api:enrolment_list": Rule(get=signed_in, post=None, api=True, listed=_enrolments),
    "api:enrolment_add": Rule(
        get=None,
        post=can(W, "manage_enrolment"),
        api=True,
        objects=objects(Workshop),
        near=near(Workshop, W, "manage_enrolment"),
        kwargs=lambda w: {},
        body=_api_enrol,
    ),
    "api:attendance_list": Rule(get=signed_in, post=None, api=True, listed=_attendance),
    "api:attendance_mark": Rule(
        get=None,
        post=can(W, "take_attendance", via="workshop"),
        api=True,
        objects=objects(Session),
        near=near(Session, W, "take_attendance", "workshop"),
        kwargs=lambda s: {},
        body=_api_attend,
    ),
    "api:certificate_list": Rule(
        get=signed_in, post=None, api=True, listed=visible(certificate_policy)
    ),
    # --- one's own MFA pages (every signed-in user manages their own) -----------------------
    "mfa:setup": OWN,
    "mfa:verify": OWN,
    "mfa:recovery_codes": OWN,
    "mfa:passkeys": OWN,
    "mfa:passkey_register_options": OWN,
    "mfa:passkey_register": OWN,
    "mfa:passkey_options": OWN,
    "mfa:passkey_verify": OWN,
    "mfa:passkey_delete": OWN,
    # --- trainers' roll-outs, coverage, reported figures, saved reports, survey planner -----
    "training:workshop_record": Rule(get=has(W, "record"), post=has(W, "record")),
    "training:validation_queue": Rule(get=has(W, "validate"), post=has(W, "validate")),
    "training:workshop_surveys": Rule(
        get=can(W, "survey_links"),
        post=can(W, "survey_links"),
        objects=objects(Workshop),
        near=near(Workshop, W, "survey_links"),
    ),
    "reporting:indicators_pdf": Rule(get=has(P, "view_dashboard"), post=has(P, "view_dashboard")),
    **{
        f"reporting:{name}": Rule(
            get=can(P, "view_dashboard"),
            post=every(can(P, "view_dashboard"), can(P, "change")),
            objects=objects(Programme),
            near=near(Programme, P, "view_dashboard"),
        )
        for name in ("reported_figures", "results_framework")
    },
    "reporting:coverage": Rule(get=has(coverage_policy), post=None),
    "reporting:headcounts": Rule(
        get=has(coverage_policy, "record"), post=has(coverage_policy, "record")
    ),
    "reporting:refresher": Rule(get=has(coverage_policy, "people"), post=None),
    "reporting:saved_list": Rule(get=has(saved_report_policy), post=has(saved_report_policy)),
    "reporting:saved_open": Rule(
        get=_saved_open,
        post=None,
        objects=objects(SavedReport),
        near=visible(saved_report_policy),
        kwargs=lambda r: {"token": r.token},
    ),
    "reporting:saved_edit": Rule(
        get=can(saved_report_policy, "change"),
        post=can(saved_report_policy, "change"),
        objects=objects(SavedReport),
        near=visible(saved_report_policy, "change"),
        kwargs=lambda r: {"token": r.token},
    ),
    "impact:plan": Rule(get=has(study_policy), post=None),
    # --- online learning: authoring, taking, cohorts, diplomas ---------------------------
    # Class-based views answer 405 to a method they do not serve (get/post None).
    "learning:home": Rule(get=signed_in, post=None),  # learners are sent to their own page
    "learning:mine": Rule(get=signed_in, post=None),
    "learning:my_learning": Rule(get=signed_in, post=None),  # one's own rows only
    **{
        f"learning:{name}": Rule(
            get=can(CC), post=None, objects=objects(Course), near=near(Course, CC)
        )
        for name in ("course", "preview")
    },
    "learning:module_add": Rule(
        get=None,
        post=can(CC, "author"),
        objects=objects(Course),
        near=near(Course, CC, "author"),
    ),
    "learning:copy": Rule(
        get=can(CC, "author"),
        post=can(CC, "author"),
        objects=objects(Course),
        near=near(Course, CC, "author"),
    ),
    "learning:export": Rule(
        get=can(CC, "author"),
        post=None,
        objects=objects(Course),
        near=near(Course, CC, "author"),
    ),
    "learning:import": Rule(get=has(CC, "author"), post=has(CC, "author")),
    **{
        f"learning:{name}": Rule(
            get=can(CC, "author", via="course") if served else None,
            post=can(CC, "author", via="course"),
            objects=objects(CourseModule),
            near=near(CourseModule, CC, "author", "course"),
        )
        for name, served in (
            ("module_edit", True),
            ("module_delete", True),
            ("module_move", False),
            ("module_order", False),
            ("item_add", True),
        )
    },
    **{
        f"learning:{name}": Rule(
            get=can(CC, "author", via="module.course") if served else None,
            post=can(CC, "author", via="module.course"),
            objects=objects(CourseItem),
            near=near(CourseItem, CC, "author", "module__course"),
        )
        for name, served in (
            ("item_edit", True),
            ("item_delete", True),
            ("item_move", False),
            ("resource_add", False),
        )
    },
    "learning:item_preview": Rule(
        get=can(CC, via="module.course"),
        post=None,
        objects=objects(CourseItem),
        near=near(CourseItem, CC, "view", "module__course"),
    ),
    "learning:resource": Rule(
        get=_resource,
        post=None,
        objects=objects(Resource),
        near=lambda u: Resource.objects.filter(item__in=_items_taken(u).values("pk")),
    ),
    "learning:resource_delete": Rule(
        get=None,
        post=can(CC, "author", via="item.module.course"),
        objects=objects(Resource),
        near=near(Resource, CC, "author", "item__module__course"),
    ),
    "learning:take": Rule(get=enrolled(), post=None, objects=objects(Course), near=_courses_taken),
    "learning:item": Rule(
        get=_item_open, post=None, objects=objects(CourseItem), near=_items_taken
    ),
    # Completing a closed lesson is refused with a message on the lesson (a redirect).
    "learning:item_complete": Rule(
        get=None,
        post=enrolled(via="module.course"),
        objects=objects(CourseItem),
        near=_items_taken,
    ),
    "learning:cohort": Rule(
        get=can(W, "manage_enrolment"),
        post=None,
        objects=objects(Workshop),
        near=near(Workshop, W, "manage_enrolment"),
    ),
    "learning:diploma_list": Rule(get=has(diploma_policy), post=None),
    "learning:diploma_add": Rule(
        get=has(diploma_policy, "change"), post=has(diploma_policy, "change")
    ),
    "learning:diploma": Rule(
        get=can(diploma_policy),
        post=None,
        objects=objects(Diploma),
        near=near(Diploma, diploma_policy),
    ),
    "learning:diploma_edit": Rule(
        get=can(diploma_policy, "change"),
        post=can(diploma_policy, "change"),
        objects=objects(Diploma),
        near=near(Diploma, diploma_policy, "change"),
    ),
    "learning:diploma_course_add": Rule(
        get=None,
        post=can(diploma_policy, "change"),
        objects=objects(Diploma),
        near=near(Diploma, diploma_policy, "change"),
    ),
    "learning:diploma_entry": Rule(
        get=None,
        post=can(diploma_policy, "change", via="diploma"),
        objects=objects(DiplomaCourse),
        near=near(DiplomaCourse, diploma_policy, "change", "diploma"),
    ),
    "learning:diploma_award_pdf": Rule(
        get=can(diploma_award_policy),
        post=None,
        objects=objects(DiplomaAward),
        near=visible(diploma_award_policy),
    ),
    "learning:diploma_verify": PUBLIC,  # anyone holding a diploma's code (verify/ prefix)
    # --- messaging: notifications, announcements, messages, lesson comments -----------------
    "messaging:notifications": Rule(get=signed_in, post=None),
    "messaging:notification_read": Rule(
        get=None,
        post=_own_notification,
        objects=objects(Notification),
        near=lambda u: Notification.objects.filter(recipient=u).order_by("pk"),
    ),
    "messaging:notifications_read_all": Rule(get=None, post=signed_in),
    "messaging:preferences": Rule(get=signed_in, post=signed_in),
    "messaging:push_subscribe": Rule(get=None, post=signed_in),  # 404 while push is off
    "messaging:unsubscribe": PUBLIC,  # a signed token from the e-mail, no sign-in
    "messaging:announcements": Rule(get=signed_in, post=None),
    "messaging:announcement": Rule(
        get=can(announcement_policy),
        post=None,
        objects=objects(Announcement),
        near=visible(announcement_policy),
    ),
    "messaging:announcement_delete": Rule(
        get=None,
        post=can(announcement_policy, "delete"),
        objects=objects(Announcement),
        near=visible(announcement_policy, "delete"),
    ),
    "messaging:announce_cohort": Rule(
        get=can(W, "manage_enrolment"),
        post=can(W, "manage_enrolment"),
        objects=objects(Workshop),
        near=near(Workshop, W, "manage_enrolment"),
    ),
    "messaging:announce_course": Rule(
        get=can(CC, "author"),
        post=can(CC, "author"),
        objects=objects(Course),
        near=near(Course, CC, "author"),
    ),
    "messaging:announce_programme": Rule(
        get=can(P, "change"),
        post=can(P, "change"),
        objects=objects(Programme),
        near=near(Programme, P, "change"),
    ),
    "messaging:inbox": Rule(get=signed_in, post=None),
    "messaging:thread_new": Rule(get=None, post=signed_in),  # only to one's own contacts
    "messaging:cohort_thread": Rule(
        get=_cohort_member, post=None, objects=objects(Workshop), near=_cohorts_near
    ),
    "messaging:thread": Rule(
        get=can(thread_policy, "post"),
        post=can(thread_policy, "post"),
        objects=objects(Thread),
        near=visible(thread_policy, "post"),
    ),
    "messaging:message_hide": Rule(
        get=None,
        post=can(message_policy, "moderate"),
        objects=objects(Message),
        near=visible(message_policy, "moderate"),
    ),
    "messaging:comment_post": Rule(
        get=None, post=_item_open, objects=objects(CourseItem), near=_items_taken
    ),
    # The next page of a lesson's comments (htmx; without it, a redirect to the lesson page).
    "messaging:comment_list": Rule(
        get=_item_open, post=None, objects=objects(CourseItem), near=_items_taken
    ),
    **{
        f"messaging:{name}": Rule(
            get=None,
            post=can(comment_policy, action),
            objects=objects(Comment),
            near=visible(comment_policy, action),
        )
        for name, action in (
            ("comment_reply", "reply"),
            ("comment_report", "report"),
            ("comment_moderate", "moderate"),
        )
    },
    "messaging:moderation": Rule(get=_moderates_somewhere, post=None),
    # --- quizzes: question banks, settings, results, taking ------------------------------
    # Function views serve every method the decorators do not refuse: POST as GET.
    **{
        f"quizzes:{name}": Rule(
            get=can(bank_policy, "change"),
            post=can(bank_policy, "change"),
            objects=objects(Course),
            near=near(Course, bank_policy, "change"),
            kwargs=_bank_kwargs(extra),
        )
        for name, extra in (
            ("bank", {}),
            ("question_add", {"qtype": "single"}),
            ("import", {}),
            ("export", {"fmt": "gift"}),
        )
    },
    "quizzes:question_edit": Rule(
        get=can(question_policy, "change"),
        post=can(question_policy, "change"),
        objects=objects(Question),
        near=near(Question, question_policy, "change"),
    ),
    "quizzes:question_delete": Rule(
        get=can(question_policy, "change"),
        post=can(question_policy, "change"),
        objects=objects(Question),
        near=near(Question, question_policy, "change"),
    ),
    "quizzes:category_edit": Rule(
        get=can(category_policy, "change"),
        post=can(category_policy, "change"),
        objects=objects(QuestionCategory),
        near=near(QuestionCategory, category_policy, "change"),
    ),
    "quizzes:settings": Rule(
        get=can(bank_policy, "change", via="module.course"),
        post=can(bank_policy, "change", via="module.course"),
        objects=objects(CourseItem, kind=CourseItem.Kind.QUIZ),
        near=lambda u: near(CourseItem, bank_policy, "change", "module__course")(u).filter(
            kind=CourseItem.Kind.QUIZ
        ),
        kwargs=lambda i: {"item_id": i.pk},
    ),
    "quizzes:results": Rule(
        get=can(quiz_policy, "results"),
        post=can(quiz_policy, "results"),
        objects=objects(Quiz),
        near=near(Quiz, quiz_policy, "results"),
        kwargs=lambda q: {"item_id": q.item_id},
    ),
    "quizzes:quiz": Rule(
        get=can(quiz_policy),
        post=can(quiz_policy),
        objects=objects(Quiz),
        near=visible(quiz_policy),
        kwargs=lambda q: {"item_id": q.item_id},
    ),
    # A refused start (no attempts left, quiz closed) goes back to the quiz page.
    "quizzes:start": Rule(
        get=None,
        post=every(can(quiz_policy, "take"), enrolled(via="item.module.course")),
        objects=objects(Quiz),
        near=visible(quiz_policy, "take"),
        kwargs=lambda q: {"item_id": q.item_id},
    ),
    **{
        f"quizzes:{name}": Rule(
            get=can(attempt_policy, "answer") if served else None,
            post=can(attempt_policy, "answer"),
            objects=objects(Attempt),
            near=visible(attempt_policy, "answer"),
        )
        for name, served in (
            ("attempt", True),
            ("save", False),
            ("submit_confirm", True),
            ("submit", False),
        )
    },
    "quizzes:result": Rule(
        get=can(attempt_policy),
        post=can(attempt_policy),
        objects=objects(Attempt),
        near=visible(attempt_policy),
    ),
    # --- assignments: handing in, setting up, grading, the gradebook ---------------------
    "assignments:detail": Rule(
        get=can(assignment_policy),
        post=can(assignment_policy),
        objects=objects(Assignment),
        near=visible(assignment_policy),
    ),
    "assignments:submit": Rule(
        get=None,
        post=every(can(assignment_policy, "submit"), enrolled(via="item.module.course")),
        objects=objects(Assignment),
        near=visible(assignment_policy, "submit"),
    ),
    "assignments:file": Rule(
        get=can(submission_file_policy),
        post=can(submission_file_policy),
        objects=objects(SubmissionFile),
        near=visible(submission_file_policy),
    ),
    # Setting up assignments and rubrics: the course's authors (as for its content).
    "assignments:setup": Rule(
        get=can(CC, "author", via="module.course"),
        post=can(CC, "author", via="module.course"),
        objects=objects(CourseItem, kind=CourseItem.Kind.ASSIGNMENT),
        near=lambda u: near(CourseItem, CC, "author", "module__course")(u).filter(
            kind=CourseItem.Kind.ASSIGNMENT
        ),
        kwargs=lambda i: {"item_pk": i.pk},
    ),
    **{
        f"assignments:{name}": Rule(
            get=can(CC, "author"),
            post=can(CC, "author"),
            objects=objects(Course),
            near=near(Course, CC, "author"),
            kwargs=lambda c: {"course_pk": c.pk},
        )
        for name in ("rubric_list", "rubric_create")
    },
    "assignments:rubric_edit": Rule(
        get=every(can(CC, "author", via="course"), can(rubric_policy, "change")),
        post=every(can(CC, "author", via="course"), can(rubric_policy, "change")),
        objects=objects(Rubric),
        near=near(Rubric, rubric_policy, "change"),
        kwargs=lambda r: {"course_pk": r.course_id, "pk": r.pk},
        nested=True,
    ),
    "assignments:queue": Rule(
        get=has(submission_policy, "grade"), post=has(submission_policy, "grade")
    ),
    "assignments:grade": Rule(
        get=can(submission_policy, "grade"),
        post=can(submission_policy, "grade"),
        objects=objects(Submission),
        near=visible(submission_policy, "grade"),
    ),
    **{
        f"assignments:{name}": Rule(
            get=check,
            post=check,
            objects=objects(Course),
            near=lambda u: Course.objects.filter(
                pk__in=visible(gradebook_policy)(u).values("course_id")
            ).order_by("pk"),
            kwargs=lambda c: {"course_pk": c.pk},
        )
        for name, check in (
            ("gradebook", gradebook()),
            ("gradebook_export", gradebook()),
            ("weights", every(gradebook(), can(CC, "author"))),
        )
    },
    "assignments:override": Rule(
        get=gradebook("override", via="workshop.course"),
        post=gradebook("override", via="workshop.course"),
        objects=_override_rows,
        near=lambda u: _override_rows().filter(
            workshop__in=visible(gradebook_policy, "override")(u).values("pk")
        ),
        kwargs=_override_kwargs,
        nested=True,
    ),
}

# Pages served by libraries: allauth's sign-in and account pages act on the signed-in user
# only (OWN); Django's admin site lets in nobody but superusers (``is_staff``), checked below.
LIBRARY_MODULES = {"allauth.": "own", "django.contrib.admin": "admin"}
