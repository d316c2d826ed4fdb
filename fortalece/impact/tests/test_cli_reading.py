"""The command line reports what reading set aside and accepts columns as users name them."""

import io
import json

import pytest
from openpyxl import load_workbook

from fortalece.impact.core import cli
from fortalece.impact.core.simulate import simulate, simulate_waves
from fortalece.impact.core.xlsform import write_xlsform

LIKERT_98 = "98"


@pytest.fixture(scope="module")
def small():
    return simulate(trained=70, comparison=50, seed=5)


def _csv(rows: list[dict[str, str]], rename: dict[str, str] | None = None) -> str:
    headers = list(rows[0])
    rename = rename or {}
    return (
        ",".join(rename.get(h, h) for h in headers)
        + "\n"
        + "\n".join(",".join(r[h] for h in headers) for r in rows)
    )


def _kobo_style(form: bytes) -> bytes:
    """The same form as KoboToolbox users write it: "No sé" coded 99, no fortalece_missing."""
    book = load_workbook(io.BytesIO(form))
    survey, choices = book["survey"], book["choices"]
    column = [c.value for c in survey[1]].index("fortalece_missing") + 1
    for row in survey.iter_rows(min_row=2):
        row[column - 1].value = None
    for row in choices.iter_rows(min_row=2):
        if row[1].value == LIKERT_98:
            row[1].value, row[2].value = "99", "No sé"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _run(tmp_path, form: bytes, data: str, *extra: str, name: str = "out"):
    (tmp_path / f"{name}.xlsx").write_bytes(form)
    (tmp_path / f"{name}.csv").write_text(data)
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(
        [
            "--form",
            str(tmp_path / f"{name}.xlsx"),
            "--data",
            str(tmp_path / f"{name}.csv"),
            "--seed",
            "3",
            "--draws",
            "40",
            "--json",
            str(tmp_path / f"{name}.json"),
            *extra,
        ],
        out=out,
        err=err,
    )
    result = json.loads((tmp_path / f"{name}.json").read_text()) if code == 0 else None
    return code, result, out.getvalue(), err.getvalue()


def _effects(result):
    return [(i["code"], i["headline"], i["difference"], i["n_treated"]) for i in result["indices"]]


def test_an_undeclared_dont_know_99_is_set_aside_reported_and_changes_nothing(tmp_path, small):
    """The issue's case: "No sé" coded 99 and no fortalece_missing column."""
    declared = write_xlsform(small.instrument)
    kobo_rows = [
        {k: ("99" if v == LIKERT_98 and k != "age" else v) for k, v in r.items()}
        for r in small.rows
    ]
    args = ("--covariates", "years_service,state", "--cluster", "state")
    code, expected, out_declared, _ = _run(tmp_path, declared, _csv(small.rows), *args, name="a")
    assert code == 0
    code, result, out, err = _run(tmp_path, _kobo_style(declared), _csv(kobo_rows), *args, name="b")
    assert code == 0, err
    assert _effects(result) == _effects(expected)
    assert result["items"] == expected["items"]
    notes = [line for line in out.splitlines() if line.startswith("note:")]
    likert = sum(1 for i in small.instrument.items if i.kind == "likert")
    assert notes and (
        f"99 'No sé' treated as missing in {likert} questions (its label means no answer); "
        in notes[0]
    )
    entry = result["reading"]["set_aside"][0]
    total = sum(1 for r in kobo_rows for n in entry["questions"] if r.get(n))
    answers = sum(1 for r in kobo_rows for n in entry["questions"] if r.get(n) == "99")
    assert entry["answers"] == answers and entry["share"] == pytest.approx(answers / total)
    assert f"{100 * answers / total:.1f}% of answers ({answers})" in notes[0]
    assert "the form declares it" in out_declared


def test_a_form_without_special_codes_gives_what_it_always_gave(tmp_path, small):
    """No special code: reading sets nothing aside, the result is the analysis of the rows."""
    from fortalece.impact.core.report import analyze

    clean = [
        {k: ("3" if v == LIKERT_98 and k != "age" else v) for k, v in r.items()} for r in small.rows
    ]
    code, result, out, _ = _run(
        tmp_path, write_xlsform(small.instrument), _csv(clean), "--covariates", "years_service"
    )
    assert code == 0
    assert result["reading"]["unknown"] == {}
    assert all(e["answers"] == 0 for e in result["reading"]["set_aside"])
    direct = analyze(
        small.instrument,
        clean,
        group_column="group",
        treated_value="trained",
        covariates=["years_service"],
        seed=3,
        draws=40,
    )
    assert _effects(result) == _effects(direct)


def test_columns_by_full_path_bare_name_or_label_and_did_you_mean(tmp_path, small):
    data = _csv(small.rows, {"years_service": "datos/years_service", "state": "datos/state"})
    form = write_xlsform(small.instrument)
    code, result, _, err = _run(
        tmp_path,
        form,
        data,
        "--covariates",
        "datos/years_service,state",
        "--cluster",
        "datos/state",
    )
    assert code == 0, err
    assert result["reading"]["columns"]["covariates"] == ["years_service", "state"]
    assert result["meta"]["settings"]["covariates"] == ["years_service", "state"]
    code, _, _, err = _run(tmp_path, form, data, "--covariates", "years_servce", "--group", "grupo")
    assert code == 2
    assert "Column 'years_servce' is not in the data. Did you mean 'years_service'?" in err
    assert "Column 'grupo' is not in the data. Did you mean 'group'?" in err


def test_answers_off_the_choices_refuse_the_file_or_are_left_blank_on_request(tmp_path, small):
    rows = [dict(r) for r in small.rows]
    for r in rows[:4]:
        r["aw_blame"] = "7"
    form = write_xlsform(small.instrument)
    code, _, _, err = _run(tmp_path, form, _csv(rows))
    assert code == 2
    assert (
        "4 answers are not choices of 'aw_blame' and are not scored: '7' ×4 (rows 2, 3, 4, 5)"
        in err
    )
    code, result, out, _ = _run(tmp_path, form, _csv(rows), "--unknown-as-missing")
    assert code == 0
    assert result["reading"]["unknown"]["aw_blame"]["values"] == {"7": 4}
    assert "'7' ×4" in out


def test_duplicate_codes_within_a_group_stop_a_before_after_analysis(tmp_path):
    waves = simulate_waves(trained=30, comparison=20, seed=4)
    rows = [dict(r) for r in waves.rows]
    rows.append(dict(rows[0]))  # the same person's pre-test twice
    code, _, _, err = _run(tmp_path, write_xlsform(waves.instrument), _csv(rows), "--design", "did")
    assert code == 2
    assert f"Code '{rows[0]['code']}' appears 2 times in wave '{rows[0]['wave']}'" in err
    assert f"(rows 2, {len(rows) + 1})" in err
    code, result, _, err = _run(
        tmp_path, write_xlsform(waves.instrument), _csv(rows[:-1]), "--design", "did"
    )
    assert code == 0, err
    assert result["design"] == "did"
