"""Studies whose headlines, method notes and sensitivity sentences were recorded as the
English and Spanish f-strings wrote them (``headlines_before.json``), one per branch of the
texts: AIPW with and without clusters, the wild bootstrap, CR2, the plain difference,
pre/post, difference in differences and the follow-up (with and without attrition)."""

from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from fortalece.impact.core.followup import analyze_followup
from fortalece.impact.core.repeated import analyze_repeated
from fortalece.impact.core.report import analyze
from fortalece.impact.core.scoring import score_all
from fortalece.impact.core.simulate import simulate, simulate_followup, simulate_waves

BEFORE = Path(__file__).with_name("headlines_before.json")
POST = {"group_column": "group", "treated_value": "trained", "draws": 60, "seed": 1}
WAVES = {"wave_column": "wave", "pre_value": "pre", "post_value": "post", "code_column": "code"}
FOLLOWUP = {
    "wave_column": "wave",
    "post_value": "post",
    "followup_value": "followup",
    "code_column": "code",
}


def _few_states(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "state": r["state"] if r["state"] < "MX-G" else "MX-X"} for r in rows]


def _blank_years(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "years_service": ""} if n % 9 == 0 else r for n, r in enumerate(rows)]


def _lose_low_scorers(instrument: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Those with a low post-test score on 'comm' mostly miss the follow-up."""
    scores = score_all(instrument, rows)
    post = {r["code"]: s["comm"] for r, s in zip(rows, scores, strict=True) if r["wave"] == "post"}
    cut = np.nanmedian([v for v in post.values() if v is not None])
    lost = {c for c, v in post.items() if v is not None and v < cut and int(c[1:]) % 4}
    return [r for r in rows if not (r["wave"] == "followup" and r["code"] in lost)]


def cases() -> dict[str, Callable[[], dict[str, Any]]]:
    small = simulate(trained=120, comparison=90, seed=11)
    study = simulate(trained=300, comparison=220, seed=21)
    waves = simulate_waves(trained=200, comparison=150, seed=9)
    fading = simulate_followup(seed=5)
    steady = simulate_followup(kept=0.9, seed=1, trained=150)
    trained = [r for r in waves.rows if r["group"] == "trained"]
    as_followup = [{**r, "wave": "post" if r["wave"] == "pre" else "followup"} for r in trained]
    return {
        "aipw_clusters": lambda: analyze(
            small.instrument,
            _blank_years(small.rows),
            **POST,
            covariates=["years_service", "state", "sex"],
            cluster="state",
            places={"MX-MIC": "Michoacán"},
        ),
        "aipw": lambda: analyze(study.instrument, study.rows, **POST, covariates=["years_service"]),
        "ols_wild": lambda: analyze(
            study.instrument,
            _few_states(study.rows),
            **POST,
            covariates=["years_service"],
            cluster="state",
        ),
        "wild": lambda: analyze(study.instrument, _few_states(study.rows), **POST, cluster="state"),
        "ols_cr2": lambda: analyze(study.instrument, study.rows, **POST, cluster="state"),
        "welch": lambda: analyze(study.instrument, study.rows, **POST),
        "prepost": lambda: analyze_repeated(waves.instrument, trained, **WAVES),
        "did": lambda: analyze_repeated(
            waves.instrument,
            waves.rows,
            **WAVES,
            group_column="group",
            treated_value="trained",
            cluster="state",
        ),
        "followup_fading": lambda: analyze_followup(fading.instrument, fading.rows, **FOLLOWUP),
        "followup_all_answered": lambda: analyze_followup(
            waves.instrument, as_followup, **FOLLOWUP
        ),
        "followup_low_scorers_lost": lambda: analyze_followup(
            waves.instrument, _lose_low_scorers(waves.instrument, as_followup), **FOLLOWUP
        ),
        "followup_steady": lambda: analyze_followup(steady.instrument, steady.rows, **FOLLOWUP),
    }


def texts(result: dict[str, Any]) -> dict[str, Any]:
    """The texts a result carries in both languages, as stored before the messages."""
    return {
        "headlines": result["headlines"],
        "method": {k: v for k, v in result.get("method", {}).items() if k != "headline"},
        "sentences": [
            i["sensitivity"]["sentence"] for i in result["indices"] if i.get("sensitivity")
        ],
    }
