import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fortalece.training.models import Session, Workshop, WorkshopTrainer
from fortalece.training.services.enrolments import enrolment_recompute
from fortalece.training.services.reach import reach_refresh

MAX_GENERATED_SESSIONS = 60


@transaction.atomic
def workshop_create(*, generate_sessions: bool = False, **fields: Any) -> Workshop:
    workshop = Workshop(**fields)
    workshop.programme_id = workshop.course.programme_id
    workshop.full_clean()
    workshop.save()
    if generate_sessions:
        days = (workshop.end_date - workshop.start_date).days + 1
        if days > MAX_GENERATED_SESSIONS:
            raise ValidationError(
                _("More than %(n)s days: add the sessions one by one.")
                % {"n": MAX_GENERATED_SESSIONS}
            )
        Session.objects.bulk_create(
            Session(workshop=workshop, date=workshop.start_date + datetime.timedelta(days=i))
            for i in range(days)
        )
    return workshop


@transaction.atomic
def workshop_record(
    *, by: Any, trainer: Any, generate_sessions: bool = True, **fields: Any
) -> Workshop:
    """A trainer records a workshop they gave (a roll-out of a course they were trained to
    teach): they are its lead trainer, and it waits for a programme manager's validation
    before its participants count in reach."""
    workshop = workshop_create(generate_sessions=generate_sessions, **fields)
    workshop.validation = Workshop.Validation.PENDING
    workshop.recorded_by = by
    workshop.save(update_fields=["validation", "recorded_by", "updated_at"])
    WorkshopTrainer.objects.create(
        workshop=workshop, person=trainer, role=WorkshopTrainer.TrainerRole.LEAD
    )
    return workshop


@transaction.atomic
def workshop_validate(*, workshop: Workshop, by: Any) -> Workshop:
    """A manager accepts a recorded workshop: its participants now count in reach."""
    return _set_validation(workshop, by, Workshop.Validation.VALIDATED, "")


@transaction.atomic
def workshop_reject(*, workshop: Workshop, by: Any, reason: str) -> Workshop:
    """A manager refuses a recorded workshop, saying why; it leaves reach (if it was in)."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the workshop is rejected.")})
    return _set_validation(workshop, by, Workshop.Validation.REJECTED, reason)


def _set_validation(workshop: Workshop, by: Any, state: str, reason: str) -> Workshop:
    from django.utils import timezone

    workshop = Workshop.objects.select_for_update().get(pk=workshop.pk)
    workshop.validation = state
    workshop.rejection_reason = reason
    workshop.validated_by = by
    workshop.validated_at = timezone.now()
    workshop.save(
        update_fields=[
            "validation",
            "rejection_reason",
            "validated_by",
            "validated_at",
            "updated_at",
        ]
    )
    person_ids = list(workshop.enrolments.values_list("person_id", flat=True))
    reach_refresh(programme_id=workshop.programme_id, person_ids=person_ids)
    return workshop


@transaction.atomic
def workshop_update(*, workshop: Workshop, **fields: Any) -> Workshop:
    old_programme_id = workshop.programme_id
    for name, value in fields.items():
        setattr(workshop, name, value)
    workshop.programme_id = workshop.course.programme_id
    workshop.full_clean()
    workshop.save()
    # Dates feed "first reached on"; a new course may move the workshop to another programme.
    person_ids = list(workshop.enrolments.values_list("person_id", flat=True))
    reach_refresh(programme_id=workshop.programme_id, person_ids=person_ids)
    if old_programme_id != workshop.programme_id:
        reach_refresh(programme_id=old_programme_id, person_ids=person_ids)
        _recompute_workshop(workshop)  # the new course may have another threshold
    return workshop


@transaction.atomic
def workshop_delete(*, workshop: Workshop) -> None:
    person_ids = list(workshop.enrolments.values_list("person_id", flat=True))
    programme_id = workshop.programme_id
    if (
        hasattr(workshop, "enrolments")
        and workshop.enrolments.filter(certificate__isnull=False).exists()
    ):
        raise ValidationError(
            _("Certificates were issued for this workshop: it cannot be deleted.")
        )
    workshop.delete()
    reach_refresh(programme_id=programme_id, person_ids=person_ids)


@transaction.atomic
def session_create(*, workshop: Workshop, **fields: Any) -> Session:
    session = Session(workshop=workshop, **fields)
    session.full_clean()
    _check_slot(session)
    session.save()
    _recompute_workshop(workshop)
    return session


def _check_slot(session: Session) -> None:
    """Two sessions on one day need start times to tell them apart (the database only
    compares slots whose time is set)."""
    if session.start_time is None:
        clash = Session.objects.filter(
            workshop_id=session.workshop_id, date=session.date, start_time__isnull=True
        ).exclude(pk=session.pk)
        if clash.exists():
            raise ValidationError(
                {"start_time": _("There is already a session that day: give each a start time.")}
            )


@transaction.atomic
def session_update(*, session: Session, **fields: Any) -> Session:
    """Move or rename a session; its attendance stays with it."""
    for name, value in fields.items():
        setattr(session, name, value)
    session.full_clean()
    _check_slot(session)
    session.save()
    return session


@transaction.atomic
def session_delete(*, session: Session) -> None:
    workshop = session.workshop
    session.delete()
    _recompute_workshop(workshop)


def _recompute_workshop(workshop: Workshop) -> None:
    enrolment_recompute(enrolments=workshop.enrolments.all())


@transaction.atomic
def trainer_add(*, workshop: Workshop, person: Any, role: str) -> WorkshopTrainer:
    trainer, created = WorkshopTrainer.objects.get_or_create(
        workshop=workshop, person=person, defaults={"role": role}
    )
    if not created and trainer.role != role:
        trainer.role = role
        trainer.save(update_fields=["role"])
    return trainer


@transaction.atomic
def trainer_remove(*, workshop: Workshop, person_id: int) -> None:
    WorkshopTrainer.objects.filter(workshop=workshop, person_id=person_id).delete()
