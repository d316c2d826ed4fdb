"""Follow-up design (Kirkpatrick level 3): the trained, at the post-test and months later.

Answers are paired on the pseudonymous code (within a group, e.g. the workshop, when one is
named: self-generated codes can collide across groups). For each index, the result gives the
paired change from post-test to follow-up (paired t interval) and the index's Kirkpatrick level,
and states the attrition plainly: how many post-test respondents answered the follow-up, and
whether those who did differ on the post-test from those who did not (Welch difference, its 95%
interval and p-value). A follow-up that only the keenest answered can make a fading effect look
durable; the headline says so when the two differ.

The result has the layout of the other designs (``indices``, ``headlines``, ``warnings`` …) plus
``attrition`` and ``levels``.
"""

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd

from fortalece.impact.core import estimators
from fortalece.impact.core.instrument import LEVEL_LABELS, LEVELS, Instrument
from fortalece.impact.core.messages import (
    Label,
    Message,
    Number,
    as_message,
    gettext_noop,
    in_languages,
)
from fortalece.impact.core.reading import duplicate_codes
from fortalece.impact.core.repeated import _paired
from fortalece.impact.core.report import (
    NOT_IN_DATA,
    AnalysisError,
    _estimate,
    finite,
)
from fortalece.impact.core.scoring import score_all

NO_WAVE = gettext_noop(
    "No answers have '%(value)s' in column '%(column)s' (values found: %(values)s)."
)
NO_WAVE_NONE = gettext_noop(
    "No answers have '%(value)s' in column '%(column)s' (values found: none)."
)
FEW_PAIRS = gettext_noop(
    "Fewer than %(min)s respondents answered both '%(post)s' and '%(followup)s' (matched by "
    "'%(code)s')."
)
FEW_PAIRS_WITHIN = gettext_noop(
    "Fewer than %(min)s respondents answered both '%(post)s' and '%(followup)s' (matched by "
    "'%(code)s' within '%(group)s')."
)
NO_CODE = gettext_noop(
    "%(count)s answers have no code in '%(code)s' and cannot be paired; they are left out."
)
ONLY_FOLLOWUP = gettext_noop(
    "%(count)s respondents answered the follow-up but not the post-test and are left out."
)
HIGH_ATTRITION = gettext_noop(
    "More than half of the post-test respondents (%(lost)s of %(post)s) did not answer the "
    "follow-up: read the change as that of those who answered."
)
# Headlines: how many answered the follow-up, then per index the change and the attrition.
ANSWERED = gettext_noop(
    "Of %(post)s officers who answered the post-test, %(followup)s (%(share)s%%) answered the "
    "follow-up and %(lost)s did not."
)
CHANGE = {
    "rose": gettext_noop(
        "From post-test to follow-up, %(index)s%(level)s rose by %(change)s points (95%% CI "
        "%(low)s–%(high)s; %(n)s officers)."
    ),
    "fell": gettext_noop(
        "From post-test to follow-up, %(index)s%(level)s fell by %(change)s points (95%% CI "
        "%(low)s–%(high)s; %(n)s officers)."
    ),
    "changed": gettext_noop(
        "From post-test to follow-up, %(index)s%(level)s changed by %(change)s points (95%% CI "
        "%(low)s–%(high)s; %(n)s officers)."
    ),
}
LEVEL_TAG = gettext_noop(" (%(level)s)")
TOO_FEW_LOST = gettext_noop("Too few officers missed the follow-up to compare them on %(index)s.")
P_BELOW = gettext_noop("p < %(p)s")
P_EQUALS = gettext_noop("p = %(p)s")
ANSWERED_HIGHER = gettext_noop(
    "Those who answered the follow-up had scored %(size)s points higher on %(index)s at the "
    "post-test than those who did not (95%% CI %(low)s–%(high)s, %(p)s): they are not like the "
    "others, so the change may not hold for everyone trained."
)
ANSWERED_LOWER = gettext_noop(
    "Those who answered the follow-up had scored %(size)s points lower on %(index)s at the "
    "post-test than those who did not (95%% CI %(low)s–%(high)s, %(p)s): they are not like the "
    "others, so the change may not hold for everyone trained."
)
NO_CLEAR_GAP = gettext_noop(
    "On the post-test, those who answered the follow-up and those who did not differed by "
    "%(gap)s points (95%% CI %(low)s–%(high)s, %(p)s): no clear difference, though they may "
    "differ in what was not measured."
)

