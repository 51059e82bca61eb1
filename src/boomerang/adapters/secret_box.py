"""Secrets we must be able to read back (webhook signing keys, integration HMAC secrets, stored responses
of idempotent POSTs, which may carry a just-issued key) are stored encrypted with a key derived from
BOOMERANG_SECRET_KEY; bearer secrets are only ever hashed.

Fernet (AES-128-CBC + HMAC-SHA256, from `cryptography`) with a key derived by HKDF, so the
configured secret key itself never becomes a cipher key. Rotation: set the new BOOMERANG_SECRET_KEY,
list the old one in BOOMERANG_PREVIOUS_SECRET_KEYS (still readable), run `boomerang secrets rotate`
(re-encrypts every stored secret with the new key), then drop the old key.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import Dialect, String, Text
from sqlalchemy.types import TypeDecorator, TypeEngine

from boomerang.config import Settings, get_settings
from boomerang.domain.error_codes import CommonErrorCode, ErrorCode
from boomerang.domain.errors import DomainError

PREFIX = "fernet:"
_HKDF_INFO = b"boomerang secrets at rest v1"


class SecretUnreadable(DomainError):
    """A stored secret was encrypted with a key that is neither the current nor a previous one."""

    code: ErrorCode = CommonErrorCode.SECRET_UNREADABLE


def derive_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_HKDF_INFO).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


class SecretBox:
    """Encrypts with the current key; decrypts with the current or any previous key."""

    def __init__(self, secret_key: str, previous_keys: Sequence[str] = ()) -> None:
        self._fernet = MultiFernet([Fernet(derive_key(key)) for key in (secret_key, *previous_keys)])

    def encrypt(self, plain: str) -> str:
        return PREFIX + self._fernet.encrypt(plain.encode()).decode()

    def decrypt(self, stored: str) -> str:
        if not stored.startswith(PREFIX):
            return stored  # written before encryption at rest; `boomerang secrets rotate` encrypts it
        try:
            return self._fernet.decrypt(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretUnreadable(
                "a stored secret cannot be decrypted with BOOMERANG_SECRET_KEY or BOOMERANG_PREVIOUS_SECRET_KEYS"
            ) from None

    def reencrypt(self, stored: str) -> str:
        """The same secret under the current key (plaintext legacy values get encrypted)."""
        if not stored.startswith(PREFIX):
            return self.encrypt(stored)
        try:
            return PREFIX + self._fernet.rotate(stored.removeprefix(PREFIX).encode()).decode()
        except InvalidToken:
            raise SecretUnreadable("a stored secret cannot be decrypted with any configured key") from None


_box: SecretBox | None = None


def configure(settings: Settings) -> SecretBox:
    """Set the process's keys (called at start-up by the API, CLI and worker)."""
    global _box
    _box = SecretBox(settings.secret_key, settings.previous_secret_key_list)
    return _box


def current_box() -> SecretBox:
    return _box if _box is not None else configure(get_settings())


class EncryptedString(TypeDecorator[str]):
    """A string column whose value is stored encrypted and read back in clear."""

    impl: TypeEngine[str] = String(500)
    cache_ok = True

    def process_bind_param(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else current_box().encrypt(value)

    def process_result_value(self, value: str | None, dialect: Dialect) -> str | None:
        return None if value is None else current_box().decrypt(value)


class EncryptedText(EncryptedString):
    """EncryptedString without a length: stored responses of idempotent POSTs (they may carry a secret)."""

    impl = Text()
    cache_ok = True
