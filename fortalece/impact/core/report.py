"""The whole analysis of a trained-vs-comparison study, as a JSON-serialisable dict.

Layout documented in docs/impact-json.md. Reproducible: the result records the instrument
version, a SHA-256 of the data, the settings and the random seed.
"""

import hashlib
import json
from dataclasses import asdict
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from fortalece.impact.core import estimators
from fortalece.impact.core.instrument import Instrument
from fortalece.impact.core.reliability import reliability
from fortalece.impact.core.scoring import item_score, item_value, score_all

FEW_CLUSTERS = 50
SMD_WARNING = 0.25


class AnalysisError(ValueError):
    pass


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


def _design(frame: pd.DataFrame, covariates: list[str]) -> np.ndarray | None:
    if not covariates:
        return None
    parts = []
    for name in covariates:
        column = frame[name].replace("", np.nan)
        numeric = pd.to_numeric(column, errors="coerce")
        if numeric.notna().mean() > 0.95:
            parts.append(numeric.fillna(numeric.mean()).to_frame(name))
        else:
            parts.append(
                pd.get_dummies(
                    column.fillna("missing").astype(str), prefix=name, drop_first=True, dtype=float
                )
            )
    design = pd.concat(parts, axis=1)
    design = design.loc[:, design.std() > 0]
    return design.to_numpy(float)


def _design_names(frame: pd.DataFrame, covariates: list[str]) -> list[str]:
    """Column names of ``_design`` (numeric covariates keep their name; dummies are name_value)."""
    if not covariates:
        return []
    names = []
    for name in covariates:
        column = frame[name].replace("", np.nan)
        if pd.to_numeric(column, errors="coerce").notna().mean() > 0.95:
            names.append(name)
        else:
            dummies = pd.get_dummies(
                column.fillna("missing").astype(str), prefix=name, drop_first=True, dtype=float
            )
            names += [c for c in dummies.columns if dummies[c].std() > 0]
    return names


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
) -> tuple[list[dict[str, Any]], dict[str, Any], list[str]]:
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
    warnings = []
    if any(abs(r["smd_before"]) > SMD_WARNING for r in rows):
        warnings.append(
            "The groups differ on the covariates before adjustment (a standardised difference above "
            f"{SMD_WARNING}): the raw difference mixes the effect of training with these differences."
        )
    if any(abs(r["smd_after"]) > SMD_WARNING for r in rows):
        warnings.append(
            "Even after weighting the groups are not comparable on some covariates: read the adjusted effects with care."
        )
    if overlap["comparison_max"] < overlap["treated_max"] * 0.5:
        warnings.append(
            "Few untrained officers resemble the trained ones (poor propensity overlap)."
        )
    return rows, overlap, warnings


