"""Parse errors with line numbers: the only exception the format readers raise."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class LineError:
    line: int  # 1-based, as an editor numbers the file
    message: str  # English template (``gettext_noop``), translated by the Django layer
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        template = translate(self.message) if translate else self.message
        return template % self.params


class FormatError(ValueError):
    """The file cannot be read; ``errors`` lists every problem found, each with its line."""

    def __init__(self, errors: list[LineError]):
        self.errors = sorted(errors, key=lambda e: e.line)
        super().__init__("; ".join(f"line {e.line}: {e.render()}" for e in self.errors))


@dataclass(frozen=True)
class Skipped:
    """A question a writer cannot express in its format, and why."""

    index: int
    title: str
    message: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, translate: Any = None) -> str:
        template = translate(self.message) if translate else self.message
        return template % self.params
