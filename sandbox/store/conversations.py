"""One user's own conversations, read from the audit log (redacted text only): listed, and reopened turn by turn.

Read-only queries in plain SQL that PostgreSQL runs as written. Every query is scoped by the user it is given:
nothing here can return another user's records, whatever conversation id a caller asks for.
"""

from __future__ import annotations

from sandbox.store.interactions import decoded

# Conversations typed in the playground; the CLI and the API start a new one for almost every call.
PLAYGROUND = "coalesce(channel, 'ui') = 'ui'"


def conversations(db, user: str, limit: int = 30) -> list[dict]:
    """The user's most recent conversations, newest first: id, started, last, turns, first prompt (redacted)."""
    rows = db.execute(
        f"select conversation_id, min(created_at), max(created_at), count(*) from interactions "
        f"where user = ? and conversation_id is not null and {PLAYGROUND} "
        f"group by conversation_id order by max(created_at) desc limit ?", [user, limit]).fetchall()
    found = []
    for conversation_id, started, last, turns in rows:
        first = db.execute(
            "select prompt from interactions where user = ? and conversation_id = ? order by turn, created_at "
            "limit 1", [user, conversation_id]).fetchone()
        found.append({"id": conversation_id, "started": started, "last": last, "turns": turns,
                      "first_prompt": (first[0] if first else "") or ""})
    return found


def conversation_turns(db, user: str, conversation_id: str) -> list[dict]:
    """The user's own records of one conversation, in order; [] when it is not theirs or does not exist."""
    cursor = db.execute("select * from interactions where user = ? and conversation_id = ? order by turn, created_at",
                        [user, conversation_id])
    names = [d[0] for d in cursor.description]
    return [decoded(dict(zip(names, row))) for row in cursor.fetchall()]
