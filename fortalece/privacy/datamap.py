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
        "sdg_targets organisations",
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
        "ReachYear counted by programme, year, sex, profession, institution and kind of course.",
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
        "covariates column_map cluster design wave_column pre_value post_value code_column "
        "seed draws status result error created_at updated_at",
        personal="created_by",
        sensitive="data",
    ),
    "impact.SurveyLink": Table(
        "Links respondents open to answer a survey.",
        "survey",
        internal="id instrument programme workshop wave audience active created_at",
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
