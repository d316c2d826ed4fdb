"""How strong would an unmeasured confounder have to be to explain the effect away?

Two answers, both from published closed forms:

* Cinelli & Hazlett (2020), "Making sense of sensitivity: extending omitted variable bias",
  JRSS B 82(1). For the regression-adjusted treatment coefficient with t statistic t and
  residual degrees of freedom df, the partial R² of treatment with outcome is
  R²_{Y~D|X} = t² / (t² + df), and with f = |t| / √df the robustness value is

      RV_q = ½ (√(f_q⁴ + 4 f_q²) − f_q²),   f_q = q · f,

  the share of the residual variance of both treatment and outcome a confounder would have to
  explain to reduce the estimate by 100·q%. RV_{q,α} uses f_q − f*_{α,df−1} instead
  (f* = t*_{α,df−1} / √(df − 1)) and is the strength that would make the estimate no longer
  significant at level α. Bounds benchmark a confounder "k times as strong" as an observed
  covariate X_j (their section 6): with R²_{D~X_j|X−j} and R²_{Y~X_j|D,X−j},

      R²_{D~Z|X} = k_D · R²_{D~Xj} / (1 − R²_{D~Xj})
      R²_{Y~Z|D,X} = ((√k_Y + √η) / √(1 − η))² · R²_{Y~Xj} / (1 − R²_{Y~Xj}),
      η = k_D · R²_{D~Xj}² / ((1 − k_D R²_{D~Xj})(1 − R²_{D~Xj})),

  and the adjusted estimate is |β̂| − se · √df · √(R²_{Y~Z} R²_{D~Z} / (1 − R²_{D~Z})) with
  se' = se · √((1 − R²_{Y~Z}) / (1 − R²_{D~Z}) · df / (df − 1)).

* VanderWeele & Ding (2017), "Sensitivity analysis in observational research: introducing
  the E-value", Ann Intern Med 167(4). For a continuous outcome the standardised difference
  d = effect / SD is turned into an approximate risk ratio RR = exp(0.91 d) and
  E = RR + √(RR (RR − 1)): the risk ratio a confounder would need with both training and
  outcome to explain the effect away; for the interval, the limit nearest the null (1 if the
  interval crosses it).
"""

from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy import stats

from fortalece.impact.core.messages import Label, Message, Number, gettext_noop

SENTENCE = gettext_noop(
    "On %(index)s, an unmeasured factor would have to explain %(rv)s%% of what remains "
    "unexplained of both training and score to remove the adjusted effect (%(rv_alpha)s%% to "
    "make it not significant)%(tail)s (E-value %(e_value)s)."
)
EXPLAINED_AWAY = gettext_noop("; a hidden factor as strong as %(covariate)s could explain it away")
NOT_SIGNIFICANT = gettext_noop(
    "; a hidden factor as strong as %(covariate)s would not remove it but would leave it not "
    "significant"
)
NOT_REMOVED = gettext_noop("; a hidden factor as strong as %(covariate)s could not remove it")


def partial_r2(t_value: float, df: float) -> float:
    return float(t_value**2 / (t_value**2 + df))


def robustness_value(
    t_value: float, df: float, q: float = 1.0, alpha: float | None = None
) -> float:
    """RV_q, or RV_{q,α} when ``alpha`` is given (Cinelli & Hazlett 2020, section 4)."""
    fq = q * abs(t_value) / np.sqrt(df)
    if alpha is not None:
        f_crit = abs(stats.t.ppf(alpha / 2, df - 1)) / np.sqrt(df - 1)
        fqa = fq - f_crit
        if fqa <= 0:
            return 0.0
        if fq > 1 / f_crit:
            # The constraint does not bind: even a confounder explaining all of the outcome's
            # residual variance needs only this much of the treatment's (their section 4.3).
            return float((fq**2 - f_crit**2) / (1 + fq**2))
        rv = 0.5 * (np.sqrt(fqa**4 + 4 * fqa**2) - fqa**2)
        return float(rv)
    return float(0.5 * (np.sqrt(fq**4 + 4 * fq**2) - fq**2))


