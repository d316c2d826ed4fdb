"""Demo: a question bank (written in GIFT, as trainers keep them) and a final quiz for each
of the four Spotlight online diplomas that ``fortalece/demo/seed/learning.py`` builds, and
attempts by the cohort: completed learners passed, learners half-way failed once (the demo
learner among them, with attempts left to try again).

Idempotent: a course that already has questions is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from fortalece.learning.models import CourseItem, CourseModule, ItemProgress
from fortalece.quizzes.core.draws import draw
from fortalece.quizzes.core.gift import read_gift
from fortalece.quizzes.core.questions import QType
from fortalece.quizzes.models import Attempt, Question, Quiz
from fortalece.quizzes.services import attempts as attempt_services
from fortalece.quizzes.services import bank
from fortalece.training.models import Course, Enrolment

PROGRAMME = "mx-spotlight-ibero-2021"

BANKS = {
    "First contact care for women and girl victims": r"""
$CATEGORY: Principios de la primera atención

::Prioridad::Al recibir a una mujer que denuncia violencia, ¿qué es lo primero?{
  ~Pedir pruebas de lo ocurrido#Las pruebas vienen después: primero su seguridad.
  =Valorar el riesgo y garantizar su seguridad#Correcto: la seguridad es la prioridad.
  ~Llamar a su pareja para escuchar su versión#Nunca: expone a la víctima.
  ####La primera atención protege antes de investigar.
}

