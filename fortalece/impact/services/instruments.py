"""Instruments: an uploaded XLSForm, or one built in the browser (a blank instrument, then
indices and questions).

Every change rewrites the stored XLSForm from the definition, so the form can be downloaded and
deployed in KoboToolbox or ODK at any moment.
"""

from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from fortalece.impact.core.instrument import (
    Instrument,
    InstrumentError,
    instrument_from_json,
    instrument_to_json,
    with_index,
    with_question,
)
from fortalece.impact.core.messages import Message, gettext_noop
from fortalece.impact.core.xlsform import XLSFormError, read_xlsform, write_xlsform
from fortalece.impact.models import SurveyInstrument
from fortalece.impact.texts import translate

# A form with the same title and version as one that studies or survey links already use
# would silently change what their answers mean: refused, with the way out.
VERSION_IN_USE = gettext_noop(
    "“%(title)s” version %(version)s is already in this programme, and studies or survey "
    "links use it. Change the version in the form's settings sheet (for example to "
    "%(version)s.1) to upload it as a new version; the one in use stays as it is."
)


@transaction.atomic
def instrument_upload(*, programme: Any, name: str, content: bytes, by: Any) -> SurveyInstrument:
    """Parse and check an XLSForm (raises XLSFormError with sheet/row), then store it.

    A form with the title and version of an instrument of the programme replaces it only while
    no study or survey link uses that instrument."""
    parsed = read_xlsform(content)
    title, version = parsed.instrument.title[:200], parsed.instrument.version[:40]
    existing = (
        SurveyInstrument.objects.select_for_update()
        .filter(programme=programme, title=title, version=version)
        .first()
    )
    if existing is not None and (existing.studies.exists() or existing.links.exists()):
        raise XLSFormError(Message(VERSION_IN_USE, {"title": title, "version": version}))
    instrument, _ = SurveyInstrument.objects.update_or_create(
        programme=programme,
        title=title,
        version=version,
        defaults={
            "definition": instrument_to_json(parsed.instrument),
            "warnings": parsed.warnings,
            "created_by": by,
        },
    )
    instrument.xlsform.save(name, ContentFile(content), save=True)
    return instrument


def _save(instrument: SurveyInstrument, definition: Any) -> list[str]:
    instrument.definition = instrument_to_json(definition)
    instrument.save(update_fields=["definition"])
    instrument.xlsform.save(
        f"instrument-{instrument.pk}.xlsx", ContentFile(write_xlsform(definition)), save=True
    )
    try:
        definition.validate()
    except InstrumentError as error:
        return [translate(error.message)]
    return []


@transaction.atomic
def instrument_blank(*, programme: Any, title: str, version: str, by: Any) -> SurveyInstrument:
    blank = Instrument(title=title, version=version)
    instrument = SurveyInstrument.objects.create(
        programme=programme,
        title=title,
        version=version,
        definition=instrument_to_json(blank),
        created_by=by,
    )
    _save(instrument, blank)
    return instrument


@transaction.atomic
def index_add(*, instrument: SurveyInstrument, code: str, label: str, components: str) -> list[str]:
    definition = instrument_from_json(instrument.definition)
    return _save(instrument, with_index(definition, code=code, label=label, components=components))


@transaction.atomic
def question_add(*, instrument: SurveyInstrument, data: dict[str, Any]) -> list[str]:
    definition = instrument_from_json(instrument.definition)
    return _save(instrument, with_question(definition, data))
