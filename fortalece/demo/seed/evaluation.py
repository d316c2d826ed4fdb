"""Seed 002's impact assessment as a demo study: 1,100 trained and 716 untrained officers,
three indices and an aggregate, confounded by years of service and state. The generator's true
effects are stored with the study so that anyone can see the report recover them, and the
figures seed 002 published are stored beside them so that the page shows both.

A second study follows the trained officers up months after the post-test (Kirkpatrick level
3): part of the gain faded and the keenest answered more, so the page shows the change by level
and the attrition it states plainly."""

import dataclasses

from fortalece.impact.core.published import SEED_002
from fortalece.impact.core.simulate import simulate, simulate_followup
from fortalece.impact.core.xlsform import write_xlsform
from fortalece.impact.models import Study
from fortalece.impact.services.instruments import instrument_upload
from fortalece.impact.services.studies import study_create, study_run
from fortalece.programmes.models import Programme

TITLE = "Impact assessment 2020: trained vs untrained police officers"
FOLLOWUP_TITLE = "Follow-up 2021: the trained officers six months later"


def _csv(rows: list[dict[str, str]]) -> bytes:
    """Simulated answers as a Kobo-style CSV export (every column any row has)."""
    headers = list(dict.fromkeys(key for row in rows for key in row))
    lines = [",".join(headers)] + [",".join(row.get(h, "") for h in headers) for row in rows]
    return "\n".join(lines).encode("utf-8")


def seed(draws: int = 999) -> Study | None:

    if Study.objects.filter(title=TITLE).exists():
        return None
    programme = Programme.objects.get(code="mx-vulnerable-groups")
    study_data = simulate(seed=2020)
    instrument = instrument_upload(
        programme=programme,
        name="police-skills-2020.xlsx",
        content=write_xlsform(study_data.instrument),
        by=None,
    )
    study = study_create(
        programme=programme,
        instrument=instrument,
        title=TITLE,
        data_name="kobo-export-2020.csv",
        content=_csv(study_data.rows),
        group_column="group",
        treated_value="trained",
        covariates=["years_service", "state", "sex"],
        cluster="state",
        seed=1,
        draws=draws,
        by=None,
    )
    study = study_run(study=study)
    study.result["simulation"] = {
        "true_effects": study_data.true_effects,
        "true_relative": study_data.true_relative,
    }
    study.result["published"] = SEED_002
    study.save(update_fields=["result"])
    return study


def seed_followup() -> Study | None:
    if Study.objects.filter(title=FOLLOWUP_TITLE).exists():
        return None
    programme = Programme.objects.get(code="mx-vulnerable-groups")
    study_data = simulate_followup()
    # Its own title and version: an upload with the seed-002 form's would replace that form.
    form = dataclasses.replace(
        study_data.instrument,
        title="Police skills in responding to gender violence: follow-up",
        version="2021.1",
    )
    instrument = instrument_upload(
        programme=programme,
        name="police-skills-followup-2021.xlsx",
        content=write_xlsform(form),
        by=None,
    )
    study = study_create(
        programme=programme,
        instrument=instrument,
        title=FOLLOWUP_TITLE,
        data_name="kobo-export-followup-2021.csv",
        content=_csv(study_data.rows),
        group_column="",
        treated_value="",
        covariates=[],
        cluster="",
        seed=1,
        draws=0,
        by=None,
        design="followup",
        wave_column="wave",
        post_value="post",
        followup_value="followup",
        code_column="code",
    )
    study = study_run(study=study)
    study.result["simulation"] = {"true_effects": study_data.true_effects}
    study.save(update_fields=["result"])
    return study
