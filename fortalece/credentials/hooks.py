"""Extension points the apps above ``credentials`` fill in their ``AppConfig.ready``, so that
credentials need not import them (docs/architecture.md, layers).

* ``register_course_titles(titles)``: ``titles(course_id, language)`` → the titles a certificate
  names before the programme (learning: the diplomas the course is part of).
"""

from __future__ import annotations

from collections.abc import Callable

CourseTitles = Callable[[int, str], list[str]]
_course_titles: list[CourseTitles] = []


def register_course_titles(titles: CourseTitles) -> None:
    if titles not in _course_titles:
        _course_titles.append(titles)


def course_titles(course_id: int, language: str) -> list[str]:
    return [title for titles in _course_titles for title in titles(course_id, language)]
