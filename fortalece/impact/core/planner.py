"""Plan the next survey: minimum detectable effect (MDE) or the sample it needs.

Two groups (trained n₁, comparison n₀) measured once; answers correlate within clusters (the
states or units that chose who was trained) with intra-cluster correlation ρ and mean cluster
size m, so every variance is multiplied by the design effect DEFF = 1 + (m − 1) ρ (Kish 1965).
With z-quantiles for a two-sided level α and power 1 − β,

    MDE = (z_{1−α/2} + z_{1−β}) · σ · √(1/n₁ + 1/n₀) · √DEFF

(Bloom 1995). For the sample, with n₁ = r · n₀ and n₀ unknown,

    n₀ = (z_{1−α/2} + z_{1−β})² · σ² · (1 + 1/r) · DEFF / δ².

When the cluster size grows with the sample (a fixed number of clusters G), DEFF depends on
n itself: n = G · m gives n₀ = … only if δ² > (z…)² σ² ρ (1/G₁ + 1/G₀) — otherwise no number of
respondents per cluster reaches the target and more clusters are needed; we say so.
The tests check the formulas against statsmodels' ``NormalIndPower`` with the sample divided
by DEFF. The t-based ``TTestIndPower`` gives the same to within a respondent or two.
"""

import math
from dataclasses import asdict, dataclass

from scipy import stats

from fortalece.impact.core.messages import Message, MessageError, Number, gettext_noop

# Messages (English templates; the Django layer translates them, impact/texts.py).
BAD_LEVEL = gettext_noop("The level and the power must lie between 0 and 1.")
BAD_ICC = gettext_noop("The intra-cluster correlation must lie in [0, 1).")
TWO_PER_GROUP = gettext_noop("Each group needs at least two respondents.")
BAD_SD = gettext_noop("The standard deviation must be positive.")
BAD_EFFECT = gettext_noop("The effect and the standard deviation must be positive.")
BAD_RATIO = gettext_noop("The ratio of trained to comparison respondents must be positive.")
MORE_CLUSTERS = gettext_noop(
    "With %(clusters)s clusters and an intra-cluster correlation of %(icc)s, no number of "
    "respondents per cluster can detect this effect: more clusters are needed."
)
NO_SUCH_INDEX = gettext_noop("The study has no index '%(index)s'.")
NO_USABLE_INDEX = gettext_noop("The study has no usable index.")


class PlanError(MessageError):
    """A plan that cannot be made (``error.message`` says why, to translate)."""


@dataclass(frozen=True)
class Plan:
    n_treated: float
    n_comparison: float
    clusters: int
    icc: float
    sd: float
    alpha: float
    power: float
    design_effect: float
    mde: float  # points on the outcome's scale (0–100 for an index)
    mde_sd: float  # in standard deviations
    per_cluster: float  # respondents per cluster (both groups)

    def as_dict(self) -> dict:
        return asdict(self)


def _z(alpha: float, power: float) -> float:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise PlanError(BAD_LEVEL)
    return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))


def design_effect(cluster_size: float, icc: float) -> float:
    if not 0 <= icc < 1:
        raise PlanError(BAD_ICC)
    return 1 + (max(cluster_size, 1) - 1) * icc


def mde(
    *,
    n_treated: float,
    n_comparison: float,
    sd: float,
    clusters: int = 0,
    icc: float = 0.0,
    alpha: float = 0.05,
    power: float = 0.8,
) -> Plan:
    """The smallest true effect the design detects with the given power."""
    if n_treated < 2 or n_comparison < 2:
        raise PlanError(TWO_PER_GROUP)
    if sd <= 0:
        raise PlanError(BAD_SD)
    total = n_treated + n_comparison
    m = total / clusters if clusters else 1.0
    deff = design_effect(m, icc if clusters else 0.0)
    effect = _z(alpha, power) * sd * math.sqrt((1 / n_treated + 1 / n_comparison) * deff)
    return Plan(
        n_treated,
        n_comparison,
        clusters,
        icc,
        sd,
        alpha,
        power,
        deff,
        effect,
        effect / sd,
        m,
    )


