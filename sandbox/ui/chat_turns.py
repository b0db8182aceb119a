"""Chat bubbles for one turn, live or reopened from the audit log: escaped text, and a marker where the policy
changed or stopped something (clicking the message shows the details)."""

from __future__ import annotations

from sandbox.gateway import ChatResult
from sandbox.ui.policy_summary import markers
from sandbox.ui.render import shown

CHECKING = '<span class="checking">Checking your prompt against the policy…</span>'
STOPPED = "*Stopped. What had arrived is kept in the audit log.*"


def marker(text: str) -> str:
    return f'\n\n<span class="policy-marker">Policy: {text} · click this message for details</span>' if text else ""


def record_of(result: ChatResult) -> dict:
    """What the panel needs from a live result, in the shape the audit log stores it."""
    return {"interaction_id": result.interaction_id, "status": result.status, "decision": result.decision,
            "verdicts": result.verdicts, "message": result.message, "notice": result.notice, "model": result.model,
            "tokens_in": result.tokens_in, "tokens_out": result.tokens_out, "latency_ms": result.latency_ms,
            "forwarded": result.forwarded_prompt}


def record_of_row(row: dict) -> dict:
    """The same from a stored interaction (a reopened conversation)."""
    return {"interaction_id": row["id"], "status": row["status"], "decision": row.get("decision") or "",
            "verdicts": row.get("verdicts") or [], "message": row.get("error_message") or "", "notice": "",
            "model": row.get("model") or "", "tokens_in": row.get("tokens_in") or 0,
            "tokens_out": row.get("tokens_out") or 0, "latency_ms": row.get("latency_ms") or 0,
            "forwarded": row.get("prompt") or ""}


def answer_text(record: dict, answer: str, invented: list[str] | tuple[str, ...] = ()) -> str:
    """The answer's bubble: the text (or why there is none) and the answer's marker."""
    status = record["status"]
    if status == "ok":
        body = shown(answer, set(invented))
    elif status == "interrupted":
        body = (shown(answer) + "\n\n" if answer else "") + STOPPED
    elif status == "blocked":
        body = f"**Not answered.** {shown(_reason(record))}"
    else:
        body = f"**No answer.** {shown(record.get('message') or 'The request did not complete.')}"
    if record.get("notice"):
        body += f"\n\n*{shown(record['notice'])}*"
    return body + marker(markers(record)[1])


def prompt_text(text: str, record: dict | None) -> str:
    return shown(text, typed=True) + (marker(markers(record)[0]) if record else "")


def _reason(record: dict) -> str:
    if record.get("message"):
        return record["message"]
    blocking = [v for v in record.get("verdicts") or [] if v.get("decision") == "block"]
    return blocking[-1].get("message", "") if blocking else "The policy stopped this request."


def reopened(rows: list[dict]) -> tuple[list[dict], dict]:
    """Chat messages and conversation state from a conversation's stored records (redacted text, as logged)."""
    chat, turns, history = [], [], []
    for row in rows:
        record = record_of_row(row)
        chat += [{"role": "user", "content": prompt_text(row.get("prompt") or "", record)},
                 {"role": "assistant", "content": answer_text(record, row.get("answer") or "")}]
        in_history = row["status"] == "ok"
        if in_history:
            history += [{"role": "user", "content": row.get("prompt") or ""},
                        {"role": "assistant", "content": row.get("answer") or ""}]
        turns.append({**record, "typed": row.get("prompt") or "", "in_history": in_history})
    conv = {"id": rows[0]["conversation_id"] if rows else "", "history": history, "turns": turns,
            "last": next((t["interaction_id"] for t in reversed(turns) if t["status"] == "ok"), None)}
    return chat, conv
