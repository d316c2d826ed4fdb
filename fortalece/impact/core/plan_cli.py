"""``impact_plan``: minimum detectable effect or sample size for the next survey.

    fortalece impact_plan --treated 1100 --comparison 716 --sd 18 --clusters 25 --icc 0.03
    fortalece impact_plan --effect 3 --sd 18 --ratio 1.5 --clusters 25 --icc 0.03
    fortalece impact_plan --from-study result.json [--index attention] [--effect 3]

Without ``--effect`` it prints the minimum detectable effect of the given (or past) sample;
with it, the respondents needed per group and per cluster. ``--from-study`` reads the JSON
``impact_analyze`` wrote (group sizes, clusters, each index's SD and intra-cluster
correlation); any option typed as well overrides what the study says. Exit code 2 when an
assumption is impossible (the message says which). Formulas in docs/impact-json.md.
"""

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from fortalece.impact.core.planner import PlanError, from_study, mde, sample_size


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="impact_plan", description="Plan the next survey.")
    p.add_argument("--from-study", type=Path, help="JSON written by impact_analyze.")
    p.add_argument("--index", help="Index code of the past study (default: every index).")
    p.add_argument("--treated", type=float, help="Trained respondents.")
    p.add_argument("--comparison", type=float, help="Comparison respondents.")
    p.add_argument("--ratio", type=float, help="Trained per comparison respondent (sample).")
    p.add_argument("--sd", type=float, help="Outcome standard deviation (0–100 points).")
    p.add_argument("--clusters", type=int, help="Clusters (e.g. states), 0 for none.")
    p.add_argument("--icc", type=float, help="Intra-cluster correlation.")
    p.add_argument("--alpha", type=float, default=0.05, help="Two-sided level (0.05).")
    p.add_argument("--power", type=float, default=0.8, help="Power (0.8).")
    p.add_argument("--effect", type=float, help="Effect to detect (points): gives the sample.")
    p.add_argument("--json", type=Path, help="Also write the plan(s) as JSON.")
    return p


def _line(label: str, plan: dict[str, Any], effect: float | None) -> str:
    if effect is None:
        return (
            f"{label}: with {plan['n_treated']:.0f} trained and {plan['n_comparison']:.0f} "
            f"comparison respondents ({plan['per_cluster']:.0f} per cluster, design effect "
            f"{plan['design_effect']:.2f}) the smallest effect detected with "
            f"{100 * plan['power']:.0f}% power at {100 * plan['alpha']:g}% is "
            f"{plan['mde']:.1f} points ({plan['mde_sd']:.2f} SD)."
        )
    clusters = f", {plan['per_cluster']:.0f} per cluster" if plan["clusters"] else ""
    return (
        f"{label}: to detect {effect:g} points with {100 * plan['power']:.0f}% power at "
        f"{100 * plan['alpha']:g}%, survey {plan['n_treated']:.0f} trained and "
        f"{plan['n_comparison']:.0f} comparison respondents{clusters} (design effect "
        f"{plan['design_effect']:.2f})."
    )


def main(argv: list[str] | None = None, out: Any = None, err: Any = None) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    args = parser().parse_args(argv)
    typed = {
        "n_treated": args.treated,
        "n_comparison": args.comparison,
        "sd": args.sd,
        "clusters": args.clusters,
        "icc": args.icc,
    }
    try:
        if args.from_study:
            if not args.from_study.exists():
                raise PlanError(f"{args.from_study} does not exist.")
            try:
                result = json.loads(args.from_study.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError) as error:
                raise PlanError(f"{args.from_study} is not JSON from impact_analyze.") from error
            assumptions = from_study(result, args.index)
        else:
            missing = [o for o, v in (("--sd", args.sd),) if v is None]
            if args.effect is None:
                missing += [
                    o
                    for o, v in (("--treated", args.treated), ("--comparison", args.comparison))
                    if v is None
                ]
            if missing:
                raise PlanError(f"Give {', '.join(missing)} (or --from-study).")
            assumptions = {"typed": {}}
        plans = {}
        for label, base in assumptions.items():
            values = {**base, **{k: v for k, v in typed.items() if v is not None}}
            common = {
                "sd": values["sd"],
                "clusters": int(values.get("clusters") or 0),
                "icc": float(values.get("icc") or 0.0),
                "alpha": args.alpha,
                "power": args.power,
            }
            if args.effect is None:
                plan = mde(
                    n_treated=values["n_treated"], n_comparison=values["n_comparison"], **common
                )
            else:
                ratio = args.ratio or (
                    values["n_treated"] / values["n_comparison"]
                    if values.get("n_treated") and values.get("n_comparison")
                    else 1.0
                )
                plan = sample_size(effect=args.effect, ratio=ratio, **common)
            plans[label] = plan.as_dict()
    except PlanError as error:
        print(f"error: {error}", file=err)
        return 2
    for label, figures in plans.items():
        out.write(_line("Plan" if label == "typed" else label, figures, args.effect) + "\n")
    if args.json:
        args.json.write_text(json.dumps(plans, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
