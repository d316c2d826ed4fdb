"""``impact_analyze``: the whole analysis from the command line, without a database.

    fortalece impact_analyze --form FORM.xlsx --data DATA.csv --group group --treated trained \\
        --covariates years_service,state,sex --cluster state --seed 1 --json out.json

Columns may be named by their Kobo/ODK full path (``datos/anios_servicio``), their bare name or
the question's label; an unknown name gets "did you mean …". What reading set aside ("don't
know" codes, answers that are not choices) is printed first and recorded under ``"reading"``.
Exit code 0 on success, 2 when a file or an argument is wrong (the message names the sheet,
row or column).
"""

import argparse
import html
import json
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path
from typing import Any

from fortalece.geography.core.names import subdivision_names
from fortalece.impact.core.data import DataError, read_responses
from fortalece.impact.core.followup import analyze_followup
from fortalece.impact.core.labels import Labels, index_label, relabel
from fortalece.impact.core.messages import Number, catalogue, result_texts, translate_with
from fortalece.impact.core.reading import (
    REASONS,
    duplicate_codes,
    reading_block,
    resolve_columns,
)
from fortalece.impact.core.repeated import analyze_repeated
from fortalece.impact.core.report import AnalysisError, analyze
from fortalece.impact.core.xlsform import XLSFormError, read_xlsform


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="impact_analyze", description="Trained-vs-comparison impact analysis."
    )
    p.add_argument(
        "--form",
        required=True,
        type=Path,
        help="The XLSForm (.xlsx or .xls) with fortalece_* scoring columns.",
    )
    p.add_argument(
        "--data", required=True, type=Path, help="KoboToolbox/ODK export (.csv or .xlsx)."
    )
    p.add_argument(
        "--group", default="group", help="Column telling trained from comparison respondents."
    )
    p.add_argument("--treated", default="trained", help="Value of --group for trained respondents.")
    p.add_argument(
        "--comparison",
        default=None,
        help="Value of --group for the comparison group (needed when the column holds more "
        "than two values; the others are left out and counted).",
    )
    p.add_argument(
        "--subgroups",
        default=None,
        help="Comma-separated columns to break the effects down by (any column, e.g. "
        "sexo,estado). Default: sex, profession and state where present.",
    )
    p.add_argument("--covariates", default="", help="Comma-separated pre-training covariates.")
    p.add_argument(
        "--cluster",
        default=None,
        help="Column of the unit that chose who was trained (e.g. state).",
    )
    p.add_argument(
        "--design",
        default="post",
        choices=["post", "prepost", "did", "followup"],
        help="post: trained vs comparison; prepost: the trained before and after; "
        "did: both groups before and after; followup: the trained at the post-test and "
        "months later (change by Kirkpatrick level, with attrition).",
    )
    p.add_argument("--wave", default="wave", help="Column of the wave (before/after designs).")
    p.add_argument("--pre", default="pre", help="Value of --wave for answers before training.")
    p.add_argument("--post", default="post", help="Value of --wave for answers after training.")
    p.add_argument(
        "--followup",
        default="followup",
        help="Value of --wave for the follow-up answers (--design followup).",
    )
    p.add_argument(
        "--within",
        default=None,
        help="Column to pair codes within (e.g. the workshop) for --design followup.",
    )
    p.add_argument("--code", default="code", help="Column of the pseudonymous respondent code.")
    p.add_argument(
        "--missing-codes",
        default="",
        help="Comma-separated choice names never scored, in every question (e.g. 97,98).",
    )
    p.add_argument(
        "--keep-codes",
        default="",
        help="Comma-separated choice names scored as answers although they look like "
        "'don't know' (overrides the automatic detection).",
    )
    p.add_argument(
        "--unknown-as-missing",
        action="store_true",
        help="Leave blank (and report) answers that are not choices of their question, "
        "instead of refusing the file.",
    )
    p.add_argument("--seed", type=int, default=0, help="Random seed for bootstraps.")
    p.add_argument(
        "--draws", type=int, default=999, help="Wild cluster bootstrap draws (closed form)."
    )
    p.add_argument("--json", required=True, type=Path, help="Where to write the results (JSON).")
    p.add_argument("--html", type=Path, help="Also write a self-contained HTML report.")
    p.add_argument(
        "--lang",
        choices=["es", "en"],
        default=None,
        help="Language of the report and of the lines printed: es or en (default: "
        "$FORTALECE_LANGUAGE, else the site's LANGUAGE_CODE, else en).",
    )
    return p


