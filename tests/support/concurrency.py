"""The one concurrency harness of the suite: calls in threads, released together by one barrier."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TypeVar

R = TypeVar("R")
T = TypeVar("T")


def at_once(calls: Sequence[Callable[[], T]], *, timeout: float = 300.0) -> list[T]:
    """Run every call in its own thread, all released together; their results in call order."""
    return each_at_once(lambda: nullcontext(None), [lambda _, call=call: call() for call in calls], timeout=timeout)


def each_at_once(
    setup: Callable[[], AbstractContextManager[R]], calls: Sequence[Callable[[R], T]], *, timeout: float = 300.0
) -> list[T]:
    """Like `at_once`, but each thread first enters its own `setup()` (a client, a connection) and only then
    waits at the barrier, so that the calls themselves meet. An exception raised in a thread is raised
    here once every thread has finished; a thread that hangs fails the test."""
    barrier = threading.Barrier(len(calls))
    results: list[T | None] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(i: int, call: Callable[[R], T]) -> None:
        try:
            with setup() as resource:
                barrier.wait()
                results[i] = call(resource)
        except BaseException as error:  # reported to the test below, never lost in the thread
            errors.append(error)
            barrier.abort()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real or errors:
        raise (real or errors)[0]
    assert not any(thread.is_alive() for thread in threads), "a call never finished"
    return results  # type: ignore[return-value]  # every slot was filled: no call raised or hung