@dataclass(frozen=True)
class Bound:
    label: str
    r2dz_x: float
    r2yz_dx: float
    adjusted_estimate: float
    adjusted_se: float
    adjusted_t: float
    low: float
    high: float


def adjusted(
    estimate: float, se: float, df: float, r2dz_x: float, r2yz_dx: float, alpha: float = 0.05
) -> tuple[float, float, float, float, float]:
    """Estimate, se, t and interval after a confounder of the given partial R²s, moving the
    estimate towards zero."""
    bias = se * np.sqrt(df) * np.sqrt(r2yz_dx * r2dz_x / (1 - r2dz_x))
    value = np.sign(estimate) * (abs(estimate) - bias)
    new_se = se * np.sqrt((1 - r2yz_dx) / (1 - r2dz_x) * df / (df - 1))
    crit = stats.t.ppf(1 - alpha / 2, df - 1)
    return (
        float(value),
        float(new_se),
        float(value / new_se),
        float(value - crit * new_se),
        float(value + crit * new_se),
    )


def benchmark_bound(
    label: str,
    estimate: float,
    se: float,
    df: float,
    r2dxj_x: float,
    r2yxj_dx: float,
    kd: float = 1.0,
    ky: float | None = None,
    alpha: float = 0.05,
) -> Bound:
    """A confounder ``kd`` (with treatment) and ``ky`` (with outcome) times as strong as X_j."""
    ky = kd if ky is None else ky
    r2dz = kd * r2dxj_x / (1 - r2dxj_x)
    if r2dz >= 1:
        raise ValueError("Implausible benchmark: the confounder would explain all of treatment.")
    eta = kd * r2dxj_x**2 / ((1 - kd * r2dxj_x) * (1 - r2dxj_x))
    r2yz = ((np.sqrt(ky) + np.sqrt(eta)) / np.sqrt(1 - eta)) ** 2 * (r2yxj_dx / (1 - r2yxj_dx))
    r2yz = float(min(r2yz, 1.0))
    value, new_se, t_value, low, high = adjusted(estimate, se, df, r2dz, r2yz, alpha)
    return Bound(label, float(r2dz), r2yz, value, new_se, t_value, low, high)


def e_value(effect: float, low: float, high: float, sd: float) -> tuple[float, float]:
    """E-values of the estimate and of the interval limit nearest the null (VanderWeele & Ding)."""

    def one(d: float) -> float:
        rr = float(np.exp(0.91 * abs(d)))
        return rr + float(np.sqrt(rr * (rr - 1)))

    if sd <= 0:
        return float("nan"), float("nan")
    point = one(effect / sd)
    crosses = low <= 0 <= high
    nearest = 0.0 if crosses else (low if effect > 0 else high)
    return point, (1.0 if crosses else one(nearest / sd))


@dataclass
class _Fit:
    """Classical OLS: coefficients, (X'X)⁺, residual sum of squares and df."""

    beta: np.ndarray
    xtx_inv: np.ndarray
    rss: float
    df: float

    @classmethod
    def of(cls, y: np.ndarray, design: np.ndarray) -> "_Fit":
        xtx_inv = np.linalg.pinv(design.T @ design)
        beta = xtx_inv @ (design.T @ y)
        resid = y - design @ beta
        rank = np.linalg.matrix_rank(design.T @ design)
        return cls(beta, xtx_inv, float(resid @ resid), float(len(y) - rank))

    def coefficient(self, column: int) -> tuple[float, float, float]:
        se = float(np.sqrt(self.rss / self.df * self.xtx_inv[column, column]))
        return float(self.beta[column]), se, float(self.beta[column] / se)

    def partial_r2(self, columns: list[int]) -> float:
        """Partial R² of a group of columns without refitting: leaving them out raises the
        RSS by Δ = b_g' [(X'X)⁻¹_gg]⁻¹ b_g, and R² = Δ / (Δ + RSS)."""
        b = self.beta[columns]
        delta = float(b @ np.linalg.pinv(self.xtx_inv[np.ix_(columns, columns)]) @ b)
        return delta / (delta + self.rss) if delta + self.rss > 0 else 0.0


