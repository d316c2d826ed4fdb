import pytest
from django.core.management import call_command
from django.db.models import Count

from fortalece.accounts.models import Role, User
from fortalece.core.testing import client_for
from fortalece.demo.seed.accounts import DEFAULT_PASSWORD, DEMO_ACCOUNTS
from fortalece.programmes.models import Programme
from fortalece.reporting import selectors
from fortalece.training.completion import status_from_attendance
from fortalece.training.models import Enrolment, ProgrammeReach, Workshop

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("seed_demo", verbosity=0)
        yield
        from django.core.management import call_command as flush

        flush("flush", interactive=False, verbosity=0)


def _counts():
    from fortalece.people.models import Person

    return (
        Person.objects.count(),
        Workshop.objects.count(),
        Enrolment.objects.count(),
        ProgrammeReach.objects.count(),
    )


def test_running_twice_duplicates_nothing(seeded):
    before = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == before
    assert User.objects.filter(email__endswith="@demo.fortalece.org").count() == len(DEMO_ACCOUNTS)


def test_every_role_has_an_account_that_signs_in(seeded):
    roles = set(
        User.objects.filter(email__endswith="@demo.fortalece.org").values_list(
            "role_assignments__role", flat=True
        )
    )
    assert roles == {r.value for r in Role}
    for email, *_ in DEMO_ACCOUNTS:
        assert User.objects.get(email=email).check_password(DEFAULT_PASSWORD)


def test_demo_staff_accounts_sign_in_with_the_published_authenticator_key(seeded):
    from django.test import Client

    from fortalece.accounts import otp
    from fortalece.accounts.mfa import mfa_enrolled, mfa_required
    from fortalece.core.figures import record
    from fortalece.demo.seed.accounts import DEMO_TOTP_SECRET

    staff = [u for u in User.objects.filter(is_active=True) if mfa_required(u)]
    enrolled = [u for u in staff if mfa_enrolled(u)]
    record("mfa_coverage", data="demo", staff_needing_mfa=len(staff), enrolled=len(enrolled))
    assert staff and len(enrolled) == len(staff)
    client = Client()
    client.post(
        "/accounts/login/", {"login": "admin@demo.fortalece.org", "password": DEFAULT_PASSWORD}
    )
    assert client.get("/").url.startswith("/accounts/mfa/code/")
    client.post(
        "/accounts/mfa/code/", {"code": otp.totp(DEMO_TOTP_SECRET, __import__("time").time())}
    )
    assert client.get("/").status_code == 200


def test_the_2021_workshop_ran_in_three_cities_with_target_75(seeded):
    programme = Programme.objects.get(code="mx-ttt-sexual-violence-2021")
    assert programme.targets.get().value == 75
    cities = set(programme.workshops.values_list("municipality__name", flat=True))
    assert cities == {"Cuauhtémoc", "Puerto Vallarta", "Benito Juárez"}
    assert {p.organisation.name for p in programme.partners.all()} >= {
        "Embassy of Canada in Mexico",
        "Embassy of the United Kingdom in Mexico",
    }


def test_spotlight_has_four_online_diplomas_and_target_600(seeded):
    programme = Programme.objects.get(code="mx-spotlight-ibero-2021")
    assert programme.courses.count() == 4
    assert programme.targets.get().value == 600
    assert set(programme.subdivisions.values_list("code", flat=True)) == {
        "MX-MEX",
        "MX-GRO",
        "MX-CHH",
    }


def test_namibia_reach_matches_the_report(seeded):
    programme = Programme.objects.get(code="na-tot-court-support")
    by_sex = dict(
        ProgrammeReach.objects.filter(programme=programme)
        .values_list("sex")
        .annotate(n=Count("pk"))
    )
    assert by_sex == {"female": 76, "male": 27}


def test_statuses_follow_attendance_and_the_completion_rule(seeded):
    # Online completions (status_source "online", the learning cohort) follow the course's
    # items, not attendance; every attendance-sourced status must follow the rule.
    rows = (
        Enrolment.objects.exclude(status__in=["dropped", "nominated"])
        .filter(status_source=Enrolment.Source.ATTENDANCE)
        .select_related("workshop__course")
        .annotate(sessions=Count("workshop__sessions", distinct=True))
    )
    for enrolment in rows:
        expected = status_from_attendance(
            current=enrolment.status,
            attended=enrolment.attendance.filter(present=True).count(),
            sessions=enrolment.sessions,
            threshold_pct=enrolment.workshop.course.completion_min_attendance,
        )
        assert enrolment.status == expected


