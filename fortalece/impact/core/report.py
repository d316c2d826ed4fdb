"""The whole analysis of a trained-vs-comparison study, as a JSON-serialisable dict.

Layout documented in docs/impact-json.md. Reproducible: the result records the instrument
version, a SHA-256 of the data, the settings and the random seed.
"""

import difflib
import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from fortalece.impact.core import estimators, sensitivity
from fortalece.impact.core.estimators import sm
from fortalece.impact.core.instrument import Instrument
from fortalece.impact.core.labels import MISSING, Labels, build, column_label
from fortalece.impact.core.messages import (
    Label,
    Message,
    MessageError,
    Number,
    as_message,
    from_dict,
    gettext_noop,
    in_languages,
)
from fortalece.impact.core.planner import icc_anova
from fortalece.impact.core.reliability import reliability
from fortalece.impact.core.scoring import index_scores, item_matrix, item_value

FEW_CLUSTERS = 50  # the wild cluster bootstrap is shown below this many clusters
FEW_CLUSTERS_HEADLINE = 12  # …and becomes the headline interval below this many
MIN_CLUSTERS = 2
MIN_GROUP = 10  # respondents per group below which nothing is estimated
SMALL_GROUP = 30  # …and below which the report warns
SMD_WARNING = 0.25

# Messages (English templates; the Django layer translates them, impact/texts.py).
NO_ANSWERS = gettext_noop("There are no answers to analyse.")
NOT_IN_DATA = gettext_noop("Column '%(column)s' is not in the data.%(suggestion)s")
NO_TREATED = gettext_noop(
    "Column '%(column)s' never holds '%(treated)s'; it holds %(values)s.%(suggestion)s"
)
NO_TREATED_BLANK = gettext_noop(
    "Column '%(column)s' never holds '%(treated)s'; it holds only blanks.%(suggestion)s"
)
GROUP_VALUES = gettext_noop(
    "Column '%(column)s' must hold '%(treated)s' and one other value for the comparison group; "
    "it holds %(values)s. Name the comparison value (--comparison, or the study form's "
    "comparison value) or correct the data."
)
GROUP_ONE_VALUE = gettext_noop(
    "Column '%(column)s' must hold '%(treated)s' for some rows and another value for others; "
    "it holds %(values)s."
)
NO_COMPARISON = gettext_noop(
    "Column '%(column)s' never holds the comparison value '%(comparison)s'; it holds "
    "%(values)s.%(suggestion)s"
)
NEITHER_GROUP = gettext_noop(
    "%(count)s respondents are in neither group (column '%(column)s': %(values)s) and were "
    "left out of the analysis."
)
CLUSTER_BLANK = gettext_noop(
    "%(count)s respondents have no value in the cluster column '%(cluster)s': fill it in (a "
    "respondent must belong to a cluster) or analyse without --cluster."
)
SINGLE_CLUSTER = gettext_noop(
    "The cluster column '%(cluster)s' holds a single value: intervals that allow for "
    "clustering need at least two clusters (20 or more to be trusted). Analyse without "
    "--cluster or choose the unit that decided who was trained."
)
FEW_CLUSTERS_NOTE = gettext_noop(
    "Only %(count)s clusters in '%(cluster)s': the headline interval is the wild cluster "
    "bootstrap-t of the regression estimate, which holds its level with few clusters better "
    "than the analytic ones; still read it with care."
)
TOO_FEW = gettext_noop(
    "Too few respondents to compare: %(treated)s trained and %(comparison)s comparison. Each "
    "group needs at least %(min)s (and %(small)s or more for intervals that can be trusted)."
)
SMALL = gettext_noop(
    "A group has fewer than %(small)s respondents (%(treated)s trained, %(comparison)s "
    "comparison): the intervals rest on approximations that need more."
)
COVARIATE_IMPUTED = gettext_noop(
    "Covariate '%(name)s': %(blank)s of %(total)s respondents (%(percent)s%%) have no number; "
    "they get the mean and a missing-value indicator in the adjustment."
)
COVARIATE_IMPUTED_TEXT = gettext_noop(
    "Covariate '%(name)s': %(blank)s of %(total)s respondents (%(percent)s%%) have no number "
    "(%(text)s cells hold text); they get the mean and a missing-value indicator in the "
    "adjustment."
)
COVARIATE_BLANK_CATEGORY = gettext_noop(
    "Covariate '%(name)s': %(blank)s blank answers are kept as a category of their own ('missing')."
)
UNBALANCED_BEFORE = gettext_noop(
    "The groups differ on the covariates before adjustment (a standardised difference above "
    "%(smd)s): the raw difference mixes the effect of training with these differences."
)
UNBALANCED_AFTER = gettext_noop(
    "Even after weighting the groups are not comparable on some covariates: read the adjusted "
    "effects with care."
)
POOR_OVERLAP = gettext_noop(
    "Few untrained officers resemble the trained ones (poor propensity overlap)."
)