MIN_PAIRS = 3  # fewer matched respondents give no interval worth printing
MIN_ATTRITION_GROUP = 2  # per side, for the attrition comparison


def attrition_comparison(stayed: np.ndarray, left: np.ndarray) -> dict[str, Any] | None:
    """Post-test scores of those who answered the follow-up vs those who did not (Welch)."""
    stayed, left = np.asarray(stayed, float), np.asarray(left, float)
    if min(stayed.size, left.size) < MIN_ATTRITION_GROUP:
        return None
    if stayed.var(ddof=1) + left.var(ddof=1) == 0:
        return None
    estimate = _estimate(estimators.welch(stayed, left)) or {}
    return {
        **estimate,
        "n_followup": int(stayed.size),
        "n_lost": int(left.size),
        "mean_followup": float(stayed.mean()),
        "mean_lost": float(left.mean()),
    }


def _pct(part: int, whole: int) -> float:
    return 100 * part / whole if whole else 0.0


def analyze_followup(
    instrument: Instrument,
    rows: list[dict[str, str]],
    *,
    wave_column: str,
    post_value: str,
    followup_value: str,
    code_column: str,
    group_column: str | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    frame = pd.DataFrame(rows).fillna("")
    for column in [wave_column, code_column, *([group_column] if group_column else [])]:
        if column not in frame.columns:
            raise AnalysisError(Message(NOT_IN_DATA, {"column": column, "suggestion": ""}))
    duplicates = duplicate_codes(rows, code=code_column, wave=wave_column, group=group_column)
    if duplicates:  # never pair answers silently
        raise AnalysisError(
            duplicates[0] if len(duplicates) == 1 else "\n".join(str(m) for m in duplicates[:20])
        )
    waves = set(frame[wave_column].astype(str))
    for value in (post_value, followup_value):
        if value not in waves:
            raise AnalysisError(
                Message(
                    NO_WAVE if waves else NO_WAVE_NONE,
                    {
                        "value": value,
                        "column": wave_column,
                        "values": ", ".join(sorted(waves)[:10]),
                    },
                )
            )
    scores = pd.DataFrame(score_all(instrument, rows))
    frame = pd.concat([frame.reset_index(drop=True), scores.add_prefix("score__")], axis=1)
    key = frame[code_column].astype(str).str.strip()
    if group_column:
        key = key + "|" + frame[group_column].astype(str)
    frame["__key"] = key
    blank = frame[code_column].astype(str).str.strip() == ""
    frame = frame[~blank]
    post = frame[frame[wave_column] == post_value].set_index("__key")
    later = frame[frame[wave_column] == followup_value].set_index("__key")
    answered = post.index.isin(later.index)
    matched = post.index[answered]
    if len(matched) < MIN_PAIRS:
        raise AnalysisError(
            Message(
                FEW_PAIRS_WITHIN if group_column else FEW_PAIRS,
                {
                    "min": MIN_PAIRS,
                    "post": post_value,
                    "followup": followup_value,
                    "code": code_column,
                    "group": group_column or "",
                },
            )
        )
    n_post, n_matched = len(post), len(matched)
    n_lost = n_post - n_matched
    only_followup = int((~later.index.isin(post.index)).sum())
    warnings: list[Message | str] = []
    if blank.any():
        warnings.append(Message(NO_CODE, {"count": int(blank.sum()), "code": code_column}))
    if only_followup:
        warnings.append(Message(ONLY_FOLLOWUP, {"count": only_followup}))
    if n_post and n_lost / n_post > 0.5:
        warnings.append(Message(HIGH_ATTRITION, {"lost": n_lost, "post": n_post}))
    results: list[dict[str, Any]] = []
    p_values: list[float] = []
    for index in instrument.indices:
        column = f"score__{index.code}"
        level = instrument.index_level(index.code)
        entry: dict[str, Any] = {
            "code": index.code,
            "label": index.label,
            "label_es": index.label_in("es"),
            "level": level,
        }
        y_post_all = post[column].to_numpy(float)
        y0 = y_post_all[answered]
        y1 = later.loc[matched, column].to_numpy(float)
        keep = ~(np.isnan(y0) | np.isnan(y1))
        y0, y1 = y0[keep], y1[keep]
        change = y1 - y0
        lost = y_post_all[~answered]
        entry["attrition"] = attrition_comparison(
            y_post_all[answered][~np.isnan(y_post_all[answered])], lost[~np.isnan(lost)]
        )
        if change.size < MIN_PAIRS or change.std(ddof=1) == 0:
            entry["error"] = "Too few matched answers (or no variation in the change)."
            results.append(entry)
            p_values.append(1.0)
            continue
        entry.update(_paired(change, y0))
        entry.update(
            n_treated=int(change.size),
            n_comparison=0,
            mean_post=float(y0.mean()),
            mean_followup=float(y1.mean()),
            mean_treated=float(y1.mean()),
            mean_comparison=float(y0.mean()),
            headline_method="paired",
        )
        results.append(entry)
        p_values.append(entry["headline"]["p_value"])
    for entry, p in zip(results, estimators.holm(p_values), strict=True):
        entry["p_holm"] = p
        entry.setdefault("reliability", None)
    attrition = {
        "post": n_post,
        "followup": n_matched,
        "lost": n_lost,
        "only_followup": only_followup,
        "rate_followup": _pct(n_matched, n_post) / 100,
    }
    lines = [m.as_dict() for m in headlines(results, attrition)]
    return finite(
        {
            "meta": {
                "instrument": instrument.title,
                "instrument_version": instrument.version,
                "data_sha256": hashlib.sha256(
                    json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()
                ).hexdigest(),
                "rows": len(rows),
                "settings": {
                    "design": "followup",
                    "wave_column": wave_column,
                    "post": post_value,
                    "followup": followup_value,
                    "code_column": code_column,
                    "group_column": group_column,
                },
                "seed": seed,
            },
            "design": "followup",
            "groups": {"treated": n_matched, "comparison": 0},
            "attrition": attrition,
            "levels": levels(results),
            "indices": results,
            "balance": [],
            "overlap": {},
            "items": [],
            "subgroups": {},
            "warnings": [str(w) for w in warnings],
            "warning_messages": [as_message(w).as_dict() for w in warnings],
            "headlines": in_languages(lines),
            "headline_messages": lines,
        }
    )


def levels(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The indices grouped by Kirkpatrick level, in Kirkpatrick's order ("" last)."""
    out = []
    for level in (*LEVELS, ""):
        codes = [r["code"] for r in results if r.get("level", "") == level]
        if codes:
            en, es = LEVEL_LABELS.get(level, ("Not tagged", "Sin nivel"))
            out.append({"level": level, "label": en, "label_es": es, "indices": codes})
    return out


def headlines(results: list[dict[str, Any]], attrition: dict[str, Any]) -> list[Message]:
    lines = [
        Message(
            ANSWERED,
            {
                "post": attrition["post"],
                "followup": attrition["followup"],
                "share": Number(100 * attrition["rate_followup"], 0),
                "lost": attrition["lost"],
            },
        )
    ]
    for entry in results:
        if "error" in entry:
            continue
        h = entry["headline"]
        index = Label(entry["label"], entry["label_es"]).lower()
        level_en, level_es = LEVEL_LABELS.get(entry["level"], ("", ""))
        level = Message(LEVEL_TAG, {"level": Label(level_en, level_es).lower()}) if level_en else ""
        verb = "rose" if h["low"] > 0 else "fell" if h["high"] < 0 else "changed"
        # "fell by 2.2 points", not "fell by -2.2": the verb carries the sign.
        change = h["effect"] if verb == "changed" else abs(h["effect"])
        lines.append(
            Message(
                CHANGE[verb],
                {
                    "index": index,
                    "level": level,
                    "change": Number(change),
                    "low": Number(h["low"]),
                    "high": Number(h["high"]),
                    "n": entry["n_treated"],
                },
            )
        )
        a = entry.get("attrition")
        if a is None:
            lines.append(Message(TOO_FEW_LOST, {"index": index}))
            continue
        p = (
            Message(P_BELOW, {"p": Number(0.001, 3)})
            if a["p_value"] < 0.001
            else Message(P_EQUALS, {"p": Number(a["p_value"], 3)})
        )
        gap = {"index": index, "low": Number(a["low"]), "high": Number(a["high"]), "p": p}
        if a["p_value"] < 0.05:
            template = ANSWERED_HIGHER if a["effect"] > 0 else ANSWERED_LOWER
            lines.append(Message(template, {**gap, "size": Number(abs(a["effect"]))}))
        else:
            lines.append(Message(NO_CLEAR_GAP, {**gap, "gap": Number(a["effect"])}))
    return lines
