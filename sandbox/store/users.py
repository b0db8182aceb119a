"""Local accounts, sessions and sign-in attempts. Passwords are kept only as salted scrypt hashes."""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac
import math
import secrets
import time
from dataclasses import dataclass

from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso

SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# Guessing is slowed, never locked out: past an allowance of failed sign-ins within FAILURE_WINDOW_S, each further
# attempt waits twice as long after the last failure (1 s, 2 s, 4 s ...), up to a cap. A lock-out would let anyone
# shut an admin out by typing wrong passwords, and shut out everyone behind one proxy address.
FREE_FAILURES_PER_USER = 5
FREE_FAILURES_PER_ADDRESS = 20
MAX_DELAY_PER_USER_S = 300
MAX_DELAY_PER_ADDRESS_S = 30
FAILURE_WINDOW_S = 15 * 60
UNTRUSTED_HEADER = "untrusted-proxy-header"
# Only checked guesses count towards the delay: a forged header or a dead session names a user the sender chose,
# and a refused attempt checked nothing. "checking" is a guess whose password check has not finished yet: counted,
# so concurrent guesses cannot all pass the throttle before the first one is recorded.
GUESSES = ("bad-credentials", "checking")
SESSION_EXPIRED = "Your session has expired. Sign in again."
ACCOUNT_DELETED = "Your account no longer exists. Ask an admin if you need one."
ACCOUNT_DISABLED = "This account is disabled. Ask an admin to enable it."
SESSION_INVALID = "Your session is not valid. Sign in again."
SESSION_REFUSALS = (SESSION_EXPIRED, ACCOUNT_DELETED, ACCOUNT_DISABLED, SESSION_INVALID)


class UserError(ValueError):
    """A user-management request cannot be done; the message says why."""


@dataclass(frozen=True)
class User:
    username: str
    role: str
    email: str = ""
    disabled: bool = False
    source: str = "local"


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, dklen=32, **SCRYPT)
    encode = lambda b: base64.b64encode(b).decode()
    return f"scrypt${SCRYPT['n']}${SCRYPT['r']}${SCRYPT['p']}${encode(salt)}${encode(digest)}"


def check_password(password: str, stored: str | None) -> bool:
    try:
        _, n, r, p, salt, digest = (stored or "").split("$")
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(password.encode(), salt=base64.b64decode(salt), dklen=len(expected),
                                n=int(n), r=int(r), p=int(p))
    except ValueError:
        return False
    return hmac.compare_digest(actual, expected)


