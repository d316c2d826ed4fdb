"""Reads of report pages from a PostgreSQL streaming replica, when one is configured.

Only code that asks for it reads from the replica: a report view runs inside
:func:`replica_reads` (or is decorated with :func:`reads_from_replica`), and then only the
report tables (``REPLICA_APPS`` and ``REPLICA_MODELS``, e.g. the reach table) are read there.
Users, roles and the objects a permission check reads stay on ``default``, and so does every write
and every read inside a write — so neither a permission nor a service decides on stale data,
and a report is at most the replica's lag behind.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import connections

REPLICA = "replica"
REPLICA_APPS = frozenset({"reporting"})
# The reach tables live in training (next to the writes that keep them) but are report tables.
REPLICA_MODELS = frozenset({"training.programmereach", "training.reachyear", "training.reachcube"})
_replica_reads: ContextVar[bool] = ContextVar("fortalece_replica_reads", default=False)


def replica_enabled() -> bool:
    return bool(getattr(settings, "FORTALECE_READ_REPLICA", False)) and REPLICA in connections


@contextmanager
def replica_reads() -> Iterator[None]:
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def reads_from_replica(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def wrapped(*args: Any, **kwargs: Any) -> Any:
        with replica_reads():
            response = view(*args, **kwargs)
            # Templates render lazily; render inside the context so their queries go there too.
            render = getattr(response, "render", None)
            if callable(render) and not getattr(response, "is_rendered", True):
                response = render()
            return response

    return wrapped


def _report_table(model: Any) -> bool:
    return model._meta.app_label in REPLICA_APPS or model._meta.label_lower in REPLICA_MODELS


class ReportingReplicaRouter:
    def db_for_read(self, model: type, **hints: Any) -> str | None:
        if (
            _replica_reads.get()
            and _report_table(model)
            and replica_enabled()
            and not connections["default"].in_atomic_block
        ):
            return REPLICA
        return None

    def db_for_write(self, model: type, **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return db != REPLICA
