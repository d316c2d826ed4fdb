"""Benchmark: the full impact analysis on a large simulated study, next to plain statsmodels.

    .venv/bin/python bench/impact.py --respondents 100000 --draws 2000

Simulates a seed-002-like study with 40 scored items (3 indices × 13 statements and a knowledge
question), then times (a) ``fortalece.impact.core.report.analyze`` with
the given bootstrap draws and (b) the same point estimates computed with plain statsmodels
(Welch t-test and cluster-robust OLS per index), and checks both agree on the OLS effects.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


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
    from fortalece.impact.core.scoring import score_all
    from fortalece.impact.core.simulate import simulate

    trained = int(args.respondents * 0.6)
    started = time.perf_counter()
    # 3 indices × 13 statements + 1 knowledge question = 40 scored items.
    study = simulate(
        trained=trained, comparison=args.respondents - trained, seed=args.seed, extra_items=9
    )
    print(f"simulated {args.respondents:,} respondents in {time.perf_counter() - started:.1f} s")

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
    scores = pd.DataFrame(score_all(study.instrument, study.rows))
    t = (frame["group"] == "trained").astype(float).to_numpy()
    covariates = pd.concat(
        [
            pd.to_numeric(frame["years_service"]).to_frame(),
            pd.get_dummies(frame[["state", "sex"]], drop_first=True, dtype=float),
        ],
        axis=1,
    ).to_numpy(float)
    plain = {}
    for code in scores.columns:
        y = scores[code].to_numpy(float)
        keep = ~np.isnan(y)
        stats.ttest_ind(y[keep & (t == 1)], y[keep & (t == 0)], equal_var=False)
        design = sm.add_constant(np.column_stack([t[keep], covariates[keep]]))
        fit = sm.OLS(y[keep], design).fit(
            cov_type="cluster",
            cov_kwds={"groups": frame["state"][keep].astype("category").cat.codes},
        )
        plain[code] = float(fit.params[1])
    baseline = time.perf_counter() - started

    mismatch = [
        i["code"]
        for i in result["indices"]
        if abs(i["adjusted_ols"]["effect"] - plain[i["code"]]) > 1e-6
    ]
    print(f"full analysis ({args.draws} bootstrap draws): {ours:8.1f} s")
    print(f"plain statsmodels point estimates:        {baseline:8.1f} s")
    for index in result["indices"]:
        h = index["headline"]
        print(
            f"  {index['code']:<14} {h['effect']:6.2f} ({h['low']:.2f}–{h['high']:.2f})  true {study.true_effects[index['code']]:.2f}"
        )
    if mismatch:
        print("MISMATCH:", mismatch)
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