# The project's catalogue (the web report's strings, messages.catalogue) is read without
# Django when the command runs on its own; manage.py passes Django's gettext instead
# (translation.override).
Gettext = Callable[[str], str]


def language_of(choice: str | None, default: str | None = None) -> str:
    """--lang, else $FORTALECE_LANGUAGE, else ``default`` (the site's LANGUAGE_CODE), else en."""
    text = choice or os.environ.get("FORTALECE_LANGUAGE") or default or "en"
    return "es" if text.lower().startswith("es") else "en"


def _places(rows: list[dict[str, str]], columns: list[str]) -> dict[str, str]:
    """Names of the ISO 3166-2 codes the report may show (state values), from pycountry."""
    values = {str(r.get(c, "")).strip() for r in rows for c in columns}
    return subdivision_names(v for v in values if "-" in v)


def main(
    argv: list[str] | None = None,
    out: Any = None,
    err: Any = None,
    *,
    translator: Callable[[str], AbstractContextManager[Gettext]] | None = None,
    default_language: str | None = None,
) -> int:
    """Run the command in the language chosen (``--lang``, else ``default_language``…);
    ``translator(language)`` gives the gettext to use (manage.py: Django's, under
    translation.override), else the project's catalogue is read directly."""
    args = parser().parse_args(argv)
    language = language_of(args.lang, default_language)
    with (translator or _catalogue)(language) as gettext:
        return _run(args, language, gettext, out or sys.stdout, err or sys.stderr)


@contextmanager
def _catalogue(language: str) -> Iterator[Gettext]:
    yield catalogue(language)


def _run(args: argparse.Namespace, language: str, _: Gettext, out: Any, err: Any) -> int:
    def tr(message: Any) -> str:
        return translate_with(message, _, frozenset(REASONS.values()), language=language)

    for path in (args.form, args.data):
        if not path.exists():
            print(f"error: {path} does not exist.", file=err)
            return 2

    def codes(text: str) -> tuple[str, ...]:
        return tuple(c.strip() for c in text.split(",") if c.strip())

    try:
        form = read_xlsform(
            args.form.read_bytes(),
            keep=codes(args.keep_codes),
            missing=codes(args.missing_codes),
        )
        responses = read_responses(
            args.data.name,
            args.data.read_bytes(),
            form.instrument,
            unknown="missing" if args.unknown_as_missing else "refuse",
        )
        available = list(dict.fromkeys(key for row in responses.rows for key in row))
        wanted: dict[str, str | list[str] | None] = {
            "covariates": [c.strip() for c in args.covariates.split(",") if c.strip()],
            "cluster": args.cluster,
        }
        if args.design == "post" and args.subgroups is not None:
            wanted["subgroups"] = [c.strip() for c in args.subgroups.split(",") if c.strip()]
        if args.design in ("post", "did"):
            wanted["group"] = args.group
        if args.design == "followup" and args.within:
            wanted["group"] = args.within
        if args.design != "post":
            wanted.update(wave=args.wave, code=args.code)
        columns, problems = resolve_columns(wanted, available, form.instrument)
        if problems:
            raise DataError(problems)
        if args.design != "post":
            duplicates = duplicate_codes(
                responses.rows,
                code=columns["code"],
                wave=columns["wave"],
                group=columns.get("group"),
                row_numbers=responses.row_numbers,
            )
            if duplicates:
                raise DataError(duplicates)
        if args.design == "post":
            result = analyze(
                form.instrument,
                responses.rows,
                group_column=columns["group"],
                treated_value=args.treated,
                comparison_value=args.comparison,
                covariates=columns["covariates"],
                cluster=columns["cluster"],
                subgroups=columns.get("subgroups"),
                seed=args.seed,
                draws=args.draws,
                places=_places(
                    responses.rows,
                    [
                        *columns["covariates"],
                        *(columns.get("subgroups") or ["sex", "profession", "state"]),
                    ],
                ),
            )
        elif args.design == "followup":
            result = analyze_followup(
                form.instrument,
                responses.rows,
                wave_column=columns["wave"],
                post_value=args.post,
                followup_value=args.followup,
                code_column=columns["code"],
                group_column=columns.get("group"),
                seed=args.seed,
            )
        else:
            result = analyze_repeated(
                form.instrument,
                responses.rows,
                wave_column=columns["wave"],
                pre_value=args.pre,
                post_value=args.post,
                code_column=columns["code"],
                group_column=columns["group"] if args.design == "did" else None,
                treated_value=args.treated if args.design == "did" else None,
                covariates=columns["covariates"],
                cluster=columns["cluster"],
                seed=args.seed,
            )
    except XLSFormError as error:
        print(f"error in {args.form.name}: {tr(error.message)}", file=err)
        return 2
    except DataError as error:
        listed = "\n".join(tr(m) for m in error.messages)
        print(f"error in {args.data.name}:\n{listed}", file=err)
        return 2
    except AnalysisError as error:
        print(f"error: {tr(error.message.as_dict())}", file=err)
        return 2
    earlier = form.warnings + responses.warnings
    labels = Labels(result.get("labels"), language)
    caveats = [tr(w) for w in earlier] + (
        [tr(relabel(m, labels)) for m in result["warning_messages"]]
        if "warning_messages" in result
        else [tr(w) for w in result["warnings"]]
    )
    result["warnings"] = earlier + result["warnings"]
    result["reading"] = reading_block(
        form.instrument, responses.rows, unknown=responses.unknown, columns=columns
    )
    for message in result["reading"]["messages"]:
        out.write(f"note: {tr(message)}\n")
    args.json.write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    failed = [i for i in result["indices"] if "error" in i]
    for index in failed:
        print(f"index '{index['code']}' not estimated: {index['error']}", file=err)
    for warning in caveats:
        print(f"warning: {warning}", file=err)
    if len(failed) == len(result["indices"]):
        print(
            f"error: no index could be estimated (results written to {args.json}); "
            "no report to draw.",
            file=err,
        )
        return 2
    if args.html:
        args.html.write_text(
            render_html(result, language, _, caveats=caveats, messages=tr), encoding="utf-8"
        )
    # write(), not print(): Django's output wrapper adds its own line ending.
    for line in result_texts(result, "headlines", language, tr) + result_texts(
        result, "method", language, tr
    ):
        out.write(line + "\n")
    return 0


