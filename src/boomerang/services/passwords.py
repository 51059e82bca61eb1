"""Dashboard passwords: argon2id hashes at the cost the settings name (argon2's RFC 9106 low-memory
profile unless told otherwise; only tests ask for less, and only in development)."""

from __future__ import annotations

import secrets
from functools import lru_cache

from argon2 import PasswordHasher, profiles

from boomerang.config import Settings


@lru_cache(maxsize=4)
def _hasher(profile: str) -> PasswordHasher:
    return PasswordHasher.from_parameters(getattr(profiles, profile))


def hash_password(password: str, settings: Settings) -> str:
    return _hasher(settings.password_hash_profile).hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether `password` matches; the cost is the one written in the hash."""
    try:
        return _hasher("RFC_9106_LOW_MEMORY").verify(password_hash, password)
    except Exception:
        return False


@lru_cache(maxsize=4)
def _dummy_hash(profile: str) -> str:
    return _hasher(profile).hash(secrets.token_urlsafe(16))


def dummy_hash(settings: Settings) -> str:
    """A hash no password matches, at the settings' cost: verified when the email is unknown, so a wrong
    email costs as long as a wrong password."""
    return _dummy_hash(settings.password_hash_profile)
