"""The pseudonymous code people build from things only they know.

The first two letters of their mother's first name, their day of birth and the last two digits
of their phone: the same person writes the same code before and after training, so their answers
can be linked without storing who they are.
"""

import re

from fortalece.imports.core.vocab import fold


def pseudonymous_code(mother: str, day: int, phone_digits: str) -> str:
    letters = re.sub(r"[^a-z]", "", fold(mother))[:2].upper().ljust(2, "X")
    return f"{letters}{day:02d}{phone_digits[-2:]}"
