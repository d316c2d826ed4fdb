"""Diplomas: their courses, and awarding them when a person's courses meet the rule."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.credentials.codes import new_code
from fortalece.learning import completion
from fortalece.learning.models import Diploma, DiplomaAward, DiplomaCourse
from fortalece.training.models import Enrolment


@transaction.atomic
def diploma_create(**fields: Any) -> Diploma:
    diploma = Diploma(**fields)
    diploma.full_clean()
    diploma.save()
    return diploma


@transaction.atomic
def diploma_update(*, diploma: Diploma, **fields: Any) -> Diploma:
    if "programme" in fields and fields["programme"].pk != diploma.programme_id:
        if diploma.awards.exists():
            raise ValidationError({"programme": _("This diploma has been awarded.")})
    for name, value in fields.items():
        setattr(diploma, name, value)
    diploma.full_clean()
    diploma.save()
    return diploma


@transaction.atomic
def diploma_course_add(*, diploma: Diploma, course: Any, required: bool = True) -> DiplomaCourse:
    if course.programme_id != diploma.programme_id:
        raise ValidationError(_("A diploma's courses belong to its programme."))
    if DiplomaCourse.objects.filter(diploma=diploma, course=course).exists():
        raise ValidationError(_("This course is already part of the diploma."))
    last = diploma.entries.aggregate(m=Max("position"))["m"]
    return DiplomaCourse.objects.create(
        diploma=diploma, course=course, required=required, position=(last or 0) + 1
    )


@transaction.atomic
def diploma_course_remove(*, entry: DiplomaCourse) -> None:
    entry.delete()


@transaction.atomic
def diploma_course_move(*, entry: DiplomaCourse, offset: int) -> None:
    entries = list(entry.diploma.entries.select_for_update().order_by("position", "id"))
    index = next(i for i, e in enumerate(entries) if e.pk == entry.pk)
    target = index + offset
    if 0 <= target < len(entries):
        entries[index], entries[target] = entries[target], entries[index]
    for position, e in enumerate(entries, start=1):
        if e.position != position:
            e.position = position
            e.save(update_fields=["position"])


def _new_unique_code() -> str:

    for _attempt in range(5):
        code = new_code()
        if not DiplomaAward.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not draw an unused certificate code")  # 2^60 codes: never


@transaction.atomic
def diplomas_check_for_person(*, person: Any, course_id: int, by: Any = None) -> list[DiplomaAward]:
    """Award every diploma containing ``course_id`` whose rule the person's completed courses
    now meet. Idempotent: an awarded diploma is never awarded twice."""
    diplomas = list(
        Diploma.objects.filter(entries__course_id=course_id)
        .exclude(awards__person=person)
        .prefetch_related("entries")
        .distinct()
    )
    if not diplomas:
        return []
    completed = set(
        Enrolment.objects.filter(person=person, status=Enrolment.Status.COMPLETED).values_list(
            "workshop__course_id", flat=True
        )
    )
    awarded = []
    for diploma in diplomas:
        entries = [(e.course_id, e.required) for e in diploma.entries.all()]
        if not completion.diploma_complete(
            rule=diploma.completion_rule,
            entries=entries,
            completed_courses=completed,
            courses_needed=diploma.courses_needed,
        ):
            continue
        award = DiplomaAward(
            diploma=diploma,
            person=person,
            code=_new_unique_code(),
            holder_name=person.full_name,
            diploma_title=diploma.title,
            hours=diploma.hours,
            completed_on=timezone.localdate(),
            issued_on=timezone.localdate(),
            issued_by=by,
        )
        try:
            with transaction.atomic():
                award.save()
        except IntegrityError:
            continue  # awarded at the same moment by another request
        awarded.append(award)
    return awarded
