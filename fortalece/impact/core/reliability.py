"""Internal consistency of an index: Cronbach's alpha with Feldt's interval, McDonald's omega,
item–rest correlations, and a warning for items that look reverse-coded by mistake."""

from dataclasses import dataclass, field

import numpy as np
from scipy import stats


@dataclass
class Reliability:
    alpha: float
    low: float
    high: float
    n: int
    omega: float | None = None
    item_rest: dict[str, float] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


def cronbach_alpha(matrix: np.ndarray) -> float:
    """α = k/(k−1) · (1 − Σ var(item) / var(total)), complete cases only."""
    data = np.asarray(matrix, float)
    k = data.shape[1]
    item_var = data.var(axis=0, ddof=1).sum()
    total_var = data.sum(axis=1).var(ddof=1)
    return float(k / (k - 1) * (1 - item_var / total_var))


def feldt_interval(alpha: float, n: int, k: int, level: float = 0.95) -> tuple[float, float]:
    """Feldt (1965): (1 − α)/(1 − A) follows F with (n − 1, (n − 1)(k − 1)) degrees of freedom."""
    df1, df2 = n - 1, (n - 1) * (k - 1)
    low = 1 - (1 - alpha) * stats.f.ppf(0.5 + level / 2, df1, df2)
    high = 1 - (1 - alpha) * stats.f.ppf(0.5 - level / 2, df1, df2)
    return float(low), float(high)


def mcdonald_omega(matrix: np.ndarray) -> float | None:
    """ω_total = (Σλ)² / ((Σλ)² + Σψ) from a one-factor model of the item
    correlations (statsmodels ``Factor``, principal axis: deterministic); ``None`` on failure."""
    from statsmodels.multivariate.factor import Factor

    data = np.asarray(matrix, float)
    if data.shape[1] < 3:
        return None
    try:
        fit = Factor(data, n_factor=1, method="pa").fit(maxiter=200, tol=1e-10)
    except (np.linalg.LinAlgError, ValueError):
        return None
    loadings = np.abs(fit.loadings.ravel())
    return float(loadings.sum() ** 2 / (loadings.sum() ** 2 + np.sum(fit.uniqueness)))


def reliability(matrix: np.ndarray, names: list[str], level: float = 0.95) -> Reliability:
    data = np.asarray(matrix, float)
    data = data[~np.isnan(data).any(axis=1)]
    n, k = data.shape
    alpha = cronbach_alpha(data)
    low, high = feldt_interval(alpha, n, k, level)
    result = Reliability(alpha=alpha, low=low, high=high, n=n, omega=mcdonald_omega(data))
    total = data.sum(axis=1)
    for j, name in enumerate(names):
        rest = total - data[:, j]
        r = float(np.corrcoef(data[:, j], rest)[0, 1])
        result.item_rest[name] = r
        if r < 0:
            result.warnings.append(
                f"Item '{name}' correlates negatively with the rest of its index (r = {r:.2f}): "
                "check whether it should be reverse-scored."
            )
    return result