class AnalysisError(MessageError):
    """An analysis that cannot be run (``error.message`` says why, to translate)."""


def finite(value: Any) -> Any:
    """NaN and infinities (a group with no spread…) become ``None``: valid JSON everywhere."""
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    if isinstance(value, float) and not np.isfinite(value):
        return None
    return value


def _estimate(e: estimators.Estimate | None) -> dict[str, Any] | None:
    return (
        None if e is None else {k: (None if v is None else float(v)) for k, v in asdict(e).items()}
    )


DID_YOU_MEAN = gettext_noop(" Did you mean %(names)s?")


def _suggest(value: str, options: list[str]) -> Message | str:
    close = difflib.get_close_matches(value, options, n=3, cutoff=0.5)
    return Message(DID_YOU_MEAN, {"names": ", ".join(repr(c) for c in close)}) if close else ""


@dataclass
class Design:
    """The adjustment matrix built from the covariates, with what was done to build it."""

    matrix: np.ndarray | None
    names: list[str] = field(default_factory=list)
    groups: dict[str, list[int]] = field(default_factory=dict)  # covariate -> its columns
    notes: list[Message | str] = field(default_factory=list)
    # Each column as (covariate, value): None for the number, labels.MISSING for a missing
    # indicator or a blank category, else the dummy's value.
    columns: dict[str, tuple[str, str | None]] = field(default_factory=dict)


def _design(frame: pd.DataFrame, covariates: list[str]) -> Design:
    """Numeric covariates enter as they are; blanks get the mean and a missing indicator.
    Text covariates become one dummy per value (blank is a value of its own, "missing").

    A covariate is numeric when at least 95% of its non-blank cells are numbers; the few
    cells that are not numbers are treated as blanks, and both are reported.
    """
    if not covariates:
        return Design(None)
    parts: list[pd.DataFrame] = []
    groups: dict[str, list[int]] = {}
    notes: list[Message | str] = []
    meta: dict[str, tuple[str, str | None]] = {}
    start = 0
    for name in covariates:
        column = frame[name].astype(str).str.strip().replace("", np.nan)
        numeric = pd.to_numeric(column, errors="coerce")
        filled = column.notna()
        if filled.sum() and numeric[filled].notna().mean() >= 0.95:
            blank = numeric.isna()
            part = numeric.fillna(numeric.mean()).to_frame(name)
            meta[name] = (name, None)
            if blank.any():
                part[f"{name}_missing"] = blank.astype(float)
                meta[f"{name}_missing"] = (name, MISSING)
                text = int((filled & numeric.isna()).sum())
                params = {
                    "name": name,
                    "blank": int(blank.sum()),
                    "total": len(blank),
                    "percent": round(100 * float(blank.mean()), 1),
                    "text": text,
                }
                notes.append(Message(COVARIATE_IMPUTED_TEXT if text else COVARIATE_IMPUTED, params))
        else:
            part = pd.get_dummies(
                column.fillna("missing"), prefix=name, drop_first=True, dtype=float
            )
            for value in column.fillna(MISSING).unique():
                meta[f"{name}_{'missing' if value == MISSING else value}"] = (name, value)
            if column.isna().any():
                notes.append(
                    Message(
                        COVARIATE_BLANK_CATEGORY, {"name": name, "blank": int(column.isna().sum())}
                    )
                )
        part = part.loc[:, part.std() > 0]
        parts.append(part)
        groups[name] = list(range(start, start + part.shape[1]))
        start += part.shape[1]
    design = pd.concat(parts, axis=1)
    if design.shape[1] == 0:
        return Design(None, [], {}, notes)
    groups = {k: v for k, v in groups.items() if v}
    names = [str(c) for c in design.columns]
    columns = {n: meta[n] for n in names if n in meta}
    return Design(design.to_numpy(float), names, groups, notes, columns)


def _smd(x: np.ndarray, t: np.ndarray, w: np.ndarray | None = None) -> float:
    w = np.ones_like(x) if w is None else w
    a, b = x[t == 1], x[t == 0]
    wa, wb = w[t == 1], w[t == 0]
    ma, mb = np.average(a, weights=wa), np.average(b, weights=wb)
    va = np.average((a - ma) ** 2, weights=wa)
    vb = np.average((b - mb) ** 2, weights=wb)
    pooled = np.sqrt((va + vb) / 2)
    return float((ma - mb) / pooled) if pooled > 0 else 0.0


