import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.multitest import multipletests

from fortalece.impact.core import estimators
from fortalece.impact.core.reliability import cronbach_alpha, reliability


@pytest.fixture
def groups():
    rng = np.random.default_rng(1)
    return rng.normal(62, 12, 1100), rng.normal(55, 14, 716)


def test_welch_matches_scipy(groups):
    a, b = groups
    ours = estimators.welch(a, b)
    ref = stats.ttest_ind(a, b, equal_var=False)
    interval = ref.confidence_interval(0.95)
    assert ours.p_value == pytest.approx(ref.pvalue, abs=1e-9)
    assert ours.low == pytest.approx(interval.low, abs=1e-6)
    assert ours.high == pytest.approx(interval.high, abs=1e-6)
    assert ours.df == pytest.approx(ref.df, abs=1e-6)


def test_hedges_g_matches_the_textbook_formula(groups):
    a, b = groups
    n1, n2 = len(a), len(b)
    sp = np.sqrt(((n1 - 1) * a.var(ddof=1) + (n2 - 1) * b.var(ddof=1)) / (n1 + n2 - 2))
    expected = (1 - 3 / (4 * (n1 + n2) - 9)) * (a.mean() - b.mean()) / sp
    assert estimators.hedges_g(a, b).effect == pytest.approx(expected, abs=1e-12)


def test_relative_improvement_is_effect_over_comparison_mean(groups):
    a, b = groups
    diff = estimators.welch(a, b)
    rel = estimators.relative_improvement(diff.effect, diff.se, b)
    assert rel.effect == pytest.approx((a.mean() - b.mean()) / b.mean())
    assert rel.low < rel.effect < rel.high


def test_ols_with_cluster_robust_errors_matches_statsmodels():
    rng = np.random.default_rng(2)
    n = 600
    clusters = rng.integers(0, 32, n)
    x = rng.normal(size=n)
    t = (rng.random(n) < 0.5).astype(float)
    y = 50 + 8 * t + 3 * x + rng.normal(0, 5, n) + clusters * 0.2
    ours = estimators.ols_adjusted(y, t, x[:, None], clusters)
    ref = sm.OLS(y, sm.add_constant(np.column_stack([t, x]))).fit(
        cov_type="cluster", cov_kwds={"groups": clusters}
    )
    assert ours.effect == pytest.approx(ref.params[1], abs=1e-9)
    assert ours.se == pytest.approx(ref.bse[1], abs=1e-9)


def _confounded(seed=3, n=1816, effect=10.0):
    rng = np.random.default_rng(seed)
    years = rng.uniform(0, 25, n)
    state = rng.integers(0, 25, n)
    logit = -1 + 0.08 * years + 0.03 * state
    t = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(float)
    y = 40 + effect * t + 1.2 * years + 0.3 * state + rng.normal(0, 8, n)
    return y, t, np.column_stack([years, state]), state


def test_aipw_recovers_the_true_effect_where_the_raw_difference_is_biased():
    covered = 0
    for seed in range(3, 8):
        y, t, x, state = _confounded(seed=seed)
        raw = estimators.welch(y[t == 1], y[t == 0])
        assert raw.low > 11  # confounded upwards by years of service
        dr = estimators.aipw_att(y, t, x, clusters=state)
        covered += dr.low < 10.0 < dr.high
    assert covered >= 4  # a 95% interval may miss once in five


def test_wild_cluster_bootstrap_covers_the_truth_and_is_reproducible():
    y, t, x, state = _confounded(seed=4, n=800)
    first = estimators.wild_cluster_bootstrap(y, t, x, state, draws=199, seed=7)
    second = estimators.wild_cluster_bootstrap(y, t, x, state, draws=199, seed=7)
    assert first == second
    assert first.low < 10.0 < first.high


def test_holm_and_benjamini_hochberg_match_statsmodels():
    p = [0.01, 0.04, 0.03, 0.2, 0.001]
    assert estimators.holm(p) == pytest.approx(multipletests(p, method="holm")[1].tolist())
    assert estimators.benjamini_hochberg(p) == pytest.approx(
        multipletests(p, method="fdr_bh")[1].tolist()
    )


def test_cronbach_alpha_and_a_mis_coded_item_warning():
    rng = np.random.default_rng(5)
    trait = rng.normal(size=500)
    items = np.column_stack([trait + rng.normal(0, 0.6, 500) for _ in range(4)])
    k = items.shape[1]
    expected = k / (k - 1) * (1 - items.var(axis=0, ddof=1).sum() / items.sum(axis=1).var(ddof=1))
    assert cronbach_alpha(items) == pytest.approx(expected)
    flipped = items.copy()
    flipped[:, 3] = -flipped[:, 3]
    result = reliability(flipped, ["a", "b", "c", "d"])
    assert result.item_rest["d"] < 0
    assert any("'d'" in w for w in result.warnings)
    good = reliability(items, ["a", "b", "c", "d"])
    assert good.low < good.alpha < good.high


def test_omega_is_close_to_alpha_for_congeneric_items_and_high_for_strong_loadings():
    from fortalece.impact.core.reliability import mcdonald_omega

    rng = np.random.default_rng(8)
    trait = rng.normal(size=2000)
    items = np.column_stack([0.8 * trait + rng.normal(0, 0.6, 2000) for _ in range(5)])
    omega = mcdonald_omega(items)
    # Standardised loadings 0.8 → omega = (5·0.8)² / ((5·0.8)² + 5·0.36) ≈ 0.899
    assert omega == pytest.approx(0.899, abs=0.02)
    assert omega >= cronbach_alpha(items) - 0.01


def test_closed_form_bootstrap_t_matches_refitting_with_statsmodels():
    y, t, x, state = _confounded(seed=12, n=400)
    design = np.column_stack([np.ones(len(y)), t, x])
    codes = np.unique(state, return_inverse=True)[1]
    fit = sm.OLS(y, design).fit(cov_type="cluster", cov_kwds={"groups": codes})
    signs = np.random.default_rng(0).choice((-1.0, 1.0), size=(codes.max() + 1, 5))
    fast = estimators.bootstrap_t_stats(
        design, np.asarray(fit.resid), codes, signs, float(fit.params[1])
    )
    for b in range(5):
        star = sm.OLS(fit.fittedvalues + fit.resid * signs[codes, b], design).fit(
            cov_type="cluster", cov_kwds={"groups": codes}
        )
        assert fast[b] == pytest.approx((star.params[1] - fit.params[1]) / star.bse[1], rel=1e-8)
