"""Everyone's own tab: their recent interactions and their feedback, as stored (redacted), nobody else's."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox

INTERACTION_COLUMNS = ["time", "model", "status", "decision", "prompt (as sent)", "answer (as recorded)"]
FEEDBACK_COLUMNS = ["id", "time", "rating", "status", "comment", "reject reason"]


def build_history_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    gr.Markdown("Your own requests and feedback, as the audit log holds them: personal data appears as "
                "placeholders such as `<PERSON_1>`.")
    empty = gr.Markdown("", elem_id="history-empty")
    limit = gr.Slider(10, 500, value=50, step=10, label="How many recent requests", elem_id="history-limit")
    interactions = gr.Dataframe(headers=INTERACTION_COLUMNS, label="My recent requests", interactive=False,
                                wrap=True, elem_id="history-interactions",
                                column_widths=["165px", "90px", "110px", "95px", "30%", "30%"])
    feedback = gr.Dataframe(headers=FEEDBACK_COLUMNS, label="My feedback", interactive=False, wrap=True,
                            elem_id="history-feedback")

    def load(how_many: float, request: gr.Request):
        user, _ = access.identity(request)  # the signed-in user only; nothing in the request picks another
        rows = [[r["created_at"][:19].replace("T", " "), r["model"], r["status"], r["decision"] or "",
                 _short(r["prompt"]), _short(r["answer"])]
                for r in sandbox.log.recent(limit=int(how_many or 50), user=user)]
        mine = [[f["id"], f["created_at"][:19].replace("T", " "), f["rating"], f["status"], _short(f["comment"]),
                 f["reject_reason"] or ""] for f in sandbox.feedback.store.list(user=user, limit=200)]
        note = "" if rows or mine else ("**Nothing here yet.** Each prompt you send from the playground, its answer "
                                        "and any feedback you give will be listed here, as the audit log keeps them.")
        return rows, mine, note

    def on_open(request: gr.Request):
        return load(50, request)

    limit.release(load, [limit], [interactions, feedback, empty], api_visibility="private")
    return on_open, [interactions, feedback, empty]


def _short(text: str | None, length: int = 300) -> str:
    text = text or ""
    return text if len(text) <= length else text[: length - 1] + "…"
