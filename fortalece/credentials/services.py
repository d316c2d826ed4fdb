from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fortalece.credentials.codes import new_code
from fortalece.credentials.models import Certificate
from fortalece.training.models import Enrolment


def _new_unique_code() -> str:
    for _attempt in range(5):
        code = new_code()
        if not Certificate.objects.filter(code=code).exists():
            return code
    raise RuntimeError("Could not draw an unused certificate code")  # 2^60 codes: never


@transaction.atomic
def certificate_issue(*, enrolment: Any, by: Any, language: str = "es") -> Certificate:
    """Issue the certificate of a completed enrolment; issuing twice returns the first one."""

    existing = Certificate.objects.filter(enrolment=enrolment).first()
    if existing:
        return existing
    if enrolment.status != Enrolment.Status.COMPLETED:
        raise ValidationError(_("Only a completed enrolment earns a certificate."))
    workshop = enrolment.workshop
    certificate = Certificate(
        enrolment=enrolment,
        code=_new_unique_code(),
        language=language,
        holder_name=enrolment.person.full_name,
        course_title=workshop.course.title,
        completed_on=enrolment.completed_on or workshop.end_date,
        issued_on=timezone.localdate(),
        issued_by=by,
    )
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError:
        # A second request issued it at the same moment: return that one.
        return Certificate.objects.get(enrolment=enrolment)
    return certificate


@transaction.atomic
def certificates_issue_for_workshop(*, workshop: Any, by: Any, language: str = "es") -> int:
    """Issue certificates to every completed participant who has none yet; returns how many."""

    pending = (
        Enrolment.objects.filter(workshop=workshop, status=Enrolment.Status.COMPLETED)
        .filter(certificate__isnull=True)
        .select_related("person", "workshop__course")
    )
    issued = 0
    for enrolment in pending.iterator(chunk_size=500):
        certificate_issue(enrolment=enrolment, by=by, language=language)
        issued += 1
    return issued


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: Any, reason: str) -> Certificate:
    if certificate.is_revoked:
        raise ValidationError(_("This certificate is already revoked."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the certificate is revoked.")})
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason.strip()
    certificate.revoked_by = by
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    return certificate
