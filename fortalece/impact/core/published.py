"""Published figures next to the recomputation, and why a combined gain cannot exceed its parts.

Seed 002 (UNODC Mexico, July 2020) published relative improvements of 4%, 16.54% and 8.6% for
three indices and 28.14% for their "aggregate". An aggregate index is, for each respondent,
the mean of its components, so its relative gain is

    Σ_k Δ_k / Σ_k μ_k = Σ_k (μ_k / Σ_j μ_j) · (Δ_k / μ_k),

a weighted mean of the components' relative gains (weights: their untrained means). It must
lie between the smallest and the largest of them — here between 4% and 16.54%. 28.14% is close
to adding the three percentages up (29.14%), which is not how a combined gain works.
"""

from typing import Any

from fortalece.impact.core.messages import Message, Number, catalogue, gettext_noop, translate_with

AGGREGATE_EXPLAINED = gettext_noop(
    "The aggregate index is, for each respondent, the mean of the other %(count)s; so its "
    "relative gain is a weighted mean of its parts' gains and must lie between the smallest "
    "(%(low)s%%) and the largest (%(high)s%%). The published %(claimed)s%% is close to adding "
    "the percentages up (%(total)s%%), and a combined gain is not a sum. Fortalece recomputes "
    "it from the same respondents: %(ours)s%%."
)

SEED_002 = {
    "source": "UNODC Mexico, July 2020 (seed 002)",
    "relative": {"comm": 0.04, "attention": 0.1654, "aware": 0.086, "police_skills": 0.2814},
    "aggregate": "police_skills",
}


def _tidy(x: float) -> float | int:
    """16.54 stays 16.54, 8.6 stays 8.6 (not 8.600000000000001), 4.0 becomes 4."""
    x = round(x, 4)
    return int(x) if x == int(x) else x


def _pct(x: float) -> Number:
    """A percentage with at most two decimals and no trailing zeros (16.54, 8.6, 4)."""
    return Number(round(x, 2), None)


def compare(result: dict[str, Any], published: dict[str, Any], language: str = "en") -> dict:
    """Rows (index, published %, recomputed % with its interval) and the plain explanation."""
    by_code = {i["code"]: i for i in result.get("indices", []) if "error" not in i}
    rows = []
    for code, value in published["relative"].items():
        index = by_code.get(code)
        if index is None:
            continue
        rel = index["relative_improvement"]
        label = index.get("label_es") if language == "es" else index.get("label")
        rows.append(
            {
                "code": code,
                "label": label or index.get("label") or code,
                "published": value,
                "recomputed": rel["effect"],
                "low": rel["low"],
                "high": rel["high"],
                "aggregate": code == published.get("aggregate"),
                "published_pct": _tidy(100 * value),
                "recomputed_pct": 100 * rel["effect"],
                "low_pct": 100 * rel["low"],
                "high_pct": 100 * rel["high"],
            }
        )
    parts = [r["published"] for r in rows if not r["aggregate"]]
    aggregate = next((r for r in rows if r["aggregate"]), None)
    explanation = None
    if parts and aggregate:
        explanation = Message(
            AGGREGATE_EXPLAINED,
            {
                "count": len(parts),
                "low": _pct(100 * min(parts)),
                "high": _pct(100 * max(parts)),
                "claimed": _pct(100 * aggregate["published"]),
                "total": _pct(100 * sum(parts)),
                "ours": Number(100 * aggregate["recomputed"]),
            },
        )
    lang = "es" if language == "es" else "en"
    return {
        "source": published.get("source", ""),
        "rows": rows,
        "explanation": translate_with(explanation, catalogue(lang), language=lang)
        if explanation
        else "",
    }
