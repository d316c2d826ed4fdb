"""What makes every page of the demo show something: certificates (one with a fixed code the
README gives to try), an accreditation rule with accredited trainers, and survey links.

Runs after the programmes and accounts exist; safe to run twice.
"""

import datetime
from typing import Any

from django.utils import timezone

from fortalece.accounts.models import User
from fortalece.cascade.models import AccreditationRule
from fortalece.cascade.services import (
    accreditation_grant,
    accreditation_rule_create,
    trainer_assessment_record,
)
from fortalece.credentials.codes import with_check
from fortalece.credentials.models import Certificate
from fortalece.credentials.services import certificate_revoke, certificates_issue_for_workshop
from fortalece.impact.models import SurveyInstrument, SurveyLink
from fortalece.impact.services.surveys import link_create
from fortalece.people.models import Person
from fortalece.programmes.models import Programme
from fortalece.training.models import Course, Enrolment, Workshop
from fortalece.training.services import (
    attendance_bulk_record,
    enrolments_bulk_create,
    workshop_record,
)

# The README's "try verifying this certificate" code: the demo learner's first certificate.
DEMO_CODE_BODY = "FRTA2026DEM0"
DEMO_CERTIFICATE_CODE = with_check(DEMO_CODE_BODY)


def run(say: Any = print) -> None:
    admin = User.objects.filter(email="admin@demo.fortalece.org").first()
    certificates(admin, say)
    accreditation(admin, say)
    survey_links(admin, say)
    rollout(say)


def certificates(admin: Any, say: Any) -> None:
    if Certificate.objects.exists():
        return
    learner = Person.objects.filter(user__email="learner@demo.fortalece.org").first()
    workshops = Workshop.objects.filter(
        enrolments__status=Enrolment.Status.COMPLETED, end_date__lt=datetime.date(2026, 1, 1)
    ).filter(subdivision__code="MX-MIC") | Workshop.objects.filter(enrolments__person=learner)
    issued = 0
    for workshop in workshops.distinct().order_by("start_date"):
        issued += certificates_issue_for_workshop(workshop=workshop, by=admin)
    mine = (
        Certificate.objects.filter(enrolment__person=learner).order_by("completed_on").first()
        if learner
        else None
    )
    if mine is not None:
        Certificate.objects.filter(pk=mine.pk).update(code=DEMO_CERTIFICATE_CODE)
    other = Certificate.objects.exclude(enrolment__person=learner).order_by("pk").first()
    if other is not None:
        certificate_revoke(
            certificate=other,
            by=admin,
            reason="Issued by mistake: the participant missed the last session (demo).",
        )
    say(f"  certificates: {issued} issued (verify {DEMO_CERTIFICATE_CODE}), one revoked")


def accreditation(admin: Any, say: Any) -> None:
    programme = Programme.objects.filter(code="mx-vulnerable-groups").first()
    if programme is None or AccreditationRule.objects.filter(programme=programme).exists():
        return
    course = Course.objects.get(programme=programme, title__startswith="Primera respuesta")
    ttt = Course.objects.get(programme=programme, is_train_the_trainer=True)
    rule = accreditation_rule_create(
        programme=programme,
        course=course,
        ttt_course=ttt,
        requires_assessment=True,
        min_cofacilitations=1,
        validity_months=36,
    )
    graduates = Person.objects.filter(
        enrolments__workshop__course=ttt, enrolments__status=Enrolment.Status.COMPLETED
    ).distinct()
    granted = 0
    for index, person in enumerate(graduates.order_by("pk")):
        passed = index % 5 != 4  # a few failed the assessment: they are listed as "close"
        trainer_assessment_record(
            rule=rule,
            person=person,
            passed=passed,
            assessed_on=datetime.date(2021, 6, 1),
            by=admin,
            score=88 if passed else 61,
        )
        taught = Workshop.objects.filter(trainers=person, course=course).exists()
        if passed and taught:
            accreditation_grant(
                rule=rule,
                person=person,
                by=admin,
                reason="Passed the assessment and co-facilitated a workshop (demo).",
                granted_on=datetime.date(2024, 2, 1),
            )
            granted += 1
    say(f"  accreditation: rule for '{course.title}', {granted} trainers accredited")


