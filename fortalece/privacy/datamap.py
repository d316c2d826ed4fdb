"""The data map (SECURITY.md, UN principles: purpose, proportionality, retention).

Every field of every model has a sensitivity class, and every model a purpose and a retention
period. ``privacy/tests/test_datamap.py`` fails when a model or field is missing, naming the
line to add here. The history tables (``privacy.*Event``) inherit the class of the field they
copy and the retention of the record they follow.

Classes:
  public     published anyway (countries, programme names, SDG targets)
  internal   how the system runs; names no one
  personal   identifies a person or is linked to one (names, contact, ids of people)
  sensitive  personal and harmful if disclosed: sex, test scores, survey answers, assessments
  credential credentials: password and token hashes, authenticator keys, session data
"""

from __future__ import annotations

from dataclasses import dataclass, field

CLASSES = ("public", "internal", "personal", "sensitive", "credential")

# Retention periods (docs/security.md). Those marked "(job)" are enforced by the retention job
# (privacy/retention.py, run daily by the scheduler).
RETENTION = {
    "reference": "Indefinitely: public reference data.",
    "programme": "While the programme runs and 10 years after it ends (donor audits).",
    "person": (
        "10 years after the person's last training activity, then anonymised (job): names and "
        "contact details go, sex, profession and institution stay for the figures."
    ),
    "account": "While the account exists; removed with it.",
    "credential": "While the account exists; replaced or removed when the user changes it.",
    "session": "Until sign-out or 12 hours at most; expired sessions deleted (job).",
    "audit": "2 years, then deleted (job).",
    "import": (
        "The uploaded file and the rows it held: 90 days after the import ended, then deleted "
        "(job). The counts stay."
    ),
    "survey": "Pseudonymous answers: while the study runs and 10 years after (programme).",
    "certificate": "Indefinitely, so anyone can verify it; the name goes on erasure.",
    "task": "Background task results: 30 days after they finish, then deleted (job).",
    "derived": "Rebuilt from the records it summarises; follows them.",
}


