"""Per-respondent index scores on a 0–100 scale (POMP: percent of maximum possible).

``POMP = (x − min) / (max − min) × 100``. A reverse-scored item contributes
``max + min − x`` before rescaling. A knowledge item scores 100 when right, 0 when wrong.
An index score is the mean of the answered items' POMP scores, or missing when the respondent
answered fewer than ``min_share`` of the index's items. An aggregate is the mean of its
component indices for the respondent (missing if any component is missing).
"""

from collections.abc import Mapping, Sequence
from typing import Any

from fortalece.impact.core.instrument import Instrument, Item


def pomp(value: float, low: float, high: float) -> float:
    return (value - low) / (high - low) * 100.0


def reverse(value: float, low: float, high: float) -> float:
    return high + low - value


def item_value(item: Item, raw: Any) -> float | None:
    """A Likert answer on its own scale (e.g. 1–5, before any reversal), or ``None`` when it is
    blank, a "don't know" code or not on the scale."""
    if raw is None or item.kind != "likert":
        return None
    text = str(raw).strip()
    if text == "" or text in item.missing_codes:
        return None
    if item.values:
        return dict(item.values).get(text)
    try:
        value = float(text)
    except ValueError:
        return None
    return value if item.scale_min <= value <= item.scale_max else None


def item_score(item: Item, raw: Any) -> float | None:
    """The item's 0–100 score for a raw answer, or ``None`` when missing or not scorable."""
    if raw is None or item.kind == "background":
        return None
    if item.kind == "knowledge":
        text = str(raw).strip()
        if text == "" or text in item.missing_codes:
            return None
        return 100.0 if text == str(item.correct) else 0.0
    value = item_value(item, raw)
    if value is None:
        return None
    if item.reverse:
        value = reverse(value, item.scale_min, item.scale_max)
    return pomp(value, item.scale_min, item.scale_max)


def score_respondent(instrument: Instrument, answers: Mapping[str, Any]) -> dict[str, float | None]:
    scores: dict[str, float | None] = {}
    for index in instrument.indices:
        if index.components:
            continue
        items = instrument.index_items(index.code)
        values = [s for s in (item_score(i, answers.get(i.name)) for i in items) if s is not None]
        enough = items and len(values) / len(items) >= index.min_share
        scores[index.code] = sum(values) / len(values) if enough else None
    for index in instrument.indices:
        if index.components:
            parts = [scores.get(c) for c in index.components]
            scores[index.code] = None if any(p is None for p in parts) else sum(parts) / len(parts)  # type: ignore[arg-type]
    return scores


def score_all(
    instrument: Instrument, rows: Sequence[Mapping[str, Any]]
) -> list[dict[str, float | None]]:
    return [score_respondent(instrument, row) for row in rows]


def item_matrix(instrument: Instrument, rows: Any, names: Sequence[str]) -> Any:
    """Item scores (respondents × ``names``) as a float array, NaN where unanswered.

    ``rows`` is a list of answer dicts or a pandas DataFrame of them. The same numbers as
    ``item_score``: each distinct answer of a column is scored once and looked up (a hash
    map), never a Python call per cell.
    """
    import numpy as np
    import pandas as pd

    frame = rows if isinstance(rows, pd.DataFrame) else pd.DataFrame(list(rows))
    out = np.full((len(frame), len(names)), np.nan)
    for j, name in enumerate(names):
        if name not in frame.columns:
            continue
        item = instrument.item(name)
        codes, uniques = pd.factorize(frame[name].to_numpy(object), use_na_sentinel=False)
        lookup = np.array(
            [
                np.nan
                if value is None or value != value or (score := item_score(item, value)) is None
                else score
                for value in uniques
            ],
            float,
        )
        out[:, j] = lookup[codes]
    return out


def index_scores(instrument: Instrument, rows: Any) -> dict[str, Any]:
    """Every index's score per respondent (NaN when missing) as arrays: ``score_all``'s rule
    (mean of the answered items, missing below ``min_share``; aggregates from their parts)."""
    import numpy as np

    names = [i.name for i in instrument.items if i.kind != "background" and i.indices]
    matrix = item_matrix(instrument, rows, names)
    column = {name: j for j, name in enumerate(names)}
    scores: dict[str, Any] = {}
    for index in instrument.indices:
        if index.components:
            continue
        cols = [column[i.name] for i in instrument.index_items(index.code)]
        part = matrix[:, cols]
        answered = (~np.isnan(part)).sum(axis=1)
        total = np.nansum(part, axis=1)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = total / answered
        enough = answered / len(cols) >= index.min_share
        scores[index.code] = np.where(enough & (answered > 0), mean, np.nan)
    for index in instrument.indices:
        if index.components:
            scores[index.code] = np.mean([scores[c] for c in index.components], axis=0)
    return scores
