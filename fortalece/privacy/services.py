"""Subject access (a person's data, JSON and PDF), erasure (anonymisation), and the deletion and
merging of person records.

Deleting and merging rewrite the rows of every app that holds a person (enrolments, attendance,
trainer roles, reach, accreditations, awards), so they live here, above those apps, and not in
``people`` (docs/architecture.md, layers)."""

from __future__ import annotations

import io
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.accounts.models import User
from fortalece.cascade.models import Accreditation, Award
from fortalece.core.audit import history_actor
from fortalece.credentials.models import Certificate
from fortalece.people.models import Person, PersonMerge
from fortalece.people.services import PERSON_FIELDS, person_normalise
from fortalece.privacy.models import AttendanceEvent, EnrolmentEvent, PersonEvent
from fortalece.training.models import Attendance, Enrolment, ProgrammeReach, WorkshopTrainer
from fortalece.training.services import enrolment_recompute
from fortalece.training.services.reach import reach_refresh_people

ERASED = "—"
# Every field of a person can be taken from either record when two are merged.
MERGEABLE = PERSON_FIELDS


def _value(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def person_history(person: Person) -> list[dict[str, Any]]:
    """The person's own and their enrolments' and attendance's history, newest first, with the
    fields each change touched."""

    rows: list[dict[str, Any]] = []
    enrolment_ids = list(person.enrolments.values_list("pk", flat=True)) + list(
        EnrolmentEvent.objects.filter(person_id=person.pk).values_list("pgh_obj_id", flat=True)
    )
    sources = [
        (_("Person"), PersonEvent.objects.filter(pgh_obj_id=person.pk)),
        (_("Enrolment"), EnrolmentEvent.objects.filter(person_id=person.pk)),
        (_("Attendance"), AttendanceEvent.objects.filter(enrolment_id__in=enrolment_ids)),
    ]
    for label, queryset in sources:
        previous: dict[Any, dict[str, Any]] = {}
        skip = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context", "id"}
        names = [f.attname for f in queryset.model._meta.concrete_fields if f.name not in skip]
        for event in queryset.select_related("pgh_context").order_by("pgh_id"):
            snapshot = {n: getattr(event, n) for n in names}
            before = previous.get(event.pgh_obj_id)
            changed = (
                sorted(n for n in names if before is None or before[n] != snapshot[n])
                if event.pgh_label != "delete"
                else []
            )
            previous[event.pgh_obj_id] = snapshot
            metadata = event.pgh_context.metadata if event.pgh_context else {}
            rows.append(
                {
                    "at": event.pgh_created_at,
                    "what": label,
                    "object_id": event.pgh_obj_id,
                    "event": event.pgh_label,
                    "changed": changed,
                    "user_id": metadata.get("user"),
                    "path": metadata.get("path", ""),
                }
            )
    users = dict(
        User.objects.filter(pk__in={r["user_id"] for r in rows if r["user_id"]}).values_list(
            "pk", "email"
        )
    )
    for row in rows:
        row["who"] = users.get(row["user_id"], "")
    rows.sort(key=lambda r: r["at"], reverse=True)
    return rows


def person_data(person: Person) -> dict[str, Any]:
    """Everything Fortalece holds about one person (subject access, UN principles)."""
    person_fields = [
        f.attname
        for f in Person._meta.concrete_fields
        if f.attname not in ("search_name", "family_key")
    ]
    enrolments = [
        {
            "workshop": str(e.workshop),
            "status": e.status,
            "attendance": [
                {"session": str(a.session.date), "present": a.present}
                for a in e.attendance.select_related("session").order_by("session__date")
            ],
        }
        for e in person.enrolments.select_related("workshop").order_by("pk")
    ]
    data: dict[str, Any] = {
        "generated_at": timezone.now().isoformat(),
        "person": {n: _value(getattr(person, n)) for n in person_fields},
        "institution": str(person.institution),
        "enrolments": enrolments,
        "certificates": [],
        "history": [
            {**{k: _value(v) for k, v in row.items() if k != "user_id"}}
            for row in (person_history(person) if connection.vendor == "postgresql" else [])
        ],
    }

    for c in Certificate.objects.filter(enrolment__person=person).order_by("pk"):
        data["certificates"].append(
            {"code": c.display_code, "holder_name": c.holder_name, "revoked": c.is_revoked}
        )
    return data


def person_data_pdf(person: Person) -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    data = person_data(person)
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer, pagesize=A4)
    c.setTitle(_("Personal data held by Fortalece"))
    width, height = A4
    y = height - 20 * mm

    def line(text: str, size: int = 10, bold: bool = False) -> None:
        nonlocal y
        if y < 20 * mm:
            c.showPage()
            y = height - 20 * mm
        c.setFont("Helvetica-Bold" if bold else "Helvetica", size)
        c.drawString(20 * mm, y, text[:110])
        y -= size * 1.6

    line(_("Personal data held by Fortalece"), 16, True)
    line(_("Generated at %(at)s") % {"at": data["generated_at"]})
    line(_("Person"), 12, True)
    for key, value in data["person"].items():
        line(f"{key}: {value}")
    line(f"institution: {data['institution']}")
    line(_("Enrolments"), 12, True)
    for e in data["enrolments"]:
        line(f"{e['workshop']} · {e['status']}")
        for a in e["attendance"]:
            line(f"    {a['session']}: {'✓' if a['present'] else '✗'}")
    line(_("Certificates"), 12, True)
    for cert in data["certificates"]:
        line(f"{cert['code']} · {cert['holder_name']}")
    line(_("History"), 12, True)
    for row in data["history"]:
        line(f"{row['at']} {row['what']} {row['event']} {', '.join(row['changed'])} {row['who']}")
    c.save()
    return buffer.getvalue()


