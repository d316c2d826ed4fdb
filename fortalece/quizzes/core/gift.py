"""Moodle GIFT: reader and writer.

Supported as Moodle reads it: ``$CATEGORY:`` lines, ``::title::``, ``[html|moodle|plain|
markdown]`` markers (HTML becomes plain text), ``=`` right and ``~`` wrong answers,
``%50%``/``%-25%`` weights, ``#`` feedback, ``####`` general feedback, ``{T}``/``{F}``/
``{TRUE}``/``{FALSE}`` with ``#wrong#right`` feedback, numeric ``{#3.5:0.5}``, ranges
``{#1..5}`` and several weighted numeric answers, ``~#`` feedback for any other number,
matching ``=left -> right``, short answers, the missing-word form (answers in the middle of
the sentence become ``_____``), the escapes ``\\~ \\= \\# \\{ \\} \\: \\n \\\\``, ``//``
comment lines, questions over several lines and blank lines between questions.

Refused with a line-numbered error rather than guessed: descriptions (no ``{}``), essays
(``{}``), text before the first ``=``/``~`` of a choice or matching question, malformed
weights and numbers, and anything :func:`~fortalece.quizzes.core.questions.validate` rejects.
GIFT has no ordering questions; the writer leaves them out and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from fortalece.quizzes.core.errors import FormatError, LineError, Skipped
from fortalece.quizzes.core.questions import (
    Choice,
    NumericAnswer,
    Pair,
    QType,
    Question,
    gettext_noop,
    validate,
)
from fortalece.quizzes.core.textutil import html_to_text

MAX_CHARS = 2_000_000
MAX_QUESTIONS = 5_000

_PROTECT = {
    ":": "\ue000",
    "#": "\ue001",
    "=": "\ue002",
    "{": "\ue003",
    "}": "\ue004",
    "~": "\ue005",
    "n": "\ue006",
    "\\": "\ue007",
}
_RESTORE = str.maketrans({v: ("\n" if k == "n" else k) for k, v in _PROTECT.items()})
_ESCAPE = re.compile(r"\\([:#={}~n\\])")
_PRIVATE = re.compile("[\ue000-\ue007]")
_FORMAT = re.compile(r"\[(html|moodle|plain|markdown)\]")
_WEIGHT = re.compile(r"\s*%([+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)%")
_NUMBER = re.compile(r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$")
_CATEGORY_PREFIXES = ("$course$/", "$system$/", "$module$/", "$coursecategory$/")

TOO_LONG = gettext_noop("The file is too long (more than %(limit)s characters).")
TOO_MANY = gettext_noop("The file holds more than %(limit)s questions.")
BAD_CHARACTER = gettext_noop("This line holds a character reserved for private use (U+E000–E007).")
UNCLOSED_TITLE = gettext_noop("The title opened with :: is not closed with ::.")
NO_ANSWERS = gettext_noop(
    "The question has no answers between { and } (descriptions are not supported)."
)
UNBALANCED = gettext_noop("A { has no matching } (write \\{ or \\} for a literal brace).")
TWO_BLOCKS = gettext_noop(
    "A question may have only one answer block { … } (write \\{ for a literal brace)."
)
ESSAY = gettext_noop("Essay questions ({}) are not supported.")
TEXT_BEFORE = gettext_noop(
    "'%(text)s' comes before the first answer marker (= or ~); start each answer with one."
)
BAD_WEIGHT_SYNTAX = gettext_noop("A weight is written like %%50%% or %%-25%% (found '%(text)s').")
BAD_WEIGHT_RANGE = gettext_noop("A weight must be between -100%% and 100%% (found %(weight)s%%).")
NO_ARROW = gettext_noop("A matching answer needs -> between the item and its match ('%(text)s').")
BAD_NUMBER = gettext_noop(
    "'%(text)s' is not a numeric answer (write 3.5, 3.5:0.5 for a tolerance or 1..5 for a range)."
)
NO_NUMBERS = gettext_noop("A numeric question needs at least one answer after #.")
TWO_WRONG = gettext_noop("A numeric question may have only one ~ (feedback for other numbers).")
TF_EXTRA = gettext_noop("A true/false answer takes at most two feedbacks: {T#if wrong#if right}.")
WEIGHT_NOT_ALLOWED = gettext_noop("True/false and matching answers take no weights.")


def _protect(text: str) -> str:
    return _ESCAPE.sub(lambda m: _PROTECT[m.group(1)], text)


def _restore(text: str) -> str:
    return text.translate(_RESTORE)


def escape(text: str) -> str:
    """Text as GIFT writes it: reserved characters and line breaks escaped."""
    out = text.replace("\\", "\\\\")
    for char in "~=#{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


def _category_name(line: str) -> str:
    value = _restore(_protect(line.split(":", 1)[1])).strip()
    for prefix in _CATEGORY_PREFIXES:
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    if value == "top":
        return ""
    return value[4:] if value.startswith("top/") else value


def read_gift(text: str) -> list[Question]:
    """The questions of a GIFT file, or :class:`FormatError` listing every problem by line."""
    if len(text) > MAX_CHARS:
        raise FormatError([LineError(1, TOO_LONG, {"limit": MAX_CHARS})])
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    errors = [
        LineError(n, BAD_CHARACTER) for n, line in enumerate(lines, 1) if _PRIVATE.search(line)
    ]
    if errors:
        raise FormatError(errors)

    blocks: list[tuple[int, list[str]]] = []
    current: list[str] | None = None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            current = None
            continue
        if line.strip().startswith("//"):
            line = ""  # keeps the line count for error messages
        if current is None:
            current = []
            blocks.append((number, current))
        current.append(line)

    questions: list[Question] = []
    category = ""
    for first, block in blocks:
        while block and not block[0].strip():
            block.pop(0)
            first += 1
        if block and block[0].lstrip().startswith("$CATEGORY:"):
            category = _category_name(block.pop(0))
            first += 1
            while block and not block[0].strip():
                block.pop(0)
                first += 1
        if not any(line.strip() for line in block):
            continue
        question, problems = _read_question("\n".join(block), first, category)
        errors.extend(problems)
        if question is not None:
            questions.append(question)
        if len(questions) > MAX_QUESTIONS:
            raise FormatError([*errors, LineError(first, TOO_MANY, {"limit": MAX_QUESTIONS})])
    if errors:
        raise FormatError(errors)
    return questions


def _strip_format(text: str) -> tuple[str, str]:
    stripped = text.lstrip()
    match = _FORMAT.match(stripped)
    if match:
        return match.group(1), stripped[match.end() :]
    return "moodle", text


def _split_answer(part: str) -> tuple[str | None, str, str]:
    """(weight as written or None, text, feedback) of one answer, still protected."""
    match = _WEIGHT.match(part)
    weight = match.group(1) if match else None
    rest = part[match.end() :] if match else part
    text, _, feedback = rest.partition("#")
    return weight, text, feedback


def _read_question(raw: str, first: int, category: str) -> tuple[Question | None, list[LineError]]:
    s = _protect(raw)

    def line_at(offset: int) -> int:
        return first + s.count("\n", 0, max(offset, 0))

    def fail(offset: int, message: str, **params: object) -> tuple[None, list[LineError]]:
        return None, [LineError(line_at(offset), message, dict(params))]

    lead = len(s) - len(s.lstrip())
    title = ""
    body_start = lead
    if s.startswith("::", lead):
        end = s.find("::", lead + 2)
        if end < 0:
            return fail(lead, UNCLOSED_TITLE)
        title = _restore(s[lead + 2 : end]).strip()
        body_start = end + 2
    body = s[body_start:]
    opening, closing = body.find("{"), body.find("}")
    if opening < 0 and closing < 0:
        return fail(body_start, NO_ANSWERS)
    if opening < 0 or closing < opening:
        return fail(body_start + (closing if opening < 0 else opening), UNBALANCED)
    for extra in (body.find("{", opening + 1), body.find("}", closing + 1)):
        if extra >= 0:
            return fail(body_start + extra, TWO_BLOCKS)
    before, inner, after = body[:opening], body[opening + 1 : closing], body[closing + 1 :]
    inner_start = body_start + opening + 1

    fmt, before = _strip_format(before)
    plain: Callable[[str], str] = html_to_text if fmt == "html" else str.strip

    def clean(text: str) -> str:
        return plain(_restore(text)).strip()

    question_text = clean(before + ("_____" + after if after.strip() else ""))

    general = ""
    marker = inner.rfind("####")
    if marker >= 0:
        general = clean(_strip_format(inner[marker + 4 :])[1])
        inner = inner[:marker]
    answers = inner.strip()
    answers_start = inner_start + len(inner) - len(inner.lstrip())
    base = Question(
        QType.SHORT, question_text, title=title, category=category, general_feedback=general
    )

    question: Question
    if not answers:
        return fail(inner_start, ESSAY)
    if answers[0] == "#":
        result = _numeric(answers[1:], answers_start + 1, clean, line_at, base)
        if isinstance(result, list):
            return None, result
        question = result
    elif "~" in answers or ("=" in answers and "->" in answers):
        parts = _parts(answers, answers_start, "=~" if "~" in answers else "=")
        head, head_at = parts[0][1], parts[0][2]
        if head.strip():
            return fail(head_at, TEXT_BEFORE, text=_restore(head.strip())[:60])
        if "~" in answers:
            result_c = _choices(parts[1:], clean, line_at, single="=" in answers)
            if isinstance(result_c, list):
                return None, result_c
            qtype = QType.SINGLE if "=" in answers else QType.MULTIPLE
            question = replace(base, qtype=qtype, choices=result_c)
        else:
            pairs = []
            for _, part, at in parts[1:]:
                if _WEIGHT.match(part):
                    return fail(at, WEIGHT_NOT_ALLOWED)
                left, arrow, right = part.partition("->")
                if not arrow:
                    return fail(at, NO_ARROW, text=_restore(part.strip())[:60])
                pairs.append(Pair(clean(left), clean(right)))
            question = replace(base, qtype=QType.MATCHING, pairs=tuple(pairs))
    elif answers.split("#", 1)[0].strip().upper() in ("T", "TRUE", "F", "FALSE"):
        bits = answers.split("#")
        if len(bits) > 3:
            return fail(answers_start, TF_EXTRA)
        correct = bits[0].strip().upper() in ("T", "TRUE")
        wrong = clean(bits[1]) if len(bits) > 1 else ""
        right = clean(bits[2]) if len(bits) > 2 else ""
        question = replace(
            base,
            qtype=QType.TRUE_FALSE,
            correct=correct,
            feedback_true=right if correct else wrong,
            feedback_false=wrong if correct else right,
        )
    else:
        choices = []
        for _, part, at in _parts(answers, answers_start, "="):
            if not part.strip():
                continue
            weight, text, feedback = _split_answer(part)
            value = _weight(weight, part, at, line_at, default=100.0)
            if isinstance(value, LineError):
                return None, [value]
            choices.append(Choice(clean(text), value, clean(feedback)))
        question = replace(base, choices=tuple(choices))

    problems = validate(question)
    if problems:
        return None, [LineError(first, p.message, p.params) for p in problems]
    return question, []


def _parts(text: str, start: int, markers: str) -> list[tuple[str, str, int]]:
    """Split at each marker: (marker, text after it, offset of the text); the first item is
    whatever precedes the first marker (marker "")."""
    parts: list[tuple[str, str, int]] = []
    marker, begin = "", 0
    for index, char in enumerate(text):
        if char in markers:
            parts.append((marker, text[begin:index], start + begin))
            marker, begin = char, index + 1
    parts.append((marker, text[begin:], start + begin))
    return parts


def _weight(
    written: str | None,
    part: str,
    at: int,
    line_at: Callable[[int], int],
    *,
    default: float,
) -> float | LineError:
    if written is None:
        if part.lstrip().startswith("%"):
            return LineError(line_at(at), BAD_WEIGHT_SYNTAX, {"text": _restore(part.strip())[:30]})
        return default
    value = float(written)
    if not -100 <= value <= 100:
        return LineError(line_at(at), BAD_WEIGHT_RANGE, {"weight": written})
    return value


def _choices(
    parts: Sequence[tuple[str, str, int]],
    clean: Callable[[str], str],
    line_at: Callable[[int], int],
    *,
    single: bool,
) -> tuple[Choice, ...] | list[LineError]:
    choices = []
    for marker, part, at in parts:
        weight, text, feedback = _split_answer(part)
        default = 100.0 if marker == "=" else 0.0
        value = _weight(weight, part, at, line_at, default=default)
        if isinstance(value, LineError):
            return [value]
        choices.append(Choice(clean(text), value, clean(feedback)))
    return tuple(choices)


def _numeric(
    answers: str,
    start: int,
    clean: Callable[[str], str],
    line_at: Callable[[int], int],
    base: Question,
) -> Question | list[LineError]:
    wrong_feedback = ""
    tilde = answers.find("~")
    if tilde >= 0:
        rest = answers[tilde + 1 :]
        if "~" in rest:
            return [LineError(line_at(start + tilde), TWO_WRONG)]
        _, text, feedback = _split_answer(rest)
        if text.strip():
            return [LineError(line_at(start + tilde), BAD_NUMBER, {"text": clean(text)[:30]})]
        wrong_feedback = clean(feedback)
        answers = answers[:tilde]
    numbers = []
    for _, part, at in _parts(answers, start, "="):
        if not part.strip():
            continue
        weight, text, feedback = _split_answer(part)
        value = _weight(weight, part, at, line_at, default=100.0)
        if isinstance(value, LineError):
            return [value]
        written = "".join(_restore(text).split())
        low, dots, high = written.partition("..")
        centre, colon, tolerance = written.partition(":")
        try:
            if dots:
                _check(low, high)
                number = NumericAnswer(float(low), 0.0, float(high), value, clean(feedback))
            elif colon:
                _check(centre, tolerance)
                number = NumericAnswer(
                    float(centre), float(tolerance), None, value, clean(feedback)
                )
            else:
                _check(written)
                number = NumericAnswer(float(written), 0.0, None, value, clean(feedback))
        except ValueError:
            return [LineError(line_at(at), BAD_NUMBER, {"text": written[:30]})]
        numbers.append(number)
    if not numbers:
        return [LineError(line_at(start), NO_NUMBERS)]
    return replace(base, qtype=QType.NUMERIC, numbers=tuple(numbers), wrong_feedback=wrong_feedback)


def _check(*numbers: str) -> None:
    for number in numbers:
        if not _NUMBER.match(number):
            raise ValueError(number)


# Writing


CANNOT_ORDERING = gettext_noop("GIFT has no ordering questions.")
CANNOT_ARROW = gettext_noop("GIFT cannot write '->' inside '%(text)s'.")
CANNOT_INVALID = gettext_noop("The question is incomplete: %(problem)s")
CANNOT_CHARACTER = gettext_noop("The question holds a character reserved for private use.")


def _number(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def _weight_text(weight: float) -> str:
    return _number(weight)


def _text(text: str) -> str:
    return ("[plain]" if text.startswith("[") else "") + escape(text)


def _feedback(feedback: str) -> str:
    return "#" + escape(feedback) if feedback else ""


def unwritable(question: Question) -> Skipped | None:
    """Why ``question`` cannot be written as GIFT (None when it can)."""
    problems = validate(question)
    if problems:
        return Skipped(0, question.title, CANNOT_INVALID, {"problem": problems[0].render()})
    if question.qtype == QType.ORDERING:
        return Skipped(0, question.title, CANNOT_ORDERING)
    texts = [question.text, question.title, question.category, question.general_feedback]
    texts += [c.text for c in question.choices] + [c.feedback for c in question.choices]
    texts += [p.left for p in question.pairs] + [p.right for p in question.pairs]
    texts += [n.feedback for n in question.numbers]
    texts += [question.feedback_true, question.feedback_false, question.wrong_feedback]
    if any(_PRIVATE.search(t) for t in texts):
        return Skipped(0, question.title, CANNOT_CHARACTER)
    risky = []
    if question.qtype == QType.MATCHING:
        risky = [p.left for p in question.pairs]
    elif question.qtype == QType.SHORT:
        risky = [c.text for c in question.choices] + [c.feedback for c in question.choices]
    for text in risky:
        if "->" in text:
            return Skipped(0, question.title, CANNOT_ARROW, {"text": text[:60]})
    return None


def _answers(question: Question) -> str:
    qtype = question.qtype
    lines: list[str] = []
    if qtype in (QType.SINGLE, QType.MULTIPLE):
        seen_full = False
        for choice in question.choices:
            full = qtype == QType.SINGLE and choice.weight == 100
            if full and not seen_full:
                lines.append("\t=" + ("%100%" if choice.text.startswith("%") else ""))
                seen_full = True
            else:
                explicit = choice.weight != 0 or choice.text.startswith("%")
                lines.append("\t~" + (f"%{_weight_text(choice.weight)}%" if explicit else ""))
            lines[-1] += escape(choice.text) + _feedback(choice.feedback)
    elif qtype == QType.SHORT:
        for choice in question.choices:
            explicit = choice.weight != 100 or choice.text.startswith("%")
            weight = f"%{_weight_text(choice.weight)}%" if explicit else ""
            lines.append("\t=" + weight + escape(choice.text) + _feedback(choice.feedback))
    elif qtype == QType.NUMERIC:
        lines.append("#")
        for number in question.numbers:
            weight = f"%{_weight_text(number.weight)}%" if number.weight != 100 else ""
            if number.high is not None:
                value = f"{_number(number.value)}..{_number(number.high)}"
            else:
                value = f"{_number(number.value)}:{_number(number.tolerance)}"
            lines.append("\t=" + weight + value + _feedback(number.feedback))
        if question.wrong_feedback:
            lines.append("\t~" + _feedback(question.wrong_feedback))
    elif qtype == QType.MATCHING:
        lines.extend(f"\t={escape(p.left)} -> {escape(p.right)}" for p in question.pairs)
    elif qtype == QType.TRUE_FALSE:
        right = question.feedback_true if question.correct else question.feedback_false
        wrong = question.feedback_false if question.correct else question.feedback_true
        answer = "TRUE" if question.correct else "FALSE"
        if wrong or right:
            answer += "#" + escape(wrong)
        if right:
            answer += "#" + escape(right)
        lines.append(answer)
    if question.general_feedback:
        lines.append("\t####" + _text(question.general_feedback))
    if qtype == QType.TRUE_FALSE:
        return "{" + "".join(lines) + "}"
    return "{" + ("" if qtype == QType.NUMERIC else "\n") + "\n".join(lines) + "\n}"


def write_question(question: Question) -> str:
    return f"::{escape(question.title)}::{_text(question.text)} {_answers(question)}"


def write_gift(questions: Sequence[Question]) -> tuple[str, list[Skipped]]:
    """GIFT text for ``questions`` and the list of those it could not express (left out)."""
    blocks: list[str] = []
    skipped: list[Skipped] = []
    category: str | None = None
    for index, question in enumerate(questions):
        problem = unwritable(question)
        if problem is not None:
            skipped.append(Skipped(index, question.title, problem.message, problem.params))
            continue
        if question.category != category and (question.category or category is not None):
            blocks.append(
                "$CATEGORY: $course$/top"
                + ("/" + escape(question.category) if question.category else "")
            )
        category = question.category
        blocks.append(write_question(question))
    return "\n\n".join(blocks) + ("\n" if blocks else ""), skipped
