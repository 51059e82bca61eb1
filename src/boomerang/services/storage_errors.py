"""Failures of the storage behind the unit of work, in our own words: the adapters raise them (translating
their driver's errors where those surface), the entry points answer them, and neither side names the
database library of the other."""

from __future__ import annotations


class StorageError(Exception):
    """The storage failed in a way no client caused."""


class DatabaseUnavailable(StorageError):
    """The database cannot be reached right now (connection refused or lost, no pool connection free in
    time, a lock or serialization timeout): nothing was changed and the request may be retried (503)."""


class TransactionConflict(DatabaseUnavailable):
    """The database rolled the whole transaction back for another one (serialization failure, deadlock):
    running it again from the start may succeed."""


class DuplicateRecord(StorageError):
    """A unique constraint refused a write that no client-visible conflict stands for (a concurrent request
    stored the same record first)."""
