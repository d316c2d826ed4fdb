"""Pre/post designs: the same respondents (matched by a pseudonymous code) before and after.

* ``prepost`` — trained respondents only: the paired change (post − pre) with a paired t
  interval, the standardised change d_z, and the relative change (change / pre mean).
* ``did`` — trained and comparison respondents, both measured twice: the difference in
  differences (OLS of the change on treatment and covariates, cluster-robust errors) and, as the
  headline, ANCOVA (OLS of the post score on treatment, the pre score and covariates), which is
  more precise when pre and post scores are correlated.

The result has the same layout as the post-only report (``report.analyze``) plus ``design``.
"""

import hashlib
import json
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from fortalece.impact.core import estimators
from fortalece.impact.core.instrument import Instrument
from fortalece.impact.core.messages import (
    Label,
    Message,
    Number,
    as_message,
    gettext_noop,
    in_languages,
)
from fortalece.impact.core.reading import duplicate_codes
from fortalece.impact.core.report import (
    NOT_IN_DATA,
    AnalysisError,
    _design,
    _estimate,
    finite,
)
from fortalece.impact.core.scoring import score_all

FEW_PRE_POST = gettext_noop(
    "Fewer than 3 respondents answered both '%(pre)s' and '%(post)s' (matched by '%(code)s')."
)
ONE_WAVE_ONLY = gettext_noop("%(count)s respondents answered only one wave and are left out.")
DID_GROUPS = gettext_noop(
    "Column '%(column)s' must hold '%(treated)s' for some respondents and another value for others."
)
IMPROVED_PREPOST = gettext_noop(
    "Trained officers improved by %(effect)s points (95%% CI %(low)s–%(high)s) on %(index)s, "
    "%(relative)s%%."
)
IMPROVED_DID = gettext_noop(
    "Compared with the comparison group, trained officers improved by %(effect)s points (95%% "
    "CI %(low)s–%(high)s) on %(index)s, %(relative)s%%."
)


def _paired(change: np.ndarray, pre: np.ndarray, level: float = 0.95) -> dict[str, Any]:
    result = stats.ttest_1samp(change, 0.0)
    interval = result.confidence_interval(level)
    se = float(change.std(ddof=1) / np.sqrt(change.size))
    effect = estimators.Estimate(
        float(change.mean()),
        se,
        float(interval.low),
        float(interval.high),
        float(result.pvalue),
        float(change.size - 1),
    )
    relative = estimators.relative_improvement(effect.effect, effect.se, pre)
    d_z = float(change.mean() / change.std(ddof=1))
    return {
        "difference": _estimate(effect),
        "headline": _estimate(effect),
        "relative_improvement": _estimate(relative),
        "hedges_g": {
            "effect": d_z,
            "se": None,
            "low": None,
            "high": None,
            "p_value": None,
            "df": None,
        },
    }


