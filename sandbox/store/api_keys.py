"""Personal API keys: `sk-sbx-<id>_<secret>`, shown once; the database keeps the id and a hash of the secret."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso

PREFIX = "sk-sbx-"
LAST_USED_EVERY_S = 60  # `last_used_at` is written at most once a minute per key, not on every call


class ApiKeyError(ValueError):
    """A key action that cannot be done; the message says why."""


@dataclass(frozen=True)
class ApiKey:
    id: str
    user: str
    name: str
    created_at: str
    expires_at: str | None
    revoked_at: str | None
    last_used_at: str | None

    @property
    def prefix(self) -> str:
        return f"{PREFIX}{self.id}_…"

    def state(self, now: str | None = None) -> str:
        if self.revoked_at:
            return "revoked"
        if self.expires_at and (now or now_iso()) >= self.expires_at:
            return "expired"
        return "active"


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _key(row: dict) -> ApiKey:
    return ApiKey(row["id"], row["user"], row["name"] or "", row["created_at"], row["expires_at"],
                  row["revoked_at"], row["last_used_at"])


class ApiKeyStore(ThreadLocalDb):
    def create(self, user: str, name: str = "", expires_days: int | None = None) -> tuple[ApiKey, str]:
        """A new key for `user`; returns it and the full key string, which is never stored or shown again."""
        if expires_days is not None and expires_days < 1:
            raise ApiKeyError("A key must live at least one day; leave the expiry out for a key without one.")
        key_id, secret = secrets.token_hex(4), secrets.token_urlsafe(32)
        now = dt.datetime.now(dt.timezone.utc)
        expires = (now + dt.timedelta(days=expires_days)).isoformat(timespec="microseconds") if expires_days else None
        row = {"id": key_id, "user": user, "name": name.strip()[:80], "secret_hash": _hash(secret),
               "created_at": now.isoformat(timespec="microseconds"), "expires_at": expires, "revoked_at": None,
               "revoked_by": None, "last_used_at": None}
        with self.immediate() as db:
            db["api_keys"].insert(row)
        return _key(row), f"{PREFIX}{key_id}_{secret}"

    def list(self, user: str | None = None) -> list[ApiKey]:
        where, args = ("user = ?", [user]) if user else (None, [])
        return [_key(r) for r in self.db["api_keys"].rows_where(where, args, order_by="created_at desc")]

    def get(self, key_id: str) -> ApiKey | None:
        rows = list(self.db["api_keys"].rows_where("id = ?", [key_id]))
        return _key(rows[0]) if rows else None

    def revoke(self, key_id: str, by: str) -> ApiKey:
        with self.immediate() as db:
            updated = db.execute("update api_keys set revoked_at = ?, revoked_by = ? where id = ? and revoked_at "
                                 "is null", [now_iso(), by, key_id]).rowcount
        key = self.get(key_id)
        if key is None:
            raise ApiKeyError(f"There is no API key '{key_id}'.")
        if not updated and key.revoked_at is None:  # pragma: no cover - the update above covers every live key
            raise ApiKeyError(f"The API key '{key_id}' could not be revoked.")
        return key

    def resolve(self, presented: str | None) -> tuple[ApiKey | None, str]:
        """The live key a caller presented, or (None, why not) in words that never repeat the key."""
        if not presented or not presented.startswith(PREFIX) or "_" not in presented[len(PREFIX):]:
            return None, "missing or malformed API key"
        key_id, secret = presented[len(PREFIX):].split("_", 1)
        rows = list(self.db["api_keys"].rows_where("id = ?", [key_id]))
        # Compared in constant time, and a hash is computed even for an unknown id, so timing tells nothing.
        stored = rows[0]["secret_hash"] if rows else _hash("")
        if not hmac.compare_digest(stored, _hash(secret)) or not rows:
            return None, "invalid API key"
        key = _key(rows[0])
        state = key.state()
        if state != "active":
            return None, f"this API key is {state}"
        if not key.last_used_at or key.last_used_at < (dt.datetime.now(dt.timezone.utc) - dt.timedelta(
                seconds=LAST_USED_EVERY_S)).isoformat(timespec="microseconds"):
            with self.immediate() as db:
                db.execute("update api_keys set last_used_at = ? where id = ?", [now_iso(), key.id])
        return key, ""
