"""What reading a form and its answers did, said plainly; and columns as users name them.

* :func:`set_aside` — the choices never scored ("don't know", "refused", 99…), grouped by code
  and label across questions, with how many answers they hold ("99 'No sé' treated as missing
  in 13 questions; 2.1% of answers").
* :func:`resolve_column` — a column named as the user wrote it: the Kobo/ODK full path
  (``datos/anios_servicio``), the bare name, or the question's label in any language; an unknown
  name gets "did you mean …" with the closest names.
* :func:`duplicate_codes` — the same pseudonymous code twice in one wave of one group: the rows
  involved, so that answers are never paired silently.
"""

import dataclasses
import difflib
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from fortalece.impact.core.instrument import Instrument
from fortalece.impact.core.messages import Message, MessageError, gettext_noop
from fortalece.impact.core.scales import ScaleError, derive_scale
from fortalece.imports.core.vocab import fold

REASONS = {
    "declared": gettext_noop("the form declares it"),
    "label": gettext_noop("its label means no answer"),
    "apart": gettext_noop("a code apart from the scale"),
    "outside_order": gettext_noop("not in the stated order"),
    "user": gettext_noop("you asked for it"),
}
SET_ASIDE = gettext_noop(
    "%(code)s '%(label)s' treated as missing in %(questions)s questions (%(reason)s)."
)
SET_ASIDE_ONE = gettext_noop("%(code)s '%(label)s' treated as missing in 1 question (%(reason)s).")
SET_ASIDE_SHARE = gettext_noop(
    "%(code)s '%(label)s' treated as missing in %(questions)s questions (%(reason)s); "
    "%(share)s%% of answers (%(answers)s)."
)
SET_ASIDE_SHARE_ONE = gettext_noop(
    "%(code)s '%(label)s' treated as missing in 1 question (%(reason)s); "
    "%(share)s%% of answers (%(answers)s)."
)
NOT_CHOICES = gettext_noop(
    "Column %(column)s (%(header)s): %(count)s answers are not choices of '%(name)s' and are not "
    "scored: %(values)s (rows %(rows)s)."
)
NO_COLUMN = gettext_noop("Column '%(name)s' is not in the data.")
DID_YOU_MEAN = gettext_noop("Column '%(name)s' is not in the data. Did you mean %(close)s?")
AMBIGUOUS = gettext_noop("Column '%(name)s' could be any of %(columns)s: write the full name.")
DUPLICATE = gettext_noop(
    "Code '%(code)s' appears %(count)s times in wave '%(wave)s' (rows %(rows)s): each "
    "respondent answers a wave once — remove or correct the extra rows."
)
DUPLICATE_IN_GROUP = gettext_noop(
    "Code '%(code)s' appears %(count)s times in wave '%(wave)s' of group '%(group)s' (rows "
    "%(rows)s): each respondent answers a wave once — remove or correct the extra rows."
)


