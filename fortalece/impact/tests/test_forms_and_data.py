import csv
import io

import pytest
from openpyxl import Workbook

from fortalece.impact.core.data import DataError, read_responses
from fortalece.impact.core.simulate import instrument, simulate
from fortalece.impact.core.xlsform import XLSFormError, read_xlsform, write_xlsform


def _xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_xlsform_round_trip_keeps_scoring():
    original = instrument()
    read = read_xlsform(write_xlsform(original)).instrument
    assert [i.name for i in read.items if i.kind != "background"] == [
        i.name for i in original.items if i.kind != "background"
    ]
    assert read.item("aw_blame").reverse and not read.item("aw_serious").reverse
    assert read.item("aw_blame").missing_codes == ("98",)
    assert read.item("att_referral").kind == "knowledge"
    assert {i.code: i.components for i in read.indices}["police_skills"] == (
        "comm",
        "attention",
        "aware",
    )


def test_real_world_quirks_groups_repeats_translations_select_multiple_blank_rows():
    data = _xlsx(
        {
            "survey": [
                [
                    "type",
                    "name",
                    "label::Español (es)",
                    "label::English (en)",
                    "fortalece_indices",
                    "fortalece_reverse",
                ],
                ["begin_group", "actitudes", "Actitudes", "Attitudes", "", ""],
                [
                    "select_one acuerdo",
                    "culpa",
                    "Las mujeres tienen la culpa",
                    "Women are to blame",
                    "aware",
                    "yes",
                ],
                [
                    "select_one acuerdo",
                    "grave",
                    "La violencia psicológica es grave",
                    "Psychological violence is serious",
                    "aware",
                    "",
                ],
                [None, None, None, None, None, None],
                ["end_group", "", "", "", "", ""],
                ["begin_repeat", "hijos", "Hijos", "Children", "", ""],
                ["integer", "edad_hijo", "Edad", "Age", "", ""],
                ["end_repeat", "", "", "", "", ""],
                ["select_multiple servicios", "servicios", "Servicios", "Services", "aware", ""],
            ],
            "choices": [
                ["list_name", "name", "label::Español (es)", "label::English (en)"],
                *[["acuerdo", str(v), str(v), str(v)] for v in range(1, 6)],
                ["acuerdo", "ns", "No sé", "Don't know"],
                ["servicios", "cjm", "CJM", "CJM"],
                ["servicios", "dif", "DIF", "DIF"],
            ],
            "settings": [["form_title", "version"], ["Encuesta", "3"]],
        }
    )
    result = read_xlsform(data)
    names = [i.name for i in result.instrument.items]
    assert names == ["culpa", "grave", "servicios"]
    assert result.instrument.item("culpa").reverse
    assert result.instrument.item("culpa").missing_codes == ("ns",)
    assert result.instrument.item("servicios").kind == "background"
    assert any("repeat" in w for w in result.warnings)
    assert any("select_multiple" in w for w in result.warnings)
    assert (
        dict(result.instrument.item("grave").labels)["English (en)"]
        == "Psychological violence is serious"
    )


def test_broken_forms_name_the_sheet_and_row():
    with pytest.raises(XLSFormError, match="survey"):
        read_xlsform(_xlsx({"choices": [["list_name", "name"]]}))
    bad = _xlsx(
        {
            "survey": [
                ["type", "name", "label", "fortalece_indices"],
                ["text", "comment", "Comment", "aware"],
            ],
        }
    )
    with pytest.raises(XLSFormError, match="row 2"):
        read_xlsform(bad)
    with pytest.raises(XLSFormError):
        read_xlsform(b"not an excel file")


def test_kobo_exports_with_labels_paths_and_semicolons():
    study = simulate(trained=30, comparison=20, seed=1)
    form = study.instrument
    headers = list(study.rows[0])
    labelled = {
        "aw_blame": "Women are to blame for being in a violent relationship",
        "comm_trust": "actitudes/comm_trust",
    }
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([labelled.get(h, h) for h in headers])
    for row in study.rows:
        writer.writerow(["Women's Justice Centre" if row[h] == "cjm" else row[h] for h in headers])
    responses = read_responses("export.csv", buffer.getvalue().encode("utf-8"), form)
    assert responses.rows[0]["aw_blame"] == study.rows[0]["aw_blame"]
    assert responses.rows[0]["comm_trust"] == study.rows[0]["comm_trust"]
    assert {r["att_referral"] for r in responses.rows} <= {"cjm", "mp"}


def test_a_value_that_is_not_a_choice_is_reported_by_row_and_column():
    study = simulate(trained=5, comparison=5, seed=2)
    headers = list(study.rows[0])
    rows = [dict(r) for r in study.rows]
    rows[3]["aw_blame"] = "7"
    text = ",".join(headers) + "\n" + "\n".join(",".join(r[h] for h in headers) for r in rows)
    with pytest.raises(DataError) as error:
        read_responses("export.csv", text.encode(), study.instrument)
    column = chr(65 + headers.index("aw_blame"))
    assert f"Row 5, column {column} (aw_blame)" in str(error.value)


def test_a_column_can_be_matched_by_hand():
    study = simulate(trained=5, comparison=5, seed=3)
    headers = ["P1" if h == "aw_blame" else h for h in study.rows[0]]
    text = (
        ",".join(headers)
        + "\n"
        + "\n".join(",".join(r[h] for h in study.rows[0]) for r in study.rows)
    )
    auto = read_responses("x.csv", text.encode(), study.instrument)
    assert "P1" not in auto.columns and "aw_blame" not in auto.rows[0]
    mapped = read_responses("x.csv", text.encode(), study.instrument, {"P1": "aw_blame"})
    assert mapped.columns["P1"] == "aw_blame"
    assert mapped.rows[0]["aw_blame"] == study.rows[0]["aw_blame"]


def test_index_labels_travel_in_every_language():
    original = instrument()
    read = read_xlsform(write_xlsform(original)).instrument
    aware = next(i for i in read.indices if i.code == "aware")
    assert aware.label_in("es") == "Sensibilización sobre la violencia de género"
    assert aware.label_in("en") == "Awareness of gender violence"
