"""Group commit: the writes of many threads of one process share one transaction.

Each commit on SQLite costs far more than the statements it holds (the WAL append, FTS5 writing a new segment for
every transaction, checkpoints), and threads queuing for the write lock also queue for the GIL. So a thread that
finds no write in progress becomes the leader: it takes every write queued so far, runs each in its own SAVEPOINT
(a write that fails is rolled back alone and its error goes to its own caller), commits once, and wakes the
callers. A caller returns only after the commit that holds its write: nothing is acknowledged before it is
durable, and a failed commit fails every write it held. The transaction is still BEGIN IMMEDIATE, so other
processes serialize with it exactly as with single writes, and the jobs run in order inside it (the audit chain
reads its head inside the transaction, so it never forks). On PostgreSQL the same saves a pool checkout, BEGIN
and COMMIT per write, and the chain's advisory lock is taken once per batch instead of once per write.
"""

from __future__ import annotations

import os
import threading
import weakref
from collections.abc import Callable
from typing import Any

MAX_BATCH = 64  # writes per transaction at most: bounds how long one commit keeps other processes waiting


class _Slot:
    __slots__ = ("done", "error", "event", "job", "result")

    def __init__(self, job: Callable[[Any], Any]):
        self.job, self.event, self.done, self.result, self.error = job, threading.Event(), False, None, None


class GroupCommit:
    """One per store object and process; `run(db, job)` runs `job(db)` in a shared transaction on `db`."""

    def __init__(self) -> None:
        self._reset()
        _ALL.add(self)

    def _reset(self) -> None:
        self._mutex = threading.Lock()
        self._queue: list[_Slot] = []
        self._leading = False

    def run(self, db, job: Callable[[Any], Any], immediate: bool = True) -> Any:
        """`job(db)` inside a transaction (immediate: taking the write lock at once), committed before this
        returns; its exception is raised here. `db` is the calling thread's database: used if this thread leads."""
        slot = _Slot(job)
        with self._mutex:
            self._queue.append(slot)
            lead, self._leading = not self._leading, True
        if not lead:
            slot.event.wait()  # set when done, or when this thread is handed the lead
        if not slot.done:
            self._lead(db, slot, immediate)
        if slot.error is not None:
            raise slot.error
        return slot.result

    def _lead(self, db, own: _Slot, immediate: bool) -> None:
        try:
            while not own.done:
                with self._mutex:
                    batch, self._queue = self._queue[:MAX_BATCH], self._queue[MAX_BATCH:]
                self._run_batch(db, batch, immediate)
        finally:
            with self._mutex:
                if self._queue:
                    self._queue[0].event.set()  # the next leader; it stays `_leading`
                else:
                    self._leading = False

    @staticmethod
    def _run_batch(db, batch: list[_Slot], immediate: bool) -> None:
        try:
            with db.transaction(immediate=immediate):
                if len(batch) == 1:  # alone: no savepoint needed, its error rolls the transaction back
                    batch[0].result = batch[0].job(db)
                    return
                for slot in batch:
                    db.execute("savepoint group_write")
                    try:
                        slot.result = slot.job(db)
                    except Exception as exc:  # noqa: BLE001 - this write only: the others in the batch go on
                        db.execute("rollback to group_write")
                        slot.error = exc
                    db.execute("release group_write")
        except BaseException as exc:  # BEGIN or COMMIT failed (or an interrupt): no write of the batch is stored
            for slot in batch:
                slot.result, slot.error = None, exc
            if not isinstance(exc, Exception):
                raise
        finally:
            for slot in batch:
                slot.done = True
                slot.event.set()


# A child forked while a thread of its parent led a batch would wait for that leader forever: it starts afresh.
_ALL: weakref.WeakSet[GroupCommit] = weakref.WeakSet()
os.register_at_fork(after_in_child=lambda: [group._reset() for group in list(_ALL)])
