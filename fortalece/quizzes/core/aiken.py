"""Aiken: single-choice questions as plain text.

::

    ¿Qué debe hacer primero la primera persona respondiente?
    A. Pedir pruebas
    B) Garantizar la seguridad de la víctima
    ANSWER: B

The question may run over several lines (Moodle wants one; we accept more), options are a
capital letter followed by ``.`` or ``)`` and a space, and ``ANSWER:`` names one of them.
Blank lines between questions are optional. Aiken has no titles, categories or feedback: the
writer leaves those out, and leaves out questions Aiken cannot hold (see :func:`unwritable`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from fortalece.quizzes.core.errors import FormatError, LineError, Skipped
from fortalece.quizzes.core.questions import Choice, QType, Question, gettext_noop, validate

MAX_CHARS = 2_000_000
MAX_QUESTIONS = 5_000
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
OPTION = re.compile(r"^\s*([A-Z])[.)][ \t]+(.*?)\s*$")
ANSWER = re.compile(r"^\s*ANSWER\s*:\s*(.*?)\s*$", re.IGNORECASE)

TOO_LONG = gettext_noop("The file is too long (more than %(limit)s characters).")
TOO_MANY = gettext_noop("The file holds more than %(limit)s questions.")
OPTION_FIRST = gettext_noop("An option comes before any question text.")
ANSWER_FIRST = gettext_noop("ANSWER: comes before the question's options.")
AFTER_OPTIONS = gettext_noop(
    "Expected another option (like 'C. …') or the ANSWER: line, found '%(text)s'."
)
REPEATED_LETTER = gettext_noop("The option letter %(letter)s is used twice.")
EMPTY_OPTION = gettext_noop("The option %(letter)s has no text.")
BAD_ANSWER = gettext_noop("ANSWER: must name one of the options' letters (found '%(text)s').")
NO_ANSWER = gettext_noop("The question has no ANSWER: line.")
ONE_OPTION = gettext_noop("A question needs at least two options.")


def read_aiken(text: str) -> list[Question]:
    """The questions of an Aiken file, or :class:`FormatError` listing every problem by line."""
    if len(text) > MAX_CHARS:
        raise FormatError([LineError(1, TOO_LONG, {"limit": MAX_CHARS})])
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    errors: list[LineError] = []
    questions: list[Question] = []
    start = 0
    stem: list[str] = []
    options: list[tuple[str, str]] = []
    broken = False  # the current question already has an error; skip to its ANSWER line

    def reset() -> None:
        nonlocal start, stem, options, broken
        start, stem, options, broken = 0, [], [], False

    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        answer, option = ANSWER.match(line), OPTION.match(line)
        if answer:
            if not start:
                errors.append(LineError(number, ANSWER_FIRST))
            elif not broken:
                letter = answer.group(1)
                letters = [o[0] for o in options]
                if not options:
                    errors.append(LineError(number, ANSWER_FIRST))
                elif len(options) < 2:
                    errors.append(LineError(start, ONE_OPTION))
                elif letter not in letters:
                    errors.append(LineError(number, BAD_ANSWER, {"text": letter[:20]}))
                else:
                    question = Question(
                        qtype=QType.SINGLE,
                        text="\n".join(stem),
                        choices=tuple(
                            Choice(text, 100.0 if key == letter else 0.0) for key, text in options
                        ),
                    )
                    errors.extend(LineError(start, p.message, p.params) for p in validate(question))
                    questions.append(question)
                    if len(questions) > MAX_QUESTIONS:
                        errors.append(LineError(number, TOO_MANY, {"limit": MAX_QUESTIONS}))
                        break
            reset()
        elif broken:
            continue
        elif option and start:
            letter, body = option.group(1), option.group(2)
            if letter in (o[0] for o in options):
                errors.append(LineError(number, REPEATED_LETTER, {"letter": letter}))
                broken = True
            elif not body:
                errors.append(LineError(number, EMPTY_OPTION, {"letter": letter}))
                broken = True
            else:
                options.append((letter, body))
        elif option:
            errors.append(LineError(number, OPTION_FIRST))
            start, broken = number, True
        elif options:
            errors.append(LineError(number, AFTER_OPTIONS, {"text": line.strip()[:40]}))
            broken = True
        else:
            start = start or number
            stem.append(line.strip())
    if start and not broken:
        errors.append(LineError(start, NO_ANSWER))
    if errors:
        raise FormatError(errors)
    return questions


CANNOT_TYPE = gettext_noop("Aiken holds only single-choice questions.")
CANNOT_WEIGHTS = gettext_noop("Aiken holds one right option and no partial credit.")
CANNOT_LINES = gettext_noop("Aiken options must fit on one line.")
CANNOT_STEM = gettext_noop("A line of the question looks like an option or an ANSWER: line.")
CANNOT_MANY = gettext_noop("Aiken holds at most 26 options.")
CANNOT_INVALID = gettext_noop("The question is incomplete: %(problem)s")


def unwritable(question: Question) -> Skipped | None:
    """Why ``question`` cannot be written as Aiken (None when it can)."""
    problems = validate(question)
    if problems:
        return Skipped(0, question.title, CANNOT_INVALID, {"problem": problems[0].render()})
    if question.qtype != QType.SINGLE:
        return Skipped(0, question.title, CANNOT_TYPE)
    weights = sorted(c.weight for c in question.choices)
    if weights[-1] != 100 or any(w != 0 for w in weights[:-1]):
        return Skipped(0, question.title, CANNOT_WEIGHTS)
    if len(question.choices) > len(LETTERS):
        return Skipped(0, question.title, CANNOT_MANY)
    for choice in question.choices:
        if "\n" in choice.text or "\r" in choice.text or choice.text != choice.text.strip():
            return Skipped(0, question.title, CANNOT_LINES)
    for line in question.text.split("\n"):
        if not line.strip() or line != line.strip() or OPTION.match(line) or ANSWER.match(line):
            return Skipped(0, question.title, CANNOT_STEM)
    return None


def write_aiken(questions: Sequence[Question]) -> tuple[str, list[Skipped]]:
    """Aiken text for ``questions`` and the list of those it could not express (left out)."""
    blocks: list[str] = []
    skipped: list[Skipped] = []
    for index, question in enumerate(questions):
        problem = unwritable(question)
        if problem is not None:
            skipped.append(Skipped(index, question.title, problem.message, problem.params))
            continue
        lines = [question.text]
        right = ""
        for letter, choice in zip(LETTERS, question.choices, strict=False):
            lines.append(f"{letter}. {choice.text}")
            if choice.weight == 100:
                right = letter
        lines.append(f"ANSWER: {right}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), skipped
