"""Feedback on any answer: the thumbs under each answer record a rating at once; the form below the chat adds a
comment, a better answer and consent to the answer last rated or clicked."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox
from sandbox.store.feedback import FeedbackError

RATINGS = [("Helpful", "up"), ("Not helpful", "down")]
WORDS = {value: label.lower() for label, value in RATINGS}
HOW = "Rate any answer with the thumbs under it, then add a comment here if you like."


def turn_of(conv: dict, index) -> tuple[int, dict] | None:
    """The turn (number from 1, record) that the chat message at `index` belongs to: two messages per turn."""
    if not isinstance(index, int) or isinstance(index, bool) or index < 0:
        return None
    turns = (conv or {}).get("turns") or []
    number = index // 2
    return (number + 1, turns[number]) if number < len(turns) else None


def build_feedback_panel(sandbox: Sandbox, identity, conversation: gr.State, chatbot: gr.Chatbot):
    """Adds the form; wires the chat's thumbs. Returns (the line naming the answer being rated, the rating), which
    the chat's message clicks and a new or reopened conversation update too."""
    target = gr.Markdown(HOW, elem_id="feedback-target")
    with gr.Row():
        rating = gr.Radio(RATINGS, label="Rating", elem_id="feedback-rating", scale=1)
        consent = gr.Checkbox(label="May be used to improve models",
                              value=sandbox.policy.current.settings.feedback.consent_default,
                              elem_id="feedback-consent", scale=1)
    comment = gr.Textbox(label="Comment (optional)", lines=2, elem_id="feedback-comment")
    better = gr.Textbox(label="A better answer (optional)", lines=2, elem_id="feedback-better")
    submit = gr.Button("Send feedback", elem_id="feedback-send")
    status = gr.Markdown("", elem_id="feedback-status")

    def store(conv: dict, user: str, interaction_id: str, rating_value: str, comment_text: str = "",
              better_text: str = "", consent_value: bool | None = None) -> int:
        """Adds the user's feedback on the interaction, or amends the one they already gave on it."""
        given = dict(conv.get("feedback") or {})
        consent_value = sandbox.policy.current.settings.feedback.consent_default if consent_value is None \
            else bool(consent_value)
        if interaction_id in given:
            sandbox.feedback.amend(given[interaction_id], user=user, rating=rating_value, comment=comment_text,
                                   better_answer=better_text, consent=consent_value)
            return given[interaction_id]
        return sandbox.feedback.add(interaction_id=interaction_id, user=user, rating=rating_value,
                                    comment=comment_text, better_answer=better_text, consent=consent_value)

    def liked(conv: dict, evt: gr.LikeData, request: gr.Request):
        user, _ = identity(request)
        conv = dict(conv or {})
        found = turn_of(conv, evt.index)
        if found is None or evt.liked not in (True, False):
            return gr.update(), gr.update(), conv, gr.update()
        number, turn = found
        if turn.get("status") != "ok":
            return "Only an answered message can be rated.", gr.update(), conv, gr.update()
        value = "up" if evt.liked else "down"
        try:
            feedback_id = store(conv, user, turn["interaction_id"], value)
        except FeedbackError as exc:
            return str(exc), gr.update(), conv, gr.update()
        conv["feedback"] = {**(conv.get("feedback") or {}), turn["interaction_id"]: feedback_id}
        conv["rated"] = turn["interaction_id"]
        return (f"Answer {number} rated **{WORDS[value]}** (feedback {feedback_id}).", value, conv,
                f"Commenting on **answer {number}**. Add a comment or a better answer, then send.")

    def send(conv: dict, rating_value: str | None, comment_text: str, better_text: str, consent_value: bool,
             request: gr.Request):
        user, _ = identity(request)
        conv = dict(conv or {})
        interaction_id = conv.get("rated") or conv.get("last")
        if not interaction_id:
            return "There is no answer to rate yet.", gr.update(), gr.update(), conv
        if rating_value not in ("up", "down"):
            return "Pick Helpful or Not helpful first (or use the thumbs under the answer).", gr.update(), \
                gr.update(), conv
        try:
            feedback_id = store(conv, user, interaction_id, rating_value, comment_text or "", better_text or "",
                                consent_value)
        except FeedbackError as exc:
            return str(exc), gr.update(), gr.update(), conv
        conv["feedback"] = {**(conv.get("feedback") or {}), interaction_id: feedback_id}
        return f"Thank you: feedback {feedback_id} recorded.", "", "", conv

    chatbot.like(liked, [conversation], [status, rating, conversation, target], api_visibility="private")
    submit.click(send, [conversation, rating, comment, better, consent], [status, comment, better, conversation],
                 api_visibility="private")
    return target, rating
