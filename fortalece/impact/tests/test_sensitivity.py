"""Sensitivity to unmeasured confounding, checked against the published worked example.

Cinelli & Hazlett (2020), section 5 and sensemakr's reference output: the Darfur regression of
peacefactor on directlyharmed (estimate 0.09731582, se 0.02325654, 783 residual df) has
partial R² 2.19%, RV 13.88% and RV_{α=0.05} 7.63%; a confounder as strong as 'female'
(1×, 2×, 3×) gives R²_{D~Z|X} = 0.0092/0.0183/0.0275, R²_{Y~Z|D,X} = 0.1246/0.2493/0.3741
and adjusted estimates 0.0752/0.0529/0.0304.
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fortalece.impact.core import sensitivity as S

ESTIMATE, SE, DF = 0.09731582, 0.02325654, 783


def test_darfur_partial_r2_and_robustness_values_follow_the_published_formulas():
    t = ESTIMATE / SE
    f = t / np.sqrt(DF)
    assert S.partial_r2(t, DF) == pytest.approx(0.02187309, abs=1e-6)
    assert S.robustness_value(t, DF) == pytest.approx(
        0.5 * (np.sqrt(f**4 + 4 * f**2) - f**2), abs=1e-12
    )
    assert S.robustness_value(t, DF) == pytest.approx(0.1387764, abs=1e-6)
    assert S.robustness_value(t, DF, alpha=0.05) == pytest.approx(0.07625797, abs=1e-6)


def test_darfur_adjusted_estimates_match_the_published_bounds():
    published = [
        (0.00916428667504862, 0.12464092303637, 0.0752202698486415, 0.0218733298036818),
        (0.0183285733500972, 0.249324064199975, 0.0529151689180575, 0.0203500639944344),
        (0.0274928600251459, 0.374050471038094, 0.0303960178770157, 0.0186700665753491),
    ]
    for r2dz, r2yz, estimate, se in published:
        value, new_se, t_value, low, high = S.adjusted(ESTIMATE, SE, DF, r2dz, r2yz)
        assert value == pytest.approx(estimate, abs=1e-8)
        assert new_se == pytest.approx(se, abs=1e-8)
        assert t_value == pytest.approx(estimate / se, abs=1e-5)
        assert low < value < high


def test_benchmark_bounds_scale_with_k_as_published():
    # Recover female's partial R²s from the published 1× bound, then check 2× and 3×.
    r2dxj = 0.00916428667504862 / (1 + 0.00916428667504862)
    from scipy.optimize import brentq

    r2yxj = brentq(
        lambda r: (
            S.benchmark_bound("f", ESTIMATE, SE, DF, r2dxj, r, kd=1).r2yz_dx - 0.12464092303637
        ),
        1e-6,
        0.5,
    )
    two = S.benchmark_bound("2x", ESTIMATE, SE, DF, r2dxj, r2yxj, kd=2)
    three = S.benchmark_bound("3x", ESTIMATE, SE, DF, r2dxj, r2yxj, kd=3)
    assert two.r2dz_x == pytest.approx(0.0183285733500972, abs=1e-9)
    assert two.r2yz_dx == pytest.approx(0.249324064199975, abs=1e-6)
    assert three.r2yz_dx == pytest.approx(0.374050471038094, abs=1e-6)
    assert two.adjusted_estimate == pytest.approx(0.0529151689180575, abs=1e-6)
    assert three.adjusted_estimate == pytest.approx(0.0303960178770157, abs=1e-6)


@settings(max_examples=60, deadline=None)
@given(st.floats(0.5, 30), st.integers(20, 5000))
def test_a_confounder_at_the_robustness_value_removes_the_estimate(t_value, df):
    rv = S.robustness_value(t_value, df)
    se = 1.0
    value = S.adjusted(t_value * se, se, df, rv, rv)[0]
    assert value == pytest.approx(0, abs=1e-6 * t_value)
    assert 0 <= S.robustness_value(t_value, df, alpha=0.05) <= rv


def test_e_value_for_a_standardised_difference():
    # VanderWeele & Ding (2017): d = 0.5 → RR = exp(0.91·0.5) ≈ 1.576, E = RR + √(RR(RR − 1))
    rr = np.exp(0.91 * 0.5)
    point, limit = S.e_value(5.0, 1.0, 9.0, 10.0)
    assert point == pytest.approx(rr + np.sqrt(rr * (rr - 1)))
    rr_low = np.exp(0.91 * 0.1)
    assert limit == pytest.approx(rr_low + np.sqrt(rr_low * (rr_low - 1)))
    assert S.e_value(5.0, -1.0, 11.0, 10.0)[1] == 1.0


def test_the_report_states_the_sensitivity_in_both_languages():
    from fortalece.impact.core.report import analyze
    from fortalece.impact.core.simulate import simulate

    study = simulate(trained=400, comparison=300, seed=8)
    result = analyze(
        study.instrument,
        study.rows,
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state"],
        cluster="state",
        draws=199,
    )
    block = next(i for i in result["indices"] if i["code"] == "attention")["sensitivity"]
    assert 0 < block["rv_alpha"] < block["rv"] < 1
    assert {b["covariate"] for b in block["benchmarks"]} == {"years_service", "state"}
    # The robustness value is that of the regression the sensitivity is about.
    assert block["rv"] == pytest.approx(S.robustness_value(block["t"], block["df"]))
    assert "hidden factor as strong as" in block["sentence"]["en"]
    assert "factor oculto tan fuerte como" in block["sentence"]["es"]
    assert any("unmeasured factor" in line for line in result["headlines"]["en"])
    assert any("factor no medido" in line for line in result["headlines"]["es"])
    assert any(line.startswith("Sensitivity:") for line in result["method"]["en"])
    assert any(line.startswith("Sensibilidad:") for line in result["method"]["es"])
