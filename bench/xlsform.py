"""Reading XLSForms: a plain form, the same form formatted down to Excel's last row
(1,048,576), and the same form as legacy .xls. Prints the time of ``read_xlsform`` (which also
runs pyxform's check) for each, after one warm-up read (imports), and fails if the three forms
do not read the same.

    PYTHONPATH=. .venv/bin/python bench/xlsform.py
"""

import sys
import time

from fortalece.impact.core.xlsform import read_xlsform
from fortalece.impact.tests.test_reading import _formatted_to_the_last_row, dont_know_form
from fortalece.impact.tests.xls import xls_bytes


def _xls_copy(data: bytes) -> bytes:
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    return xls_bytes(
        {
            name: [list(r) for r in book[name].iter_rows(values_only=True)]
            for name in book.sheetnames
        }
    )


def main() -> int:
    plain = dont_know_form()
    forms = {
        "plain .xlsx": plain,
        "formatted to row 1,048,576": _formatted_to_the_last_row(plain),
        "legacy .xls": _xls_copy(plain),
    }
    read_xlsform(plain)  # imports pyxform and openpyxl once
    expected = read_xlsform(plain).instrument.items
    for name, data in forms.items():
        start = time.perf_counter()
        result = read_xlsform(data)
        elapsed = time.perf_counter() - start
        print(f"{name:<28} {len(data) / 1e6:6.2f} MB  {elapsed:6.3f} s")
        if result.instrument.items != expected:
            print(f"FAILED: {name} does not read like the plain form", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
