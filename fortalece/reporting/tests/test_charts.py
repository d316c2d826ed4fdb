"""The SVG charts are pure functions: no database, no Django."""

import re
from xml.etree import ElementTree

from fortalece.core.charts import bar_chart, column_chart

SVG = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)  # noqa: S314 - our own markup


def test_bar_chart_is_well_formed_with_title_and_description_for_screen_readers():
    root = _parse(bar_chart([("Female", 76), ("Male", 27)], title="By sex"))
    assert root.get("role") == "img"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "By sex"
    assert desc is not None and desc.text == "Female: 76; Male: 27"
    assert root.get("aria-labelledby") == f"{title.get('id')} {desc.get('id')}"


def test_bar_chart_draws_one_bar_per_value_scaled_to_the_largest():
    root = _parse(bar_chart([("A", 100), ("B", 50), ("C", 0)], title="t"))
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    assert widths[0] == 2 * widths[1]
    assert widths[2] == 1  # a zero still shows a hairline next to its label


def test_suppressed_values_show_the_minimum_and_no_bar():
    svg = bar_chart([("Female", 40), ("Other", None)], title="t", minimum=10)
    root = _parse(svg)
    assert len(list(root.iter(f"{SVG}rect"))) == 1
    assert "&lt;10" in svg and "&lt;5" not in svg
    assert root.find(f"{SVG}desc").text == "Female: 40; Other: <10"


def test_an_explicit_description_replaces_the_generated_one():
    root = _parse(bar_chart([("A", 1)], title="t", description="One group"))
    assert root.find(f"{SVG}desc").text == "One group"


def test_two_charts_with_other_data_get_other_ids_and_the_same_chart_the_same_markup():
    first = bar_chart([("A", 1)], title="t")
    assert first == bar_chart([("A", 1)], title="t")
    ids = set(re.findall(r'id="([^"]+)"', first))
    assert ids.isdisjoint(re.findall(r'id="([^"]+)"', bar_chart([("A", 2)], title="t")))
    assert ids.isdisjoint(re.findall(r'id="([^"]+)"', column_chart([("A", 1)], title="t")))


def test_column_chart_has_a_column_per_month_and_marks_hidden_months():
    rows = [("2021-01", 10), ("2021-02", 0), ("2021-03", None), ("2021-04", 5)]
    root = _parse(column_chart(rows, title="By month"))
    rects = list(root.iter(f"{SVG}rect"))
    assert len(rects) == 4
    heights = [float(r.get("height")) for r in rects]
    assert heights[0] == 2 * heights[3] and heights[1] == 0 and heights[2] > 0
    assert rects[2].get("fill") != rects[0].get("fill")
    assert [t.text for t in rects[2].iter(f"{SVG}title")] == ["2021-03: <5"]


def test_charts_use_attributes_only_never_inline_style_or_script():
    for svg in (
        bar_chart([("A", 3), ("B", None)], title="t"),
        column_chart([("2020-01", 3), ("2020-02", None)], title="t"),
    ):
        assert "style" not in svg and "<script" not in svg and "on" + "click" not in svg


def test_empty_charts():
    assert column_chart([], title="x") == ""
    root = _parse(bar_chart([], title="Nothing"))
    assert root.find(f"{SVG}title").text == "Nothing"


def test_column_chart_labels_stay_inside_the_chart_and_hidden_values_show_no_scale():
    rows = [(f"20{20 + i // 12}-{i % 12 + 1:02d}", i) for i in range(48)]
    root = _parse(column_chart(rows, title="t", width=420))
    labels = [t for t in root.findall(f"{SVG}text") if t.get("text-anchor") == "middle"]
    assert len(labels) >= 3
    assert all(28 <= float(t.get("x")) <= 420 - 28 for t in labels)
    hidden = column_chart([("2021-01", None), ("2021-02", None)], title="t")
    assert len(_parse(hidden).findall(f"{SVG}line")) == 1  # the axis, no scale


def test_a_hidden_value_is_written_with_its_mark_and_no_bar():
    root = _parse(bar_chart([("Male", 31), ("Female", "hidden"), ("Other", "<5")], title="t"))
    assert len(list(root.iter(f"{SVG}rect"))) == 1
    texts = [t.text for t in root.iter(f"{SVG}text")]
    assert "hidden" in texts and "<5" in texts
    assert root.find(f"{SVG}desc").text == "Male: 31; Female: hidden; Other: <5"
