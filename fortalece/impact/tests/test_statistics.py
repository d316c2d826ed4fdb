"""Issue 9's statistics: intervals that cover, analytic standard errors, and the defects a
statistician's review found (each test failed before the fix)."""

import json
import tracemalloc

import numpy as np
import pytest
import scipy.linalg
import statsmodels.api as sm

from fortalece.impact.core import cli, estimators
from fortalece.impact.core.published import SEED_002, compare
from fortalece.impact.core.report import AnalysisError, analyze
from fortalece.impact.core.simulate import PUBLISHED, simulate
from fortalece.impact.core.xlsform import write_xlsform

SETTINGS = {"group_column": "group", "treated_value": "trained"}


def _confounded(seed, n=1816, groups=25, effect=10.0):
    """Confounded by years (with a nonlinearity the outcome model misses) and state, with a
    state random effect: seed-002-like, without the questionnaire."""
    rng = np.random.default_rng(seed)
    years = rng.uniform(0, 25, n)
    state = rng.integers(0, groups, n)
    shift = rng.normal(0, 3, groups)
    t = (rng.random(n) < 1 / (1 + np.exp(-(-1 + 0.08 * years + 0.03 * state)))).astype(float)
    y = 40 + effect * t + 1.2 * years + 0.03 * years**2 + shift[state] + rng.normal(0, 8, n)
    return y, t, np.column_stack([years, np.eye(groups)[state][:, 1:]]), state


def test_aipw_interval_covers_the_truth_95_percent_with_25_clusters():
    """The defect: a normal interval with a bootstrap SE covered 90.8% with 25 clusters."""
    covered, estimates, ses = 0, [], []
    for seed in range(200):
        y, t, x, state = _confounded(seed)
        fit = estimators.aipw_att(y, t, x, state)
        covered += fit.low < 10.0 < fit.high
        estimates.append(fit.effect)
        ses.append(fit.se)
        assert fit.df == 24
    assert 0.925 <= covered / 200 <= 0.985
    # The analytic SE matches the spread of the estimate over repeated studies.
    assert np.mean(ses) / np.std(estimates, ddof=1) == pytest.approx(1.0, abs=0.12)


def test_influence_function_se_matches_the_leave_one_cluster_out_jackknife():
    y, t, x, state = _confounded(3)
    fit = estimators.aipw_att(y, t, x, state)
    xc = sm.add_constant(x)
    leave_out = []
    for g in range(25):
        keep = state != g
        columns = np.concatenate([[True], xc[keep][:, 1:].std(axis=0) > 0])
        leave_out.append(estimators.aipw_fit(y[keep], t[keep], xc[keep][:, columns]).effect)
    jackknife = np.sqrt(24 / 25 * np.sum((np.array(leave_out) - np.mean(leave_out)) ** 2))
    assert fit.se == pytest.approx(jackknife, rel=0.2)


def test_cr2_matches_the_textbook_matrix_square_root():
    rng = np.random.default_rng(4)
    n, groups = 150, 8
    state = rng.integers(0, groups, n)
    x = rng.normal(size=(n, 2))
    t = (rng.random(n) < 0.5).astype(float)
    y = 1 + 2 * t + x @ [1, -1] + rng.normal(size=n)
    fit = estimators.ols_cr2(y, t, x, state)
    design = np.column_stack([np.ones(n), t, x])
    bread = np.linalg.inv(design.T @ design)
    resid = y - design @ (bread @ design.T @ y)
    meat = np.zeros((4, 4))
    for g in range(groups):
        rows = state == g
        h = design[rows] @ bread @ design[rows].T
        a = np.real(scipy.linalg.sqrtm(np.linalg.inv(np.eye(rows.sum()) - h)))
        u = design[rows].T @ a @ resid[rows]
        meat += np.outer(u, u)
    assert fit.se == pytest.approx(np.sqrt((bread @ meat @ bread)[1, 1]), rel=1e-8)
    assert fit.df == groups - 1


def test_wild_bootstrap_at_cluster_level_needs_no_respondent_loop_and_is_reproducible():
    y, t, x, state = _confounded(5, n=20_000)
    first = estimators.wild_cluster_bootstrap(y, t, x, state, draws=2000, seed=1)
    assert first == estimators.wild_cluster_bootstrap(y, t, x, state, draws=2000, seed=1)
    assert first.low < first.effect < first.high


@pytest.fixture(scope="module")
def study():
    return simulate(trained=500, comparison=350, seed=21)