def test_reach_table_agrees_with_counting_enrolments(seeded):
    for programme in Programme.objects.all():
        assert selectors.reach_table_reached(programme.pk) == selectors.plain_reached(programme.pk)
        for column in ("sex", "profession", "subdivision"):
            assert selectors.reach_table_by(programme.pk, column) == selectors.plain_by(
                programme.pk, column
            )


def test_michoacan_cascade_has_three_generations_and_awards(seeded):
    from fortalece.cascade.models import Award
    from fortalece.cascade.selectors import cascade_figures
    from fortalece.people.models import Person

    daniela = Person.objects.get(given_names="Daniela", family_names="Solís Bautista")
    figures = cascade_figures(root_id=daniela.pk)[daniela.pk]
    assert figures.direct > 50
    assert figures.trainers_trained >= 3
    assert figures.indirect > 0
    master = Person.objects.get(given_names="Elena", family_names="Márquez Robles")
    assert cascade_figures(root_id=master.pk)[master.pk].depth == 3
    assert Award.objects.filter(person=daniela, title__startswith="Social Merit").exists()


def test_demo_trainer_and_learner_reach_their_pages(seeded):
    trainer = User.objects.get(email="trainer@demo.fortalece.org")
    assert client_for(trainer).get(f"/cascade/trainers/{trainer.person.pk}/").status_code == 200
    learner = User.objects.get(email="learner@demo.fortalece.org")
    page = client_for(learner).get("/training/mine/")
    assert page.status_code == 200
    assert learner.person.enrolments.exists()


def test_demo_impact_study_recovers_the_simulated_effects(seeded):
    from fortalece.demo.seed.evaluation import TITLE
    from fortalece.impact.models import Study

    study = Study.objects.get(title=TITLE)
    assert study.status == Study.Status.DONE
    truth = study.result["simulation"]["true_effects"]
    for index in study.result["indices"]:
        assert index["headline"]["low"] < truth[index["code"]] < index["headline"]["high"]
    assert study.result["groups"] == {"treated": 1100, "comparison": 716}


def test_demo_study_page_shows_seed_002s_published_figures_beside_the_recomputation(seeded):
    from fortalece.demo.seed.evaluation import TITLE
    from fortalece.impact.models import Study

    study = Study.objects.get(title=TITLE)
    me = User.objects.get(email="me@demo.fortalece.org")
    page = client_for(me).get(study.get_absolute_url()).content.decode()
    assert "Publicado y recalculado" in page
    for figure in ("4%", "16,54%", "8,6%", "28,14%"):
        assert figure in page
    assert "entre la menor (4%) y la mayor (16,54%)" in page
    assert "Cifra principal" in page and "factor no medido" in page
    plan = client_for(me).get(f"/evaluation/plan/?study={study.pk}")
    assert plan.status_code == 200


def test_demo_followup_study_shows_the_change_by_level_and_the_attrition(seeded):
    from fortalece.demo.seed.evaluation import FOLLOWUP_TITLE, TITLE
    from fortalece.impact.models import Study

    study = Study.objects.get(title=FOLLOWUP_TITLE)
    assert study.status == Study.Status.DONE, study.error
    # Its own instrument: the seed-002 study keeps its form (and its file).
    main = Study.objects.get(title=TITLE)
    assert study.instrument_id != main.instrument_id
    assert main.instrument.version == "2020.1" and study.instrument.version == "2021.1"
    truth = study.result["simulation"]["true_effects"]
    for index in study.result["indices"]:
        assert index["headline"]["low"] < truth[index["code"]] < index["headline"]["high"]
    assert 0 < study.result["attrition"]["lost"] < study.result["attrition"]["post"]
    me = User.objects.get(email="me@demo.fortalece.org")
    page = client_for(me).get(study.get_absolute_url()).content.decode()
    assert "respondieron el seguimiento" in page
    assert "comportamiento" in page.lower()
    # The page of the follow-up design: its own counts and chart title, none of the
    # trained-vs-comparison tables (there is no comparison group), p-values never "0,000".
    assert "400 en la prueba posterior, 275 en el seguimiento" in page
    assert "de comparación" not in page and "Diferencia simple" not in page
    assert "Cambio de la prueba posterior al seguimiento, por índice" in page
    assert "(p &lt;\u00a00,001)" in page and "0,000" not in page


