"""Follow-up design (issue 9, point 7): Kirkpatrick levels on items and indices, the paired
change from post-test to follow-up by level, and attrition stated plainly."""

import dataclasses
import json
import re

import numpy as np
import pytest
from scipy import stats

from fortalece.impact.core.cli import main
from fortalece.impact.core.followup import analyze_followup, attrition_comparison
from fortalece.impact.core.instrument import Instrument, InstrumentError, parse_level
from fortalece.impact.core.report import AnalysisError
from fortalece.impact.core.scoring import score_all
from fortalece.impact.core.simulate import simulate_followup, simulate_waves
from fortalece.impact.core.xlsform import XLSFormError, read_xlsform, write_xlsform
from fortalece.impact.tests.test_reading import _scale, _xlsx

LEVELS = {"comm": "behaviour", "attention": "behaviour", "aware": "learning"}


def _tagged(instrument: Instrument) -> Instrument:
    return dataclasses.replace(
        instrument,
        indices=[dataclasses.replace(i, level=LEVELS.get(i.code, "")) for i in instrument.indices],
    )


@pytest.fixture(scope="module")
def followup():
    """The trained respondents of a simulated pre/post, relabelled post-test → follow-up, where
    those with a low post-test score on 'comm' mostly did not answer the follow-up."""
    waves = simulate_waves(trained=300, comparison=10, seed=4)
    instrument = _tagged(waves.instrument)
    rows = [
        {**r, "wave": "post" if r["wave"] == "pre" else "followup"}
        for r in waves.rows
        if r["group"] == "trained"
    ]
    scores = score_all(instrument, rows)
    post_comm = {
        r["code"]: s["comm"] for r, s in zip(rows, scores, strict=True) if r["wave"] == "post"
    }
    cut = np.nanmedian([v for v in post_comm.values() if v is not None])
    lost = {c for c, v in post_comm.items() if v is not None and v < cut and int(c[1:]) % 4}
    kept = [r for r in rows if not (r["wave"] == "followup" and r["code"] in lost)]
    return instrument, kept, scores, rows, lost


def test_levels_are_parsed_as_users_write_them_and_never_guessed():
    assert parse_level("Behaviour") == "behaviour"
    assert parse_level("behavior") == "behaviour"
    assert parse_level("Comportamiento") == "behaviour"
    assert parse_level("3") == "behaviour"
    assert parse_level("aprendizaje") == "learning"
    assert parse_level(" ") == ""
    with pytest.raises(InstrumentError, match="not a Kirkpatrick level"):
        parse_level("level 3")


def _level_form(item_level: str = "behaviour", index_level: str = "3") -> bytes:
    head = ["type", "name", "label", "fortalece_indices", "fortalece_level"]
    return _xlsx(
        {
            "survey": [
                head,
                ["select_one s", "usa_protocolo", "Uso el protocolo", "prac", item_level],
                ["select_one s", "deriva", "Derivo al CJM", "prac", item_level],
                ["select_one s", "sabe", "Sé que es violencia", "saber", "learning"],
                ["select_one s", "gusto", "Me gustó el taller", "gusto", ""],
            ],
            "choices": [["list_name", "name", "label"], *[r[:3] for r in _scale("s")]],
            "fortalece_indices": [
                ["code", "label", "fortalece_level"],
                ["prac", "Practice", index_level],
                ["saber", "Knowledge", ""],
                ["gusto", "Satisfaction", "reacción"],
            ],
            "settings": [["form_title", "version"], ["Seguimiento", "1"]],
        }
    )


def test_the_form_tags_items_and_indices_with_their_level_and_the_writer_keeps_them():
    instrument = read_xlsform(_level_form()).instrument
    assert instrument.item("usa_protocolo").level == "behaviour"
    assert instrument.item("gusto").level == ""
    levels = {i.code: instrument.index_level(i.code) for i in instrument.indices}
    # 'saber' has no level of its own: it takes the one its items share.
    assert levels == {"prac": "behaviour", "saber": "learning", "gusto": "reaction"}
    again = read_xlsform(write_xlsform(instrument)).instrument
    assert [(i.name, i.level) for i in again.items] == [(i.name, i.level) for i in instrument.items]
    assert [(i.code, i.level) for i in again.indices] == [
        (i.code, i.level) for i in instrument.indices
    ]


