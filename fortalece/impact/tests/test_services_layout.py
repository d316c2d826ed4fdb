"""The impact writes are split by sub-domain; taking survey answers never loads the statistics
stack (the API and quizzes save answers through ``services.surveys``)."""

import subprocess
import sys

HEAVY = ("pandas", "scipy", "statsmodels")


def test_importing_the_survey_services_does_not_load_pandas():
    code = (
        "import sys, django; django.setup(); "
        "import fortalece.impact.services.surveys, fortalece.impact.forms, "
        "fortalece.impact.selectors; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""


def test_the_studies_services_do_load_it():
    code = (
        "import sys, django; django.setup(); import fortalece.impact.services.studies; "
        "print('pandas' in sys.modules)"
    )
    out = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "True"
