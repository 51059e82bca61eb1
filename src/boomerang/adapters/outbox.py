"""Publishing to the outbox: the events aggregates raised during a unit of work, rendered and written in its
transaction, so a webhook is sent if and only if the change it describes was committed.

One job of the SQLAlchemy unit of work, kept apart: it also raises each changed aggregate's version once per
commit and sets a changed return's search text, as explicit steps before each flush and at commit."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, inspect
from sqlalchemy.orm import Session

from boomerang.adapters.repositories.base import Aggregate, AggregateRepository
from boomerang.adapters.tables.core import outbox_events
from boomerang.domain.events import Topic
from boomerang.domain.ids import new_id
from boomerang.domain.returns import ReturnOrder

if TYPE_CHECKING:
    from boomerang.adapters.unit_of_work import SqlAlchemyUnitOfWork
    from boomerang.services.unit_of_work import OutboxRendering

_OUTBOX_INSERT = insert(outbox_events)  # built once: its compiled form is cached by its (memoized) key


class OutboxPublisher:
    """The outbox of one unit of work (the `Outbox` port)."""

    def __init__(self, uow: SqlAlchemyUnitOfWork, renderings: Mapping[str, OutboxRendering]) -> None:
        self.uow = uow
        # resource type -> how its events' payloads are rendered, injected at bootstrap
        self.renderings = renderings
        # id -> (version, read model) last rendered into the outbox (the response after a commit, not read twice)
        self._published: dict[str, tuple[int | None, Any]] = {}
        self._bumped: set[str] = set()  # aggregates whose version this commit already raised

    @property
    def session(self) -> Session:
        return self.uow.session

    def published(self, aggregate: Any) -> Any | None:
        """The read model this commit rendered into the outbox for `aggregate`, if it is still current."""
        found = self._published.get(aggregate.id)
        if found is None or found[0] != getattr(aggregate, "version", None):
            return None
        return found[1]

    def publish(self, topic: Topic, *, merchant_id: str, resource_type: str, subject: Any) -> None:
        """An event about something that is not an aggregate of this unit of work (it raises no events of
        its own), into the same outbox, rendered by `resource_type`'s outbox rendering like any other."""
        rendering = self._rendering(resource_type)
        (model,) = rendering.load(self.uow, [subject])
        self._insert(merchant_id, topic.value, rendering.render(model))

    def event_sources(self) -> dict[str, Mapping[str, Aggregate]]:
        """Aggregates loaded or added in this unit of work, by resource type (then by id): every
        aggregate repository's, so an aggregate raising events is published whichever use case changed it."""
        repositories: list[AggregateRepository[Any]] = [self.uow.returns, self.uow.work_orders]
        return {repo.resource_type: repo.seen for repo in repositories}

    def changed(self) -> Iterable[Aggregate]:
        return (agg for seen in self.event_sources().values() for agg in seen.values() if agg.events)

    def publish_events(self) -> None:
        """Render the events of every changed aggregate into the outbox (at commit)."""
        self._published = {}
        changed_by_type = {
            resource_type: [agg for agg in seen.values() if agg.events]
            for resource_type, seen in self.event_sources().items()
        }
        self.bump_versions(itertools.chain.from_iterable(changed_by_type.values()))
        for resource_type, changed in changed_by_type.items():
            if not changed:
                continue
            self.uow.flush()
            rendering = self._rendering(resource_type)
            for agg, model in zip(changed, rendering.load(self.uow, changed), strict=True):
                self._published[agg.id] = (getattr(agg, "version", None), model)
                payload = rendering.render(model)
                for event in agg.events:
                    self._insert(agg.merchant_id, event.topic, payload)
                agg.events.clear()

    def bump_versions(self, changed: Iterable[Aggregate]) -> None:
        """Raise each changed aggregate's version once per commit, and set a changed return's search text
        (lines, numbers, customer). Also before every flush, so the UPDATE an autoflush writes in the middle
        of a use case carries them, instead of a second UPDATE of the same row at commit."""
        for agg in changed:
            version = agg.version
            fresh = agg.id not in self._bumped and version is not None and agg in self.session
            if fresh and version is not None and not inspect(agg).pending:
                agg.version = version + 1
                self._bumped.add(agg.id)
            if isinstance(agg, ReturnOrder):
                self.uow.returns.sync_search_text(agg)

    def forget_bumps(self) -> None:
        """After a commit or a rollback: the next commit raises versions again."""
        self._bumped.clear()

    def _insert(self, merchant_id: str, topic: str, payload: dict[str, Any]) -> None:
        row = {"id": new_id("evt"), "merchant_id": merchant_id, "topic": topic, "payload": payload}
        self.session.execute(_OUTBOX_INSERT, {**row, "created_at": self.uow.now})

    def _rendering(self, resource_type: str) -> OutboxRendering:
        rendering = self.renderings.get(resource_type)
        if rendering is None:
            raise RuntimeError(f"no outbox rendering for {resource_type!r}: use the uow_factory of bootstrap")
        return rendering
