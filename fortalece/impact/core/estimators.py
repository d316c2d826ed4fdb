"""Estimates of the effect of training on an index score (trained vs comparison).

Every function takes plain numpy arrays and returns a small dataclass. References: Welch (1947)
for the unadjusted difference; Hedges & Olkin (1985) for g; the delta method for the relative
improvement (effect / comparison mean); OLS with cluster-robust (CR1) standard errors for
regression adjustment; the augmented inverse-probability-weighted estimator of the effect on
the treated (AIPW-ATT) with a cluster-robust influence-function standard error; CR2
(Bell–McCaffrey) for OLS; a wild cluster bootstrap-t in closed form.
"""

import warnings
from dataclasses import dataclass
from types import SimpleNamespace

import numpy as np
from scipy import stats
from statsmodels.genmod import families
from statsmodels.genmod.generalized_linear_model import GLM
from statsmodels.regression.linear_model import OLS
from statsmodels.tools.sm_exceptions import SingularMatrixWarning
from statsmodels.tools.tools import add_constant

# The few statsmodels pieces used (``statsmodels.api`` takes a second to import).
sm = SimpleNamespace(OLS=OLS, GLM=GLM, families=families, add_constant=add_constant)


@dataclass(frozen=True)
class Estimate:
    effect: float
    se: float
    low: float
    high: float
    p_value: float
    df: float | None = None


def _interval(effect: float, se: float, df: float | None, level: float) -> Estimate:
    q = stats.t.ppf(0.5 + level / 2, df) if df else stats.norm.ppf(0.5 + level / 2)
    statistic = effect / se if se > 0 else np.inf
    p = 2 * (stats.t.sf(abs(statistic), df) if df else stats.norm.sf(abs(statistic)))
    return Estimate(effect, se, effect - q * se, effect + q * se, float(p), df)


def welch(treated: np.ndarray, comparison: np.ndarray, level: float = 0.95) -> Estimate:
    """Difference in means with Welch's standard error and Satterthwaite degrees of freedom."""
    a, b = np.asarray(treated, float), np.asarray(comparison, float)
    va, vb = a.var(ddof=1) / a.size, b.var(ddof=1) / b.size
    se = float(np.sqrt(va + vb))
    df = float((va + vb) ** 2 / (va**2 / (a.size - 1) + vb**2 / (b.size - 1)))
    return _interval(float(a.mean() - b.mean()), se, df, level)


def hedges_g(treated: np.ndarray, comparison: np.ndarray, level: float = 0.95) -> Estimate:
    """Standardised mean difference with the small-sample correction J = 1 − 3/(4(n1+n2)−9)."""
    a, b = np.asarray(treated, float), np.asarray(comparison, float)
    n1, n2 = a.size, b.size
    pooled = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    j = 1 - 3 / (4 * (n1 + n2) - 9)
    g = float(j * (a.mean() - b.mean()) / pooled)
    se = float(np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2))))
    return _interval(g, se, None, level)


def relative_improvement(
    effect: float, effect_se: float, comparison: np.ndarray, level: float = 0.95
) -> Estimate:
    """effect / comparison mean, with a delta-method standard error.

    Treats the effect and the comparison mean as independent (true for the unadjusted
    difference up to the comparison mean's own contribution, which is included).
    """
    b = np.asarray(comparison, float)
    mean = float(b.mean())
    var_mean = float(b.var(ddof=1) / b.size)
    ratio = effect / mean
    # d(ratio)/d(effect) = 1/mean; d(ratio)/d(mean) = -effect/mean²
    se = float(np.sqrt(effect_se**2 / mean**2 + effect**2 * var_mean / mean**4))
    return _interval(ratio, se, None, level)


