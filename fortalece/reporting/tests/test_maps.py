"""The SVG maps (pure)."""

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from fortalece.reporting.maps import (
    MEXICO_TILES,
    SCALE,
    Place,
    breaks,
    colour,
    country_positions,
    tile_map,
)


def test_the_tile_grid_has_each_of_mexicos_32_states_once():
    assert len(MEXICO_TILES) == 32
    assert len(set(MEXICO_TILES.values())) == 32  # no two states on one tile


def test_a_map_is_valid_svg_with_every_state_its_value_and_hidden_ones_marked():
    places = [Place(code, f"State {code}", n * 10) for n, code in enumerate(MEXICO_TILES)]
    places[3] = Place(places[3].code, "Coahuila <de Zaragoza>", None)
    svg = tile_map(places, MEXICO_TILES, title="People trained by state", hidden_label="hidden")
    root = ElementTree.fromstring(svg)  # noqa: S314 - our own output; well-formed, escaped
    assert root.get("role") == "img"
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert "MIC" in texts and "310" in texts and "hidden" in texts
    assert "Coahuila &lt;de Zaragoza&gt;: hidden" in svg
    # A hidden state is hatched, never coloured as a count.
    hidden_tile = next(
        g
        for g in root.iter("{http://www.w3.org/2000/svg}g")
        if "Coahuila" in (g.findtext("{http://www.w3.org/2000/svg}title") or "")
    )
    assert "hatch" in hidden_tile.find("{http://www.w3.org/2000/svg}rect").get("fill")
    assert tile_map(places, MEXICO_TILES, title="x") == tile_map(places, MEXICO_TILES, title="x")


def test_colours_get_darker_with_more_people_and_nobody_is_white():
    bounds = breaks([3, 18, 40, 97])
    assert bounds == [20, 40, 60, 80, 100]
    assert colour(0, bounds) == "#ffffff"
    assert colour(1, bounds) == SCALE[0] and colour(97, bounds) == SCALE[-1]
    assert breaks([]) == [] and breaks([0]) == []


@given(st.lists(st.integers(0, 10**6), min_size=1, max_size=40))
def test_every_value_falls_in_a_class_and_classes_only_grow(values):
    bounds = breaks(values)
    if max(values) == 0:
        assert bounds == []
        return
    assert bounds == sorted(bounds) and bounds[-1] >= max(values)
    shades = [SCALE.index(colour(v, bounds)) for v in sorted(v for v in values if v > 0)]
    assert shades == sorted(shades)


def test_countries_are_laid_out_alphabetically_in_rows():
    positions = country_positions(["VNM", "NAM", "MEX", "EGY", "KGZ"], per_row=2)
    assert positions == {"EGY": (0, 0), "KGZ": (1, 0), "MEX": (0, 1), "NAM": (1, 1), "VNM": (0, 2)}
