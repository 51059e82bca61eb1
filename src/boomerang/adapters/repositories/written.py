"""What the open transaction wrote itself, so that a read can skip rows that cannot exist yet.

Kept in the session's `info` under the transaction it belongs to: a later transaction of the same
session starts empty. Anything not noted here is read from the database as usual."""

from __future__ import annotations

from sqlalchemy.orm import Session

CREATED_RETURNS = "boomerang_created_returns"  # returns this transaction inserted
CHARGED_RETURNS = "boomerang_charged_returns"  # returns this transaction added a fee transaction to


def note(session: Session, kind: str, ident: str) -> None:
    transaction = session.get_transaction()
    noted = session.info.get(kind)
    if noted is None or noted[0] is not transaction:
        ids: set[str] = set()
        noted = session.info[kind] = (transaction, ids)
    noted[1].add(ident)


def noted(session: Session, kind: str) -> set[str]:
    """The ids noted under `kind` in the open transaction (none outside one)."""
    found = session.info.get(kind)
    transaction = session.get_transaction()
    if found is None or transaction is None or found[0] is not transaction:
        return set()
    ids: set[str] = found[1]
    return ids
