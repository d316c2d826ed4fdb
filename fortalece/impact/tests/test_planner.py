import json

import numpy as np
import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from statsmodels.stats.power import NormalIndPower, TTestIndPower

from conftest import matrix
from fortalece.core.testing import assert_permission_matrix, client_for
from fortalece.impact.core import plan_cli, planner


@settings(max_examples=40, deadline=None)
@given(
    st.integers(20, 5000),
    st.integers(20, 5000),
    st.floats(1, 40),
    st.integers(0, 40),
    st.floats(0, 0.3),
)
def test_mde_is_statsmodels_power_with_the_sample_divided_by_the_design_effect(
    n1, n0, sd, clusters, icc
):
    plan = planner.mde(n_treated=n1, n_comparison=n0, sd=sd, clusters=clusters, icc=icc)
    m = (n1 + n0) / clusters if clusters else 1
    deff = 1 + (m - 1) * (icc if clusters else 0)
    assert plan.design_effect == pytest.approx(deff)
    reference = NormalIndPower().solve_power(
        nobs1=n1 / deff, ratio=n0 / n1, alpha=0.05, power=0.8, effect_size=None
    )
    assert plan.mde_sd == pytest.approx(reference, rel=1e-4)
    if min(n1, n0) / deff >= 30:  # the normal and t formulas agree once samples are not tiny
        t_based = TTestIndPower().solve_power(
            nobs1=n1 / deff, ratio=n0 / n1, alpha=0.05, power=0.8, effect_size=None
        )
        # statsmodels' root finder may return the negative root of the symmetric two-sided
        # power equation (e.g. n1=1931, n0=1540, 30 clusters, ICC 0.09 gave -0.32): its size.
        assert plan.mde_sd == pytest.approx(abs(np.asarray(t_based).item()), rel=0.05)


def test_sample_size_reaches_the_power_asked_for():
    plan = planner.sample_size(effect=5, sd=15, ratio=1.0)
    needed = NormalIndPower().solve_power(effect_size=5 / 15, alpha=0.05, power=0.8, ratio=1)
    assert plan.n_comparison == pytest.approx(needed, abs=1)
    clustered = planner.sample_size(effect=5, sd=15, ratio=1.5, clusters=25, icc=0.02)
    # The design it proposes detects the effect (and one respondent fewer per group would not).
    assert clustered.mde <= 5
    smaller = planner.mde(
        n_treated=clustered.n_treated - 2,
        n_comparison=clustered.n_comparison - 2,
        sd=15,
        clusters=25,
        icc=0.02,
    )
    assert smaller.mde > 5 - 0.01
    assert clustered.per_cluster == pytest.approx(
        (clustered.n_treated + clustered.n_comparison) / 25
    )


def test_too_few_clusters_is_said_plainly():
    with pytest.raises(planner.PlanError, match="more clusters are needed"):
        planner.sample_size(effect=1, sd=20, clusters=4, icc=0.2)


def test_icc_anova_recovers_a_known_correlation():
    import numpy as np

    rng = np.random.default_rng(3)
    groups = np.repeat(np.arange(200), 50)
    values = rng.normal(0, np.sqrt(0.1), 200)[groups] + rng.normal(0, np.sqrt(0.9), 10_000)
    assert planner.icc_anova(values, groups) == pytest.approx(0.1, abs=0.03)


def test_command_line_from_typed_assumptions_and_from_a_past_study(tmp_path, capsys):
    assert plan_cli.main(["--treated", "1100", "--comparison", "716", "--sd", "18"]) == 0
    assert "smallest effect detected" in capsys.readouterr().out
    result = {
        "indices": [
            {
                "code": "comm",
                "n_treated": 1100,
                "n_comparison": 716,
                "design": {"sd": 15.0, "clusters": 25, "icc": 0.02},
            }
        ]
    }
    past = tmp_path / "study.json"
    past.write_text(json.dumps(result))
    out = tmp_path / "plan.json"
    assert plan_cli.main(["--from-study", str(past), "--effect", "4", "--json", str(out)]) == 0
    plan = json.loads(out.read_text())["comm"]
    assert plan["mde"] <= 4 and plan["clusters"] == 25
    assert "per cluster" in capsys.readouterr().out
    assert plan_cli.main(["--effect", "1", "--sd", "20", "--clusters", "4", "--icc", "0.2"]) == 2
    assert "more clusters" in capsys.readouterr().err
    assert plan_cli.main(["--treated", "100"]) == 2


@pytest.mark.django_db
def test_planner_page_is_behind_the_study_policy_and_computes(world):
    url = reverse("impact:plan")
    readers = {"admin", "manager", "state_manager", "other_state_manager", "me", "donor"}
    assert_permission_matrix(url, matrix(world, readers | {"other_manager"}))
    client = client_for(world.users["me"])
    page = client.get(
        url,
        {
            "n_treated": 1100,
            "n_comparison": 716,
            "sd": 18,
            "clusters": 25,
            "icc": 0.02,
            "alpha": 0.05,
            "power": 0.8,
        },
    )
    assert page.status_code == 200
    expected = planner.mde(n_treated=1100, n_comparison=716, sd=18, clusters=25, icc=0.02)
    shown = f"{expected.mde:.1f}"
    assert shown.encode() in page.content or shown.replace(".", ",").encode() in page.content
    listing = client.get(reverse("impact:study_list"))
    assert url.encode() in listing.content


def test_mde_at_the_case_where_statsmodels_gives_the_negative_root():
    plan = planner.mde(
        n_treated=1931, n_comparison=1540, sd=1.0, clusters=30, icc=0.09043321025820791
    )
    t_based = TTestIndPower().solve_power(
        nobs1=1931 / plan.design_effect,
        ratio=1540 / 1931,
        alpha=0.05,
        power=0.8,
        effect_size=None,
    )
    assert plan.mde_sd == pytest.approx(abs(np.asarray(t_based).item()), rel=0.05)


@pytest.mark.django_db
def test_the_planner_page_says_why_it_cannot_plan_in_the_readers_language(world):
    client = client_for(world.users["me"])
    asked = {"effect": 1, "sd": 20, "clusters": 4, "icc": 0.25, "alpha": 0.05, "power": 0.8}
    page = client.get(reverse("impact:plan"), asked)  # Spanish, the default
    assert page.context["error"] == (
        "Con 4 conglomerados y una correlación intraconglomerado de 0,25, ningún número de "
        "personas por conglomerado puede detectar este efecto: se necesitan más conglomerados."
    )
    with pytest.raises(planner.PlanError) as raised:
        planner.sample_size(effect=1, sd=20, clusters=4, icc=0.25)
    assert str(raised.value).startswith("With 4 clusters and an intra-cluster correlation of 0.25,")