def _cluster_sums(
    design: np.ndarray, resid: np.ndarray, codes: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per-cluster scores S_g = X_g'e_g (G × k) and Gram matrices X_g'X_g (G × k × k)."""
    groups = int(codes.max()) + 1
    k = design.shape[1]
    weighted = design * resid[:, None]
    scores = np.column_stack(
        [np.bincount(codes, weights=weighted[:, j], minlength=groups) for j in range(k)]
    )
    gram = np.zeros((groups, k, k))
    order = np.argsort(codes, kind="stable")
    for rows in np.split(order, np.flatnonzero(np.diff(codes[order])) + 1):
        gram[codes[rows[0]]] = design[rows].T @ design[rows]
    return scores, gram


def ols_adjusted(
    y: np.ndarray,
    treated: np.ndarray,
    covariates: np.ndarray | None,
    clusters: np.ndarray | None = None,
    level: float = 0.95,
) -> Estimate:
    """Coefficient on ``treated`` in OLS of y on treated + covariates; CR1 SEs by cluster
    (t with G − 1 df), HC1 without clusters — statsmodels' numbers (tested), computed once."""
    y = np.asarray(y, float)
    design = np.column_stack(
        [np.ones(len(y)), treated] + ([covariates] if covariates is not None else [])
    )
    n, k = design.shape
    xtx_inv = np.linalg.pinv(design.T @ design)
    beta = xtx_inv @ (design.T @ y)
    resid = y - design @ beta
    row = xtx_inv[1]
    if clusters is not None:
        codes = cluster_codes(clusters, n)
        groups = int(codes.max()) + 1
        per_cluster = np.bincount(codes, weights=(design @ row) * resid, minlength=groups)
        correction = groups / (groups - 1) * (n - 1) / (n - k)
        se = float(np.sqrt(correction * np.sum(per_cluster**2)))
        df: float | None = float(groups - 1)
    else:
        rank = np.linalg.matrix_rank(design.T @ design)
        se = float(np.sqrt(n / (n - rank) * np.sum(((design @ row) * resid) ** 2)))
        df = None
    return _interval(float(beta[1]), se, df, level)


def cluster_codes(clusters: np.ndarray | None, n: int) -> np.ndarray:
    """0…G−1 per respondent; each respondent its own cluster when there are none."""
    if clusters is None:
        return np.arange(n)
    import pandas as pd

    # Hash-based (pandas.factorize), in order of first appearance: no string sort.
    return pd.factorize(np.asarray(clusters, dtype=object), use_na_sentinel=False)[0]


def linearised(effect: float, psi: np.ndarray, codes: np.ndarray, level: float = 0.95) -> Estimate:
    """An estimate from its influence function: V = G/(G−1) · Σ_g (Σ_{i∈g} ψ_i)² / n².

    With clusters the interval uses Student's t with G − 1 degrees of freedom (the number of
    independent units, not of respondents); without, the normal quantile.
    """
    n = len(psi)
    sums = np.bincount(codes, weights=psi)
    groups = len(sums)
    if groups < 2:
        raise ValueError("A standard error needs at least two clusters.")
    variance = groups / (groups - 1) * float(np.sum(sums**2)) / n**2
    df = float(groups - 1) if groups < n else None
    return _interval(effect, float(np.sqrt(variance)), df, level)


@dataclass(frozen=True)
class Aipw:
    """AIPW-ATT with its influence function ``psi`` and the pieces the report needs."""

    effect: float
    psi: np.ndarray
    mean_treated: float
    psi_mean_treated: np.ndarray
    propensity: np.ndarray

    @property
    def counterfactual(self) -> float:
        """Mean score the trained would have had without training (adjusted)."""
        return self.mean_treated - self.effect


def aipw_fit(y: np.ndarray, treated: np.ndarray, x: np.ndarray, clip: float = 0.01) -> Aipw:
    """Doubly robust effect on the treated and its influence function (``x`` has a constant).

    e(x): logistic propensity; m0(x): OLS of y on x among the comparison group. With residuals
    r = y − m0(x) and weights w = e/(1 − e) for the comparison group:
    ATT = mean_treated(r) − Σ_c w r / Σ_c w (consistent if either model is right).

    The influence function is that of the stacked estimating equations (the logistic score,
    the comparison-group normal equations and the two means), so the uncertainty of both
    fitted models is included without refitting anything. Propensities are clipped to
    [clip, 1 − clip]; clipped respondents carry no derivative.
    """
    y = np.asarray(y, float)
    t = np.asarray(treated, float)
    n = len(y)
    with warnings.catch_warnings():
        # Collinear dummies: the pseudo-inverse fit is still right.
        warnings.simplefilter("ignore", SingularMatrixWarning)
        raw = np.asarray(sm.GLM(t, x, family=sm.families.Binomial()).fit().predict(x))
    e = np.clip(raw, clip, 1 - clip)
    c = 1 - t
    beta = np.linalg.lstsq(x[c == 1], y[c == 1], rcond=None)[0]
    r = y - x @ beta
    w = e / (1 - e)
    p = t.mean()
    cw = c * w
    a = float(np.sum(t * r) / np.sum(t))
    b = float(np.sum(cw * r) / np.sum(cw))
    q = np.sum(cw) / n
    psi = t * (r - a) / p - cw * (r - b) / q
    # Outcome model: IF_β = H_β⁺ (1 − T) x r, H_β = Σ (1 − T) x x' / n.
    h_beta = np.linalg.pinv((x * c[:, None]).T @ x / n)
    grad_beta = (x * cw[:, None]).sum(0) / np.sum(cw) - (x * t[:, None]).sum(0) / np.sum(t)
    psi += (c * r) * (x @ (h_beta @ grad_beta))
    # Propensity model: IF_γ = H_γ⁻¹ x (T − e), H_γ = Σ e(1 − e) x x' / n; ∂w/∂γ = w x.
    h_gamma = np.linalg.pinv((x * (raw * (1 - raw))[:, None]).T @ x / n)
    free = (raw > clip) & (raw < 1 - clip)
    grad_gamma = (x * (cw * (r - b) * free)[:, None]).sum(0) / np.sum(cw)
    psi -= (t - raw) * (x @ (h_gamma @ grad_gamma))
    mean_treated = float(y[t == 1].mean())
    return Aipw(a - b, psi, mean_treated, t * (y - mean_treated) / p, raw)


def aipw_att(
    y: np.ndarray,
    treated: np.ndarray,
    covariates: np.ndarray,
    clusters: np.ndarray | None = None,
    level: float = 0.95,
    clip: float = 0.01,
) -> Estimate:
    """Doubly robust effect on the treated with a cluster-robust influence-function SE and a
    t interval with G − 1 degrees of freedom (see ``aipw_fit`` and ``linearised``)."""
    x = sm.add_constant(np.asarray(covariates, float), has_constant="add")
    fit = aipw_fit(y, treated, x, clip)
    return linearised(fit.effect, fit.psi, cluster_codes(clusters, len(fit.psi)), level)


def relative_to_counterfactual(fit: Aipw, codes: np.ndarray, level: float = 0.95) -> Estimate:
    """ATT / (mean of the trained − ATT): the gain relative to the adjusted mean the trained
    would have had without training, with the delta-method influence function
    ψ_R = (ȳ₁ ψ_τ − τ ψ_ȳ₁) / μ₀²."""
    mu0 = fit.counterfactual
    ratio = fit.effect / mu0
    psi = (fit.mean_treated * fit.psi - fit.effect * fit.psi_mean_treated) / mu0**2
    return linearised(ratio, psi, codes, level)


def ols_cr2(
    y: np.ndarray,
    treated: np.ndarray,
    covariates: np.ndarray | None,
    clusters: np.ndarray,
    level: float = 0.95,
) -> Estimate:
    """OLS treatment coefficient with the Bell–McCaffrey (CR2) cluster-robust variance and a
    t interval with G − 1 degrees of freedom.

    CR2 rescales each cluster's residuals by (I − H_gg)^(−1/2), H_gg = X_g (X'X)⁻¹ X_g', which
    removes most of CR1's downward bias with few clusters (Bell & McCaffrey 2002; Imbens &
    Kolesár 2016). H_gg has rank ≤ k: with H_gg = U Λ U', (I − H_gg)^(−1/2) = I + U ((1 − Λ)^(−1/2)
    − I) U', and everything needed comes from the k × k matrices X_g'X_g and X_g'e_g (one pass
    over the respondents).
    """
    y = np.asarray(y, float)
    design = np.column_stack(
        [np.ones(len(y)), treated] + ([covariates] if covariates is not None else [])
    )
    xtx_inv = np.linalg.pinv(design.T @ design)
    beta = xtx_inv @ (design.T @ y)
    resid = y - design @ beta
    vals, vecs = np.linalg.eigh(xtx_inv)
    half = vecs @ np.diag(np.sqrt(np.clip(vals, 0, None))) @ vecs.T
    codes = cluster_codes(clusters, len(y))
    scores, gram = _cluster_sums(design, resid, codes)
    row = xtx_inv[1]
    total = 0.0
    for s_g, g_g in zip(scores, gram, strict=True):
        # Eigen-pairs of B G_g B (B = (X'X)^(−1/2)) are those of H_gg's non-zero part, so
        # X_g' A_g e_g = S_g + G_g B V diag(((1 − λ)^(−1/2) − 1) / λ) V' B S_g.
        lam, v = np.linalg.eigh(half @ g_g @ half)
        lam = np.clip(lam, 0, 1 - 1e-12)
        keep = lam > 1e-12
        factor = np.zeros_like(lam)
        factor[keep] = ((1 - lam[keep]) ** -0.5 - 1) / lam[keep]
        adjusted = s_g + g_g @ half @ v @ (factor * (v.T @ (half @ s_g)))
        total += float(row @ adjusted) ** 2
    se = float(np.sqrt(total))
    return _interval(float(beta[1]), se, float(len(scores) - 1), level)


def bootstrap_t_stats(
    design: np.ndarray,
    resid: np.ndarray,
    codes: np.ndarray,
    signs: np.ndarray,
    beta: float,
    chunk: int = 100,
) -> np.ndarray:
    """t statistics of the treatment coefficient for each column of cluster ``signs``.

    Closed form at the level of clusters, never refitting and never touching the respondents
    again: with y* = Xβ̂ + e∘w and w constant within a cluster, β* − β̂ = (X'X)⁻¹ S w where
    S_g = X_g'e_g; the bootstrap scores are X_g'e*_g = w_g S_g − X_g'X_g (β* − β̂), so the CR1
    variance of draw b is c · Σ_g (w_gb a_g − c_g'δ_b)² with a_g = r'S_g and c_g = X_g'X_g r
    (r the treatment row of (X'X)⁻¹). Cost O(G·k·draws), whatever the number of respondents.
    Same numbers as refitting with statsmodels (tested).
    """
    n, k = design.shape
    groups = signs.shape[0]
    xtx_inv = np.linalg.pinv(design.T @ design)
    row = xtx_inv[1]
    correction = groups / (groups - 1) * (n - 1) / (n - k)
    s, gram = _cluster_sums(design, resid, codes)
    a = s @ row  # G
    cg = gram @ row  # G × k
    out = np.empty(signs.shape[1])
    for start in range(0, signs.shape[1], chunk * 10):
        w = signs[:, start : start + chunk * 10]
        delta = xtx_inv @ (s.T @ w)  # k × b
        v = np.sum((a[:, None] * w - cg @ delta) ** 2, axis=0)
        out[start : start + chunk * 10] = delta[1] / np.sqrt(correction * v)
    return out


def wild_cluster_bootstrap(
    y: np.ndarray,
    treated: np.ndarray,
    covariates: np.ndarray | None,
    clusters: np.ndarray,
    draws: int = 999,
    seed: int = 0,
    level: float = 0.95,
) -> Estimate:
    """Percentile-t interval for the OLS treatment coefficient, Rademacher weights per cluster.

    For few clusters (e.g. 32 states) where cluster-robust t intervals can be too narrow.
    """
    rng = np.random.default_rng(seed)
    y = np.asarray(y, float)
    design = np.column_stack(
        [np.ones(len(y)), treated] + ([covariates] if covariates is not None else [])
    )
    codes = cluster_codes(clusters, len(y))
    groups = codes.max() + 1
    n, k = design.shape
    xtx_inv = np.linalg.pinv(design.T @ design)
    coefficients = xtx_inv @ (design.T @ y)
    resid = y - design @ coefficients
    scores, _ = _cluster_sums(design, resid, codes)
    correction = groups / (groups - 1) * (n - 1) / (n - k)
    beta = float(coefficients[1])
    se = float(np.sqrt(correction * np.sum((scores @ xtx_inv[1]) ** 2)))
    signs = rng.choice((-1.0, 1.0), size=(groups, draws))
    t_stats = bootstrap_t_stats(design, resid, codes, signs, beta)
    alpha = 1 - level
    low = beta - np.quantile(t_stats, 1 - alpha / 2) * se
    high = beta - np.quantile(t_stats, alpha / 2) * se
    p = float(np.mean(np.abs(t_stats) >= abs(beta / se)))
    return Estimate(beta, se, float(low), float(high), p, None)


def holm(p_values: list[float]) -> list[float]:
    """Holm (1979) step-down adjusted p-values."""
    order = np.argsort(p_values)
    m = len(p_values)
    adjusted = np.empty(m)
    running = 0.0
    for rank, index in enumerate(order):
        running = max(running, (m - rank) * p_values[index])
        adjusted[index] = min(1.0, running)
    return adjusted.tolist()


def benjamini_hochberg(p_values: list[float]) -> list[float]:
    """Benjamini–Hochberg (1995) false-discovery-rate adjusted p-values."""
    m = len(p_values)
    order = np.argsort(p_values)[::-1]
    adjusted = np.empty(m)
    running = 1.0
    for position, index in enumerate(order):
        rank = m - position
        running = min(running, p_values[index] * m / rank)
        adjusted[index] = running
    return adjusted.tolist()
