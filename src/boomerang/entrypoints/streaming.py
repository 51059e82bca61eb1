"""Streaming a use case's output while its unit of work stays open (the API and the pages alike)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from boomerang.services.unit_of_work import UnitOfWork


def stream_in(uow: UnitOfWork, pieces: Callable[[UnitOfWork], Iterator[str]]) -> Iterator[str]:
    """The pieces `pieces(uow)` yields, read inside `uow`. The first piece is produced before this
    returns, so an error (a tenant check, a bad filter) is raised while the response can still be an
    error; the unit of work closes when the last piece is sent or the client goes away."""
    uow.__enter__()
    try:
        produced = pieces(uow)
        first = next(produced, "")
    except BaseException as error:
        uow.__exit__(type(error), error, error.__traceback__)
        raise

    def rest() -> Iterator[str]:
        try:
            yield first
            yield from produced
        except BaseException as error:
            uow.__exit__(type(error), error, error.__traceback__)
            raise
        uow.__exit__(None, None, None)

    return rest()
