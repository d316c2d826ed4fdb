"""Every field of every model is in the data map (privacy/datamap.py)."""

from django.apps import apps

from fortalece.core.figures import record
from fortalece.privacy.datamap import CLASSES, DATA_MAP, RETENTION, UNSTORED
from fortalece.privacy.models import TRACKED

HISTORY_FIELDS = {"pgh_id", "pgh_created_at", "pgh_label", "pgh_obj", "pgh_context"}


def _fields(model) -> list[str]:
    return [
        f.name
        for f in model._meta.get_fields()
        if f.concrete or (f.many_to_many and not f.auto_created)
    ]


def test_every_field_of_every_model_has_a_class_a_purpose_and_a_retention():
    history_models = {event: tracked for tracked, event in TRACKED.items()}
    missing, stale, counted = [], [], 0
    for model in apps.get_models():
        label = model._meta.label
        if label in UNSTORED or model._meta.proxy or not model._meta.managed:
            continue
        if model in history_models:
            source = DATA_MAP[history_models[model]._meta.label]
            for name in _fields(model):
                counted += 1
                if name not in HISTORY_FIELDS and name not in source.classes:
                    missing.append(
                        f"{label}.{name} (add it to {history_models[model]._meta.label})"
                    )
            continue
        table = DATA_MAP.get(label)
        if table is None:
            fields = " ".join(_fields(model))
            missing.append(
                f'{label}: add  "{label}": Table("<purpose>", "<retention key>", '
                f'internal="...", personal="...", ...)  with these fields: {fields}'
            )
            continue
        names = _fields(model)
        counted += len(names)
        missing += [
            f'{label}.{n}: add "{n}" to one of {", ".join(CLASSES)} in DATA_MAP["{label}"]'
            for n in names
            if n not in table.classes
        ]
        stale += [f"{label}.{n}" for n in table.classes if n not in names]
        assert table.retention in RETENTION, f"{label}: unknown retention {table.retention!r}"
        assert table.purpose.strip(), f"{label}: no purpose"
    mapped = counted - len(missing)
    record("data_map", fields=counted, mapped=mapped, unmapped=len(missing), stale=len(stale))
    assert not missing, (
        "Fields missing from the data map, fortalece/privacy/datamap.py "
        "(a sensitivity class for each field; a purpose and a retention key from RETENTION "
        "for each model):\n  " + "\n  ".join(missing)
    )
    assert not stale, "Fields in the data map that no longer exist:\n  " + "\n  ".join(stale)


def test_no_field_is_in_two_classes():
    for label, table in DATA_MAP.items():
        names = [n for cls in CLASSES for n in getattr(table, cls).split()]
        assert len(names) == len(set(names)), label