::Revictimización::Pedirle a la víctima que repita su relato ante cada autoridad es una forma de revictimización.{T#Sí lo es: cada repetición causa daño.#Correcto.}

::Conductas::¿Qué conductas son adecuadas en la primera entrevista?{
  ~%50%Escuchar sin juzgar#Sí.
  ~%50%Explicar sus derechos y opciones#Sí.
  ~%-100%Sugerir que se reconcilie con el agresor#Nunca: la mediación está prohibida en violencia.
}

$CATEGORY: Marco legal

::Ley general::¿Cuál es la sigla de la Ley General de Acceso de las Mujeres a una Vida Libre de Violencia?{=LGAMVLV =Ley General de Acceso}

::Línea de emergencia::¿Qué número marca una víctima en una emergencia en México?{#911:0}

::Servicios::Relaciona cada servicio con su función{
  =911 -> Emergencias
  =089 -> Denuncia anónima
  =Centro de Justicia para las Mujeres -> Atención integral en un solo lugar
}
""",
    "Reeducation for men generators of violence": r"""
$CATEGORY: Enfoque de reeducación

::Objetivo::¿Cuál es el objetivo de la reeducación de hombres que ejercen violencia?{
  =Que dejen de ejercer violencia y asuman su responsabilidad
  ~Que la pareja acepte volver#La reeducación no busca reconciliar.
  ~Sustituir la sanción penal#No sustituye la responsabilidad legal.
}

::Responsabilidad::La violencia se explica por el consumo de alcohol y por eso el agresor no es responsable.{F#El alcohol no exime de responsabilidad.#Correcto: la violencia es una elección.}

::Ciclo::¿Cuántas fases tiene el ciclo de la violencia que describió Leonore Walker?{#3:0#Tensión, explosión y reconciliación.}

$CATEGORY: Trabajo grupal

::Herramientas::¿Qué herramientas usa el trabajo grupal?{
  ~%50%Identificar señales de enojo#Sí.
  ~%50%Practicar la comunicación sin violencia#Sí.
  ~%-50%Justificar los celos#No.
}

::Masculinidades::Nombre del enfoque que cuestiona los mandatos de género masculinos{=masculinidades =nuevas masculinidades =masculinidades no violentas}
""",
    "Issuance, implementation and monitoring of protection measures": r"""
$CATEGORY: Órdenes de protección

::Urgencia::Las órdenes de protección de emergencia se emiten…{
  ~después del juicio
  =de inmediato, cuando hay riesgo#Correcto: son urgentes.
  ~solo si la víctima presenta testigos
}

::Personas protegidas::Una víctima vive con sus tres hijas e hijos menores de edad. ¿A cuántas personas en total debe proteger la orden (ella incluida)?{#4:0#Correcto: la orden protege también a las víctimas indirectas.}

::Mediación::Antes de emitir una orden de protección se debe intentar la mediación entre las partes.{F#No: la mediación está prohibida en casos de violencia.#Correcto.}

$CATEGORY: Seguimiento

::Seguimiento::¿Qué acciones forman parte del seguimiento?{
  ~%50%Rondines y llamadas de verificación
  ~%50%Registro en la plataforma de medidas
  ~%-100%Cerrar el caso si la víctima no llama
}

::Autoridades::Relaciona cada medida con la autoridad que suele ejecutarla{
  =Rondines de vigilancia -> Policía municipal
  =Prohibición de acercarse -> Ministerio Público o juez
}
""",
    "Investigation of feminicide with a gender perspective and a human rights approach": r"""
$CATEGORY: Protocolo de investigación

::Presunción::Toda muerte violenta de una mujer debe investigarse inicialmente como…{
  =feminicidio#Correcto: así lo exige el protocolo.
  ~suicidio
  ~accidente
}

::Razones de género::Las razones de género deben acreditarse antes de iniciar la investigación.{F#No: se investigan desde el inicio.#Correcto.}

::Indicios::¿Qué indicios pueden mostrar razones de género?{
  ~%50%Signos de violencia sexual
  ~%50%Antecedentes de violencia de la pareja
  ~%-100%La ropa que vestía la víctima#Nunca: es un estereotipo.
}

$CATEGORY: Derechos humanos

::Sentencia::¿Qué caso de la Corte Interamericana estableció la obligación de investigar con perspectiva de género (Ciudad Juárez, 2009)?{=Campo Algodonero =González y otras =Gonzalez y otras vs Mexico}

::Riesgo::En una escala de riesgo de 1 (bajo) a 5 (extremo), escribe un valor que exija medidas de protección inmediatas.{#4..5#Correcto: riesgo alto o extremo.}
""",
}


def _right_answers(questions: list[Question]) -> dict[int, Any]:
    """The answers a learner who knows the content gives (used for those who passed)."""

    answers: dict[int, Any] = {}
    for question in questions:
        core = question.as_core()
        if core.qtype == QType.SINGLE:
            answers[question.pk] = max(
                range(len(core.choices)), key=lambda i: core.choices[i].weight
            )
        elif core.qtype == QType.MULTIPLE:
            answers[question.pk] = [i for i, c in enumerate(core.choices) if c.weight > 0]
        elif core.qtype == QType.TRUE_FALSE:
            answers[question.pk] = core.correct
        elif core.qtype == QType.SHORT:
            answers[question.pk] = core.choices[0].text
        elif core.qtype == QType.NUMERIC:
            answers[question.pk] = f"{core.numbers[0].value:g}"
        elif core.qtype == QType.MATCHING:
            answers[question.pk] = {str(i): p.right for i, p in enumerate(core.pairs) if p.left}
    return answers


def _wrong_answers(questions: list[Question]) -> dict[int, Any]:
    """Half right at best: true/false flipped, first option everywhere."""
    answers = _right_answers(questions)
    for question in questions[::2]:
        if isinstance(answers.get(question.pk), bool):
            answers[question.pk] = not answers[question.pk]
        else:
            answers.pop(question.pk, None)
    return answers


@transaction.atomic
def seed(say: Any = print) -> bool:
    courses = list(
        Course.objects.filter(programme__code=PROGRAMME, title__in=BANKS).exclude(
            pk__in=Question.objects.values("course_id")
        )
    )
    made = 0
    for course in courses:
        module = CourseModule.objects.filter(course=course).order_by("-position").first()
        if module is None:
            continue  # the online content is not built (seed/learning.py) yet
        questions = bank.questions_import(course=course, questions=read_gift(BANKS[course.title]))
        last = module.items.order_by("-position").first()
        item = CourseItem.objects.create(
            module=module,
            kind=CourseItem.Kind.QUIZ,
            title="Evaluación final",
            title_en="Final quiz",
            position=(last.position + 1) if last else 1,
            duration_minutes=20,
            required=True,
        )
        quiz = Quiz.objects.create(
            item=item,
            intro="Responda con calma: tiene tres intentos y 20 minutos por intento.",
            attempts_allowed=3,
            time_limit_minutes=20,
            pass_mark=70,
            feedback_pass="¡Felicidades! Aprobó la evaluación final.",  # noqa: S106
            feedback_fail="Repase los módulos y vuelva a intentarlo.",
        )
        made += 1
        enrolments = Enrolment.objects.filter(workshop__course=course).select_related(
            "workshop", "person"
        )
        started = timezone.now() - datetime.timedelta(days=3)
        for enrolment in enrolments:
            completed = enrolment.status == Enrolment.Status.COMPLETED
            half_way = ItemProgress.objects.filter(
                enrolment=enrolment, completed_at__isnull=False
            ).exists()
            if not (completed or half_way):
                continue  # not started: no attempt
            answers = _right_answers(questions) if completed else _wrong_answers(questions)
            attempt_services.attempt_submit(
                attempt=_attempt(quiz, enrolment, started),
                answers=answers,
                now=started + datetime.timedelta(minutes=12),
            )
    if made:
        say(
            f"  quizzes: {made} question banks in GIFT with a final quiz each, attempts by the cohort"
        )
    return bool(made)


def _attempt(quiz: Quiz, enrolment: Enrolment, when: datetime.datetime):  # type: ignore[no-untyped-def]
    """An attempt in the past for the demo (the release rule is the learner's to meet live;
    the seed records what they already did)."""

    rules, pool = attempt_services.quiz_rules(quiz)
    seed_value = 1000 + enrolment.pk
    number = Attempt.objects.filter(quiz=quiz, enrolment=enrolment).count() + 1
    return Attempt.objects.create(
        quiz=quiz,
        enrolment=enrolment,
        number=number,
        seed=seed_value,
        question_ids=draw(pool, rules, seed=seed_value, shuffle=quiz.shuffle_questions),
        started_at=when,
        deadline=when + datetime.timedelta(minutes=quiz.time_limit_minutes or 20),
    )
