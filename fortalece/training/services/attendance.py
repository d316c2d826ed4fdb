from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.training.models import Attendance, Enrolment, Session
from fortalece.training.services.enrolments import enrolment_recompute


@transaction.atomic
def attendance_bulk_record(
    *,
    session: Session,
    present_enrolment_ids: Iterable[int],
    absent_enrolment_ids: Iterable[int],
    by: Any,
) -> int:
    """Mark people present or absent in one session; returns how many marks were written."""
    # One writer per session at a time: a double tap or a second phone would otherwise both
    # read "no mark yet" and both insert, and the second would fail on attendance_unique.
    Session.objects.select_for_update().filter(pk=session.pk).values_list("pk").first()
    present = set(present_enrolment_ids)
    absent = set(absent_enrolment_ids) - present
    ids = present | absent
    valid = set(
        Enrolment.objects.filter(workshop_id=session.workshop_id, pk__in=ids)
        .exclude(status__in=[Enrolment.Status.DROPPED, Enrolment.Status.NOMINATED])
        .values_list("pk", flat=True)
    )
    if ids - valid:
        raise ValidationError(_("Some people are not enrolled in this workshop."))
    existing = {
        a.enrolment_id: a for a in Attendance.objects.filter(session=session, enrolment_id__in=ids)
    }
    new, changed = [], []
    now = timezone.now()
    for enrolment_id in ids:
        value = enrolment_id in present
        row = existing.get(enrolment_id)
        if row is None:
            new.append(
                Attendance(
                    session=session, enrolment_id=enrolment_id, present=value, recorded_by=by
                )
            )
        elif row.present != value:
            row.present = value
            row.recorded_by = by
            row.recorded_at = now  # bulk_update skips auto_now
            changed.append(row)
    Attendance.objects.bulk_create(new, batch_size=1000)
    Attendance.objects.bulk_update(
        changed, ["present", "recorded_by", "recorded_at"], batch_size=1000
    )
    enrolment_recompute(enrolments=Enrolment.objects.filter(pk__in=ids))
    return len(new) + len(changed)


def attendance_record(*, session: Session, enrolment: Enrolment, present: bool, by: Any) -> None:
    attendance_bulk_record(
        session=session,
        present_enrolment_ids=[enrolment.pk] if present else [],
        absent_enrolment_ids=[] if present else [enrolment.pk],
        by=by,
    )