@functools.cache
def _dummy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def new_password() -> str:
    return secrets.token_urlsafe(12)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class UserDirectory(ThreadLocalDb):
    def _row(self, username: str) -> dict | None:
        rows = list(self.db["users"].rows_where("username = ?", [username]))
        return rows[0] if rows else None

    def get(self, username: str) -> User | None:
        row = self._row(username)
        if row is None:
            return None
        return User(row["username"], row["role"], row["email"] or "", bool(row["disabled"]), row["source"])

    def list(self) -> list[User]:
        return [self.get(r["username"]) for r in self.db["users"].rows_where(order_by="username")]

    def count(self) -> int:
        return self.db["users"].count

    def add(self, username: str, role: str, password: str | None, email: str = "", source: str = "local") -> User:
        username = username.strip()
        if not username or len(username) > 128 or any(c.isspace() for c in username):
            raise UserError("A user name must be 1 to 128 characters without spaces.")
        if self._row(username):
            raise UserError(f"The user '{username}' already exists.")
        self.revoke_sessions(username)  # a deleted namesake's sessions never carry over
        with self.db.transaction():
            self.db["users"].insert({
                "username": username, "email": email, "role": role,
                "password_hash": hash_password(password) if password else None,
                "disabled": 0, "source": source, "created_at": now_iso(), "updated_at": now_iso(),
            })
        return self.get(username)

    def _update(self, username: str, **fields) -> None:
        if not self._row(username):
            raise UserError(f"There is no user '{username}'.")
        with self.db.transaction():
            self.db["users"].update(username, {**fields, "updated_at": now_iso()})

    def set_role(self, username: str, role: str) -> None:
        self._update(username, role=role)

    def set_disabled(self, username: str, disabled: bool) -> None:
        # A disabled account's sessions are refused (and the refusal recorded) by resolve_session; enabling ends
        # them, so a session from before the disable never comes back to life.
        self._update(username, disabled=int(disabled))
        if not disabled:
            self.revoke_sessions(username)

    def set_password(self, username: str, password: str) -> None:
        self._update(username, password_hash=hash_password(password))
        self.revoke_sessions(username)

    def delete(self, username: str) -> None:
        if not self._row(username):
            raise UserError(f"There is no user '{username}'.")
        with self.db.transaction():
            self.db["users"].delete(username)  # its sessions are refused, and the refusal recorded, when next used

    # -- sign-in -----------------------------------------------------------------------------------------
    def sign_in(self, username: str, password: str, address: str) -> tuple[User | None, str]:
        """Check a password; returns (user, "") or (None, a sentence for the person signing in)."""
        with self.immediate() as db:  # the throttle check and the attempt's row in one transaction
            wait = self._wait(db, username, address, time.time())
            attempt = db["sign_in_attempts"].insert({
                "username": username[:128], "address": address, "ok": 0, "at": time.time(),
                "reason": "rate-limited" if wait else "checking"}).last_pk
        if wait:
            return None, (f"Too many failed sign-ins. Try again in {math.ceil(wait)} second(s), or ask an admin to "
                          "reset your password.")
        row = self._row(username)
        # An unknown name costs the same scrypt as a known one, so the time taken does not say which names exist.
        right = check_password(password, row["password_hash"] if row and row["password_hash"] else _dummy_hash())
        user, reason, code = None, "Wrong user name or password.", "bad-credentials"
        if row is not None and right and row["password_hash"]:
            if row["disabled"]:
                reason, code = ACCOUNT_DISABLED, "disabled"
            else:
                user, reason, code = self.get(username), "", "ok"
        with self.db.transaction():
            self.db["sign_in_attempts"].update(attempt, {"ok": int(user is not None), "reason": code})
        return user, reason

    @staticmethod
    def _wait(db, username: str, address: str, now: float) -> float:
        """Seconds this attempt must still wait: the longer of the account's and the address's delay."""
        waits = []
        for column, value, free, cap in (("username", username[:128], FREE_FAILURES_PER_USER, MAX_DELAY_PER_USER_S),
                                         ("address", address, FREE_FAILURES_PER_ADDRESS, MAX_DELAY_PER_ADDRESS_S)):
            failures, last = db.execute(
                f"select count(*), max(at) from sign_in_attempts where {column} = ? and ok = 0 and at > ? "
                "and reason in (?, ?)", [value, now - FAILURE_WINDOW_S, *GUESSES]).fetchone()
            if failures >= free:
                waits.append(last + min(cap, 2 ** (failures - free)) - now)
        return max([0.0, *waits])

    def record_attempt(self, username: str, address: str, ok: bool, reason: str) -> None:
        with self.db.transaction():
            self.db["sign_in_attempts"].insert({"username": username[:128], "address": address, "ok": int(ok),
                                                "reason": reason, "at": time.time()})

    def create_session(self, username: str, hours: float = 12) -> str:
        token = secrets.token_urlsafe(32)
        now = time.time()
        with self.db.transaction():
            self.db["sessions"].insert({"token_hash": _token_hash(token), "username": username,
                                        "created_at": now, "expires_at": now + hours * 3600})
        return token

    def resolve_session(self, token: str | None, address: str = "") -> tuple[User | None, str]:
        """The user a session token belongs to, if the session is live and the account usable.

        A session refused for its account's sake is recorded in sign_in_attempts once, then ended.
        """
        if not token:
            return None, "not signed in"
        rows = list(self.db["sessions"].rows_where("token_hash = ?", [_token_hash(token)]))
        if not rows:
            return None, SESSION_INVALID
        username = rows[0]["username"]
        user = self.get(username)
        if rows[0]["expires_at"] < time.time():
            code, reason = "session-expired", SESSION_EXPIRED
        elif user is None:
            code, reason = "account-deleted", ACCOUNT_DELETED
        elif user.disabled:
            code, reason = "account-disabled", ACCOUNT_DISABLED
        else:
            return user, ""
        self.record_attempt(username, address, False, code)
        self.end_session(token)
        return None, reason

    def end_session(self, token: str) -> None:
        with self.db.transaction():
            self.db.execute("delete from sessions where token_hash = ?", [_token_hash(token)])

    def revoke_sessions(self, username: str) -> None:
        with self.db.transaction():
            self.db.execute("delete from sessions where username = ?", [username])
