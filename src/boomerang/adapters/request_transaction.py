"""The request-wide transaction of a request sent with an Idempotency-Key (the HTTP layer's job, on SQLAlchemy).

Every unit of work such a request opens joins this transaction as a savepoint: `uow.commit()` releases the
savepoint and `rollback` undoes only that unit of work. The transaction itself commits once, after the
response is known, in the same commit as the stored response. So a request whose changes committed always
has its response to replay, and a request that died before committing (a crash, a killed connection) left
nothing behind, not even its key.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from boomerang.adapters.repositories.idempotency import IdempotencyRepository
from boomerang.services.storage_errors import DuplicateRecord

_current: ContextVar[SqlAlchemyRequestTransaction | None] = ContextVar("request_transaction", default=None)


class SqlAlchemyRequestTransaction:
    """One session for the whole request, opened by its first unit of work (the `RequestTransaction` port)."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self.session_factory = session_factory
        self._session: Session | None = None

    def session(self) -> Session:
        """The request's session, opened by the first unit of work that needs it."""
        if self._session is None:
            self._session = self.session_factory()
        return self._session

    def commit(self) -> None:
        if self._session is not None:
            self._session.commit()

    def rollback(self) -> None:
        if self._session is not None:
            self._session.rollback()

    def commit_with_response(
        self, credential: str, key: str, request_hash: str, response: tuple[int, str, Any], now: datetime
    ) -> None:
        """Store the Idempotency-Key's response and commit it together with the request's work; DuplicateRecord
        when a concurrent request stored a response under the same key first."""
        try:
            IdempotencyRepository(self.session()).store(credential, key, request_hash, response, now)
            self.commit()
        except IntegrityError as error:
            raise DuplicateRecord("a response is already stored under this Idempotency-Key") from error

    def close(self) -> None:
        if self._session is not None:
            self._session.close()
            self._session = None


def joined(session_factory: sessionmaker[Session]) -> SqlAlchemyRequestTransaction | None:
    """The running request's transaction, if there is one on this database."""
    transaction = _current.get()
    if transaction is not None and transaction.session_factory is session_factory:
        return transaction
    return None


@contextmanager
def request_transaction(session_factory: sessionmaker[Session]) -> Iterator[SqlAlchemyRequestTransaction]:
    transaction = SqlAlchemyRequestTransaction(session_factory)
    token = _current.set(transaction)
    try:
        yield transaction
    finally:
        _current.reset(token)


RequestTransaction = SqlAlchemyRequestTransaction  # the name the HTTP layer imported before the split