def group_partial_r2(y: np.ndarray, design: np.ndarray, columns: list[int]) -> float:
    """Partial R² of a group of columns: (RSS without − RSS with) / RSS without."""
    return _Fit.of(np.asarray(y, float), design).partial_r2(columns)


def analyse(
    y: np.ndarray,
    treated: np.ndarray,
    covariates: np.ndarray,
    groups: dict[str, list[int]],
    headline: tuple[float, float, float],
    sd: float,
    alpha: float = 0.05,
) -> dict:
    """The sensitivity block of one index.

    ``covariates`` is the adjustment matrix (no constant), ``groups`` names its columns by
    covariate (a categorical covariate's dummies form one group), ``headline`` is the
    headline (effect, low, high) for the E-value, ``sd`` the outcome's pooled SD.
    """
    y = np.asarray(y, float)
    t = np.asarray(treated, float)
    n = len(y)
    outcome = _Fit.of(y, np.column_stack([np.ones(n), t, covariates]))
    estimate, se, t_value = outcome.coefficient(1)
    df = outcome.df
    treatment = _Fit.of(t, np.column_stack([np.ones(n), covariates]))
    benchmarks: list[dict[str, Any]] = []
    for name, columns in groups.items():
        r2y = outcome.partial_r2([c + 2 for c in columns])
        r2d = treatment.partial_r2([c + 1 for c in columns])
        try:
            bound = benchmark_bound(name, estimate, se, df, r2d, r2y, alpha=alpha)
        except ValueError:
            continue
        benchmarks.append(
            {
                "covariate": name,
                "r2_treatment": r2d,
                "r2_outcome": r2y,
                "r2dz_x": bound.r2dz_x,
                "r2yz_dx": bound.r2yz_dx,
                "adjusted_estimate": bound.adjusted_estimate,
                "adjusted_low": bound.low,
                "adjusted_high": bound.high,
            }
        )
    point, limit = e_value(*headline, sd)
    strongest = min(benchmarks, key=lambda b: abs(b["adjusted_estimate"]), default=None)
    return {
        "estimate": estimate,
        "se": se,
        "t": t_value,
        "df": df,
        "partial_r2": partial_r2(t_value, df),
        "rv": robustness_value(t_value, df),
        "rv_alpha": robustness_value(t_value, df, alpha=alpha),
        "benchmarks": benchmarks,
        "strongest": strongest,
        "e_value": point,
        "e_value_ci": limit,
    }


def sentence(block: dict, index: Label, covariate: Label | None = None) -> Message:
    """One plain sentence on how strong a hidden factor would have to be; the benchmark
    covariate is named by ``covariate`` (its labels), else by its name."""
    strongest = block.get("strongest")
    tail: Message | str = ""
    if strongest is not None:
        named = covariate or Label(strongest["covariate"], strongest["covariate"])
        value = strongest["adjusted_estimate"]
        if np.sign(value) != np.sign(block["estimate"]) or value == 0:
            tail = Message(EXPLAINED_AWAY, {"covariate": named})
        elif strongest["adjusted_low"] <= 0 <= strongest["adjusted_high"]:
            tail = Message(NOT_SIGNIFICANT, {"covariate": named})
        else:
            tail = Message(NOT_REMOVED, {"covariate": named})
    return Message(
        SENTENCE,
        {
            "index": index.lower(),
            "rv": Number(100 * block["rv"]),
            "rv_alpha": Number(100 * block["rv_alpha"]),
            "tail": tail,
            "e_value": Number(block["e_value"], 2),
        },
    )
