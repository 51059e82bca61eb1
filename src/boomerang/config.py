"""Settings, read from BOOMERANG_* environment variables."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEVELOPMENT_SECRET_KEY = "development-only-secret-key-change-me"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOOMERANG_", extra="ignore")

    environment: str = "development"
    data_dir: Path = Path("./data")
    database_url: str = ""
    # A PostgreSQL streaming replica for reads that may lag (dashboard lists, analytics, exports); "" = none.
    read_database_url: str = ""
    admin_token: str = ""
    secret_key: str = DEVELOPMENT_SECRET_KEY
    # Comma-separated keys that stored secrets may still be encrypted with (during a key rotation).
    previous_secret_keys: str = ""
    rate_limit: int = 1200  # API requests a minute per credential; 0 turns the limit off
    # Requests a minute per client address from callers without a valid credential (API and pages before
    # sign-in; static files and probes are not counted); 0 turns it off.
    anonymous_rate_limit: int = 300
    # Where rate-limit counters live: empty = in memory (per process); a redis:// URL = shared by every process.
    redis_url: str = ""
    redis_key_prefix: str = "boomerang"
    webhook_allow_private: bool = False
    webhook_timeout_seconds: float = 10.0
    max_photo_bytes: int = 10 * 1024 * 1024
    max_photo_pixels: int = 40_000_000  # decoded RGBA at most ~160 MB; a 12 MP phone photo is 12,000,000
    max_body_bytes: int = 2 * 1024 * 1024  # JSON and every other body that is not CSV or multipart
    # A CSV upload (bulk return preferences): max_bulk_rows rows of every column fit in about 15 MB.
    max_csv_bytes: int = 16 * 1024 * 1024
    max_multipart_bytes: int = 11 * 1024 * 1024  # one photo of max_photo_bytes plus the form's framing
    # A caller without a credential may send at most this much (sign-in forms, signed inbound webhooks aside).
    max_anonymous_body_bytes: int = 64 * 1024
    # Request bodies held in memory at once by this process; the rest wait on disk (temporary files).
    max_buffered_body_bytes: int = 64 * 1024 * 1024
    # A body may take body_grace_seconds plus a second per min_body_bytes_per_second received; else 408.
    body_grace_seconds: float = 10.0
    min_body_bytes_per_second: int = 32 * 1024
    max_bulk_rows: int = 100_000  # rows of one bulk return-preferences upload (JSON items or CSV rows)
    db_retry_after_seconds: int = 5  # Retry-After of the 503 answered while the database is unreachable
    default_currency: str = "USD"
    default_return_processing_fee: Decimal = Decimal("3.00")
    default_quarantine_storage_fee_per_unit_day: Decimal = Decimal("0.05")
    default_disposal_fee_per_unit: Decimal = Decimal("0.00")
    default_removal_fee_per_unit: Decimal = Decimal("0.00")
    carrier_rates_file: Path | None = None
    public_base_url: str = ""
    demo_returns: int = 200  # per demo merchant, over the last 90 days (`serve --demo`)
    # The argon2id cost of new password hashes, one of argon2-cffi's profiles; CHEAPEST (for tests) only in
    # development.
    password_hash_profile: Literal["RFC_9106_LOW_MEMORY", "RFC_9106_HIGH_MEMORY", "CHEAPEST"] = "RFC_9106_LOW_MEMORY"

    @model_validator(mode="after")
    def _refuse_unsafe_defaults(self) -> Settings:
        if self.environment != "development" and self.secret_key == DEVELOPMENT_SECRET_KEY:
            raise ValueError("BOOMERANG_SECRET_KEY must be set outside development")
        if self.environment != "development" and self.password_hash_profile == "CHEAPEST":
            raise ValueError("BOOMERANG_PASSWORD_HASH_PROFILE=CHEAPEST is for tests, only in development")
        return self

    @property
    def previous_secret_key_list(self) -> tuple[str, ...]:
        return tuple(key.strip() for key in self.previous_secret_keys.split(",") if key.strip())

    @property
    def rate_limit_storage_uri(self) -> str:
        return self.redis_url or "memory://"

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir.resolve() / 'boomerang.db'}"


@lru_cache
def get_settings() -> Settings:
    return Settings()
