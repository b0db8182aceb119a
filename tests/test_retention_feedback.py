"""Retention reaches feedback: items on purged records go with them; the rest stays and the chain verifies."""

import datetime as dt

from sandbox.audit.chain import verify
from sandbox.audit.retention import Retention
from sandbox.store import InteractionLog
from sandbox.store.feedback import FeedbackStore


def answered(log, prompt):
    iid = log.start(user="ann", role="employee", model="local", prompt=prompt)
    log.finish(iid, status="ok", decision="allow", answer=f"answer to {prompt}", tokens_in=3, tokens_out=4)
    return iid


def test_purge_removes_feedback_on_expired_records_only(store_target):  # on SQLite and on PostgreSQL
    path = store_target
    log, store = InteractionLog(path), FeedbackStore(path)
    old = store.add(interaction_id=answered(log, "old question"), user="ann", rating="down", comment="too long",
                    better_answer="shorter", consent=True)
    store.review(old, "rev", "approve")
    boundary = dt.datetime.now(dt.timezone.utc)
    new = store.add(interaction_id=answered(log, "new question"), user="ann", rating="up", comment="",
                    better_answer="", consent=True)
    dry = Retention(path).purge(30, "admin", now=boundary + dt.timedelta(days=30), dry_run=True)
    assert dry.removed_feedback == 1 and store.get(old) is not None
    result = Retention(path).purge(30, "admin", now=boundary + dt.timedelta(days=30))
    assert result.removed_entries == 1 and result.removed_feedback == 1
    assert store.get(old) is None and store.get(new) is not None
    assert log.db["feedback_reviews"].count == 0
    assert verify(log.db).ok
