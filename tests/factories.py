"""Kept so that work begun before issue 29 still imports; new tests import `tests.support.builders`."""

from tests.support.builders import Api, FrozenClock, Merchant, Operator, bearer, post_at_once, send_at_once, unique

__all__ = ["Api", "FrozenClock", "Merchant", "Operator", "bearer", "post_at_once", "send_at_once", "unique"]