def raw_scale(instrument: Instrument, code: str) -> tuple[float, float] | None:
    """The common answer scale of an index's items (e.g. 1–5), or None when they differ.

    POMP is linear, so a group's mean on that scale is min + mean POMP / 100 × (max − min)
    (after reversing negatively worded items).
    """
    items = instrument.index_items(code)
    scales = {(i.scale_min, i.scale_max) for i in items if i.kind == "likert"}
    if not items or len(scales) != 1 or any(i.kind != "likert" for i in items):
        return None
    return next(iter(scales))


def _to_raw(pomp_mean: float, scale: tuple[float, float] | None) -> float | None:
    return None if scale is None else scale[0] + pomp_mean / 100 * (scale[1] - scale[0])


def _balance(
    x: np.ndarray | None, t: np.ndarray, names: list[str]
) -> tuple[list[dict[str, Any]], dict[str, Any], list[Message | str]]:
    if x is None:
        return [], {}, []
    design = sm.add_constant(x, has_constant="add")
    e = np.clip(sm.GLM(t, design, family=sm.families.Binomial()).fit().predict(design), 0.01, 0.99)
    w = np.where(t == 1, 1.0, e / (1 - e))
    rows: list[dict[str, Any]] = [
        {
            "column": names[j] if j < len(names) else str(j),
            "smd_before": _smd(x[:, j], t),
            "smd_after": _smd(x[:, j], t, w),
        }
        for j in range(x.shape[1])
    ]
    overlap = {
        "treated_min": float(e[t == 1].min()),
        "treated_max": float(e[t == 1].max()),
        "comparison_min": float(e[t == 0].min()),
        "comparison_max": float(e[t == 0].max()),
    }
    warnings: list[Message | str] = []
    if any(abs(r["smd_before"]) > SMD_WARNING for r in rows):
        warnings.append(Message(UNBALANCED_BEFORE, {"smd": SMD_WARNING}))
    if any(abs(r["smd_after"]) > SMD_WARNING for r in rows):
        warnings.append(UNBALANCED_AFTER)
    if overlap["comparison_max"] < overlap["treated_max"] * 0.5:
        warnings.append(POOR_OVERLAP)
    return rows, overlap, warnings


def _group_masks(
    frame: pd.DataFrame, column: str, treated_value: str, comparison_value: str | None
) -> tuple[np.ndarray, np.ndarray, list[Message | str]]:
    """Rows kept and treatment indicator; anything but the two values is reported, never
    silently put in the comparison group."""
    values = frame[column].astype(str).str.strip()
    counts = values.value_counts()
    shown = ", ".join(f"'{v}' ({n})" for v, n in counts.items() if v)
    treated = (values == str(treated_value)).to_numpy()
    if not treated.any():
        raise AnalysisError(
            Message(
                NO_TREATED if shown else NO_TREATED_BLANK,
                {
                    "column": column,
                    "treated": treated_value,
                    "values": shown,
                    "suggestion": _suggest(str(treated_value), [str(v) for v in counts.index if v]),
                },
            )
        )
    others = [v for v in counts.index if v and v != str(treated_value)]
    if comparison_value is None:
        if len(others) != 1:
            raise AnalysisError(
                Message(
                    GROUP_VALUES if others else GROUP_ONE_VALUE,
                    {"column": column, "treated": treated_value, "values": shown},
                )
            )
        comparison_value = others[0]
    comparison = (values == str(comparison_value)).to_numpy()
    if not comparison.any():
        raise AnalysisError(
            Message(
                NO_COMPARISON,
                {
                    "column": column,
                    "comparison": comparison_value,
                    "values": shown,
                    "suggestion": _suggest(str(comparison_value), [str(v) for v in others]),
                },
            )
        )
    notes: list[Message | str] = []
    left_out = ~(treated | comparison)
    if left_out.any():
        excluded = ", ".join(
            f"'{v}' ({n})" if v else f"blank ({n})"
            for v, n in values[left_out].value_counts().items()
        )
        notes.append(
            Message(
                NEITHER_GROUP, {"count": int(left_out.sum()), "column": column, "values": excluded}
            )
        )
    return ~left_out, treated[~left_out].astype(float), notes


