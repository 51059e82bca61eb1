"""ETag and If-Match: the HTTP form of a resource's optimistic-concurrency `version`."""

from __future__ import annotations

from typing import Annotated, Protocol

from fastapi import Depends, Header


def expected_versions(if_match: Annotated[str | None, Header(alias="If-Match")] = None) -> frozenset[int] | None:
    """The versions an If-Match header accepts; None when any will do (no header, or `*`).

    A set, not one number: If-Match may list several entity tags. A tag that is no version (not a
    canonical decimal) matches nothing, so a header of only such tags yields the empty set (412)."""
    if if_match is None:
        return None
    tags = {tag.strip().removeprefix("W/").strip('"') for tag in if_match.split(",")}
    if "*" in tags:
        return None
    return frozenset(int(tag) for tag in tags if tag.isdecimal() and tag.isascii() and str(int(tag)) == tag)


ExpectedVersions = Annotated[frozenset[int] | None, Depends(expected_versions)]


class Versioned(Protocol):
    @property
    def version(self) -> int: ...


def etag(resource: Versioned) -> str:
    return f'"{resource.version}"'
