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
from fortalece.impact.core.messages import Message, as_message, es_decimal, gettext_noop
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
            "headlines": headlines(results, attrition),
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


def headlines(results: list[dict[str, Any]], attrition: dict[str, Any]) -> dict[str, list[str]]:
    n_post, n_follow, n_lost = attrition["post"], attrition["followup"], attrition["lost"]
    share = 100 * attrition["rate_followup"]
    en = [
        f"Of {n_post} officers who answered the post-test, {n_follow} ({share:.0f}%) answered "
        f"the follow-up and {n_lost} did not."
    ]
    es = [
        f"De {n_post} personas que respondieron la prueba posterior, {n_follow} ({share:.0f}%) "
        f"respondieron el seguimiento y {n_lost} no."
    ]
    for entry in results:
        if "error" in entry:
            continue
        h = entry["headline"]
        level_en, level_es = LEVEL_LABELS.get(entry["level"], ("", ""))
        tag_en = f" ({level_en.lower()})" if level_en else ""
        tag_es = f" ({level_es.lower()})" if level_es else ""
        interval = f"{h['low']:.1f}–{h['high']:.1f}"
        interval_es = f"{es_decimal(h['low'])}–{es_decimal(h['high'])}"
        if h["low"] > 0:
            verb_en, verb_es = "rose", "subió"
        elif h["high"] < 0:
            verb_en, verb_es = "fell", "bajó"
        else:
            verb_en, verb_es = "changed", "cambió"
        # "fell by 2.2 points", not "fell by -2.2": the verb carries the sign.
        change = h["effect"] if verb_en == "changed" else abs(h["effect"])
        en.append(
            f"From post-test to follow-up, {entry['label'].lower()}{tag_en} {verb_en} by "
            f"{change:.1f} points (95% CI {interval}; {entry['n_treated']} officers)."
        )
        es.append(
            f"De la prueba posterior al seguimiento, {entry['label_es'].lower()}{tag_es} "
            f"{verb_es} {es_decimal(change)} puntos (IC 95% {interval_es}; "
            f"{entry['n_treated']} personas)."
        )
        a = entry.get("attrition")
        if a is None:
            en.append(
                f"Too few officers missed the follow-up to compare them on "
                f"{entry['label'].lower()}."
            )
            es.append(
                f"Muy pocas personas faltaron al seguimiento para compararlas en "
                f"{entry['label_es'].lower()}."
            )
            continue
        gap = f"{a['effect']:.1f}"
        ci = f"{a['low']:.1f}–{a['high']:.1f}"
        p = "p < 0.001" if a["p_value"] < 0.001 else f"p = {a['p_value']:.3f}"
        gap_es = es_decimal(a["effect"])
        ci_es = f"{es_decimal(a['low'])}–{es_decimal(a['high'])}"
        p_es = "p < 0,001" if a["p_value"] < 0.001 else f"p = {es_decimal(a['p_value'], 3)}"
        if a["p_value"] < 0.05:
            more_en, more_es = ("higher", "más") if a["effect"] > 0 else ("lower", "menos")
            size = f"{abs(a['effect']):.1f}"
            size_es = es_decimal(abs(a["effect"]))
            en.append(
                f"Those who answered the follow-up had scored {size} points {more_en} on "
                f"{entry['label'].lower()} at the post-test than those who did not (95% CI "
                f"{ci}, {p}): they are not like the others, so the change may not hold for "
                "everyone trained."
            )
            es.append(
                f"Quienes respondieron el seguimiento habían obtenido {size_es} puntos "
                f"{more_es} en {entry['label_es'].lower()} en la prueba posterior que quienes "
                f"no (IC 95% {ci_es}, {p_es}): no se parecen al resto, así que el cambio puede "
                "no valer para todo el personal capacitado."
            )
        else:
            en.append(
                f"On the post-test, those who answered the follow-up and those who did not "
                f"differed by {gap} points (95% CI {ci}, {p}): no clear difference, though "
                "they may differ in what was not measured."
            )
            es.append(
                f"En la prueba posterior, quienes respondieron el seguimiento y quienes no "
                f"difirieron {gap_es} puntos (IC 95% {ci_es}, {p_es}): sin diferencia clara, "
                "aunque pueden diferir en lo que no se midió."
            )
    return {"en": en, "es": es}
