import numpy as np
import pytest
from scipy import stats

from fortalece.impact.core.repeated import analyze_repeated
from fortalece.impact.core.report import AnalysisError
from fortalece.impact.core.scoring import score_all
from fortalece.impact.core.simulate import simulate_waves


@pytest.fixture(scope="module")
def waves():
    return simulate_waves(trained=400, comparison=300, seed=9)


def test_difference_in_differences_and_ancova_recover_the_effect(waves):
    result = analyze_repeated(
        waves.instrument,
        waves.rows,
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        code_column="code",
        group_column="group",
        treated_value="trained",
        cluster="state",
    )
    assert result["design"] == "did"
    for index in result["indices"]:
        truth = waves.true_effects[index["code"]]
        assert index["headline"]["low"] < truth < index["headline"]["high"], index["code"]
        assert index["headline_method"] == "ancova"
        assert index["adjusted_ols"]["low"] < truth < index["adjusted_ols"]["high"]


def test_prepost_paired_change_matches_scipy(waves):
    trained_rows = [r for r in waves.rows if r["group"] == "trained"]
    result = analyze_repeated(
        waves.instrument,
        trained_rows,
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        code_column="code",
    )
    assert result["design"] == "prepost"
    scores = score_all(waves.instrument, trained_rows)
    pre = {
        r["code"]: s["attention"]
        for r, s in zip(trained_rows, scores, strict=True)
        if r["wave"] == "pre"
    }
    post = {
        r["code"]: s["attention"]
        for r, s in zip(trained_rows, scores, strict=True)
        if r["wave"] == "post"
    }
    codes = [c for c in pre if pre[c] is not None and post.get(c) is not None]
    ref = stats.ttest_rel([post[c] for c in codes], [pre[c] for c in codes])
    attention = next(i for i in result["indices"] if i["code"] == "attention")
    assert attention["headline"]["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert attention["headline"]["effect"] == pytest.approx(
        np.mean([post[c] - pre[c] for c in codes])
    )


def test_unmatched_respondents_are_reported_and_too_few_pairs_refused(waves):
    rows = [r for r in waves.rows if not (r["code"] == "R0001" and r["wave"] == "post")]
    result = analyze_repeated(
        waves.instrument,
        rows,
        wave_column="wave",
        pre_value="pre",
        post_value="post",
        code_column="code",
        group_column="group",
        treated_value="trained",
    )
    assert any("only one wave" in w for w in result["warnings"])
    with pytest.raises(AnalysisError, match="Fewer than 3"):
        analyze_repeated(
            waves.instrument,
            rows[:4],
            wave_column="wave",
            pre_value="pre",
            post_value="post",
            code_column="code",
        )
