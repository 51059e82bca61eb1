"""Whether this process can serve: the database answers and its schema is the one this code was written for."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import cache

from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlalchemy.exc import SQLAlchemyError

from boomerang.adapters.migrate import MIGRATIONS
from boomerang.services.storage_errors import DatabaseUnavailable

log = logging.getLogger(__name__)

OK = "ok"


@dataclass(frozen=True)
class Readiness:
    ready: bool
    checks: dict[str, str]  # what each check found: "ok", or what is wrong


@dataclass(frozen=True)
class _Scripts:
    heads: frozenset[str]
    known: frozenset[str]


@cache
def _scripts() -> _Scripts:
    """The migration scripts' heads and revisions, read once per process (they ship with the code)."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    script = ScriptDirectory.from_config(config)
    return _Scripts(frozenset(script.get_heads()), frozenset(r.revision for r in script.walk_revisions()))


def check_readiness(engine: Engine) -> Readiness:
    """Ready when the database answers a query and its migrations are at head.

    A schema *ahead* of this code (a revision it does not know) stays ready: upgrades migrate first and
    replace the processes after, so an old process keeps serving on the new schema until it is replaced."""
    try:
        with engine.connect() as connection:
            connection.execution_options(sqlite_begin="DEFERRED")  # a read: never queue for SQLite's write lock
            connection.execute(text("SELECT 1"))
            current = frozenset(MigrationContext.configure(connection).get_current_heads())
    except (SQLAlchemyError, DatabaseUnavailable) as error:
        log.warning("not ready: the database is unreachable (%s)", type(error).__name__)
        return Readiness(False, {"database": "unreachable"})
    ready, migrations = _compare(current, _scripts())
    if not ready:
        log.warning("not ready: migrations %s", migrations)
    return Readiness(ready, {"database": OK, "migrations": migrations})


def _compare(current: frozenset[str], scripts: _Scripts) -> tuple[bool, str]:
    head = ", ".join(sorted(scripts.heads))
    at = ", ".join(sorted(current))
    if current == scripts.heads:
        return True, OK
    if not current:
        return False, f"not migrated: head {head}"
    if current <= scripts.known:
        return False, f"behind: at {at}, head {head}"
    return True, f"ahead of this code: at {at}, head {head}"