def set_aside(
    instrument: Instrument, rows: Sequence[Mapping[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """Choices set aside as missing, grouped by (code, label, reason), with answer counts."""
    groups: dict[tuple[str, str, str], list[str]] = {}
    for item in instrument.items:
        if item.kind == "background" or not item.missing_codes:
            continue
        labels = dict(item.choices)
        reasons = {name: reason for name, _, reason in item.special}
        for code in item.missing_codes:
            key = (code, labels.get(code, code), reasons.get(code, "declared"))
            groups.setdefault(key, []).append(item.name)
    summary = []
    for (code, label, reason), names in groups.items():
        entry: dict[str, Any] = {
            "code": code,
            "label": label,
            "reason": reason,
            "questions": names,
        }
        if rows is not None:
            answers = total = 0
            for row in rows:
                for name in names:
                    value = str(row.get(name, "") or "").strip()
                    if value:
                        total += 1
                        answers += value == code
            entry["answers"] = answers
            entry["share"] = answers / total if total else 0.0
        summary.append(entry)
    return summary


def set_aside_messages(summary: Iterable[Mapping[str, Any]]) -> list[Message]:
    messages = []
    for entry in summary:
        params = {
            "code": entry["code"],
            "label": entry["label"],
            "questions": len(entry["questions"]),
            "reason": REASONS.get(entry["reason"], entry["reason"]),
        }
        one = len(entry["questions"]) == 1
        if "share" in entry:
            params.update(share=f"{100 * entry['share']:.1f}", answers=entry["answers"])
            messages.append(Message(SET_ASIDE_SHARE_ONE if one else SET_ASIDE_SHARE, params))
        else:
            messages.append(Message(SET_ASIDE_ONE if one else SET_ASIDE, params))
    return messages


def unknown_messages(unknown: Mapping[str, Mapping[str, Any]]) -> list[Message]:
    """One message per column whose answers are not choices (see ``data.Responses.unknown``)."""
    messages = []
    for name, entry in unknown.items():
        counts = entry["values"]
        listed = ", ".join(f"'{v}' ×{n}" for v, n in sorted(counts.items(), key=lambda c: -c[1]))
        shown = ", ".join(map(str, entry["rows"][:10])) + (" …" if len(entry["rows"]) > 10 else "")
        messages.append(
            Message(
                NOT_CHOICES,
                {
                    "column": entry["column"],
                    "header": entry["header"],
                    "count": sum(counts.values()),
                    "name": name,
                    "values": listed,
                    "rows": shown,
                },
            )
        )
    return messages


class ColumnError(MessageError):
    """A column name matches no column of the file; the message offers the closest."""


def _bare(name: str) -> str:
    return name.replace("-", "/").split("/")[-1].strip()


def resolve_column(name: str, columns: Sequence[str], instrument: Instrument | None = None) -> str:
    """The column of ``columns`` that ``name`` means (exact, full path, bare name, label)."""
    wanted = name.strip()
    if wanted in columns:
        return wanted
    folded = {fold(c): c for c in columns}
    if fold(wanted) in folded and fold(wanted):
        return folded[fold(wanted)]
    bare = {c: fold(_bare(c)) for c in columns}
    matches = [c for c, b in bare.items() if b and b == fold(_bare(wanted))]
    if len(matches) == 1:
        return matches[0]
    if len(matches) > 1:
        raise ColumnError(Message(AMBIGUOUS, {"name": name, "columns": ", ".join(sorted(matches))}))
    labels: dict[str, str] = {}
    if instrument is not None:
        for item in instrument.items:
            for text in [item.label, *(t for _, t in item.labels)]:
                if text and item.name in columns:
                    labels.setdefault(fold(text), item.name)
    if fold(wanted) in labels:
        return labels[fold(wanted)]
    candidates = {c: c for c in columns}
    candidates.update({_bare(c): c for c in columns})
    candidates.update({text: column for text, column in labels.items()})
    close = difflib.get_close_matches(wanted, list(candidates), n=5, cutoff=0.6)
    close += difflib.get_close_matches(fold(wanted), list(candidates), n=5, cutoff=0.6)
    names = list(dict.fromkeys(candidates[c] for c in close))[:3]
    if names:
        raise ColumnError(
            Message(DID_YOU_MEAN, {"name": name, "close": " or ".join(f"'{n}'" for n in names)})
        )
    raise ColumnError(Message(NO_COLUMN, {"name": name}))


def duplicate_codes(
    rows: Sequence[Mapping[str, Any]],
    *,
    code: str,
    wave: str,
    group: str | None = None,
    row_numbers: Sequence[int] | None = None,
) -> list[Message]:
    """Codes that appear more than once in the same wave (and group): the rows involved."""
    seen: dict[tuple[str, str, str], list[int]] = {}
    for position, row in enumerate(rows):
        value = str(row.get(code, "") or "").strip()
        if not value:
            continue
        key = (
            str(row.get(group, "")) if group else "",
            str(row.get(wave, "")),
            value,
        )
        number = row_numbers[position] if row_numbers else position + 2
        seen.setdefault(key, []).append(number)
    messages = []
    for (group_value, wave_value, value), numbers in seen.items():
        if len(numbers) > 1:
            messages.append(
                Message(
                    DUPLICATE_IN_GROUP if group else DUPLICATE,
                    {
                        "code": value,
                        "count": len(numbers),
                        "wave": wave_value,
                        "group": group_value,
                        "rows": ", ".join(map(str, numbers)),
                    },
                )
            )
    return messages


def resolve_columns(
    wanted: Mapping[str, str | Sequence[str] | None],
    columns: Sequence[str],
    instrument: Instrument | None = None,
) -> tuple[dict[str, Any], list[Message]]:
    """Each setting's column(s) resolved (``{"group": "grupo", "covariates": [...]}``), and a
    message for every name that is not a column (all of them, not just the first)."""
    resolved: dict[str, Any] = {}
    problems: list[Message] = []
    for setting, value in wanted.items():
        if value is None or value == "":
            resolved[setting] = value
            continue
        names = [value] if isinstance(value, str) else list(value)
        found = []
        for name in names:
            try:
                found.append(resolve_column(name, columns, instrument))
            except ColumnError as error:
                problems.append(error.message)
        resolved[setting] = found[0] if isinstance(value, str) and found else found
    return resolved, problems


def reading_block(
    instrument: Instrument,
    rows: Sequence[Mapping[str, Any]],
    *,
    unknown: Mapping[str, Mapping[str, Any]] | None = None,
    form_messages: Iterable[Message] = (),
    columns: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """What reading did, for the report's JSON (``"reading"``): set-aside codes with their
    share of answers, answers that are not choices, the columns used, and the messages (English
    text plus template and parameters for translation)."""
    summary = set_aside(instrument, rows)
    messages = [
        *form_messages,
        *set_aside_messages(summary),
        *unknown_messages(unknown or {}),
    ]
    return {
        "set_aside": summary,
        "unknown": {k: dict(v) for k, v in (unknown or {}).items()},
        "columns": dict(columns or {}),
        "messages": [m.as_dict() for m in messages],
    }


BAD_OVERRIDE = gettext_noop("Question '%(name)s': %(why)s")


def with_overrides(
    instrument: Instrument, *, keep: Iterable[str] = (), missing: Iterable[str] = ()
) -> Instrument:
    """The instrument with the user's word on "don't know" codes (the check step's controls):
    ``keep`` choice names are scored as answers, ``missing`` ones never are. The scale of each
    question concerned is derived again and checked (raises ``ScaleError`` naming the question)."""
    keep, missing = list(keep), list(missing)
    if not keep and not missing:
        return instrument
    items = []
    for item in instrument.items:
        names = [n for n, _ in item.choices]
        kept = [k for k in keep if k in names]
        added = [m for m in missing if m in names and m not in kept]
        if item.kind == "knowledge" and added:
            item = dataclasses.replace(
                item, missing_codes=tuple(dict.fromkeys([*item.missing_codes, *added]))
            )
        elif item.kind == "likert" and (kept or added):
            labels = dict(item.choices)
            try:
                scale = derive_scale(
                    [(n, [labels[n]]) for n in names],
                    declared_missing=[*(set(item.missing_codes) - set(kept)), *added],
                    keep=kept,
                    order=[n for n, _ in item.values],
                )
            except ScaleError as error:
                raise ScaleError(
                    Message(BAD_OVERRIDE, {"name": item.name, "why": error.message})
                ) from error
            detected = {s[0] for s in item.special}
            special = tuple(s for s in item.special if s[0] in scale.missing) + tuple(
                (m, labels[m], "user") for m in added if m not in detected
            )
            item = dataclasses.replace(
                item,
                scale_min=scale.low,
                scale_max=scale.high,
                missing_codes=scale.missing,
                values=scale.values,
                special=special,
            )
        items.append(item)
    return dataclasses.replace(instrument, items=items)
