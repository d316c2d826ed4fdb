"""Answering an instrument on a phone without an account, and turning the answers into a study.

People build their own pseudonymous code from things only they know (the first two letters of
their mother's first name, their day of birth, the last two digits of their phone), so that
their answers before and after training can be linked without storing who they are.
"""

import datetime
import re
import secrets
from typing import Any

from django import forms
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from fortalece.impact.models import Study, SurveyInstrument, SurveyLink, SurveyResponse
from fortalece.imports.core.vocab import fold


def pseudonymous_code(mother: str, day: int, phone_digits: str) -> str:
    letters = re.sub(r"[^a-z]", "", fold(mother))[:2].upper().ljust(2, "X")
    return f"{letters}{day:02d}{phone_digits[-2:]}"


class CodeForm(forms.Form):
    consent = forms.BooleanField(
        label=_(
            "I agree to answer. I understand my answers are anonymous and used only to improve the training."
        ),
    )
    mother = forms.CharField(
        label=_("First two letters of your mother's first name"), max_length=20
    )
    day = forms.IntegerField(label=_("Day of the month you were born"), min_value=1, max_value=31)
    phone = forms.RegexField(
        label=_("Last two digits of your phone number"),
        regex=r"^\d{2}$",
        max_length=2,
        error_messages={"invalid": _("Two digits, e.g. 07.")},
    )

    def code(self) -> str:
        return pseudonymous_code(
            self.cleaned_data["mother"], self.cleaned_data["day"], self.cleaned_data["phone"]
        )


def _label(item: dict[str, Any]) -> str:
    labels = dict(tuple(pair) for pair in item.get("labels", []))
    language = (get_language() or "es")[:2]
    for key, text in labels.items():
        if f"({language})" in key:
            return str(text)
    return str(item.get("label") or next(iter(labels.values()), item["name"]))


def answer_form(instrument: SurveyInstrument, data: Any = None) -> forms.Form:
    """A form with one radio list per scored question of the instrument."""
    form = forms.Form(data)
    for item in instrument.definition.get("items", []):
        if item["kind"] == "background" or not item.get("choices"):
            continue
        form.fields[item["name"]] = forms.ChoiceField(
            label=_label(item),
            choices=[(name, label) for name, label in item["choices"]],
            widget=forms.RadioSelect,
            required=False,
        )
    return form


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


def collected_rows(instrument: SurveyInstrument) -> list[dict[str, str]]:
    """Every collected answer of the instrument as a row: code, wave, group and the answers."""
    rows = []
    responses = (
        SurveyResponse.objects.filter(link__instrument=instrument)
        .select_related("link")
        .order_by("pk")
    )
    for response in responses.iterator():
        rows.append(
            {
                **{k: str(v) for k, v in response.answers.items()},
                "code": response.code,
                "wave": response.link.wave,
                "group": response.link.audience,
                "workshop": str(response.link.workshop_id or ""),
            }
        )
    return rows


def study_from_collected(*, instrument: SurveyInstrument, title: str, by: Any) -> Study:
    """A study over the answers collected in the platform (design chosen from what exists)."""
    # local import: services loads the statistics stack (pandas, scipy, statsmodels).
    from fortalece.impact.services import study_create

    rows = collected_rows(instrument)
    if not rows:
        raise ValueError("no answers")
    waves = {r["wave"] for r in rows}
    groups = {r["group"] for r in rows}
    followup = {"post", "followup"} <= waves
    if followup:
        # The trained at the post-test and at the follow-up, paired within their workshop.
        design = "followup"
        rows = [r for r in rows if r["wave"] in ("post", "followup") and r["group"] == "trained"]
    elif waves == {"pre", "post"}:
        design = "did" if groups == {"trained", "control"} else "prepost"
    else:
        design = "post"
    names = sorted({key for row in rows for key in row})
    lines = [",".join(names)] + [",".join(row.get(n, "") for n in names) for row in rows]
    stamp = datetime.date.today().isoformat()  # noqa: DTZ011 - a label in a file name
    return study_create(
        programme=instrument.programme,
        instrument=instrument,
        title=title,
        data_name=f"collected-{stamp}.csv",
        content="\n".join(lines).encode("utf-8"),
        group_column="workshop" if followup else "group",
        treated_value="trained",
        covariates=[],
        cluster="",
        seed=1,
        draws=300,
        by=by,
        design=design,
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        followup_value="followup" if followup else "",
        code_column="code",
    )
