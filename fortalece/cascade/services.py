import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.cascade.core.accreditation import add_months
from fortalece.cascade.models import (
    Accreditation,
    AccreditationEvent,
    AccreditationRule,
    Award,
    TrainerAssessment,
)


@transaction.atomic
def accreditation_rule_create(**fields: Any) -> AccreditationRule:
    rule = AccreditationRule(**fields)
    if (
        rule.course.programme_id != rule.programme_id
        or rule.ttt_course.programme_id != rule.programme_id
    ):
        raise ValidationError(_("Both courses must belong to the programme."))
    if not rule.ttt_course.is_train_the_trainer:
        raise ValidationError(
            {"ttt_course": _("Choose a course marked as a train-the-trainer course.")}
        )
    rule.full_clean()
    rule.save()
    return rule


@transaction.atomic
def trainer_assessment_record(
    *,
    rule: AccreditationRule,
    person: Any,
    passed: bool,
    assessed_on: datetime.date,
    by: Any,
    score: Any = None,
    notes: str = "",
) -> TrainerAssessment:
    return TrainerAssessment.objects.create(
        rule=rule,
        person=person,
        passed=passed,
        score=score,
        assessed_on=assessed_on,
        notes=notes,
        recorded_by=by,
    )


@transaction.atomic
def accreditation_grant(
    *,
    rule: AccreditationRule,
    person: Any,
    by: Any,
    reason: str,
    granted_on: datetime.date | None = None,
) -> Accreditation:
    """Grant (or renew) an accreditation; the reason is kept in the history."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the accreditation is granted.")})
    granted_on = granted_on or timezone.localdate()
    expires_on = add_months(granted_on, rule.validity_months) if rule.validity_months else None
    accreditation, created = Accreditation.objects.select_for_update().get_or_create(
        rule=rule,
        person=person,
        defaults={
            "status": Accreditation.Status.ACTIVE,
            "granted_on": granted_on,
            "expires_on": expires_on,
        },
    )
    if not created:
        accreditation.status = Accreditation.Status.ACTIVE
        accreditation.granted_on = granted_on
        accreditation.expires_on = expires_on
        accreditation.save(update_fields=["status", "granted_on", "expires_on", "updated_at"])
    AccreditationEvent.objects.create(
        accreditation=accreditation,
        action=AccreditationEvent.Action.GRANTED if created else AccreditationEvent.Action.RENEWED,
        reason=reason.strip(),
        by=by,
    )
    return accreditation


@transaction.atomic
def accreditation_withdraw(*, accreditation: Accreditation, by: Any, reason: str) -> Accreditation:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the accreditation is withdrawn.")})
    if accreditation.status == Accreditation.Status.WITHDRAWN:
        raise ValidationError(_("This accreditation is already withdrawn."))
    accreditation.status = Accreditation.Status.WITHDRAWN
    accreditation.save(update_fields=["status", "updated_at"])
    AccreditationEvent.objects.create(
        accreditation=accreditation,
        action=AccreditationEvent.Action.WITHDRAWN,
        reason=reason.strip(),
        by=by,
    )
    return accreditation


@transaction.atomic
def award_create(*, person: Any, by: Any, **fields: Any) -> Award:
    award = Award(person=person, recorded_by=by, **fields)
    award.full_clean()
    award.save()
    return award


@transaction.atomic
def award_delete(*, award: Award) -> None:
    award.delete()