def test_a_misspelt_group_value_is_refused_or_left_out_and_counted(study):
    rows = [dict(r) for r in study.rows]
    for r in rows[:7]:
        r["group"] = "capacitdo"
    with pytest.raises(AnalysisError, match=r"'capacitdo' \(7\)"):
        analyze(study.instrument, rows, **SETTINGS)
    result = analyze(study.instrument, rows, **SETTINGS, comparison_value="control", draws=99)
    assert result["groups"]["treated"] + result["groups"]["comparison"] == len(rows) - 7
    assert any("'capacitdo' (7)" in w and "left out" in w for w in result["warnings"])
    with pytest.raises(AnalysisError, match="Did you mean 'trained'"):
        analyze(study.instrument, rows, group_column="group", treated_value="traned")


def test_too_few_comparison_respondents_are_refused(study):
    rows = [r for r in study.rows if r["group"] == "trained"] + [
        r for r in study.rows if r["group"] == "control"
    ][:3]
    with pytest.raises(AnalysisError, match="at least 10"):
        analyze(study.instrument, rows, **SETTINGS)
    rows = [r for r in study.rows if r["group"] == "trained"] + [
        r for r in study.rows if r["group"] == "control"
    ][:20]
    result = analyze(study.instrument, rows, **SETTINGS, draws=99)
    assert any("fewer than 30" in w for w in result["warnings"])


