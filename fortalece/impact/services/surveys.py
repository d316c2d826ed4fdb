"""Survey links and the answers people give through them, on a phone, without an account.

People answer with their own pseudonymous code (``impact/core/pseudonym.py``), so that their
answers before and after training can be linked without storing who they are. Turning the
answers into a study is ``studies.study_from_collected``.
"""

import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from fortalece.impact.models import SurveyInstrument, SurveyLink, SurveyResponse


@transaction.atomic
def link_create(
    *,
    instrument: SurveyInstrument,
    wave: str,
    audience: str,
    workshop: Any,
    by: Any,
    followup_days: int | None = None,
) -> SurveyLink:
    return SurveyLink.objects.create(
        followup_days=followup_days,
        instrument=instrument,
        programme=instrument.programme,
        workshop=workshop,
        wave=wave,
        audience=audience,
        token=secrets.token_urlsafe(16),
        created_by=by,
    )


def response_save(
    *, link: SurveyLink, code: str, answers: dict[str, str]
) -> tuple[SurveyResponse, bool]:
    """Store answers once per code and link; answering twice keeps the first answers."""
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                link=link, code=code, answers=answers, consented_at=timezone.now()
            )
    except IntegrityError:
        return SurveyResponse.objects.get(link=link, code=code), False
    return response, True
