"""Requests whose process died: pending audit records closed as `interrupted`, their token reservations released.

Every pending record and reservation names the process that owns it (host, pid, and the pid's start time, so a
reused pid is not mistaken for the owner). A sweep closes those whose owner is gone on this host, and any older
than `max_age_s` whatever host owns them.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
import os
import socket

from sandbox.store.db import StoreError

log = logging.getLogger("sandbox.store")
STALE_AFTER_S = 15 * 60  # longer than any model call may take (timeouts, retries and fallbacks included)


def _start_ticks(pid: int) -> str:
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[19].decode()  # field 22: start time in clock ticks
    except (OSError, IndexError):
        return ""


@functools.lru_cache(maxsize=None)
def _owner_of(pid: int) -> str:
    return f"{socket.gethostname()}/{pid}/{_start_ticks(pid)}"


def current_owner() -> str:
    return _owner_of(os.getpid())  # per pid: a forked child is an owner of its own


def owner_alive(owner: str | None) -> bool | None:
    """True or False for an owner on this host; None when it cannot be known here (another host, no owner)."""
    try:
        host, pid, ticks = (owner or "").rsplit("/", 2)
        pid_number = int(pid)
    except ValueError:
        return None
    if host != socket.gethostname():
        return None
    if ticks:
        return _start_ticks(pid_number) == ticks
    try:
        os.kill(pid_number, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _stale(owner: str | None, created_at: str, cutoff: str) -> bool:
    return created_at < cutoff or owner_alive(owner) is False


def close_interrupted(interactions, ledger, max_age_s: float = STALE_AFTER_S) -> dict[str, int]:
    """Close stale pending records and release stale reservations; returns how many of each."""
    cutoff = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(seconds=max_age_s)).isoformat(timespec="microseconds")
    closed = 0
    for row in interactions.db.execute("select id, owner, created_at, flagged_guards from interactions "
                              "where status = 'pending'").fetchall():
        if not _stale(row[1], row[2], cutoff):
            continue
        try:
            interactions.finish(row[0], status="interrupted", decision="redact" if row[3] and ",pii," in row[3] else "allow",
                       error_class="Interrupted",
                       error_message="The process handling this request stopped before it finished.")
            closed += 1
        except StoreError:  # finished meanwhile by its owner: nothing to close
            continue
    released = 0
    stale_ids = [r[0] for r in ledger.db.execute(
        "select id, owner, created_at from usage_ledger where state = 'reserved'").fetchall()
        if _stale(r[1], r[2], cutoff)]
    if stale_ids:
        with ledger.immediate() as db:
            released = db.execute(
                f"update usage_ledger set state = 'released', used = 0 where state = 'reserved' and id in "
                f"({', '.join('?' * len(stale_ids))})", stale_ids).rowcount
    if closed or released:
        log.warning("Closed %d interrupted request(s) and released %d token reservation(s) left by stopped "
                    "processes.", closed, released)
    return {"interrupted": closed, "released": released}