def test_an_unknown_level_is_refused_naming_sheet_and_row():
    with pytest.raises(XLSFormError, match=r"Sheet 'survey', row 2, column fortalece_level"):
        read_xlsform(_level_form(item_level="level three"))
    with pytest.raises(XLSFormError, match=r"Sheet 'fortalece_indices', row 2"):
        read_xlsform(_level_form(index_level="nivel 3"))


def test_mixed_item_levels_leave_an_index_untagged():
    instrument = read_xlsform(_level_form()).instrument
    items = [
        dataclasses.replace(i, level="learning") if i.name == "deriva" else i
        for i in instrument.items
    ]
    indices = [dataclasses.replace(i, level="") for i in instrument.indices]
    mixed = dataclasses.replace(instrument, items=items, indices=indices)
    assert mixed.index_level("prac") == ""


def test_paired_change_from_post_to_follow_up_matches_scipy(followup):
    instrument, rows, *_ = followup
    result = analyze_followup(
        instrument,
        rows,
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    assert result["design"] == "followup"
    scores = score_all(instrument, rows)
    by_wave = {
        w: {r["code"]: s["aware"] for r, s in zip(rows, scores, strict=True) if r["wave"] == w}
        for w in ("post", "followup")
    }
    codes = [
        c
        for c, v in by_wave["post"].items()
        if v is not None and by_wave["followup"].get(c) is not None
    ]
    ref = stats.ttest_rel(
        [by_wave["followup"][c] for c in codes], [by_wave["post"][c] for c in codes]
    )
    aware = next(i for i in result["indices"] if i["code"] == "aware")
    assert aware["level"] == "learning"
    assert aware["n_treated"] == len(codes)
    assert aware["headline"]["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert aware["headline"]["effect"] == pytest.approx(
        np.mean([by_wave["followup"][c] - by_wave["post"][c] for c in codes])
    )
    # Grouped by level in Kirkpatrick's order; the aggregate has mixed levels: untagged.
    assert [(level["level"], level["indices"]) for level in result["levels"]] == [
        ("learning", ["aware"]),
        ("behaviour", ["comm", "attention"]),
        ("", ["police_skills"]),
    ]


def test_attrition_is_counted_and_the_lost_compared_on_the_post_test(followup):
    instrument, rows, _, _, lost = followup
    result = analyze_followup(
        instrument,
        rows,
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    attrition = result["attrition"]
    assert attrition["lost"] == len(lost)
    assert attrition["post"] == 300
    assert attrition["followup"] == 300 - len(lost)
    comm = next(i for i in result["indices"] if i["code"] == "comm")
    # Those lost had low post-test scores on 'comm': the comparison must say so.
    assert comm["attrition"]["effect"] > 0
    assert comm["attrition"]["p_value"] < 0.05
    assert comm["attrition"]["n_lost"] == len(lost)
    english, spanish = result["headlines"]["en"], result["headlines"]["es"]
    assert english[0].startswith(f"Of 300 officers who answered the post-test, {300 - len(lost)}")
    assert spanish[0].startswith("De 300 personas")
    assert any("not like the others" in line for line in english)
    assert any("no se parecen al resto" in line for line in spanish)
    # Decimal commas in Spanish (as the page's tables write them), points in English.
    assert not any(re.search(r"\d\.\d", line) for line in spanish)
    assert any(re.search(r"IC 95% -?\d+,\d–-?\d+,\d", line) for line in spanish)
    assert any(re.search(r"95% CI -?\d+\.\d–-?\d+\.\d", line) for line in english)
    assert any("(behaviour)" in line for line in english)
    assert any("(comportamiento)" in line for line in spanish)


def test_attrition_comparison_is_welch_on_the_post_test_scores():
    stayed = np.array([60.0, 70, 80, 75, 65])
    left = np.array([40.0, 55, 50])
    result = attrition_comparison(stayed, left)
    ref = stats.ttest_ind(stayed, left, equal_var=False)
    assert result["effect"] == pytest.approx(stayed.mean() - left.mean())
    assert result["p_value"] == pytest.approx(ref.pvalue, rel=1e-9)
    assert (result["n_followup"], result["n_lost"]) == (5, 3)
    assert attrition_comparison(stayed, np.array([50.0])) is None


def test_no_attrition_and_no_difference_is_said_plainly(followup):
    instrument, _, _, rows, _ = followup
    result = analyze_followup(
        instrument,
        rows,
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    assert result["attrition"]["lost"] == 0
    assert all(i["attrition"] is None for i in result["indices"])
    assert any("Too few officers missed the follow-up" in h for h in result["headlines"]["en"])


def test_codes_pair_within_the_group_and_duplicates_are_refused():
    instrument = read_xlsform(_level_form()).instrument
    base = {"usa_protocolo": "3", "deriva": "3", "sabe": "4", "gusto": "5"}
    rows = []
    for workshop in ("A", "B"):
        for n in range(4):
            rows.append({**base, "code": f"C{n}", "wave": "post", "taller": workshop})
            later = {**base, "deriva": str(4 + n % 2), "code": f"C{n}", "wave": "seg"}
            rows.append({**later, "taller": workshop})
    result = analyze_followup(
        instrument,
        rows,
        wave_column="wave",
        post_value="post",
        followup_value="seg",
        code_column="code",
        group_column="taller",
    )
    assert result["attrition"] == {
        "post": 8,
        "followup": 8,
        "lost": 0,
        "only_followup": 0,
        "rate_followup": 1.0,
    }
    with pytest.raises(AnalysisError, match="C0"):
        analyze_followup(
            instrument,
            rows,
            wave_column="wave",
            post_value="post",
            followup_value="seg",
            code_column="code",
        )
    with pytest.raises(AnalysisError, match="No answers have 'later'"):
        analyze_followup(
            instrument,
            rows,
            wave_column="wave",
            post_value="post",
            followup_value="later",
            code_column="code",
            group_column="taller",
        )


def test_the_command_line_runs_the_follow_up_design(tmp_path, followup):
    instrument, rows, *_ = followup
    form = tmp_path / "form.xlsx"
    form.write_bytes(write_xlsform(instrument))
    data = tmp_path / "data.csv"
    columns = list(rows[0])
    data.write_text(
        ",".join(columns) + "\n" + "\n".join(",".join(r[c] for c in columns) for r in rows),
        encoding="utf-8",
    )
    out_json, out_html = tmp_path / "r.json", tmp_path / "r.html"

    class Out:
        def __init__(self):
            self.parts = []

        def write(self, text):
            self.parts.append(text)

    out, err = Out(), Out()
    code = main(
        [
            "--form", str(form), "--data", str(data), "--design", "followup",
            "--wave", "wave", "--post", "post", "--followup", "followup",
            "--code", "code", "--within", "group",
            "--json", str(out_json), "--html", str(out_html),
        ],
        out=out,
        err=err,
    )  # fmt: skip
    assert code == 0, "".join(err.parts)
    result = json.loads(out_json.read_text())
    assert result["design"] == "followup"
    assert result["meta"]["settings"]["group_column"] == "group"
    assert "Of 300 officers" in "".join(out.parts)
    assert "by Kirkpatrick level" in out_html.read_text()


def test_answers_without_a_code_are_left_out_and_counted(followup):
    instrument, rows, *_ = followup
    with_blank = [*rows, {**rows[0], "code": " "}, {**rows[1], "code": ""}]
    result = analyze_followup(
        instrument,
        with_blank,
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    assert "2 answers have no code in 'code'" in " ".join(result["warnings"])
    assert result["attrition"]["post"] == 300


def test_a_fading_effect_is_recovered_and_said_with_the_verb_carrying_the_sign():
    """simulate_followup keeps 70% of each answer's gain: the report finds the true change
    from post-test to follow-up, and says "fell by 2.2 points", never "fell by -2.2"."""
    study = simulate_followup(seed=5)
    result = analyze_followup(
        study.instrument,
        study.rows,
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    for entry in result["indices"]:
        h = entry["headline"]
        assert h["low"] <= study.true_effects[entry["code"]] <= h["high"], entry["code"]
        assert h["high"] < 0, entry["code"]  # the effect fades
    assert result["attrition"]["lost"] > 0
    for line in result["headlines"]["en"] + result["headlines"]["es"]:
        assert not re.search(r"(fell|rose|changed) by -|(bajó|subió|cambió) -", line), line
    assert any(re.search(r"fell by \d", line) for line in result["headlines"]["en"])
    assert any(re.search(r"bajó \d+,\d puntos", line) for line in result["headlines"]["es"])