def render_html(
    result: dict[str, Any],
    language: str = "en",
    gettext: Gettext | None = None,
    *,
    caveats: list[str] | None = None,
    messages: Callable[[Any], str] | None = None,
) -> str:
    """A self-contained report (inline SVG forest plot, no external assets) in ``language``,
    with the web report's strings (``gettext``) and the instrument's labels for variables."""
    _ = gettext or catalogue(language)
    tr = messages or (lambda m: translate_with(m, _, language=lang))
    es = language == "es"
    lang = "es" if es else "en"
    labels = Labels(result.get("labels"), language)

    def num(value: float, places: int = 1) -> str:
        return Number(value, places).rendered(lang)

    def cell(text: str, raw: str = "") -> str:
        """A reader's label, with the raw name in small type when they differ."""
        shown = html.escape(text)
        if raw and raw != text:
            shown += f" <small><code>{html.escape(raw)}</code></small>"
        return shown

    rows = [i for i in result["indices"] if "error" not in i]
    lo = min(min(i["headline"]["low"] for i in rows), 0) - 2
    hi = max(i["headline"]["high"] for i in rows) + 2
    width, left = 640, 260

    def x(value: float) -> float:
        return left + (value - lo) / (hi - lo) * (width - left - 20)

    title = html.escape(_("Effect of training on each index"))
    svg = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {40 + 30 * len(rows)}" role="img"><title>{title}</title>'
    ]
    svg.append(
        f'<line x1="{x(0):.1f}" y1="10" x2="{x(0):.1f}" y2="{20 + 30 * len(rows)}" stroke="#999"/>'
    )
    for n, i in enumerate(rows):
        y = 30 + 30 * n
        h = i["headline"]
        svg.append(
            f'<text x="{left - 8}" y="{y + 4}" text-anchor="end" font-size="12">{html.escape(index_label(i, lang))}</text>'
        )
        svg.append(
            f'<line x1="{x(h["low"]):.1f}" y1="{y}" x2="{x(h["high"]):.1f}" y2="{y}" stroke="#5b2a86" stroke-width="3"/>'
        )
        svg.append(f'<circle cx="{x(h["effect"]):.1f}" cy="{y}" r="5" fill="#5b2a86"/>')
    svg.append("</svg>")
    items = "".join(
        f"<li>{html.escape(line)}</li>" for line in result_texts(result, "headlines", lang, tr)
    )
    shown_caveats = caveats if caveats is not None else result["warnings"]
    warnings = "".join(f"<li>{html.escape(w)}</li>" for w in shown_caveats)
    notes = "".join(f"<li>{html.escape(w)}</li>" for w in result_texts(result, "method", lang, tr))
    reading = "".join(
        f"<li>{html.escape(tr(m))}</li>" for m in result.get("reading", {}).get("messages", [])
    )
    meta = result["meta"]
    balance = ""
    if result.get("balance"):
        lines = "".join(
            f"<tr><td>{cell(labels.design(b['column']), b['column'])}</td>"
            f"<td>{num(b['smd_before'], 2)}</td><td>{num(b['smd_after'], 2)}</td></tr>"
            for b in result["balance"]
        )
        balance = (
            f"<h2>{html.escape(_('Are the groups comparable?'))}</h2><table><tr>"
            f"<th>{html.escape(_('Covariate'))}</th>"
            f"<th>{html.escape(_('Standardised difference before weighting'))}</th>"
            f"<th>{html.escape(_('After weighting'))}</th></tr>{lines}</table>"
        )
    followup = ""
    if result.get("design") == "followup":
        by_code = {i["code"]: i for i in result["indices"]}
        cells = []
        for level in result.get("levels", []):
            for code in level["indices"]:
                entry = by_code[code]
                h = entry.get("headline")
                a = entry.get("attrition")
                change = (
                    f"{num(h['effect'])} ({num(h['low'])}–{num(h['high'])})"
                    if h
                    else html.escape(_("Too few matched answers."))
                )
                gap = f"{num(a['effect'])} (p = {num(a['p_value'], 2)})" if a else "—"
                level_label = level.get("label_es") if es else level.get("label")
                cells.append(
                    f"<tr><td>{html.escape(level_label or '')}</td>"
                    f"<td>{html.escape(index_label(entry, lang))}</td><td>{change}</td><td>{gap}</td></tr>"
                )
        att = result["attrition"]
        answered = _(
            "%(p)s answered the post-test; %(f)s of them answered the follow-up and %(l)s did not."
        ) % {"p": att["post"], "f": att["followup"], "l": att["lost"]}
        followup = (
            f"<h2>{html.escape(_('Post-test to follow-up, by Kirkpatrick level'))}</h2>"
            f"<p>{html.escape(answered)}</p><table><tr><th>{html.escape(_('Level'))}</th>"
            f"<th>{html.escape(_('Index'))}</th><th>{html.escape(_('Change (95% CI)'))}</th>"
            f"<th>{html.escape(_('Post-test: answered − did not (p)'))}</th></tr>"
            + "".join(cells)
            + "</table>"
        )
    groups = _("%(t)s trained and %(c)s comparison respondents.") % {
        "t": result["groups"]["treated"],
        "c": result["groups"]["comparison"],
    }
    version = _("Version %(version)s") % {"version": meta["instrument_version"]}
    footer = _("Data SHA-256 %(hash)s · seed %(seed)s") % {
        "hash": meta["data_sha256"],
        "seed": meta["seed"],
    }
    return (
        f"<!doctype html><html lang='{lang}'><meta charset='utf-8'>"
        f"<title>{html.escape(_('Impact report'))}</title>"
        f"<h1>{html.escape(meta['instrument'])}</h1>"
        f"<p>{html.escape(version)} · {html.escape(groups)}</p>"
        f"<ul>{items}</ul>{''.join(svg)}{followup}{balance}"
        f"<h2>{html.escape(_('How the headline was estimated'))}</h2><ul>{notes}</ul>"
        f"<h2>{html.escape(_('Caveats'))}</h2>"
        f"<ul>{warnings or '<li>' + html.escape(_('None.')) + '</li>'}</ul>"
        f"<h2>{html.escape(_('How the answers were read'))}</h2>"
        f"<ul>{reading or '<li>' + html.escape(_('Every answer was scored.')) + '</li>'}</ul>"
        f"<p><small>{html.escape(footer)}</small></p></html>"
    )


if __name__ == "__main__":
    sys.exit(main())