def test_numeric_covariate_with_blanks_gets_mean_and_indicator_not_dummies(study):
    rows = [dict(r) for r in study.rows]
    rng = np.random.default_rng(0)
    for i in rng.choice(len(rows), len(rows) // 10, replace=False):
        rows[i]["years_service"] = ""
    result = analyze(
        study.instrument, rows, **SETTINGS, covariates=["years_service", "state"], draws=99
    )
    columns = [b["column"] for b in result["balance"]]
    assert "years_service" in columns and "years_service_missing" in columns
    assert sum(c.startswith("years_service") for c in columns) == 2
    assert any("missing-value indicator" in w for w in result["warnings"])
    for index in result["indices"]:
        truth = study.true_effects[index["code"]]
        assert index["headline"]["low"] - 1 < truth < index["headline"]["high"] + 1


def test_a_single_cluster_is_a_clear_error(study):
    rows = [{**r, "state": "MX-JAL"} for r in study.rows]
    with pytest.raises(AnalysisError, match="single value"):
        analyze(study.instrument, rows, **SETTINGS, covariates=["years_service"], cluster="state")


def test_subgroups_named_by_the_user_cover_every_index(study):
    rows = [{**r, "sexo": "mujer" if r["sex"] == "female" else "hombre"} for r in study.rows]
    result = analyze(study.instrument, rows, **SETTINGS, subgroups=["sexo", "rank"], draws=99)
    assert set(result["subgroups"]) == {"sexo", "rank"}
    mujer = next(g for g in result["subgroups"]["sexo"] if g["value"] == "mujer")
    assert [e["code"] for e in mujer["indices"]] == [i.code for i in study.instrument.indices]
    assert all("difference" in e for e in mujer["indices"])
    with pytest.raises(AnalysisError, match="Did you mean .*'sexo'"):
        analyze(study.instrument, rows, **SETTINGS, subgroups=["sexx"])


def test_relative_improvement_is_over_the_adjusted_counterfactual_of_the_trained(study):
    result = analyze(
        study.instrument,
        study.rows,
        **SETTINGS,
        covariates=["years_service", "state"],
        cluster="state",
        draws=99,
    )
    for index in result["indices"]:
        effect = index["headline"]["effect"]
        counterfactual = index["mean_treated"] - effect
        assert index["counterfactual_mean"] == pytest.approx(counterfactual)
        assert index["relative_improvement"]["effect"] == pytest.approx(effect / counterfactual)
        assert index["relative_improvement"]["effect"] != pytest.approx(
            effect / index["mean_comparison"]
        )
        rel = index["relative_improvement"]
        assert rel["low"] < study.true_relative[index["code"]] < rel["high"]
    assert any("would have had without training" in line for line in result["method"]["en"])


def test_method_notes_name_the_headline_interval_and_assumptions(study):
    result = analyze(
        study.instrument,
        study.rows,
        **SETTINGS,
        covariates=["years_service", "state"],
        cluster="state",
        draws=99,
    )
    notes = " ".join(result["method"]["en"])
    assert result["method"]["headline"] == "aipw"
    assert "24 degrees of freedom" in notes
    for word in ("overlap", "unmeasured confounding", "independent", "Sensitivity"):
        assert word in notes
    assert result["indices"][0]["wild_cluster_bootstrap"] is not None
    few = [{**r, "state": r["state"] if r["state"] < "MX-G" else "MX-X"} for r in study.rows]
    small = analyze(
        study.instrument, few, **SETTINGS, covariates=["years_service"], cluster="state", draws=99
    )
    assert small["method"]["headline"] == "ols_wild"


def test_memory_stays_bounded_for_20000_respondents():
    big = simulate(trained=12_000, comparison=8_000, seed=3)
    tracemalloc.start()
    analyze(
        big.instrument,
        big.rows,
        **SETTINGS,
        covariates=["years_service", "state", "sex"],
        cluster="state",
        draws=999,
    )
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert peak < 400 * 2**20  # was 1.84 GB


def _files(tmp_path, study, rows=None):
    form = tmp_path / "form.xlsx"
    data = tmp_path / "data.csv"
    form.write_bytes(write_xlsform(study.instrument))
    rows = rows or study.rows
    headers = list(rows[0])
    data.write_text(
        ",".join(headers) + "\n" + "\n".join(",".join(r[h] for h in headers) for r in rows)
    )
    return form, data


def test_command_line_single_cluster_and_all_failed_exit_2(tmp_path, capsys, study):
    rows = [{**r, "state": "MX-JAL"} for r in study.rows]
    form, data = _files(tmp_path, study, rows)
    base = ["--form", str(form), "--data", str(data), "--group", "group", "--treated", "trained"]
    out = tmp_path / "out.json"
    code = cli.main([*base, "--cluster", "state", "--json", str(out)])
    assert code == 2
    assert "single value" in capsys.readouterr().err
    # Every index fails: nobody answered enough statements.
    blank = [
        {k: ("" if k not in ("group", "state", "sex") else v) for k, v in r.items()}
        for r in study.rows
    ]
    form, data = _files(tmp_path, study, blank)
    html_out = tmp_path / "out.html"
    code = cli.main([*base, "--json", str(out), "--html", str(html_out)])
    assert code == 2
    assert "no index could be estimated" in capsys.readouterr().err
    assert not html_out.exists()


def test_command_line_comparison_and_subgroups(tmp_path, capsys, study):
    rows = [dict(r) for r in study.rows]
    rows[0]["group"] = "capacitdo"
    rows = [{**r, "estado": r["state"]} for r in rows]
    form, data = _files(tmp_path, study, rows)
    out = tmp_path / "out.json"
    args = ["--form", str(form), "--data", str(data), "--group", "group", "--treated", "trained"]
    assert cli.main([*args, "--json", str(out)]) == 2
    assert "--comparison" in capsys.readouterr().err
    code = cli.main([*args, "--comparison", "control", "--subgroups", "estado", "--json", str(out)])
    assert code == 0
    result = json.loads(out.read_text())
    assert list(result["subgroups"]) == ["estado"]


def test_simulation_is_calibrated_to_the_published_relative_improvements():
    study = simulate(trained=30_000, comparison=20_000, seed=77)
    for code in ("comm", "attention", "aware"):
        assert study.true_relative[code] == pytest.approx(PUBLISHED[code], abs=0.006)
    parts = [study.true_relative[c] for c in ("comm", "attention", "aware")]
    assert min(parts) < study.true_relative["police_skills"] < max(parts)


def test_published_next_to_recomputed_explains_the_aggregate():
    result = {
        "indices": [
            {
                "code": code,
                "label": code,
                "relative_improvement": {
                    "effect": value,
                    "low": value - 0.02,
                    "high": value + 0.02,
                },
            }
            for code, value in {
                "comm": 0.04,
                "attention": 0.17,
                "aware": 0.09,
                "police_skills": 0.10,
            }.items()
        ]
    }
    en = compare(result, SEED_002, "en")
    es = compare(result, SEED_002, "es")
    assert [r["published_pct"] for r in en["rows"]] == pytest.approx([4, 16.54, 8.6, 28.14])
    assert "between the smallest (4%) and the largest (16.54%)" in en["explanation"]
    assert "29.14%" in en["explanation"]
    assert "entre la menor (4%) y la mayor (16,54%)" in es["explanation"]
    assert "29,14%" in es["explanation"]
