"""Under the chat: thumbs up or down on the last answer, a comment, a better answer, and consent."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox
from sandbox.store.feedback import FeedbackError


def build_feedback_panel(sandbox: Sandbox, identity, conversation: gr.State) -> None:
    rating = gr.Radio([("👍 Good", "up"), ("👎 Bad", "down")], label="Rating", elem_id="feedback-rating")
    comment = gr.Textbox(label="Comment (optional)", lines=2, elem_id="feedback-comment")
    better = gr.Textbox(label="A better answer (optional)", lines=3, elem_id="feedback-better")
    consent = gr.Checkbox(label="May be used to improve models",
                          value=sandbox.policy.current.settings.feedback.consent_default,
                          elem_id="feedback-consent")
    submit = gr.Button("Send feedback", elem_id="feedback-send")
    status = gr.Markdown("", elem_id="feedback-status")

    def send(conv: dict, rating_value: str | None, comment_text: str, better_text: str, consent_value: bool,
             request: gr.Request):
        user, _ = identity(request)
        interaction_id = (conv or {}).get("last")
        if not interaction_id:
            return "There is no answer to rate yet.", gr.update(), gr.update()
        if rating_value not in ("up", "down"):
            return "Pick 👍 or 👎 first.", gr.update(), gr.update()
        try:
            feedback_id = sandbox.feedback.add(interaction_id=interaction_id, user=user, rating=rating_value,
                                               comment=comment_text or "", better_answer=better_text or "",
                                               consent=bool(consent_value))
        except FeedbackError as exc:
            return str(exc), gr.update(), gr.update()
        return f"Thank you: feedback {feedback_id} recorded.", "", ""

    submit.click(send, [conversation, rating, comment, better, consent], [status, comment, better],
                 api_visibility="private")