def _clusters(
    frame: pd.DataFrame, cluster: str | None
) -> tuple[np.ndarray | None, list[Message | str]]:
    if not cluster:
        return None, []
    values = frame[cluster].astype(str).str.strip().to_numpy()
    blank = int((values == "").sum())
    if blank:
        raise AnalysisError(Message(CLUSTER_BLANK, {"count": blank, "cluster": cluster}))
    groups = len(np.unique(values))
    if groups < MIN_CLUSTERS:
        raise AnalysisError(Message(SINGLE_CLUSTER, {"cluster": cluster}))
    notes: list[Message | str] = []
    if groups < FEW_CLUSTERS_HEADLINE:
        notes.append(Message(FEW_CLUSTERS_NOTE, {"count": groups, "cluster": cluster}))
    return values, notes


def _pooled_sd(a: np.ndarray, b: np.ndarray) -> float:
    return float(
        np.sqrt(
            ((len(a) - 1) * a.var(ddof=1) + (len(b) - 1) * b.var(ddof=1)) / (len(a) + len(b) - 2)
        )
    )


def _ratio_over_counterfactual(
    effect: estimators.Estimate, treated: np.ndarray, level: float = 0.95
) -> estimators.Estimate:
    """effect / (mean of the trained − effect), delta method with the two independent."""
    mean1 = float(treated.mean())
    mu0 = mean1 - effect.effect
    var1 = float(treated.var(ddof=1) / treated.size)
    # dR/dτ = ȳ₁/μ₀², dR/dȳ₁ = −τ/μ₀²
    se = float(np.sqrt((mean1 * effect.se) ** 2 + (effect.effect**2) * var1) / mu0**2)
    return estimators._interval(effect.effect / mu0, se, effect.df, level)


def _reliability(instrument: Instrument, frame: pd.DataFrame, code: str) -> dict | None:
    item_names = [i.name for i in instrument.index_items(code)]
    if len(item_names) < 2:
        return None
    matrix = item_matrix(instrument, frame, item_names)
    if (~np.isnan(matrix).any(axis=1)).sum() <= 10:
        return None
    rel = reliability(matrix, item_names)
    return {
        "alpha": rel.alpha,
        "low": rel.low,
        "high": rel.high,
        "omega": rel.omega,
        "n": rel.n,
        "item_rest": rel.item_rest,
        "warnings": rel.warnings,
    }


# The headline estimator in words, per ``headline_method``.
HEADLINE_NAMES = {
    "aipw": gettext_noop("doubly robust effect on the trained (AIPW-ATT)"),
    "ols_wild": gettext_noop("regression-adjusted effect with a wild cluster bootstrap-t interval"),
    "ols_cr2": gettext_noop("difference in means with cluster-robust (CR2) errors"),
    "wild": gettext_noop("difference in means with a wild cluster bootstrap-t interval"),
    "welch": gettext_noop("difference in means (Welch)"),
}

# Headlines: one line per index.
SCORED_HIGHER = gettext_noop(
    "Trained officers scored %(effect)s points higher (95%% CI %(low)s–%(high)s) on "
    "%(index)s, a %(relative)s%% improvement over the mean they would have had untrained."
)
SCORED_LOWER = gettext_noop(
    "Trained officers scored %(effect)s points lower (95%% CI %(low)s–%(high)s) on "
    "%(index)s, a %(relative)s%% improvement over the mean they would have had untrained."
)

# Method notes: what the headline is, why, what it assumes.
HEADLINE_IS = gettext_noop("Headline: the %(name)s.")
WHY_AIPW = gettext_noop(
    "Why: it weighs the comparison group to resemble the trained and also models the score, so "
    "it is right if either model is right; the effect is that on the trained, the group the "
    "programme reached."
)
INTERVAL_AIPW_CLUSTERS = gettext_noop(
    "Interval: analytic influence-function standard error, cluster-robust by '%(cluster)s' "
    "(%(clusters)s clusters), with Student's t on %(df)s degrees of freedom (few clusters make "
    "the normal quantile too narrow). In 200 simulated studies like seed 002 with 25–32 "
    "clusters, its 95%% interval covered the truth 94.2%% of the time, the normal quantile's "
    "93.0%% (bench/README.md). The wild cluster bootstrap-t of the regression estimate is "
    "shown beside it as a check; it becomes the headline below %(few)s clusters."
)
INTERVAL_AIPW = gettext_noop(
    "Interval: analytic influence-function (sandwich) standard error, normal."
)
WHY_WILD = gettext_noop(
    "Why: with only %(clusters)s clusters, analytic cluster-robust intervals are too narrow; "
    "the wild cluster bootstrap-t (Rademacher weights per cluster, computed in closed form) "
    "keeps its level far better (Cameron, Gelbach & Miller 2008)."
)
WHY_CR2 = gettext_noop(
    "Why: no covariates were given; the errors allow for correlation within the %(clusters)s "
    "clusters (CR2, t with %(df)s degrees of freedom)."
)
WHY_WELCH = gettext_noop("Why: no covariates and no clusters were given: the plain difference.")
RELATIVE_NOTE = gettext_noop(
    "Relative improvement: the effect divided by the mean the trained would have had without "
    "training (their mean minus the effect), not by the raw comparison mean."
)
ASSUMPTIONS = gettext_noop(
    "Assumptions: (1) overlap — every kind of trained officer has comparable untrained ones "
    "(propensities: trained up to %(high)s, comparison from %(low)s); (2) no unmeasured "
    "confounding — %(covariates)s capture what drove both training and scores; (3) "
    "%(independence)s"
)
INDEPENDENT_CLUSTERS = gettext_noop(
    "respondents in different values of '%(cluster)s' are independent."
)
INDEPENDENT = gettext_noop("respondents are independent (no cluster was given).")
SENSITIVITY_NOTE = gettext_noop("Sensitivity: %(sentence)s")


