"""Seed 001 taken online: the four Spotlight diplomas built in Fortalece (modules and lessons
in Spanish, English titles), one diploma each, and a 2026 cohort of learners from the State
of Mexico, Guerrero and Chihuahua at different stages (not started, half-way, completed with
certificate and diploma). The quiz and assignment apps add their items to these modules.

Idempotent: a course that already has modules is left as it is.
"""

from __future__ import annotations

import datetime
from typing import Any

from fortalece.learning.models import CourseItem, CourseModule, Diploma, DiplomaCourse
from fortalece.learning.services import item_record_result
from fortalece.people.models import Person
from fortalece.programmes.models import Programme
from fortalece.training.models import Course, Enrolment, Workshop, WorkshopTrainer

PROGRAMME = "mx-spotlight-ibero-2021"
COHORT_TITLE = "Diplomado en línea — cohorte 2026"
COHORT_START = datetime.date(2026, 10, 5)
AWARDING_BODY = "Universidad Iberoamericana Ciudad de México — Dirección de Educación Continua"


def _p(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _ul(*items: str) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


# course title (seed 001) -> (diploma title in Spanish, modules)
# module: (title, title_en, lessons); lesson: (title, title_en, minutes, body)
CONTENT: dict[str, tuple[str, list[tuple[str, str, list[tuple[str, str, int, str]]]]]] = {
    "First contact care for women and girl victims": (
        "Diplomado en atención de primer contacto a mujeres y niñas víctimas de violencia",
        [
            (
                "El primer contacto",
                "First contact",
                [
                    (
                        "Qué es el primer contacto y por qué importa",
                        "What first contact is and why it matters",
                        25,
                        "<h2>Un momento que decide lo que sigue</h2>"
                        + _p(
                            "El primer contacto es la primera vez que una mujer o una niña habla "
                            "de la violencia que vive con alguien de una institución: en la "
                            "ventanilla del DIF, en una patrulla, en un Centro de Justicia para "
                            "las Mujeres o en la línea de emergencia.",
                            "Lo que ocurre en esos minutos influye en que vuelva, denuncie o "
                            "desista. Una respuesta que duda de ella, la hace esperar sin "
                            "explicación o la envía de una oficina a otra la pone en riesgo.",
                        )
                        + "<h3>Lo que la persona necesita saber al salir</h3>"
                        + _ul(
                            "que se le creyó y que lo que vive no es su culpa;",
                            "qué puede pasar a continuación y cuánto tarda;",
                            "a quién llamar si la violencia se repite esta noche.",
                        ),
                    ),
                    (
                        "Escucha activa y lenguaje sin revictimización",
                        "Active listening and language that does not revictimise",
                        30,
                        "<h2>Escuchar antes de preguntar</h2>"
                        + _p(
                            "Deje que la persona cuente los hechos a su ritmo. Evite preguntas "
                            "que sugieren culpa, como «¿por qué no se fue antes?» o «¿qué hizo "
                            "usted para que se enojara?».",
                            "Repita con sus palabras lo que entendió, pregunte si es correcto y "
                            "anote lo que dijo tal como lo dijo. Pida el relato una sola vez: "
                            "contar lo mismo a cada servidor público es una nueva violencia.",
                        )
                        + "<h3>Frases que ayudan</h3>"
                        + _ul(
                            "«Gracias por contármelo.»",
                            "«Lo que me describe es un delito y tiene derecho a protección.»",
                            "«Vamos a ver juntas qué opciones tiene.»",
                        ),
                    ),
                ],
            ),
            (
                "Evaluación de riesgo y canalización",
                "Risk assessment and referral",
                [
                    (
                        "Señales de riesgo alto",
                        "Signs of high risk",
                        30,
                        "<h2>Cuándo actuar de inmediato</h2>"
                        + _p(
                            "Algunas señales indican riesgo de feminicidio y exigen medidas el "
                            "mismo día: amenazas de muerte, intentos de estrangulamiento, acceso "
                            "a armas, violencia durante el embarazo, separación reciente y "
                            "aumento de la frecuencia o gravedad de las agresiones.",
                        )
                        + _ul(
                            "Registre cada señal con las palabras de la víctima.",
                            "Informe a la persona que su situación es de riesgo alto.",
                            "Solicite medidas de protección sin esperar a la denuncia.",
                        ),
                    ),
                    (
                        "La ruta de atención en su municipio",
                        "The referral pathway in your municipality",
                        20,
                        "<h2>Nadie atiende sola</h2>"
                        + _p(
                            "La atención integral combina salud, asistencia jurídica, apoyo "
                            "psicológico, refugio y seguridad. Cada municipio tiene su propia "
                            "red: conozca los teléfonos, horarios y requisitos de cada servicio "
                            "antes de necesitarlos.",
                            "Canalizar no es «mandar a otra oficina»: es acompañar, llamar antes "
                            "y confirmar que la persona fue recibida.",
                        ),
                    ),
                ],
            ),
        ],
    ),
    "Reeducation for men generators of violence": (
        "Diplomado en reeducación para hombres que ejercen violencia",
        [
            (
                "Fundamentos del modelo de intervención",
                "Foundations of the intervention model",
                [
                    (
                        "Responsabilidad y no justificación",
                        "Responsibility, not justification",
                        25,
                        "<h2>El punto de partida</h2>"
                        + _p(
                            "Los programas de reeducación parten de que la violencia es una "
                            "elección aprendida y no una pérdida de control. El trabajo con los "
                            "hombres busca que reconozcan su responsabilidad sin trasladarla al "
                            "alcohol, al estrés o a la conducta de la pareja.",
                        )
                        + _ul(
                            "La seguridad de las mujeres y niñas es la prioridad del programa.",
                            "La asistencia al grupo no sustituye la sanción penal.",
                            "El facilitador informa a la autoridad cuando hay riesgo.",
                        ),
                    ),
                    (
                        "Masculinidades y normas sociales",
                        "Masculinities and social norms",
                        30,
                        "<h2>Lo que se aprende se puede desaprender</h2>"
                        + _p(
                            "Muchas ideas sobre «ser hombre» —controlar, no mostrar miedo, "
                            "decidir por la familia— sostienen la violencia. El grupo examina "
                            "esas creencias con ejemplos de la vida diaria y propone formas de "
                            "relación basadas en el respeto y la igualdad.",
                        ),
                    ),
                ],
            ),
            (
                "El trabajo en grupo",
                "Group work",
                [
                    (
                        "Encuadre de las sesiones",
                        "Framing the sessions",
                        20,
                        "<h2>Reglas claras desde el inicio</h2>"
                        + _ul(
                            "Puntualidad y asistencia obligatoria a todas las sesiones.",
                            "Confidencialidad con un límite: el riesgo para otras personas.",
                            "Hablar en primera persona y de la propia conducta.",
                        )
                        + _p(
                            "El encuadre se firma al ingresar y se recuerda cada vez que un "
                            "participante intenta culpar a su pareja."
                        ),
                    ),
                    (
                        "Coordinación con juzgados y el DIF",
                        "Working with the courts and DIF",
                        25,
                        "<h2>Un programa dentro de una red</h2>"
                        + _p(
                            "Los juzgados, las Instancias de las Mujeres en las Entidades "
                            "Federativas y el DIF derivan participantes y esperan informes. "
                            "Acuerde con ellos qué se informa, con qué periodicidad y qué hacer "
                            "cuando un participante abandona el programa.",
                        ),
                    ),
                ],
            ),
        ],
    ),
    "Issuance, implementation and monitoring of protection measures": (
        "Diplomado en emisión, implementación y seguimiento de órdenes de protección",
        [
            (
                "Marco jurídico de las medidas de protección",
                "The legal framework of protection measures",
                [
                    (
                        "Qué son las órdenes de protección",
                        "What protection orders are",
                        25,
                        "<h2>Urgentes, temporales y personales</h2>"
                        + _p(
                            "Las órdenes de protección son actos de urgente aplicación en "
                            "función del interés superior de la víctima. No dependen de que "
                            "exista una denuncia ni de que la víctima aporte pruebas: basta el "
                            "riesgo.",
                        )
                        + _ul(
                            "Prohibir al agresor acercarse o comunicarse con la víctima.",
                            "Ordenar su salida del domicilio común.",
                            "Retener armas y proteger a hijas e hijos.",
                        ),
                    ),
                    (
                        "Criterios para determinar el riesgo",
                        "Criteria for determining risk",
                        30,
                        "<h2>Motivar la decisión</h2>"
                        + _p(
                            "La autoridad debe explicar por escrito por qué emite o niega una "
                            "medida, a partir de los hechos narrados, los antecedentes del "
                            "agresor y las señales de riesgo identificadas en la entrevista.",
                        ),
                    ),
                ],
            ),
            (
                "Implementación y seguimiento",
                "Implementation and monitoring",
                [
                    (
                        "Notificación y ejecución",
                        "Notification and enforcement",
                        20,
                        "<h2>Una orden que nadie notifica no protege</h2>"
                        + _p(
                            "La policía preventiva notifica al agresor, verifica el cumplimiento "
                            "y deja constancia. La víctima recibe copia de la orden y un número "
                            "al que llamar si se incumple."
                        ),
                    ),
                    (
                        "Revisión y prórroga",
                        "Review and extension",
                        20,
                        "<h2>El riesgo cambia</h2>"
                        + _p(
                            "Programe una llamada de seguimiento antes de que la medida venza. "
                            "Si el riesgo persiste, solicite la prórroga; si se incumplió, dé "
                            "vista al Ministerio Público."
                        ),
                    ),
                ],
            ),
        ],
    ),
    "Investigation of feminicide with a gender perspective and a human rights approach": (
        "Diplomado en investigación del feminicidio con perspectiva de género y enfoque de "
        "derechos humanos",
        [
            (
                "El feminicidio como delito",
                "Feminicide as a crime",
                [
                    (
                        "Razones de género",
                        "Gender-based reasons",
                        30,
                        "<h2>Toda muerte violenta de una mujer se investiga como feminicidio</h2>"
                        + _p(
                            "El protocolo obliga a iniciar la investigación de toda muerte "
                            "violenta de una mujer con la hipótesis de feminicidio y descartarla "
                            "solo con pruebas. Las razones de género incluyen signos de violencia "
                            "sexual, lesiones infamantes, antecedentes de violencia y la "
                            "exposición del cuerpo en un lugar público.",
                        ),
                    ),
                    (
                        "Estándares internacionales",
                        "International standards",
                        25,
                        "<h2>La debida diligencia reforzada</h2>"
                        + _p(
                            "La sentencia del caso «Campo Algodonero» de la Corte Interamericana "
                            "estableció que el Estado debe investigar con perspectiva de género, "
                            "sin estereotipos y en un plazo razonable."
                        ),
                    ),
                ],
            ),
            (
                "La escena y la cadena de custodia",
                "The crime scene and chain of custody",
                [
                    (
                        "Procesamiento de la escena",
                        "Processing the scene",
                        35,
                        "<h2>Lo que no se registra se pierde</h2>"
                        + _ul(
                            "Preserve el lugar y registre a toda persona que entra.",
                            "Fotografíe antes de mover cualquier indicio.",
                            "Busque indicios de violencia sexual y de violencia previa.",
                        ),
                    ),
                    (
                        "Víctimas indirectas",
                        "Indirect victims",
                        20,
                        "<h2>Las familias también son víctimas</h2>"
                        + _p(
                            "Informe a la familia sobre el avance de la investigación, "
                            "garantice su participación y canalice a hijas e hijos huérfanos a "
                            "los servicios de protección de la infancia."
                        ),
                    ),
                ],
            ),
        ],
    ),
}


def _build_course(course: Course) -> list[CourseItem]:
    _title, modules = CONTENT[course.title]
    items: list[CourseItem] = []
    previous: CourseItem | None = None
    for m_position, (title, title_en, lessons) in enumerate(modules, start=1):
        module = CourseModule.objects.create(
            course=course, title=title, title_en=title_en, position=m_position
        )
        for i_position, (l_title, l_title_en, minutes, body) in enumerate(lessons, start=1):
            item = CourseItem.objects.create(
                module=module,
                kind=CourseItem.Kind.LESSON,
                title=l_title,
                title_en=l_title_en,
                position=i_position,
                duration_minutes=minutes,
                body=body,
                # The second module opens once the first module's last lesson is done.
                release_after=previous if i_position == 1 and m_position > 1 else None,
            )
            items.append(item)
            previous = item
    if course.title.startswith("First contact"):
        CourseItem.objects.create(
            module=module,
            kind=CourseItem.Kind.LESSON,
            title="Para saber más",
            title_en="Further reading",
            position=len(lessons) + 1,
            required=False,
            duration_minutes=10,
            body=_p(
                "Conozca la Iniciativa Spotlight en "
                '<a href="https://www.spotlightinitiative.org/">spotlightinitiative.org</a>.'
            ),
        )
    return items


def _cohort(course: Course, learners: list[Any], trainers: list[Any]) -> Workshop:
    mexico = course.programme.countries.get(code="MX")
    workshop = Workshop.objects.create(
        course=course,
        programme=course.programme,
        title=f"{COHORT_TITLE} · {course.title}",
        start_date=COHORT_START,
        end_date=COHORT_START + datetime.timedelta(weeks=12),
        country=mexico,
        venue="Fortalece (en línea)",
    )
    for index, person in enumerate(trainers):
        WorkshopTrainer.objects.get_or_create(
            workshop=workshop,
            person=person,
            defaults={"role": "lead" if index == 0 else "co_facilitator"},
        )
    Enrolment.objects.bulk_create(
        Enrolment(workshop=workshop, person=p, status=Enrolment.Status.ENROLLED) for p in learners
    )
    return workshop


def seed(say: Any = print) -> bool:
    """Build the online content once; returns whether anything was created."""

    programme = Programme.objects.filter(code=PROGRAMME).first()
    if programme is None:
        return False
    courses = list(Course.objects.filter(programme=programme, title__in=CONTENT))
    if not courses or CourseModule.objects.filter(course__in=courses).exists():
        return False
    for position, course in enumerate(sorted(courses, key=lambda c: c.title), start=1):
        _build_course(course)
        diploma_title, _modules = CONTENT[course.title]
        diploma = Diploma.objects.create(
            programme=programme,
            title=diploma_title,
            title_en=course.title,
            description=(
                "Diplomado en línea de la Dirección de Educación Continua de la IBERO para "
                "enlaces institucionales y de la sociedad civil (Iniciativa Spotlight)."
            ),
            hours=120,
            completion_rule=Diploma.Rule.ALL,
            awarding_body=AWARDING_BODY,
        )
        DiplomaCourse.objects.create(diploma=diploma, course=course, position=1)
        del position
    # The 2026 cohort of the first-contact diploma: three learners per Spotlight state.
    first = next(c for c in courses if c.title.startswith("First contact"))
    learners: list[Person] = []
    for state in ("MX-MEX", "MX-GRO", "MX-CHH"):
        learners += list(
            Person.objects.filter(
                institution__subdivision__code=state,
                enrolments__workshop__programme=programme,
            )
            .distinct()
            .order_by("pk")[:3]
        )
    trainers = list(
        Person.objects.filter(workshops_trained__programme=programme).distinct().order_by("pk")[:1]
    )
    trainers += list(Person.objects.filter(user__email="trainer@demo.fortalece.org")[:1])
    demo_learner = Person.objects.filter(user__email="learner@demo.fortalece.org").first()
    if demo_learner is not None:
        learners.append(demo_learner)
    cohort = _cohort(first, learners, trainers)
    items = list(
        CourseItem.objects.filter(module__course=first, required=True).order_by(
            "module__position", "position"
        )
    )
    enrolments = {e.person_id: e for e in cohort.enrolments.all()}
    # Stages: each state's first learner has not started, the second is half-way, the third
    # completed (certificate and diploma). The demo learner is half-way.
    for index, person in enumerate(learners):
        stage = "half" if person == demo_learner else ("none", "half", "done")[index % 3]
        done = {"none": 0, "half": len(items) // 2, "done": len(items)}[stage]
        for item in items[:done]:
            item_record_result(enrolment=enrolments[person.pk], item=item, completed=True)
    say(
        f"  online diplomas (seed 001): {len(courses)} courses with lessons, "
        f"{len(courses)} diplomas, a cohort of {len(learners)} learners"
    )
    return True
