"""Calibration: bias, RMSE and coverage of every method over simulated seed-002-like studies.

    .venv/bin/python bench/calibration.py --studies 200

Each study is ``simulate()`` with its own seed: 1,100 trained and 716 untrained officers,
confounded by years of service and state, 25–32 state clusters (drawn per study) with a state
effect, and — every other study — 5% blank answers and 5% "don't know" (code 98). The full
pipeline (``analyze``, covariates years_service, state and sex, clusters by state) runs on each;
the truth is the simulation's exact effect on the trained. Prints, per method and over the four
indices, the bias, the RMSE and the share of 95% intervals that contain the truth, then the
headline's coverage per index and scenario. Exit code 1 if the headline's coverage is outside
93–97%.
"""

import argparse
import os
import sys
import time
from pathlib import Path

for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

METHODS = {
    "difference": "Raw difference (Welch)",
    "adjusted_ols": "OLS, CR1, t(G−1)",
    "adjusted_ols_cr2": "OLS, CR2, t(G−1)",
    "wild_cluster_bootstrap": "OLS, wild cluster bootstrap-t",
    "aipw_normal": "AIPW, IF SE, normal",
    "aipw": "AIPW, IF SE, t(G−1) — headline",
}


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--studies", type=int, default=200)
    parser.add_argument("--draws", type=int, default=999)
    parser.add_argument("--first-seed", type=int, default=10_000)
    args = parser.parse_args()

    import numpy as np
    from scipy import stats

    from fortalece.impact.core.report import analyze
    from fortalece.impact.core.simulate import simulate

    records: list[dict] = []
    started = time.perf_counter()
    for k in range(args.studies):
        seed = args.first_seed + k
        rng = np.random.default_rng(seed)
        states = int(rng.integers(25, 33))
        messy = k % 2 == 1
        study = simulate(
            seed=seed,
            states=states,
            missing=0.05 if messy else 0.0,
            dont_know=0.05 if messy else 0.0,
        )
        result = analyze(
            study.instrument,
            study.rows,
            group_column="group",
            treated_value="trained",
            covariates=["years_service", "state", "sex"],
            cluster="state",
            subgroups=[],
            seed=seed,
            draws=args.draws,
        )
        for index in result["indices"]:
            truth = study.true_effects[index["code"]]
            estimates = {m: index.get(m) for m in METHODS if m != "aipw_normal"}
            a = index["aipw"]
            z = stats.norm.ppf(0.975)
            estimates["aipw_normal"] = {
                "effect": a["effect"],
                "low": a["effect"] - z * a["se"],
                "high": a["effect"] + z * a["se"],
            }
            for method, e in estimates.items():
                records.append(
                    {
                        "method": method,
                        "index": index["code"],
                        "messy": messy,
                        "error": e["effect"] - truth,
                        "covered": e["low"] <= truth <= e["high"],
                        "width": e["high"] - e["low"],
                    }
                )
            rel = index["relative_improvement"]
            records.append(
                {
                    "method": "relative",
                    "index": index["code"],
                    "messy": messy,
                    "error": rel["effect"] - study.true_relative[index["code"]],
                    "covered": rel["low"] <= study.true_relative[index["code"]] <= rel["high"],
                    "width": rel["high"] - rel["low"],
                }
            )
        if (k + 1) % 20 == 0:
            print(f"  {k + 1} studies, {time.perf_counter() - started:.0f} s", file=sys.stderr)

    def summary(rows: list[dict]) -> tuple[float, float, float, float, int]:
        errors = np.array([r["error"] for r in rows])
        covered = np.mean([r["covered"] for r in rows])
        width = np.mean([r["width"] for r in rows])
        return errors.mean(), np.sqrt(np.mean(errors**2)), covered, width, len(rows)

    print(
        f"{args.studies} studies (seeds {args.first_seed}–{args.first_seed + args.studies - 1}),"
        f" 25–32 clusters, {time.perf_counter() - started:.0f} s\n"
    )
    print("| method | bias | RMSE | 95% coverage | mean width | n |")
    print("|---|---:|---:|---:|---:|---:|")
    for method, label in METHODS.items():
        bias, rmse, coverage, width, n = summary([r for r in records if r["method"] == method])
        print(f"| {label} | {bias:+.2f} | {rmse:.2f} | {100 * coverage:.1f}% | {width:.2f} | {n} |")
    bias, rmse, coverage, width, n = summary([r for r in records if r["method"] == "relative"])
    print(
        f"| Relative improvement (headline / counterfactual) | {100 * bias:+.2f} pp | "
        f"{100 * rmse:.2f} pp | {100 * coverage:.1f}% | {100 * width:.2f} pp | {n} |"
    )
    print("\nHeadline coverage by index and scenario:\n")
    print("| index | complete answers | 5% blank + 5% don't know |")
    print("|---|---:|---:|")
    for code in dict.fromkeys(r["index"] for r in records):
        cells = []
        for messy in (False, True):
            rows = [
                r
                for r in records
                if r["method"] == "aipw" and r["index"] == code and r["messy"] == messy
            ]
            cells.append(f"{100 * np.mean([r['covered'] for r in rows]):.1f}%")
        print(f"| {code} | {cells[0]} | {cells[1]} |")
    headline = summary([r for r in records if r["method"] == "aipw"])[2]
    ok = 0.93 <= headline <= 0.97
    print(f"\nheadline coverage {100 * headline:.1f}% — {'within' if ok else 'OUTSIDE'} 93–97%")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