def analyze(
    instrument: Instrument,
    rows: list[dict[str, str]],
    *,
    group_column: str,
    treated_value: str,
    comparison_value: str | None = None,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    subgroups: list[str] | None = None,
    seed: int = 0,
    draws: int = 999,
    min_cell: int = 5,
    places: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The whole analysis; ``places`` names ISO 3166-2 codes (state values) for readers."""
    covariates = covariates or []
    if not rows:
        raise AnalysisError(NO_ANSWERS)
    frame = pd.DataFrame(rows).fillna("")
    wanted = [group_column, *covariates, *([cluster] if cluster else []), *(subgroups or [])]
    for column in wanted:
        if column not in frame.columns:
            raise AnalysisError(
                Message(
                    NOT_IN_DATA,
                    {
                        "column": column,
                        "suggestion": _suggest(column, [str(c) for c in frame.columns]),
                    },
                )
            )
    keep_rows, t_all, warnings = _group_masks(frame, group_column, treated_value, comparison_value)
    if not keep_rows.all():
        frame = frame[keep_rows].reset_index(drop=True)
        rows = [r for r, k in zip(rows, keep_rows, strict=True) if k]
    n_treated, n_comparison = int(t_all.sum()), int(len(t_all) - t_all.sum())
    if min(n_treated, n_comparison) < MIN_GROUP:
        raise AnalysisError(
            Message(
                TOO_FEW,
                {
                    "treated": n_treated,
                    "comparison": n_comparison,
                    "min": MIN_GROUP,
                    "small": SMALL_GROUP,
                },
            )
        )
    if min(n_treated, n_comparison) < SMALL_GROUP:
        warnings.append(
            Message(
                SMALL,
                {"small": SMALL_GROUP, "treated": n_treated, "comparison": n_comparison},
            )
        )
    clusters_all, cluster_notes = _clusters(frame, cluster)
    warnings += cluster_notes
    design = _design(frame, covariates)
    warnings += design.notes
    x_all = design.matrix
    subgroup_columns = (
        subgroups
        if subgroups is not None
        else [c for c in ("sex", "profession", "state") if c in frame.columns]
    )
    label_block = build(
        instrument,
        columns=[group_column, *covariates, *([cluster] if cluster else []), *subgroup_columns],
        values={c: frame[c].astype(str).str.strip().unique().tolist() for c in subgroup_columns},
        design=design.columns,
        places=places,
    )
    readers = {lang: Labels(label_block, lang) for lang in ("en", "es")}
    scores = index_scores(instrument, frame)
    results: list[dict[str, Any]] = []
    p_values: list[float] = []
    for index in instrument.indices:
        y = scores[index.code]
        keep = ~np.isnan(y)
        y, t = y[keep], t_all[keep]
        x = x_all[keep] if x_all is not None else None
        groups = clusters_all[keep] if clusters_all is not None else None
        treated, comparison = y[t == 1], y[t == 0]
        if len(treated) < MIN_GROUP or len(comparison) < MIN_GROUP:
            results.append(
                {
                    "code": index.code,
                    "label": index.label,
                    "label_en": index.label_in("en"),
                    "label_es": index.label_in("es"),
                    "error": f"Fewer than {MIN_GROUP} answers in a group "
                    f"({len(treated)} trained, {len(comparison)} comparison).",
                }
            )
            p_values.append(1.0)
            continue
        codes = estimators.cluster_codes(groups, len(y))
        n_clusters = int(codes.max() + 1) if groups is not None else None
        if n_clusters is not None and n_clusters < MIN_CLUSTERS:
            results.append(
                {
                    "code": index.code,
                    "label": index.label,
                    "label_en": index.label_in("en"),
                    "label_es": index.label_in("es"),
                    "error": "The answers to this index come from a single cluster.",
                }
            )
            p_values.append(1.0)
            continue
        diff = estimators.welch(treated, comparison)
        adjusted = estimators.ols_adjusted(y, t, x, groups)
        cr2 = estimators.ols_cr2(y, t, x, groups) if groups is not None else None
        aipw = fit = None
        if x is not None:
            xc = sm.add_constant(x, has_constant="add")
            fit = estimators.aipw_fit(y, t, xc)
            aipw = estimators.linearised(fit.effect, fit.psi, codes)
        wild = None
        if groups is not None and n_clusters is not None and n_clusters < FEW_CLUSTERS:
            wild = estimators.wild_cluster_bootstrap(y, t, x, groups, draws=draws, seed=seed)
        few = n_clusters is not None and n_clusters < FEW_CLUSTERS_HEADLINE
        if x is not None and few:
            headline, method = wild, "ols_wild"
        elif x is not None:
            headline, method = aipw, "aipw"
        elif few:
            headline, method = wild, "wild"
        elif groups is not None:
            headline, method = cr2, "ols_cr2"
        else:
            headline, method = diff, "welch"
        if headline is None:  # pragma: no cover - each branch above sets one
            raise AnalysisError("No estimate for the headline.")
        if method == "aipw" and fit is not None:
            relative = estimators.relative_to_counterfactual(fit, codes)
            counterfactual = fit.counterfactual
        elif x is not None:
            relative = _ratio_over_counterfactual(headline, treated)
            counterfactual = float(treated.mean() - headline.effect)
        else:
            relative = estimators.relative_improvement(headline.effect, headline.se, comparison)
            counterfactual = float(comparison.mean())
        sd = _pooled_sd(treated, comparison)
        sensitivity_block = None
        if x is not None:
            sensitivity_block = sensitivity.analyse(
                y, t, x, design.groups, (headline.effect, headline.low, headline.high), sd
            )
            strongest = (sensitivity_block.get("strongest") or {}).get("covariate", "")
            sentence = sensitivity.sentence(
                sensitivity_block,
                Label(index.label_in("en"), index.label_in("es")),
                Label(readers["en"].column(strongest), readers["es"].column(strongest)),
            ).as_dict()
            sensitivity_block["sentence"] = {
                lang: texts[0] for lang, texts in in_languages([sentence]).items()
            }
            sensitivity_block["sentence_message"] = sentence
        scale = raw_scale(instrument, index.code)
        resid = y - np.where(t == 1, treated.mean(), comparison.mean())
        results.append(
            {
                "code": index.code,
                "label": index.label,
                "label_en": index.label_in("en"),
                "label_es": index.label_in("es"),
                "n_treated": int(len(treated)),
                "n_comparison": int(len(comparison)),
                "mean_treated": float(treated.mean()),
                "mean_comparison": float(comparison.mean()),
                "counterfactual_mean": counterfactual,
                "raw_scale": scale,
                "mean_treated_raw": _to_raw(float(treated.mean()), scale),
                "mean_comparison_raw": _to_raw(float(comparison.mean()), scale),
                "distribution": {
                    "bins": list(range(0, 101, 10)),
                    "treated": np.histogram(treated, bins=10, range=(0, 100))[0].tolist(),
                    "comparison": np.histogram(comparison, bins=10, range=(0, 100))[0].tolist(),
                },
                "difference": _estimate(diff),
                "relative_improvement": _estimate(relative),
                "hedges_g": _estimate(estimators.hedges_g(treated, comparison)),
                "adjusted_ols": _estimate(adjusted),
                "adjusted_ols_cr2": _estimate(cr2),
                "aipw": _estimate(aipw),
                "wild_cluster_bootstrap": _estimate(wild),
                "headline": _estimate(headline),
                "headline_method": method,
                "sensitivity": sensitivity_block,
                "design": {
                    "sd": sd,
                    "clusters": n_clusters,
                    "icc": icc_anova(resid, groups) if groups is not None else None,
                },
                "reliability": _reliability(instrument, frame, index.code),
            }
        )
        p_values.append(headline.p_value)
    for result, p in zip(results, estimators.holm(p_values), strict=True):
        result["p_holm"] = p
    ok = [r for r in results if "error" not in r]
    balance, overlap, balance_warnings = _balance(x_all, t_all, design.names)
    warnings += balance_warnings
    items = _item_table(instrument, rows, t_all, frame)
    data_hash = _data_hash(frame)
    notes = [m.as_dict() for m in _method_notes(ok, overlap, cluster, covariates, readers)]
    headlines = [m.as_dict() for m in _headlines(results)]
    return finite(
        {
            "meta": {
                "instrument": instrument.title,
                "instrument_version": instrument.version,
                "data_sha256": data_hash,
                "rows": len(rows),
                "settings": {
                    "design": "post",
                    "group_column": group_column,
                    "treated_value": treated_value,
                    "comparison_value": comparison_value,
                    "covariates": covariates,
                    "cluster": cluster,
                    "subgroups": subgroup_columns,
                    "bootstrap_draws": draws,
                    "min_cell": min_cell,
                    "min_group": MIN_GROUP,
                },
                "seed": seed,
            },
            "groups": {"treated": n_treated, "comparison": n_comparison},
            "indices": results,
            "balance": balance,
            "overlap": overlap,
            "items": items,
            "subgroups": _subgroups(frame, scores, t_all, instrument, subgroup_columns, min_cell),
            "method": {
                "headline": ok[0]["headline_method"] if ok else None,
                **in_languages(notes),
            },
            "method_messages": notes,
            "labels": label_block,
            "warnings": [str(w) for w in warnings],
            "warning_messages": [as_message(w).as_dict() for w in warnings],
            "headlines": in_languages(headlines),
            "headline_messages": headlines,
        }
    )


def _method_notes(
    results: list[dict[str, Any]],
    overlap: dict[str, Any],
    cluster: str | None,
    covariates: list[str],
    readers: dict[str, Labels] | None = None,
) -> list[Message]:
    """What the headline is, why, what it assumes and how sensitive it is; covariates and the
    cluster are named by their labels (``readers``), else their names."""
    if not results:
        return []
    readers = readers or {lang: Labels(None, lang) for lang in ("en", "es")}
    cluster_label = (
        Label(readers["en"].column(cluster), readers["es"].column(cluster))
        if cluster
        else Label("", "")
    )
    method = results[0]["headline_method"]
    clusters = results[0]["design"]["clusters"]
    notes = [Message(HEADLINE_IS, {"name": Message(HEADLINE_NAMES[method])})]
    if method == "aipw":
        notes.append(Message(WHY_AIPW))
        if clusters:
            notes.append(
                Message(
                    INTERVAL_AIPW_CLUSTERS,
                    {
                        "cluster": cluster_label,
                        "clusters": clusters,
                        "df": clusters - 1,
                        "few": FEW_CLUSTERS_HEADLINE,
                    },
                )
            )
        else:
            notes.append(Message(INTERVAL_AIPW))
    elif method in ("ols_wild", "wild"):
        notes.append(Message(WHY_WILD, {"clusters": clusters}))
    elif method == "ols_cr2":
        notes.append(Message(WHY_CR2, {"clusters": clusters, "df": clusters - 1}))
    else:
        notes.append(Message(WHY_WELCH))
    notes.append(Message(RELATIVE_NOTE))
    if covariates:
        independence = (
            Message(INDEPENDENT_CLUSTERS, {"cluster": cluster_label})
            if cluster
            else Message(INDEPENDENT)
        )
        notes.append(
            Message(
                ASSUMPTIONS,
                {
                    "high": Number(overlap["treated_max"], 2),
                    "low": Number(overlap["comparison_min"], 2),
                    "covariates": Label(
                        ", ".join(readers["en"].names(covariates)),
                        ", ".join(readers["es"].names(covariates)),
                    ),
                    "independence": independence,
                },
            )
        )
        fragile = _most_fragile(results)
        if fragile:
            sentence = from_dict(fragile["sensitivity"]["sentence_message"])
            notes.append(Message(SENSITIVITY_NOTE, {"sentence": sentence}))
    return notes


def _most_fragile(results: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The index whose effect an unmeasured confounder would explain away most easily."""
    return min(
        (r for r in results if r.get("sensitivity")),
        key=lambda r: r["sensitivity"]["rv"],
        default=None,
    )


def _data_hash(frame: pd.DataFrame) -> str:
    """SHA-256 of the analysed answers: columns in name order, each as its name and cells
    joined by unit separators (the same data give the same hash, in one pass)."""
    digest = hashlib.sha256()
    for name in sorted(frame.columns, key=str):
        digest.update(json.dumps(str(name), ensure_ascii=False).encode())
        digest.update("\x1f".join(map(str, frame[name].to_numpy(object).tolist())).encode())
        digest.update(b"\x1e")
    return digest.hexdigest()


def _item_table(
    instrument: Instrument,
    rows: list[dict[str, str]],
    t: np.ndarray,
    frame: pd.DataFrame | None = None,
) -> list[dict[str, Any]]:
    """Share agreeing (4 or 5 on a 1–5 scale, as answered, before any reversal) by group."""
    from scipy import stats

    table, p_values = [], []
    for item in instrument.items:
        if item.kind != "likert":
            continue
        # On the answer scale; "don't know" codes and off-scale values are not answers.
        if frame is not None:  # each distinct answer looked up once (same numbers, fast)
            column = (
                frame[item.name].to_numpy(object)
                if item.name in frame.columns
                else np.array([""] * len(t), object)
            )
            codes, uniques = pd.factorize(column, use_na_sentinel=False)
            values = np.array([_number(item_value(item, v)) for v in uniques], float)[codes]
        else:
            values = np.array([_number(item_value(item, r.get(item.name))) for r in rows], float)
        answered = ~np.isnan(values)
        agree = values >= item.scale_max - 1
        shares = []
        counts = []
        for group in (1, 0):
            mask = answered & (t == group)
            shares.append(float(agree[mask].mean()) if mask.any() else None)
            counts.append([int((agree & mask).sum()), int((~agree & mask).sum())])
        p = (
            float(stats.chi2_contingency(counts)[1])
            if min(map(sum, counts)) > 0 and all(sum(c) for c in zip(*counts, strict=True))
            else 1.0
        )
        p_values.append(p)
        table.append(
            {
                "name": item.name,
                "label": item.label,
                "label_en": column_label(instrument, item.name, "en"),
                "label_es": column_label(instrument, item.name, "es"),
                "reverse": item.reverse,
                "agree_treated": shares[0],
                "agree_comparison": shares[1],
                "p": p,
            }
        )
    for row, adjusted in zip(
        table, estimators.benjamini_hochberg(p_values) if p_values else [], strict=True
    ):
        row["p_bh"] = adjusted
    return table


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return float("nan")


def _subgroups(
    frame: pd.DataFrame,
    scores: dict[str, np.ndarray],
    t: np.ndarray,
    instrument: Instrument,
    columns: list[str],
    min_cell: int,
) -> dict[str, list[dict[str, Any]]]:
    """Raw differences within each value of each named column, for every index; a value with
    fewer than ``min_cell`` respondents in a group is suppressed."""
    result: dict[str, list[dict[str, Any]]] = {}
    for column in columns:
        values = frame[column].astype(str).str.strip().to_numpy()
        rows = []
        for value in sorted(set(values)):
            mask = values == value
            n1, n0 = int((mask & (t == 1)).sum()), int((mask & (t == 0)).sum())
            label = value or "(blank)"
            if min(n1, n0) < min_cell:
                rows.append({"value": label, "suppressed": True})
                continue
            per_index = []
            for index in instrument.indices:
                y = scores[index.code]
                a = y[mask & (t == 1) & ~np.isnan(y)]
                b = y[mask & (t == 0) & ~np.isnan(y)]
                entry: dict[str, Any] = {
                    "code": index.code,
                    "label": index.label,
                    "label_en": index.label_in("en"),
                    "label_es": index.label_in("es"),
                }
                if min(len(a), len(b)) < max(min_cell, 2):
                    entry["suppressed"] = True
                else:
                    entry.update(
                        {
                            "n_treated": len(a),
                            "n_comparison": len(b),
                            "difference": _estimate(estimators.welch(a, b)),
                            "suppressed": False,
                        }
                    )
                per_index.append(entry)
            rows.append(
                {
                    "value": label,
                    "n_treated": n1,
                    "n_comparison": n0,
                    "indices": per_index,
                    "suppressed": False,
                }
            )
        result[column] = rows
    return result


def _headlines(results: list[dict[str, Any]]) -> list[Message]:
    """One line per index, then one sentence on the most fragile index's sensitivity."""
    lines: list[Message] = []
    for r in results:
        if "error" in r:
            continue
        h, rel = r["headline"], r["relative_improvement"]
        label = r.get("label_en") or r["label"] or r["code"]
        lines.append(
            Message(
                SCORED_HIGHER if h["effect"] >= 0 else SCORED_LOWER,
                {
                    "effect": Number(abs(h["effect"])),
                    "low": Number(h["low"]),
                    "high": Number(h["high"]),
                    "index": Label(label, r.get("label_es", label)).lower(),
                    "relative": Number(100 * rel["effect"]),
                },
            )
        )
    fragile = _most_fragile(results)
    if fragile:
        lines.append(from_dict(fragile["sensitivity"]["sentence_message"]))
    return lines