def analyze(
    instrument: Instrument,
    rows: list[dict[str, str]],
    *,
    group_column: str,
    treated_value: str,
    covariates: list[str] | None = None,
    cluster: str | None = None,
    seed: int = 0,
    draws: int = 500,
    min_cell: int = 5,
) -> dict[str, Any]:
    covariates = covariates or []
    if not rows:
        raise AnalysisError("There are no answers to analyse.")
    frame = pd.DataFrame(rows).fillna("")
    for column in [group_column, *covariates, *([cluster] if cluster else [])]:
        if column not in frame.columns:
            raise AnalysisError(f"Column '{column}' is not in the data.")
    t_all = (frame[group_column].astype(str) == str(treated_value)).to_numpy(float)
    if t_all.sum() == 0 or t_all.sum() == len(t_all):
        raise AnalysisError(
            f"Column '{group_column}' must hold '{treated_value}' for some rows and another value for others."
        )
    scores = pd.DataFrame(score_all(instrument, rows))
    x_all = _design(frame, covariates)
    clusters_all = frame[cluster].to_numpy() if cluster else None
    results: list[dict[str, Any]] = []
    p_values: list[float] = []
    for index in instrument.indices:
        y = scores[index.code].to_numpy(float)
        keep = ~np.isnan(y)
        y, t = y[keep], t_all[keep]
        x = x_all[keep] if x_all is not None else None
        groups = clusters_all[keep] if clusters_all is not None else None
        treated, comparison = y[t == 1], y[t == 0]
        if len(treated) < 2 or len(comparison) < 2:
            results.append(
                {"code": index.code, "label": index.label, "error": "Too few answers in a group."}
            )
            p_values.append(1.0)
            continue
        diff = estimators.welch(treated, comparison)
        adjusted = estimators.ols_adjusted(y, t, x, groups)
        aipw = (
            estimators.aipw_att(y, t, x, groups, draws=draws, seed=seed) if x is not None else None
        )
        wild = None
        if groups is not None and len(np.unique(groups)) < FEW_CLUSTERS:
            wild = estimators.wild_cluster_bootstrap(y, t, x, groups, draws=draws, seed=seed)
        headline = aipw or adjusted if covariates else diff
        item_names = [i.name for i in instrument.index_items(index.code)]
        rel_block = None
        if item_names:
            matrix = np.array(
                [
                    [
                        np.nan if (s := item_score(instrument.item(n), r.get(n))) is None else s
                        for n in item_names
                    ]
                    for r in rows
                ],
                float,
            )
            if matrix.shape[1] >= 2 and (~np.isnan(matrix).any(axis=1)).sum() > 10:
                rel = reliability(matrix, item_names)
                rel_block = {
                    "alpha": rel.alpha,
                    "low": rel.low,
                    "high": rel.high,
                    "omega": rel.omega,
                    "n": rel.n,
                    "item_rest": rel.item_rest,
                    "warnings": rel.warnings,
                }
        results.append(
            {
                "code": index.code,
                "label": index.label,
                "label_es": index.label_in("es"),
                "n_treated": int(len(treated)),
                "n_comparison": int(len(comparison)),
                "mean_treated": float(treated.mean()),
                "mean_comparison": float(comparison.mean()),
                "raw_scale": raw_scale(instrument, index.code),
                "mean_treated_raw": _to_raw(
                    float(treated.mean()), raw_scale(instrument, index.code)
                ),
                "mean_comparison_raw": _to_raw(
                    float(comparison.mean()), raw_scale(instrument, index.code)
                ),
                "distribution": {
                    "bins": list(range(0, 101, 10)),
                    "treated": np.histogram(treated, bins=10, range=(0, 100))[0].tolist(),
                    "comparison": np.histogram(comparison, bins=10, range=(0, 100))[0].tolist(),
                },
                "difference": _estimate(diff),
                "relative_improvement": _estimate(
                    estimators.relative_improvement(headline.effect, headline.se, comparison)
                ),
                "hedges_g": _estimate(estimators.hedges_g(treated, comparison)),
                "adjusted_ols": _estimate(adjusted),
                "aipw": _estimate(aipw),
                "wild_cluster_bootstrap": _estimate(wild),
                "headline": _estimate(headline),
                "headline_method": "aipw" if aipw else ("ols" if covariates else "welch"),
                "reliability": rel_block,
            }
        )
        p_values.append(headline.p_value)
    for result, p in zip(results, estimators.holm(p_values), strict=True):
        result["p_holm"] = p
    balance, overlap, warnings = _balance(x_all, t_all, _design_names(frame, covariates))
    items = _item_table(instrument, rows, t_all)
    data_hash = hashlib.sha256(
        json.dumps(rows, sort_keys=True, ensure_ascii=False).encode()
    ).hexdigest()
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
                    "covariates": covariates,
                    "cluster": cluster,
                    "bootstrap_draws": draws,
                    "min_cell": min_cell,
                },
                "seed": seed,
            },
            "groups": {"treated": int(t_all.sum()), "comparison": int(len(t_all) - t_all.sum())},
            "indices": results,
            "balance": balance,
            "overlap": overlap,
            "items": items,
            "subgroups": _subgroups(frame, scores, t_all, instrument, min_cell),
            "warnings": warnings,
            "headlines": _headlines(results),
        }
    )


def _item_table(
    instrument: Instrument, rows: list[dict[str, str]], t: np.ndarray
) -> list[dict[str, Any]]:
    """Share agreeing (4 or 5 on a 1–5 scale, as answered, before any reversal) by group."""
    from scipy import stats

    table, p_values = [], []
    for item in instrument.items:
        if item.kind != "likert":
            continue
        # On the answer scale; "don't know" codes and off-scale values are not answers.
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
    frame: pd.DataFrame, scores: pd.DataFrame, t: np.ndarray, instrument: Instrument, min_cell: int
) -> dict[str, list[dict[str, Any]]]:
    result: dict[str, list[dict[str, Any]]] = {}
    headline_index = instrument.indices[-1].code
    for column in ("sex", "profession", "state"):
        if column not in frame.columns:
            continue
        rows = []
        for value in sorted(frame[column].astype(str).unique()):
            mask = (frame[column].astype(str) == value).to_numpy() & scores[
                headline_index
            ].notna().to_numpy()
            n1, n0 = int((mask & (t == 1)).sum()), int((mask & (t == 0)).sum())
            if min(n1, n0) < min_cell:
                rows.append({"value": value, "suppressed": True})
                continue
            y = scores[headline_index].to_numpy(float)
            diff = estimators.welch(y[mask & (t == 1)], y[mask & (t == 0)])
            rows.append(
                {
                    "value": value,
                    "n_treated": n1,
                    "n_comparison": n0,
                    "difference": _estimate(diff),
                    "suppressed": False,
                }
            )
        result[column] = rows
    return result


def _headlines(results: list[dict[str, Any]]) -> dict[str, list[str]]:
    en, es = [], []
    for r in results:
        if "error" in r:
            continue
        h, rel = r["headline"], r["relative_improvement"]
        direction_en = "higher" if h["effect"] >= 0 else "lower"
        direction_es = "más" if h["effect"] >= 0 else "menos"
        en.append(
            f"Trained officers scored {abs(h['effect']):.1f} points {direction_en} (95% CI {h['low']:.1f}–{h['high']:.1f}) "
            f"on {r['label'].lower()}, a {100 * rel['effect']:.1f}% improvement."
        )
        es.append(
            f"El personal capacitado obtuvo {abs(h['effect']):.1f} puntos {direction_es} (IC 95% {h['low']:.1f}–{h['high']:.1f}) "
            f"en {r.get('label_es', r['label']).lower()}, una mejora del {100 * rel['effect']:.1f}%."
        )
    return {"en": en, "es": es}