def sample_size(
    *,
    effect: float,
    sd: float,
    ratio: float = 1.0,
    clusters: int = 0,
    icc: float = 0.0,
    alpha: float = 0.05,
    power: float = 0.8,
) -> Plan:
    """Respondents needed per group (``ratio`` = trained / comparison) to detect ``effect``.

    With ``clusters`` fixed the design effect depends on the cluster size m = n / G, so m is
    solved for exactly: with n₁ = r n₀, 1/n₁ + 1/n₀ = k/m where k = (1 + r)² / (r G), and
    δ² = z² σ² (k/m)(1 + (m − 1)ρ) ⇔ m = k (1 − ρ) / (δ² / (z² σ²) − k ρ).
    """
    if effect <= 0 or sd <= 0:
        raise PlanError(BAD_EFFECT)
    if ratio <= 0:
        raise PlanError(BAD_RATIO)
    z2 = _z(alpha, power) ** 2
    target = effect**2 / (z2 * sd**2)  # the largest (1/n₁ + 1/n₀) · DEFF that detects it
    if not clusters or icc == 0:
        n0 = (1 + 1 / ratio) / target
        n0 = float(math.ceil(n0))
        n1 = float(math.ceil(n0 * ratio))
        if clusters:
            return mde(
                n_treated=n1,
                n_comparison=n0,
                sd=sd,
                clusters=clusters,
                icc=icc,
                alpha=alpha,
                power=power,
            )
        return mde(n_treated=n1, n_comparison=n0, sd=sd, alpha=alpha, power=power)
    # n₀ = n/(1 + r), n₁ = r n/(1 + r), n = G m: 1/n₁ + 1/n₀ = (1 + r)²/(r G m) = k/m.
    k = (1 + ratio) ** 2 / (ratio * clusters)
    # target = (k/m)(1 + (m − 1)ρ) = k ρ + k (1 − ρ)/m.
    room = target - k * icc
    if room <= 0:
        raise PlanError(Message(MORE_CLUSTERS, {"clusters": clusters, "icc": Number(icc, None)}))
    m = k * (1 - icc) / room
    n = math.ceil(m * clusters)
    n0 = float(math.ceil(n / (1 + ratio)))
    n1 = float(math.ceil(n0 * ratio))
    return mde(
        n_treated=n1, n_comparison=n0, sd=sd, clusters=clusters, icc=icc, alpha=alpha, power=power
    )


def icc_anova(values, groups) -> float:  # type: ignore[no-untyped-def]
    """One-way ANOVA estimate of the intra-cluster correlation (Donner 1986), at least 0."""
    import numpy as np

    y = np.asarray(values, float)
    import pandas as pd

    codes = pd.factorize(np.asarray(groups, dtype=object), use_na_sentinel=False)[0]
    g = codes.max() + 1
    n = len(y)
    if g < 2 or n <= g:
        return 0.0
    counts = np.bincount(codes, minlength=g).astype(float)
    means = np.bincount(codes, weights=y, minlength=g) / counts
    grand = y.mean()
    msb = float(np.sum(counts * (means - grand) ** 2) / (g - 1))
    msw = float(np.sum((y - means[codes]) ** 2) / (n - g))
    n0 = (n - np.sum(counts**2) / n) / (g - 1)
    icc = (msb - msw) / (msb + (n0 - 1) * msw) if msb + (n0 - 1) * msw > 0 else 0.0
    return float(max(0.0, icc))


def from_study(result: dict, index: str | None = None) -> dict[str, dict]:
    """Assumptions per index from a past ``analyze`` result: group sizes, clusters, the
    outcome's pooled SD and the intra-cluster correlation of its residuals."""
    out = {}
    for entry in result.get("indices", []):
        if "error" in entry or (index and entry["code"] != index):
            continue
        design = entry.get("design") or {}
        out[entry["code"]] = {
            "n_treated": entry["n_treated"],
            "n_comparison": entry["n_comparison"],
            "sd": design.get("sd"),
            "clusters": design.get("clusters") or 0,
            "icc": design.get("icc") or 0.0,
        }
    if not out:
        raise PlanError(
            Message(NO_SUCH_INDEX, {"index": index}) if index else Message(NO_USABLE_INDEX)
        )
    return out
