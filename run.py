#!/usr/bin/env python3
"""One entry point for every chore. Needs only Python 3.11+.

python3 run.py demo      set up, load demo data, run web server + worker (Ctrl-C stops both)
python3 run.py test      set up, then lint, type-check and run the whole test suite
python3 run.py setup     create .venv/ and install the locked dependencies
python3 run.py lint      ruff, ruff format --check, djhtml --check, mypy
python3 run.py messages  extract and compile translations
python3 run.py audit     pip-audit (lock file) and bandit (code), with accepted-risks.toml
python3 run.py figures   print the security figures the tests recorded (CI's last step)
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / "bin"
LOCK = ROOT / "requirements" / "lock.txt"
STAMP = VENV / ".fortalece-lock-sha256"
LOCAL_ENV = ROOT / ".env"
CHROMIUM = Path("/usr/bin/chromium")
ACCEPTED_RISKS = ROOT / "requirements" / "accepted-risks.toml"
# Tests append one JSON object per line here when FORTALECE_FIGURES is set (see .ci/run).
FIGURES_ENV = "FORTALECE_FIGURES"


def say(message: str) -> None:
    print(f"\n==> {message}", flush=True)


def run(*args: str | Path, env: dict[str, str] | None = None) -> None:
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env)
    if result.returncode != 0:
        sys.exit(f"FAILED ({result.returncode}): {' '.join(str(a) for a in args)}")


def write_local_env() -> None:
    """A git-ignored .env with a generated key, so `.venv/bin/fortalece ...` works locally."""
    if LOCAL_ENV.exists():
        return
    LOCAL_ENV.write_text(
        "# Written by `python3 run.py setup` for local use of this checkout; git ignores it.\n"
        "# Production sets its own environment (docs/configuration.md) and has no such file.\n"
        f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}\n"
        "DJANGO_DEBUG=1\n"
    )
    LOCAL_ENV.chmod(0o600)
    say(f"Wrote {LOCAL_ENV.name} (local settings with a generated secret key)")


def setup() -> None:
    write_local_env()
    if not (BIN / "python").exists():
        say("Creating .venv/")
        run(sys.executable, "-m", "venv", VENV)
    digest = hashlib.sha256(LOCK.read_bytes() + (ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest:
        return
    say("Installing the locked dependencies (first run takes a few minutes)")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--require-hashes", "-r", LOCK)
    run(BIN / "python", "-m", "pip", "install", "--quiet", "--no-deps", "-e", ".")
    STAMP.write_text(digest)


def django_env(**extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("DJANGO_SETTINGS_MODULE", "fortalece.settings")
    env.update(extra)
    return env


def demo() -> None:
    setup()
    env = django_env(DJANGO_DEBUG=os.environ.get("DJANGO_DEBUG", "1"))
    fortalece = BIN / "fortalece"
    say("Preparing the database (SQLite in var/) and demo data")
    (ROOT / "var").mkdir(exist_ok=True)
    run(fortalece, "migrate", "--no-input", env=env)
    run(fortalece, "load_geography", env=env)
    run(fortalece, "seed_demo", env=env)
    say("Fortalece runs at http://127.0.0.1:8000 (demo accounts: see README.md). Ctrl-C stops.")
    processes = [
        subprocess.Popen([str(fortalece), "runserver", "127.0.0.1:8000"], cwd=ROOT, env=env),
        subprocess.Popen([str(fortalece), "db_worker"], cwd=ROOT, env=env),
    ]
    try:
        while all(p.poll() is None for p in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        for p in processes:
            if p.poll() is None:
                p.send_signal(signal.SIGINT)
        for p in processes:
            try:
                p.wait(timeout=10)
            except subprocess.TimeoutExpired:
                p.kill()


def ensure_chromium() -> None:
    if CHROMIUM.exists():
        return
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        sys.exit(
            "Browser tests need Debian's Chromium at /usr/bin/chromium: "
            "run `sudo apt-get install -y chromium` and try again."
        )
    say("Installing Chromium for the browser tests")
    run("apt-get", "update", "-qq")
    run("apt-get", "install", "-y", "-qq", "chromium")
    if not CHROMIUM.exists():
        sys.exit("apt-get did not install /usr/bin/chromium")


def lint() -> None:
    setup()
    say("ruff check")
    run(BIN / "ruff", "check", ".")
    say("ruff format --check")
    run(BIN / "ruff", "format", "--check", ".")
    say("djhtml --check (template indentation; `.venv/bin/djhtml fortalece` fixes it)")
    run(BIN / "djhtml", "--check", *sorted(str(p) for p in ROOT.glob("fortalece/**/*.html")))
    say("mypy")
    run(BIN / "mypy", "fortalece", env=django_env())


def test(extra: list[str]) -> None:
    setup()
    ensure_chromium()
    lint()
    audit()
    say("Checking that every model change has a migration")
    run(
        BIN / "fortalece",
        "makemigrations",
        "--check",
        "--dry-run",
        env=django_env(DJANGO_SETTINGS_MODULE="fortalece.settings_test"),
    )
    database = os.environ.get("DATABASE_URL", "sqlite (in memory)")
    say(f"pytest on {database.split('@')[-1]}")
    # Two workers (pytest-xdist), a test file each at a time: the suite is mostly waiting on the
    # database and the browser, so CI stays well under its 20 minutes. `-n 0` runs it serially.
    workers = [] if any(a.startswith("-n") for a in extra) else ["-n", "2"]
    run(
        BIN / "pytest",
        *workers,
        "--dist",
        "loadfile",
        *extra,
        env=django_env(DJANGO_SETTINGS_MODULE="fortalece.settings_test"),
    )


def record_figure(name: str, **values: object) -> None:
    path = os.environ.get(FIGURES_ENV)
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"figure": name, **values}) + "\n")


def _expired(entry: dict, what: str) -> bool:
    expires = datetime.date.fromisoformat(str(entry["expires"]))
    if not entry.get("reason"):
        sys.exit(f"accepted-risks.toml: {what} has no reason")
    return expires < datetime.datetime.now(datetime.UTC).date()


def audit() -> None:
    """pip-audit of the lock file and bandit of the code; fails on anything not accepted."""
    import tomllib

    setup()
    accepted = tomllib.loads(ACCEPTED_RISKS.read_text())
    failures: list[str] = []

    say("pip-audit of requirements/lock.txt (PyPI's vulnerability data)")
    report = VENV / "pip-audit.json"
    result = subprocess.run(
        [
            str(BIN / "pip-audit"),
            "--disable-pip",
            "--require-hashes",
            "-r",
            str(LOCK),
            "--progress-spinner",
            "off",
            "-f",
            "json",
            "-o",
            str(report),
        ],
        cwd=ROOT,
    )
    if not report.exists():
        sys.exit(f"FAILED: pip-audit wrote no report (exit {result.returncode})")
    dependencies = json.loads(report.read_text())["dependencies"]
    advisories = {a["id"]: a for a in accepted.get("advisory", [])}
    vulnerable, unaudited = [], []
    for dep in dependencies:
        if dep.get("skip_reason"):
            unaudited.append(dep["name"])
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            entry = next((advisories[i] for i in ids if i in advisories), None)
            if entry is None or _expired(entry, vuln["id"]):
                vulnerable.append(f"{dep['name']} {dep['version']}: {vuln['id']}")
    audited = len(dependencies) - len(unaudited)
    failures.extend(
        f"pip-audit: {line} (fix it, or accept it in {ACCEPTED_RISKS.name})" for line in vulnerable
    )
    unaudited_note = ""
    if unaudited:
        entry = accepted.get("unaudited")
        print(f"pip-audit could not audit {len(unaudited)} of {len(dependencies)} packages.")
        if entry is None or _expired(entry, "unaudited"):
            failures.append(
                f"pip-audit: {len(unaudited)} packages could not be audited "
                f"({', '.join(unaudited[:5])}…)"
            )
        else:
            unaudited_note = f"accepted until {entry['expires']}: {entry['reason']}"
            print(f"  ACCEPTED UNTIL {entry['expires']}: {entry['reason']}")
    record_figure(
        "pip_audit",
        packages=len(dependencies),
        audited=audited,
        unaudited=len(unaudited),
        vulnerable=len(vulnerable),
        note=unaudited_note,
    )

    say("bandit on fortalece/")
    bandit_report = VENV / "bandit.json"
    subprocess.run(
        [
            str(BIN / "bandit"),
            "-q",
            "-r",
            "fortalece",
            "-x",
            "*/tests/*,*/migrations/*",
            "-f",
            "json",
            "-o",
            str(bandit_report),
        ],
        cwd=ROOT,
    )
    findings = json.loads(bandit_report.read_text())
    if findings.get("errors"):
        failures.append(f"bandit could not scan: {findings['errors']}")
    rules = accepted.get("bandit", [])
    accepted_count = 0
    for item in findings["results"]:
        path = os.path.relpath(item["filename"], ROOT)
        rule = next(
            (
                r
                for r in rules
                if r["file"] == path and r["test"] == item["test_id"] and r["code"] in item["code"]
            ),
            None,
        )
        if rule is not None and not _expired(rule, f"{path} {item['test_id']}"):
            accepted_count += 1
            continue
        failures.append(
            f"bandit: {path}:{item['line_number']} {item['test_id']} {item['issue_text']}"
        )
    new = len(findings["results"]) - accepted_count
    print(f"bandit: {len(findings['results'])} findings, {accepted_count} reviewed and accepted")
    record_figure("bandit", findings=len(findings["results"]), accepted=accepted_count, new=new)
    if failures:
        sys.exit("FAILED supply-chain audit:\n  " + "\n  ".join(failures))


# The figures .ci/run prints at the end. Each must have been recorded during the run: a missing
# one fails CI (a test that stopped running must not go unnoticed).
REQUIRED_FIGURES = [
    "pip_audit",
    "bandit",
    "mfa_coverage",
    "mfa_passkeys",
    "history",
    "data_map",
    "retention",
    "no_pii_in_urls",
    "xlsx_bomb",
    "fuzz",
    "access_matrix",
    "fault_import_kill",
    "fault_worker_kill",
    "fault_concurrent_reach",
    "fault_synthetic_interrupt",
    "backup_roundtrip",
    "page_weight",
    "accessibility",
]


def figures() -> None:
    path = os.environ.get(FIGURES_ENV)
    if not path or not Path(path).exists():
        sys.exit(f"FAILED: no figures file (set {FIGURES_ENV} for the whole CI run)")
    seen: dict[str, list[dict]] = {}
    for line in Path(path).read_text().splitlines():
        item = json.loads(line)
        seen.setdefault(item.pop("figure"), []).append(item)
    print("\n" + "=" * 72)
    print("Security, privacy and reliability figures (SECURITY.md, docs/security.md)")
    print("=" * 72)
    for name, items in sorted(seen.items()):
        for item in items:
            values = ", ".join(f"{k}={v}" for k, v in item.items() if k != "note")
            print(f"{name:<24} {values}")
            if item.get("note"):
                print(f"{'':<24} note: {item['note']}")
    print("=" * 72)
    missing = [name for name in REQUIRED_FIGURES if name not in seen]
    if missing:
        sys.exit(f"FAILED: figures not recorded this run: {', '.join(missing)}")


def messages() -> None:
    setup()
    env = django_env(DJANGO_SETTINGS_MODULE="fortalece.settings_test")
    package = ROOT / "fortalece"
    for domain in ("django", "djangojs"):
        subprocess.run(
            [str(BIN / "fortalece"), "makemessages", "-l", "es", "-d", domain, "--no-obsolete"],
            cwd=package,
            env=env,
            check=True,
        )
    # The compiled .mo files are committed so a fresh machine needs no gettext tools.
    subprocess.run([str(BIN / "fortalece"), "compilemessages"], cwd=package, env=env, check=True)


def main() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - this script must explain, not crash
        sys.exit("Fortalece needs Python 3.11 or newer.")
    command, *rest = sys.argv[1:] or ["help"]
    commands = {
        "setup": setup,
        "demo": demo,
        "lint": lint,
        "messages": messages,
        "test": lambda: test(rest),
        "audit": audit,
        "figures": figures,
    }
    if command not in commands:
        print(__doc__)
        sys.exit(0 if command == "help" else 2)
    commands[command]()


if __name__ == "__main__":
    main()