@transaction.atomic
def person_erase(*, person: Person) -> Person:
    """Anonymise a person: names and contact details go, from the record, certificates and the
    history; sex, profession, institution and enrolments stay, so every aggregate figure (people
    reached by sex, profession, state and month) is unchanged."""
    Person.objects.filter(pk=person.pk).update(
        given_names=ERASED,
        family_names=f"#{person.pk}",
        email="",
        phone="",
        rank="",
        user=None,
        search_name="",
        family_key="",
    )

    Certificate.objects.filter(enrolment__person_id=person.pk).update(holder_name=ERASED)
    if connection.vendor == "postgresql":
        import pgtrigger

        # The history is append-only for everyone else; erasure lifts that for its own rows.
        with pgtrigger.ignore("privacy.PersonEvent:append_only"):
            PersonEvent.objects.filter(pgh_obj_id=person.pk).exclude(given_names=ERASED).delete()
    person.refresh_from_db()
    return person


@transaction.atomic
def person_delete(*, person: Person, by: Any) -> None:
    """Delete a person and their reach rows; their enrolments and attendance go with them."""
    if WorkshopTrainer.objects.filter(person=person).exists():
        raise ValidationError(
            _("This person is recorded as a trainer of workshops. Remove them as trainer first.")
        )
    with history_actor(by):
        ProgrammeReach.objects.filter(person=person).delete()
        person.delete()


@transaction.atomic
def person_merge(
    *, keep: Person, duplicate: Person, by: Any, field_choices: dict[str, str] | None = None
) -> PersonMerge:
    """Merge ``duplicate`` into ``keep``: all enrolments, attendance and trainer roles move.

    ``field_choices`` maps a field to "keep" or "duplicate" (whose value survives).
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("A person cannot be merged with themself."))
    keep = Person.objects.select_for_update().get(pk=keep.pk)
    duplicate = Person.objects.select_for_update().get(pk=duplicate.pk)
    if keep.user_id and duplicate.user_id:
        raise ValidationError(
            _("Both records have a user account. Deactivate one account before merging.")
        )
    for name, source in (field_choices or {}).items():
        if name in MERGEABLE and source == "duplicate":
            setattr(keep, name, getattr(duplicate, name))
    if duplicate.user_id and not keep.user_id:
        keep.user_id = duplicate.user_id
        duplicate.user = None
        duplicate.save(update_fields=["user"])

    moved = 0
    rank = {
        s: i for i, s in enumerate(["dropped", "nominated", "enrolled", "attended", "completed"])
    }
    for enrolment in Enrolment.objects.filter(person=duplicate).select_related("workshop"):
        twin = Enrolment.objects.filter(person=keep, workshop=enrolment.workshop).first()
        if twin is None:
            enrolment.person = keep
            enrolment.save(update_fields=["person", "updated_at"])
        else:
            for row in Attendance.objects.filter(enrolment=enrolment):
                existing = Attendance.objects.filter(enrolment=twin, session=row.session).first()
                if existing is None:
                    row.enrolment = twin
                    row.save(update_fields=["enrolment"])
                elif row.present and not existing.present:
                    existing.present = True
                    existing.save(update_fields=["present"])
            if rank[enrolment.status] > rank[twin.status]:
                twin.status = enrolment.status
                twin.completed_on = enrolment.completed_on or twin.completed_on
                twin.save(update_fields=["status", "completed_on", "updated_at"])
            enrolment.delete()
            enrolment_recompute(enrolments=Enrolment.objects.filter(pk=twin.pk))
        moved += 1
    for role in WorkshopTrainer.objects.filter(person=duplicate):
        if WorkshopTrainer.objects.filter(person=keep, workshop=role.workshop).exists():
            role.delete()
        else:
            role.person = keep
            role.save(update_fields=["person"])
    Award.objects.filter(person=duplicate).update(person=keep)
    for accreditation in Accreditation.objects.filter(person=duplicate):
        if Accreditation.objects.filter(person=keep, rule=accreditation.rule).exists():
            accreditation.delete()
        else:
            accreditation.person = keep
            accreditation.save(update_fields=["person"])
    merge = PersonMerge.objects.create(
        kept=keep,
        merged_person_id=duplicate.pk,
        merged_name=duplicate.full_name,
        moved_enrolments=moved,
        merged_by=by,
    )
    ProgrammeReach.objects.filter(person=duplicate).delete()
    duplicate.delete()
    person_normalise(keep)
    keep.save()
    reach_refresh_people(person_ids=[keep.pk])
    return merge