def analyze_repeated(
    instrument: Instrument,
    rows: list[dict[str, str]],
    *,
    wave_column: str,
    pre_value: str,
    post_value: str,
    code_column: str,
    group_column: str | None = None,
    treated_value: str | None = None,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    seed: int = 0,
) -> dict[str, Any]:
    covariates = covariates or []
    frame = pd.DataFrame(rows).fillna("")
    needed = [
        wave_column,
        code_column,
        *covariates,
        *([group_column] if group_column else []),
        *([cluster] if cluster else []),
    ]
    for column in needed:
        if column not in frame.columns:
            raise AnalysisError(Message(NOT_IN_DATA, {"column": column, "suggestion": ""}))
    duplicates = duplicate_codes(rows, code=code_column, wave=wave_column, group=group_column)
    if duplicates:  # never pair answers silently
        raise AnalysisError(
            duplicates[0] if len(duplicates) == 1 else "\n".join(str(m) for m in duplicates[:20])
        )
    scores = pd.DataFrame(score_all(instrument, rows))
    frame = pd.concat([frame.reset_index(drop=True), scores.add_prefix("score__")], axis=1)
    if group_column:
        # Self-generated codes can collide across groups: pair answers within a group only.
        frame[code_column] = frame[code_column].astype(str) + "|" + frame[group_column].astype(str)
    pre = frame[frame[wave_column] == pre_value].drop_duplicates(code_column).set_index(code_column)
    post = (
        frame[frame[wave_column] == post_value].drop_duplicates(code_column).set_index(code_column)
    )
    codes = pre.index.intersection(post.index)
    if len(codes) < 3:
        raise AnalysisError(
            Message(FEW_PRE_POST, {"pre": pre_value, "post": post_value, "code": code_column})
        )
    warnings: list[Message | str] = []
    unmatched = len(pre.index.union(post.index)) - len(codes)
    if unmatched:
        warnings.append(Message(ONE_WAVE_ONLY, {"count": unmatched}))
    pre, post = pre.loc[codes], post.loc[codes]
    design = "did" if group_column else "prepost"
    treated = (
        (post[group_column].astype(str) == str(treated_value)).to_numpy(float)
        if group_column
        else np.ones(len(codes))
    )
    if design == "did" and (treated.sum() == 0 or treated.sum() == len(treated)):
        raise AnalysisError(Message(DID_GROUPS, {"column": group_column, "treated": treated_value}))
    x_all = _design(pre.reset_index(), covariates).matrix
    groups_all = pre[cluster].to_numpy() if cluster else None
    results: list[dict[str, Any]] = []
    p_values: list[float] = []
    for index in instrument.indices:
        y0 = pre[f"score__{index.code}"].to_numpy(float)
        y1 = post[f"score__{index.code}"].to_numpy(float)
        keep = ~(np.isnan(y0) | np.isnan(y1))
        y0, y1, t = y0[keep], y1[keep], treated[keep]
        x = x_all[keep] if x_all is not None else None
        g = groups_all[keep] if groups_all is not None else None
        change = y1 - y0
        entry: dict[str, Any] = {
            "code": index.code,
            "label": index.label,
            "label_es": index.label_in("es"),
        }
        if design == "prepost":
            if change.size < 3:
                entry["error"] = "Too few matched answers."
                results.append(entry)
                p_values.append(1.0)
                continue
            entry.update(_paired(change, y0))
            entry.update(
                n_treated=int(change.size),
                n_comparison=0,
                mean_treated=float(y1.mean()),
                mean_comparison=float(y0.mean()),
                headline_method="paired",
            )
        else:
            if min(t.sum(), (1 - t).sum()) < 2:
                entry["error"] = "Too few matched answers in a group."
                results.append(entry)
                p_values.append(1.0)
                continue
            raw = estimators.welch(change[t == 1], change[t == 0])
            did = estimators.ols_adjusted(change, t, x, g)
            ancova_x = np.column_stack([y0] + ([x] if x is not None else []))
            ancova = estimators.ols_adjusted(y1, t, ancova_x, g)
            comparison_post = y1[t == 0]
            entry.update(
                n_treated=int(t.sum()),
                n_comparison=int((1 - t).sum()),
                mean_treated=float(y1[t == 1].mean()),
                mean_comparison=float(comparison_post.mean()),
                difference=_estimate(raw),
                adjusted_ols=_estimate(did),
                ancova=_estimate(ancova),
                headline=_estimate(ancova),
                relative_improvement=_estimate(
                    estimators.relative_improvement(ancova.effect, ancova.se, comparison_post)
                ),
                hedges_g=_estimate(estimators.hedges_g(change[t == 1], change[t == 0])),
                headline_method="ancova",
            )
        results.append(entry)
        p_values.append(entry["headline"]["p_value"])
    for entry, p in zip(results, estimators.holm(p_values), strict=True):
        entry["p_holm"] = p
        entry.setdefault("reliability", None)
    headlines = [
        Message(
            IMPROVED_PREPOST if design == "prepost" else IMPROVED_DID,
            {
                "effect": Number(entry["headline"]["effect"]),
                "low": Number(entry["headline"]["low"]),
                "high": Number(entry["headline"]["high"]),
                "index": Label(entry["label"], entry["label_es"]).lower(),
                "relative": Number(100 * entry["relative_improvement"]["effect"]),
            },
        ).as_dict()
        for entry in results
        if "error" not in entry
    ]
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
                    "design": design,
                    "wave_column": wave_column,
                    "pre": pre_value,
                    "post": post_value,
                    "code_column": code_column,
                    "group_column": group_column,
                    "treated_value": treated_value,
                    "covariates": covariates,
                    "cluster": cluster,
                },
                "seed": seed,
            },
            "design": design,
            "groups": {
                "treated": int(treated.sum()),
                "comparison": int(len(treated) - treated.sum()),
            },
            "indices": results,
            "balance": [],
            "overlap": {},
            "items": [],
            "subgroups": {},
            "warnings": [str(w) for w in warnings],
            "warning_messages": [as_message(w).as_dict() for w in warnings],
            "headlines": in_languages(headlines),
            "headline_messages": headlines,
        }
    )