def test_spotlight_institutions_sit_in_seed_001s_five_municipalities(seeded):
    from fortalece.geography.models import Municipality
    from fortalece.people.models import Institution

    assert Municipality.objects.count() >= 2478
    names = set(
        Institution.objects.filter(
            people__enrolments__workshop__programme__code="mx-spotlight-ibero-2021"
        )
        .values_list("municipality__name", flat=True)
        .distinct()
    )
    assert {
        "Naucalpan de Juárez",
        "Ecatepec de Morelos",
        "Chihuahua",
        "Juárez",
        "Chilpancingo de los Bravo",
    } <= names


def test_demo_populates_certificates_accreditation_and_survey_links(seeded):
    from fortalece.cascade.models import Accreditation, AccreditationRule
    from fortalece.credentials.models import Certificate
    from fortalece.demo.seed.showcase import DEMO_CERTIFICATE_CODE
    from fortalece.impact.models import SurveyLink

    mine = Certificate.objects.get(code=DEMO_CERTIFICATE_CODE)
    assert mine.enrolment.person.user.email == "learner@demo.fortalece.org"
    assert mine.revoked_at is None
    assert Certificate.objects.filter(revoked_at__isnull=False).count() == 1
    # The README's code (with the dashes people type) verifies as valid on the public page.
    page = client_for(None).get("/verify/FRTA-2026-DEM0-2/")
    assert page.status_code == 200 and mine.holder_name in page.content.decode()
    assert AccreditationRule.objects.count() == 1
    assert Accreditation.objects.filter(status=Accreditation.Status.ACTIVE).exists()
    # Before/after the next Morelia workshop, and the trainer's own links for her roll-out.
    assert SurveyLink.objects.filter(workshop__isnull=False).count() == 4
    rollout = SurveyLink.objects.filter(
        workshop__validation="pending", created_by__email="trainer@demo.fortalece.org"
    )
    assert sorted(rollout.values_list("wave", flat=True)) == ["post", "pre"]
    assert SurveyLink.objects.filter(audience=SurveyLink.Audience.COMPARISON).exists()


def test_demo_people_are_fictional(seeded):
    from fortalece.people.models import Person

    real = [("Alejandra", "Ruíz"), ("Gerardo Daniel", "Duarte"), ("Stacy", "de la Torre")]
    for given, family in real:
        assert not Person.objects.filter(
            given_names__startswith=given, family_names__startswith=family
        ).exists()
        assert not User.objects.filter(first_name=given, last_name__startswith=family).exists()


def test_spotlight_diplomas_are_online_with_lessons_and_a_cohort_at_every_stage(seeded):
    from fortalece.credentials.models import Certificate
    from fortalece.learning.models import CourseItem, Diploma, DiplomaAward
    from fortalece.learning.selectors import cohort_progress, required_count

    diplomas = Diploma.objects.filter(programme__code="mx-spotlight-ibero-2021")
    assert diplomas.count() == 4
    for diploma in diplomas:
        course = diploma.entries.get().course
        lessons = CourseItem.objects.filter(module__course=course, kind="lesson")
        assert course.learning_modules.count() >= 2
        assert lessons.count() >= 4
        assert sum(lesson.body.startswith("<h2>") for lesson in lessons) >= 4
        assert diploma.title_en and diploma.title != diploma.title_en
    cohort = Workshop.objects.get(title__startswith="Diplomado en línea — cohorte 2026")
    required = required_count(cohort.course)
    done = sorted(e.done_items for e in cohort_progress(cohort))
    assert done[0] == 0 and done[-1] == required and 0 < done[len(done) // 2] < required
    states = set(cohort.enrolments.values_list("person__institution__subdivision__code", flat=True))
    assert {"MX-MEX", "MX-GRO", "MX-CHH"} <= states
    completed = cohort.enrolments.filter(status=Enrolment.Status.COMPLETED)
    assert completed.count() == 3
    assert Certificate.objects.filter(enrolment__in=completed).count() == 3
    assert DiplomaAward.objects.filter(person__enrolments__in=completed).count() == 3
    learner = User.objects.get(email="learner@demo.fortalece.org")
    page = client_for(learner).get("/learning/mine/")
    assert page.status_code == 200
    assert len(page.context["enrolments"]) == 1
