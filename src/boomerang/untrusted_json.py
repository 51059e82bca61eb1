"""JSON from outside (request bodies, signed webhooks), parsed with bounds a hostile sender cannot pass:
nesting depth, integer size. Every problem is an UntrustedJson error (a ValueError), never a crash."""

from __future__ import annotations

import json
from typing import Any

MAX_DEPTH = 32
MAX_INT_DIGITS = 20  # beyond any id or quantity; Python refuses > 4,300 digits with a ValueError anyway


class UntrustedJson(ValueError):
    """Not JSON, or JSON beyond the bounds; the message says which."""


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise UntrustedJson(f"a number has more than {MAX_INT_DIGITS} digits")
    return int(text)


def loads(raw: bytes | str, *, max_depth: int = MAX_DEPTH) -> Any:
    """The document, or UntrustedJson: invalid JSON, nested deeper than `max_depth`, or a huge integer."""
    try:
        document = json.loads(raw, parse_int=_bounded_int)
    except UntrustedJson:
        raise
    except RecursionError as error:
        raise UntrustedJson(f"the JSON is nested more than {max_depth} levels deep") from error
    except (ValueError, UnicodeDecodeError) as error:  # JSONDecodeError is a ValueError
        raise UntrustedJson(f"not valid JSON: {error}") from error
    if depth(document) > max_depth:
        raise UntrustedJson(f"the JSON is nested more than {max_depth} levels deep")
    return document


def depth(document: Any) -> int:
    """Levels of arrays and objects (a scalar is 0), computed without recursion."""
    deepest = 0
    stack: list[tuple[Any, int]] = [(document, 0)]
    while stack:
        value, level = stack.pop()
        if isinstance(value, dict):
            stack.extend((v, level + 1) for v in value.values())
            deepest = max(deepest, level + 1)
        elif isinstance(value, list):
            stack.extend((v, level + 1) for v in value)
            deepest = max(deepest, level + 1)
    return deepest
