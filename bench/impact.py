"""Benchmark: the full impact analysis on a large simulated study, next to plain statsmodels.

    .venv/bin/python bench/impact.py --respondents 100000 --draws 2000

Simulates a seed-002-like study with 40 scored items (3 indices × 13 statements and a knowledge
question), then times (a) ``fortalece.impact.core.report.analyze`` with the given wild-bootstrap
draws — Welch, OLS with CR1 and CR2 errors, AIPW-ATT with its influence-function SE, the wild
cluster bootstrap, sensitivity, reliability, balance, items and subgroups — and (b) the same
point estimates computed the plain way: pandas scoring, scipy's Welch test, statsmodels' OLS with
cluster-robust errors and the AIPW-ATT point estimate from a statsmodels logistic GLM and OLS.
Both start from the same list of answer rows. Fails (exit 1) if any Welch, OLS or AIPW estimate
differs by more than 1e-6, or if (a) takes more than twice (b).
"""

import argparse
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")  # as the impact commands do (see fortalece/__main__.py)
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def plain_scores(frame, instrument):  # type: ignore[no-untyped-def]
    """Index scores written the straightforward pandas way (the reference for the timing)."""
    import numpy as np
    import pandas as pd

    item_scores = {}
    for item in instrument.items:
        if item.kind == "background" or not item.indices:
            continue
        column = frame[item.name].astype(str).str.strip()
        if item.kind == "knowledge":
            score = (column == str(item.correct)).astype(float) * 100
            score[column == ""] = np.nan
        else:
            value = pd.to_numeric(column.where(~column.isin(item.missing_codes)), errors="coerce")
            value = value.where(value.between(item.scale_min, item.scale_max))
            if item.reverse:
                value = item.scale_max + item.scale_min - value
            score = (value - item.scale_min) / (item.scale_max - item.scale_min) * 100
        item_scores[item.name] = score
    scores = {}
    for index in instrument.indices:
        if index.components:
            continue
        part = pd.DataFrame(
            {i.name: item_scores[i.name] for i in instrument.index_items(index.code)}
        )
        enough = part.notna().mean(axis=1) >= index.min_share
        scores[index.code] = part.mean(axis=1).where(enough).to_numpy(float)
    for index in instrument.indices:
        if index.components:
            scores[index.code] = np.mean([scores[c] for c in index.components], axis=0)
    return scores


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--respondents", type=int, default=100_000)
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    import numpy as np
    import pandas as pd
    import statsmodels.api as sm
    from scipy import stats

    from fortalece.impact.core.report import analyze
    from fortalece.impact.core.simulate import simulate

    trained = int(args.respondents * 0.6)
    started = time.perf_counter()
    study = simulate(
        trained=trained, comparison=args.respondents - trained, seed=args.seed, extra_items=9
    )
    scored = [i for i in study.instrument.items if i.kind != "background"]
    print(
        f"simulated {args.respondents:,} respondents × {len(scored)} scored items in "
        f"{time.perf_counter() - started:.1f} s"
    )

    started = time.perf_counter()
    result = analyze(
        study.instrument,
        study.rows,
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state", "sex"],
        cluster="state",
        seed=args.seed,
        draws=args.draws,
    )
    ours = time.perf_counter() - started

    started = time.perf_counter()
    frame = pd.DataFrame(study.rows)
    scores = plain_scores(frame, study.instrument)
    t = (frame["group"] == "trained").astype(float).to_numpy()
    covariates = pd.concat(
        [
            pd.to_numeric(frame["years_service"]).to_frame(),
            pd.get_dummies(frame[["state", "sex"]], drop_first=True, dtype=float),
        ],
        axis=1,
    ).to_numpy(float)
    plain = {}
    for code, y in scores.items():
        keep = ~np.isnan(y)
        welch = stats.ttest_ind(y[keep & (t == 1)], y[keep & (t == 0)], equal_var=False)
        difference = y[keep & (t == 1)].mean() - y[keep & (t == 0)].mean()
        x = sm.add_constant(covariates[keep])
        ols = sm.OLS(y[keep], np.column_stack([x[:, :1], t[keep], x[:, 1:]])).fit(
            cov_type="cluster",
            cov_kwds={"groups": frame["state"][keep].astype("category").cat.codes},
        )
        tk, yk = t[keep], y[keep]
        e = sm.GLM(tk, x, family=sm.families.Binomial()).fit().predict(x).clip(0.01, 0.99)
        m0 = sm.OLS(yk[tk == 0], x[tk == 0]).fit().predict(x)
        w = e / (1 - e)
        r = yk - m0
        aipw = r[tk == 1].mean() - np.sum((w * r)[tk == 0]) / np.sum(w[tk == 0])
        plain[code] = {
            "difference": difference,
            "adjusted_ols": float(ols.params[1]),
            "aipw": float(aipw),
            "p": welch.pvalue,
        }
    baseline = time.perf_counter() - started

    mismatch = [
        (i["code"], method)
        for i in result["indices"]
        for method in ("difference", "adjusted_ols", "aipw")
        if abs(i[method]["effect"] - plain[i["code"]][method]) > 1e-6
    ]
    print(f"full analysis ({args.draws} wild bootstrap draws): {ours:8.1f} s")
    print(f"plain statsmodels point estimates:           {baseline:8.1f} s")
    print(f"ratio: {ours / baseline:.2f}× (limit 2×)")
    for index in result["indices"]:
        h = index["headline"]
        print(
            f"  {index['code']:<14} {h['effect']:6.2f} ({h['low']:.2f}–{h['high']:.2f})  "
            f"true {study.true_effects[index['code']]:.2f}  "
            f"plain AIPW {plain[index['code']]['aipw']:.6f}  ours {index['aipw']['effect']:.6f}"
        )
    if mismatch:
        print("MISMATCH:", mismatch)
    else:
        print("Welch, OLS and AIPW estimates equal to 1e-6.")
    return 1 if mismatch or ours > 2 * baseline else 0


if __name__ == "__main__":
    sys.exit(main())
