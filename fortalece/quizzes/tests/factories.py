"""Quiz fixtures: a course item of kind quiz with a bank holding every question type."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from fortalece.learning.models import CourseItem
from fortalece.learning.tests.factories import CourseItemFactory, CourseModuleFactory
from fortalece.quizzes.core.gift import read_gift
from fortalece.quizzes.models import Quiz
from fortalece.quizzes.services import bank

BANK = r"""$CATEGORY: Primer contacto

::Seguridad::¿Qué es lo primero al atender a una víctima?{
  ~Pedir pruebas#SECRETO-FEEDBACK-1
  =Garantizar su seguridad#SECRETO-FEEDBACK-2
  ~Llamar a su familia
  ####SECRETO-GENERAL
}

::Privado::La violencia familiar es un asunto privado.{F#SECRETO-TF-1#SECRETO-TF-2}

::Medidas::¿Cuáles son medidas de protección?{
  ~%50%Orden de alejamiento
  ~%50%Rondines de vigilancia
  ~%-100%Mediación obligatoria
}

$CATEGORY: Marco legal

::Ley::Siglas de la ley general de acceso{=LGAMVLV =Ley General de Acceso}

::Horas::¿Cuántas horas dura una orden de emergencia?{#72:0}

::Números::Relaciona{
  =911 -> Emergencias
  =089 -> Denuncia anónima
}
"""


def make_quiz(world: Any, **settings: Any) -> SimpleNamespace:
    module = CourseModuleFactory(course=world.course)
    item = CourseItemFactory(module=module, kind=CourseItem.Kind.QUIZ, title="Evaluación 1")
    lesson = CourseItemFactory(module=module, title="Lección 1", required=False)
    questions = bank.questions_import(course=world.course, questions=read_gift(BANK))
    defaults = {"shuffle_questions": False, "shuffle_options": False, "pass_mark": 70}
    quiz = Quiz.objects.create(item=item, **(defaults | settings))
    return SimpleNamespace(module=module, item=item, lesson=lesson, quiz=quiz, questions=questions)


# The right answer to each question of BANK, in the question's own indices.
RIGHT = {
    "Seguridad": 1,
    "Privado": False,
    "Medidas": [0, 1],
    "Ley": "lgamvlv",
    "Horas": "72",
    "Números": {"0": "Emergencias", "1": "Denuncia anónima"},
}