@dataclass(frozen=True)
class Table:
    purpose: str
    retention: str
    public: str = ""
    internal: str = ""
    personal: str = ""
    sensitive: str = ""
    credential: str = ""
    classes: dict[str, str] = field(init=False, default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        for cls in CLASSES:
            for name in getattr(self, cls).split():
                self.classes[name] = cls


DATA_MAP: dict[str, Table] = {
    # --- core, accounts -----------------------------------------------------------------
    "core.AuditEvent": Table(
        "Accountability: who signed in, was refused, exported or erased what, from where.",
        "audit",
        internal="id kind path at",
        personal="user ip_address detail",
    ),
    "core.ScheduledRun": Table(
        "Runs each periodic job once per period.",
        "task",
        internal="id job period enqueued_at task_id",
    ),
    "accounts.User": Table(
        "Sign-in accounts of staff, trainers, donors and learners.",
        "account",
        internal="id is_superuser is_staff is_active date_joined language groups "
        "user_permissions last_login",
        personal="first_name last_name email",
        credential="password",
    ),
    "accounts.RoleAssignment": Table(
        "What each account may see and do (role and scope).",
        "account",
        internal="id role country subdivision programme institution created_at",
        personal="user",
    ),
    "accounts.TOTPDevice": Table(
        "The second factor of sign-in (authenticator app).",
        "credential",
        internal="id last_step created_at",
        personal="user",
        credential="secret",
    ),
    "accounts.Passkey": Table(
        "The second factor of sign-in (passkey: public key data only, no secret).",
        "credential",
        internal="id name sign_count created_at last_used_at",
        personal="user",
        credential="credential_id credential_data",
    ),
    "accounts.RecoveryCode": Table(
        "Single-use codes for a lost phone (hashed).",
        "credential",
        internal="id used_at",
        personal="user",
        credential="code_sha256",
    ),
    # --- reference data --------------------------------------------------------------------
    "geography.Country": Table(
        "Where programmes run.", "reference", public="id code alpha3 name_en name_es"
    ),
    "geography.Subdivision": Table(
        "States, for scope and figures.",
        "reference",
        public="id country code name kind national_code population population_female "
        "population_male",
    ),
    "geography.Municipality": Table(
        "Municipalities, for workshops and institutions.",
        "reference",
        public="id subdivision code name seat population population_female population_male",
    ),
    "programmes.Organisation": Table(
        "Donors and partners.", "reference", public="id name acronym kind"
    ),
    "programmes.SdgTarget": Table(
        "SDG targets programmes contribute to.",
        "reference",
        public="id code goal title_en title_es",
    ),
    "programmes.Programme": Table(
        "The programmes being run and reported on.",
        "programme",
        public="id name code description start_date end_date countries subdivisions "
        "sdg_targets organisations refresher_months",
        internal="created_at updated_at",
    ),
    "programmes.ProgrammePartner": Table(
        "Who funds or runs a programme.", "programme", public="id programme organisation role"
    ),
    "programmes.Target": Table(
        "Targets agreed with donors.",
        "programme",
        public="id programme description metric value due_date profession subdivisions",
    ),
    # --- people and training ---------------------------------------------------------------
    "people.Institution": Table(
        "Police and justice institutions people work in.",
        "programme",
        public="id name kind country subdivision municipality",
        internal="created_at updated_at",
    ),
    "people.Person": Table(
        "The registry of trained people, so each is counted once and gets certificates.",
        "person",
        internal="id profession institution created_at updated_at",
        personal="given_names family_names rank email phone user search_name family_key",
        sensitive="sex",
    ),
    "people.PersonMerge": Table(
        "A record of duplicates merged, to explain and undo mistakes.",
        "person",
        internal="id moved_enrolments merged_at",
        personal="kept merged_person_id merged_name merged_by",
    ),
    "training.Course": Table(
        "Courses of a programme.",
        "programme",
        public="id programme title modality hours learning_objectives audience "
        "is_train_the_trainer completion_min_attendance",
        internal="created_at updated_at",
    ),
    "training.Workshop": Table(
        "Where and when a course is given.",
        "programme",
        public="id course programme title start_date end_date country subdivision "
        "municipality venue capacity",
        internal="created_at updated_at validation validated_at rejection_reason",
        personal="trainers recorded_by validated_by",
    ),
    "training.WorkshopTrainer": Table(
        "Who trained in a workshop (the cascade).",
        "person",
        internal="id workshop role",
        personal="person",
    ),
    "training.Session": Table(
        "The days of a workshop.", "programme", public="id workshop date start_time topic"
    ),
    "training.Enrolment": Table(
        "Who took which workshop, and whether they completed it.",
        "person",
        internal="id workshop status status_source sessions_attended completed_on"
        " created_at updated_at",
        personal="person nominated_by",
    ),
    "training.Attendance": Table(
        "Presence per session, for completion.",
        "person",
        internal="id session present recorded_at",
        personal="enrolment recorded_by",
    ),
    "imports.ImportJob": Table(
        "Spreadsheets imported into the registry, with their errors.",
        "import",
        internal="id kind status programme workshop session create_missing_institutions "
        "create_missing_people "
        "total_rows processed_rows summary created_at updated_at original_name",
        personal="created_by file headers mapping errors",
    ),
    "reporting.ProgrammeReach": Table(
        "One row per person reached per programme: the dashboards' counts.",
        "derived",
        internal="id programme subdivision first_reached_on completed updated_at profession",
        personal="person",
        sensitive="sex",
    ),
    "reporting.ReachCube": Table(
        "Counts of people per programme, year, sex, profession, institution and kind of "
        "course: no person, only aggregates (the indicators page).",
        "derived",
        internal="id programme year profession institution in_person online blended "
        "train_the_trainer other_course completed people participations completions hours",
        sensitive="sex",
    ),
    "reporting.ReachYear": Table(
        "Per person, programme and year: the indicators' counts.",
        "derived",
        internal="id programme year profession institution institution_kind country "
        "subdivision municipality participations completions hours in_person online blended "
        "train_the_trainer other_course completed last_completed_on",
        personal="person",
        sensitive="sex",
    ),
    "reporting.Headcount": Table(
        "How many people an institution employs by profession and sex: coverage of a force.",
        "programme",
        internal="id institution as_of profession sex count recorded_at",
        personal="recorded_by",
    ),
    "reporting.ReportedFigure": Table(
        "Figures a programme published without person records, with their source.",
        "programme",
        public="id programme description people women men states municipalities year_from "
        "year_to source source_date source_url note",
        internal="created_at",
    ),
    "reporting.ResultsPillar": Table(
        "A programme's results framework: pillars.", "programme", public="id programme number title"
    ),
    "reporting.ResultsOutcome": Table(
        "A programme's results framework: outcomes.", "programme", public="id pillar code title"
    ),
    "reporting.ResultsIndicator": Table(
        "A programme's results framework: indicators with baselines and targets.",
        "programme",
        public="id outcome title measure baseline baseline_year target target_year "
        "reported_figures",
    ),
    "reporting.SavedReport": Table(
        "Saved indicator reports: their filters, who they are shared with, when they are sent.",
        "account",
        internal="id name query frequency created_at",
        personal="owner shared_with",
        credential="token",
    ),
    "reporting.SavedReportDelivery": Table(
        "Which period of a saved report was e-mailed to whom (never twice).",
        "task",
        internal="id report period sent_at",
        personal="user",
    ),
    # --- cascade, credentials ----------------------------------------------------------------
    "cascade.AccreditationRule": Table(
        "How trainers are accredited.",
        "programme",
        public="id programme course ttt_course requires_assessment min_cofacilitations "
        "validity_months",
        internal="created_at",
    ),
    "cascade.TrainerAssessment": Table(
        "A trainer's assessment for accreditation.",
        "person",
        internal="id rule assessed_on",
        personal="person recorded_by",
        sensitive="passed score notes",
    ),
    "cascade.Accreditation": Table(
        "Accredited trainers.",
        "person",
        internal="id rule status granted_on expires_on updated_at",
        personal="person",
    ),
    "cascade.AccreditationEvent": Table(
        "Why accreditations changed.",
        "person",
        internal="id accreditation action at",
        personal="by",
        sensitive="reason",
    ),
    "cascade.Award": Table(
        "Awards to trainers.",
        "person",
        internal="id programme title awarded_by awarded_on description",
        personal="person recorded_by",
    ),
    "credentials.Certificate": Table(
        "Certificates anyone can verify.",
        "certificate",
        internal="id enrolment code language course_title completed_on issued_on revoked_at",
        personal="holder_name issued_by revoked_by",
        sensitive="revoked_reason",
    ),
    # --- learning (online courses, diplomas) -------------------------------------------------
    "learning.CourseModule": Table(
        "Chapters of online and blended courses.",
        "programme",
        internal="id course title title_en position created_at updated_at",
    ),
    "learning.CourseItem": Table(
        "Lessons, quizzes, assignments and sessions of a course.",
        "programme",
        internal="id module kind title title_en position required release_on release_after "
        "duration_minutes body session created_at updated_at",
    ),
    "learning.Resource": Table(
        "Files learners download from a lesson (stored privately).",
        "programme",
        internal="id item title file filename content_type size position created_at",
    ),
    "learning.ItemProgress": Table(
        "What each learner has opened and completed, and the score that completed it.",
        "person",
        internal="id item started_at completed_at last_seen_at",
        personal="enrolment",
        sensitive="score",
    ),
    "learning.Diploma": Table(
        "Diplomas (learning paths) a programme offers.",
        "programme",
        internal="id programme title title_en description hours completion_rule courses_needed "
        "awarding_body courses created_at updated_at",
    ),
    "learning.DiplomaCourse": Table(
        "The ordered courses of a diploma.",
        "programme",
        internal="id diploma course position required",
    ),
    "learning.DiplomaAward": Table(
        "Diploma certificates anyone can verify.",
        "certificate",
        internal="id diploma code diploma_title hours completed_on issued_on",
        personal="person holder_name issued_by",
    ),
    # --- assignments and gradebook -----------------------------------------------------------
    "assignments.Rubric": Table(
        "Grading rubrics of a course.", "programme", internal="id course title created_at"
    ),
    "assignments.Criterion": Table(
        "Criteria of a rubric.",
        "programme",
        internal="id rubric title description position",
    ),
    "assignments.Level": Table(
        "Levels of a rubric criterion and their points.",
        "programme",
        internal="id criterion title description points position",
    ),
    "assignments.Assignment": Table(
        "Assignment settings: instructions, due date, late policy, grading, files accepted.",
        "programme",
        internal="id item instructions due_at late_policy late_penalty_per_day "
        "late_refuse_after_days grading max_points rubric pass_percent allow_resubmission "
        "accept_text max_files max_file_mb file_types created_at updated_at",
    ),
    "assignments.Submission": Table(
        "Work a learner handed in for an assignment (one row per attempt).",
        "person",
        internal="id assignment attempt status submitted_at days_late late_penalty_percent "
        "idempotency_key",
        personal="enrolment submitted_by",
        sensitive="text",
    ),
    "assignments.SubmissionFile": Table(
        "Files a learner attached to a submission (stored privately, served after a check).",
        "person",
        internal="id submission size content_type",
        sensitive="file filename",
    ),
    "assignments.Grade": Table(
        "The grade and feedback a trainer gave a submission.",
        "person",
        internal="id submission max_points resubmission_allowed graded_at",
        personal="graded_by",
        sensitive="points score passed feedback",
    ),
    "assignments.GradeSelection": Table(
        "The rubric level chosen per criterion in a grade.",
        "person",
        internal="id grade criterion",
        sensitive="level",
    ),
    "assignments.ItemWeight": Table(
        "Weights of graded items in a course's total.", "programme", internal="id item weight"
    ),
    "assignments.GradeOverride": Table(
        "History of gradebook overrides: who changed a score, when, from what, to what, why.",
        "person",
        internal="id item changed_at",
        personal="enrolment changed_by",
        sensitive="old_score new_score reason",
    ),
    # --- quizzes (question banks, attempts) ---------------------------------------------------
    "quizzes.QuestionCategory": Table(
        "Categories of a course's question bank.",
        "programme",
        internal="id course name created_at",
    ),
    "quizzes.Question": Table(
        "Questions of a course's bank, with their answer key and feedback.",
        "programme",
        internal="id course category qtype title text content general_feedback mark "
        "impact_item superseded_by created_at updated_at",
    ),
    "quizzes.Quiz": Table(
        "Settings of a course's quizzes.",
        "programme",
        internal="id item intro shuffle_questions shuffle_options one_per_page attempts_allowed "
        "time_limit_minutes pass_mark closes_at review feedback_pass feedback_fail "
        "impact_instrument impact_wave allow_offline created_at updated_at",
    ),
    "quizzes.QuizDraw": Table(
        "How many questions a quiz draws from each category.",
        "programme",
        internal="id quiz category count position",
    ),
    "quizzes.Attempt": Table(
        "Each learner's attempts at a quiz and their scores.",
        "person",
        internal="id quiz number seed question_ids started_at deadline submitted_at "
        "closed_by_time idempotency_key submit_key",
        personal="enrolment",
        sensitive="score passed",
    ),
    "quizzes.Response": Table(
        "A learner's answer to each question of an attempt.",
        "person",
        internal="id question saved_at",
        personal="attempt",
        sensitive="answer fraction",
    ),
    # --- referral directory (public services; no people) ---------------------------------------
    "referrals.Service": Table(
        "Support services for women and girls that the referral directory lists, with their hours.",
        "reference",
        public="name kind offer populations languages address country subdivision municipality "
        "latitude longitude phone whatsapp website open_24h open_on_holidays",
        internal="id verified_on is_demo",
    ),
    "referrals.OpeningHours": Table(
        "When each service in the referral directory is open.",
        "reference",
        public="service weekday opens closes all_day",
        internal="id",
    ),
    # --- impact evaluation -------------------------------------------------------------------
    "impact.SurveyInstrument": Table(
        "Survey questionnaires (XLSForm).",
        "programme",
        internal="id programme title version xlsform definition warnings created_at",
        personal="created_by",
    ),
    "impact.Study": Table(
        "Impact studies and their (pseudonymous) data.",
        "survey",
        internal="id programme instrument title data_name rows group_column treated_value "
        "comparison_value subgroups covariates column_map cluster reading design wave_column pre_value post_value code_column "
        "followup_value seed draws status result error error_message created_at updated_at",
        personal="created_by",
        sensitive="data",
    ),
    "impact.SurveyLink": Table(
        "Links respondents open to answer a survey.",
        "survey",
        internal="id instrument programme workshop wave audience active followup_days followup_of "
        "created_at",
        personal="created_by",
        credential="token",
    ),
    "impact.SurveyResponse": Table(
        "Attitude survey answers under a pseudonymous code, with the consent given.",
        "survey",
        internal="id link submitted_at consented_at",
        personal="code",
        sensitive="answers",
    ),
    # --- API ----------------------------------------------------------------------------------
    "api.ApiToken": Table(
        "Personal access tokens for the API.",
        "credential",
        internal="id name prefix can_write expires_at created_at last_used_at revoked_at "
        "programmes",
        personal="user",
        credential="key_hash",
    ),
    "api.KoboFeed": Table(
        "KoboToolbox pushes into a survey.",
        "survey",
        internal="id link code_field created_at last_received_at",
        personal="created_by",
        credential="secret_hash",
    ),
    "api.KoboSubmission": Table(
        "Each KoboToolbox submission received (idempotency).",
        "survey",
        internal="id feed uuid duplicate_code received_at",
        personal="response",
    ),
    # --- framework tables ---------------------------------------------------------------------
    "admin.LogEntry": Table(
        "Django admin's log of changes.",
        "audit",
        internal="id action_time content_type object_id action_flag",
        personal="user object_repr change_message",
    ),
    "auth.Permission": Table(
        "Django permissions (unused by roles).",
        "reference",
        internal="id name content_type codename",
    ),
    "auth.Group": Table("Django groups (unused).", "reference", internal="id name permissions"),
    "contenttypes.ContentType": Table(
        "Django's model registry.", "reference", internal="id app_label model"
    ),
    "sessions.Session": Table(
        "Signed-in sessions.",
        "session",
        internal="expire_date",
        credential="session_key session_data",
    ),
    "django_tasks_database.DBTaskResult": Table(
        "Background tasks and their results (ids of records, never names).",
        "task",
        internal="id status enqueued_at started_at finished_at priority task_path worker_ids "
        "queue_name backend_name run_after exception_class_path",
        personal="args_kwargs return_value traceback",
    ),
    "pghistory.Context": Table(
        "Who made each change in the history, and on which page.",
        "person",
        internal="id created_at updated_at",
        personal="metadata",
    ),
    "account.EmailAddress": Table(
        "allauth's copy of each account's email.",
        "account",
        internal="id verified primary",
        personal="user email",
    ),
    "account.EmailConfirmation": Table(
        "allauth's email confirmations (unused: no sign-up).",
        "account",
        internal="id created sent",
        personal="email_address",
        credential="key",
    ),
}

# Read-only views over the history tables (no storage of their own).
UNSTORED = {"pghistory.Events", "pghistory.MiddlewareEvents"}
