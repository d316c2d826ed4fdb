import json
import re

import pytest

from fortalece.impact.core import cli
from fortalece.impact.core.report import AnalysisError, analyze
from fortalece.impact.core.simulate import simulate
from fortalece.impact.core.xlsform import write_xlsform


@pytest.fixture(scope="module")
def study():
    return simulate(seed=2020)


@pytest.fixture(scope="module")
def result(study):
    return analyze(
        study.instrument,
        study.rows,
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state", "sex"],
        cluster="state",
        seed=1,
        draws=100,
    )


def test_the_report_recovers_the_true_effects_within_its_intervals(study, result):
    for index in result["indices"]:
        truth = study.true_effects[index["code"]]
        assert index["headline"]["low"] < truth < index["headline"]["high"], index["code"]
        assert index["headline_method"] == "aipw"


def test_the_raw_difference_is_biased_by_confounding(study, result):
    for index in result["indices"]:
        assert index["difference"]["effect"] > study.true_effects[index["code"]]
    assert any("differ on the covariates" in w for w in result["warnings"])


def test_aggregate_is_computed_per_respondent_not_by_adding(result):
    by_code = {i["code"]: i for i in result["indices"]}
    parts = sum(
        by_code[c]["relative_improvement"]["effect"] for c in ("comm", "attention", "aware")
    )
    assert by_code["police_skills"]["relative_improvement"]["effect"] != pytest.approx(parts)


def test_result_is_reproducible_and_records_what_it_ran_on(study, result):
    again = analyze(
        study.instrument,
        study.rows,
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state", "sex"],
        cluster="state",
        seed=1,
        draws=100,
    )
    assert json.dumps(again, sort_keys=True) == json.dumps(result, sort_keys=True)
    assert result["meta"]["instrument_version"] == "2020.1"
    assert len(result["meta"]["data_sha256"]) == 64
    assert result["meta"]["seed"] == 1


def test_headlines_in_english_and_spanish_and_item_tables(result):
    assert result["headlines"]["en"][1].startswith("Trained officers scored")
    assert result["headlines"]["es"][1].startswith("El personal capacitado obtuvo")
    # Spanish pages write decimal commas, as their tables do; English keeps the point.
    assert re.search(
        r"obtuvo \d+,\d puntos .* \(IC 95% -?\d+,\d–-?\d+,\d\)", result["headlines"]["es"][1]
    )
    assert not re.search(r"\d\.\d", result["headlines"]["es"][1])
    assert re.search(r"scored \d+\.\d points", result["headlines"]["en"][1])
    blame = next(i for i in result["items"] if i["name"] == "aw_blame")
    assert blame["agree_treated"] < blame["agree_comparison"]
    assert "p_bh" in blame


def test_small_subgroups_are_suppressed(study):
    rows = [dict(r) for r in study.rows]
    rows[0]["sex"] = "other"
    out = analyze(study.instrument, rows, group_column="group", treated_value="trained", draws=10)
    other = next(r for r in out["subgroups"]["sex"] if r["value"] == "other")
    assert other == {"value": "other", "suppressed": True}


def test_bad_settings_get_clear_errors(study):
    with pytest.raises(AnalysisError, match="'cohort'"):
        analyze(study.instrument, study.rows, group_column="cohort", treated_value="x")
    with pytest.raises(AnalysisError, match="'nobody'"):
        analyze(study.instrument, study.rows, group_column="group", treated_value="nobody")


def test_command_line_end_to_end(tmp_path, capsys):
    small = simulate(trained=300, comparison=200, seed=5)
    form = tmp_path / "form.xlsx"
    data = tmp_path / "data.csv"
    form.write_bytes(write_xlsform(small.instrument))
    headers = list(small.rows[0])
    data.write_text(
        ",".join(headers) + "\n" + "\n".join(",".join(r[h] for h in headers) for r in small.rows)
    )
    out_json, out_html = tmp_path / "out.json", tmp_path / "out.html"
    code = cli.main(
        [
            "--form",
            str(form),
            "--data",
            str(data),
            "--group",
            "group",
            "--treated",
            "trained",
            "--covariates",
            "years_service,state",
            "--cluster",
            "state",
            "--seed",
            "3",
            "--draws",
            "50",
            "--json",
            str(out_json),
            "--html",
            str(out_html),
        ]
    )
    assert code == 0
    parsed = json.loads(out_json.read_text())
    assert [i["code"] for i in parsed["indices"]] == ["comm", "attention", "aware", "police_skills"]
    assert "<svg" in out_html.read_text()
    bad = tmp_path / "bad.csv"
    bad.write_text("aw_blame\n9\n")
    assert (
        cli.main(
            [
                "--form",
                str(form),
                "--data",
                str(bad),
                "--group",
                "g",
                "--treated",
                "t",
                "--json",
                str(out_json),
            ]
        )
        == 2
    )
    assert "Row 2, column A (aw_blame)" in capsys.readouterr().err


def test_means_are_given_on_the_answer_scale_where_items_share_one(study, result):
    by_code = {i["code"]: i for i in result["indices"]}
    comm = by_code["comm"]
    assert comm["raw_scale"] == [1, 5] or comm["raw_scale"] == (1, 5)
    assert comm["mean_treated_raw"] == pytest.approx(1 + comm["mean_treated"] / 100 * 4)
    assert by_code["attention"]["mean_treated_raw"] is None  # has a knowledge item