def survey_links(admin: Any, say: Any) -> None:
    instrument = SurveyInstrument.objects.filter(programme__code="mx-vulnerable-groups").first()
    if instrument is None or SurveyLink.objects.exists():
        return
    upcoming = (
        Workshop.objects.filter(programme=instrument.programme, start_date__gt=timezone.localdate())
        .order_by("start_date")
        .first()
    )
    for wave in (SurveyLink.Wave.PRE, SurveyLink.Wave.POST):
        link_create(
            instrument=instrument,
            wave=wave,
            audience=SurveyLink.Audience.TRAINED,
            workshop=upcoming,
            by=admin,
            # Kirkpatrick level 3: the scheduler sends a follow-up 90 days after it ends.
            followup_days=90 if wave == SurveyLink.Wave.POST and upcoming else None,
        )
    link_create(
        instrument=instrument,
        wave=SurveyLink.Wave.POST,
        audience=SurveyLink.Audience.COMPARISON,
        workshop=None,
        by=admin,
    )
    say(
        "  survey links: before/after for the next Morelia workshop (follow-up 90 days after),"
        " one comparison link"
    )


def rollout(say: Any) -> None:
    """The demo trainer recorded a roll-out workshop she gave in Michoacán (seeds 003/004:
    trained trainers deliver the course themselves): attendance taken, waiting for the
    manager's validation before it counts in reach, with a before and an after survey link."""

    trainer_user = User.objects.filter(email="trainer@demo.fortalece.org").first()
    trainer = Person.objects.filter(user=trainer_user).first() if trainer_user else None
    if trainer is None or Workshop.objects.filter(recorded_by=trainer_user).exists():
        return
    programme = Programme.objects.get(code="mx-vulnerable-groups")
    course = (
        Course.objects.filter(programme=programme, is_train_the_trainer=False)
        .order_by("pk")
        .first()
    )
    if course is None:
        return
    michoacan = programme.workshops.filter(subdivision__code="MX-MIC").first()
    if michoacan is None:
        return
    start = timezone.localdate() - datetime.timedelta(days=9)
    workshop = workshop_record(
        by=trainer_user,
        trainer=trainer,
        course=course,
        title="Réplica en Uruapan",
        start_date=start,
        end_date=start + datetime.timedelta(days=1),
        country=michoacan.country,
        subdivision=michoacan.subdivision,
        municipality=None,
        venue="Uruapan",
        capacity=None,
    )
    people = list(
        Person.objects.filter(institution__subdivision__code="MX-MIC", user__isnull=True)
        .exclude(enrolments__workshop__course=course)
        .order_by("pk")
        .values_list("pk", flat=True)[:14]
    )
    enrolments_bulk_create(
        workshop=workshop, person_ids=people, status=Enrolment.Status.ENROLLED, by=trainer_user
    )
    enrolment_ids = list(workshop.enrolments.order_by("pk").values_list("pk", flat=True))
    for session in workshop.sessions.all():
        attendance_bulk_record(
            session=session,
            present_enrolment_ids=enrolment_ids[:-1],
            absent_enrolment_ids=enrolment_ids[-1:],
            by=trainer_user,
        )
    instrument = SurveyInstrument.objects.filter(programme=programme).first()
    if instrument is not None:
        for wave in (SurveyLink.Wave.PRE, SurveyLink.Wave.POST):
            link_create(
                instrument=instrument,
                wave=wave,
                audience=SurveyLink.Audience.TRAINED,
                workshop=workshop,
                by=trainer_user,
            )
    say(f"  roll-out: {workshop.title} recorded by the trainer, waiting for validation")
