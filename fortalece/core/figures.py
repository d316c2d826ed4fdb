"""Figures the security tests record for CI's summary block (see ``.ci/run``).

A test calls ``record("name", key=value, ...)``; when ``FORTALECE_FIGURES`` names a file, one
JSON line is appended to it, and ``python3 run.py figures`` prints them all at the end of CI.
"""

import json
import os
from typing import Any


def record(name: str, **values: Any) -> None:
    path = os.environ.get("FORTALECE_FIGURES")
    if path:
        with open(path, "a", encoding="utf-8") as f:
            f.write(json.dumps({"figure": name, **values}, default=str) + "\n")
