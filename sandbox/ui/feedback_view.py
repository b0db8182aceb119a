"""Reviewer tab: the feedback queue, one item with its conversation, approve/reject/edit, dataset export."""

from __future__ import annotations

import datetime as dt
import html

import gradio as gr

from sandbox.app import Sandbox
from sandbox.feedback.export import manifest_path
from sandbox.store.feedback import FeedbackError
from sandbox.ui.record_view import STYLE, preview

COLUMNS = ["id", "status", "rating", "user", "model", "comment", "better answer", "consent", "created"]
NOTHING_OPEN = ('<div class="sbx-record"><em>Select an item in the queue to read its conversation, comment and '
                'better answer here, then approve or reject it.</em></div>')


def build_feedback_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    service = sandbox.feedback
    with gr.Row():
        status = gr.Dropdown(["pending", "approved", "rejected", "any"], value="pending", label="Status")
        rating = gr.Dropdown(["any", "up", "down"], value="any", label="Rating")
        model = gr.Textbox(label="Model", placeholder="any")
        better_only = gr.Checkbox(label="Has a better answer")
        search = gr.Button("Filter")
    queue = gr.Dataframe(headers=COLUMNS, label="Feedback (select a row to review it)", interactive=False,
                         column_widths=["50px", "90px", "70px", "110px", "90px", "auto", "125px", "85px", "180px"],
                         elem_id="feedback-queue")
    with gr.Row():
        item_id = gr.Number(None, label="Item id (filled by selecting a row)", precision=0,
                            elem_id="feedback-item-id")
        open_item = gr.Button("Open", elem_id="feedback-open")
    detail = gr.HTML(NOTHING_OPEN, elem_id="feedback-detail")
    edited = gr.Textbox(label="Answer to train on (edit before approving)", lines=4, elem_id="feedback-edited")
    reason = gr.Textbox(label="Reason (required to reject)", elem_id="feedback-reason")
    with gr.Row():
        approve = gr.Button("Approve", variant="primary", elem_id="feedback-approve")
        reject = gr.Button("Reject", elem_id="feedback-reject")
    outcome = gr.Markdown("", elem_id="feedback-outcome")
    gr.Markdown("### Export approved, consented items")
    fmt = gr.Radio([("Chat (supervised fine-tuning)", "chat"), ("Preference pairs (DPO)", "dpo")], value="chat",
                   label="Format", elem_id="export-format")
    export = gr.Button("Export dataset", elem_id="export-run")
    export_status = gr.Markdown("", elem_id="export-status")
    files = gr.File(label="Dataset and manifest", file_count="multiple", interactive=False)

    def rows(status_value, rating_value, model_value, better_value, user):
        items = service.list(user, status=None if status_value == "any" else status_value,
                             rating=None if rating_value == "any" else rating_value,
                             model=(model_value or "").strip() or None, has_better=True if better_value else None)
        return [[i["id"], i["status"], i["rating"], i["user"], i["model"], preview(i["comment"], 80),
                 bool(i["better_answer"]), bool(i["consent"]), i["created_at"][:19].replace("T", " ")]
                for i in items]

    def load(request: gr.Request):
        user = access.reviewer(request)
        return rows("pending", "any", "", False, user)

    def filtered(status_value, rating_value, model_value, better_value, request: gr.Request):
        return rows(status_value, rating_value, model_value, better_value, access.reviewer(request))

    def show(feedback_id, request: gr.Request):
        access.reviewer(request)
        if feedback_id in (None, ""):
            return NOTHING_OPEN, ""
        item = service.store.detail(int(feedback_id)) if int(feedback_id) > 0 else None
        if item is None:
            return f"{STYLE}<div class='sbx-record'>There is no feedback item {int(feedback_id)}.</div>", ""
        turns = service.store.conversation_before(item["conversation_id"], item["turn"] or 0)
        return item_html(item, turns), item["reviewed_answer"] or item["better_answer"] or ""

    def pick(evt: gr.SelectData, request: gr.Request):
        access.reviewer(request)
        row = evt.row_value or []
        return (int(row[0]), *show(row[0], request)) if row else (None, NOTHING_OPEN, "")

    def decide(action):
        def handler(feedback_id, answer_text, reason_text, status_value, rating_value, model_value, better_value,
                    request: gr.Request):
            user = access.reviewer(request)
            if feedback_id in (None, ""):
                return "Select an item in the queue first.", gr.update()
            try:
                item = service.review(user, int(feedback_id), action, reason=reason_text or "",
                                      edited_answer=(answer_text or None) if action == "approve" else None)
            except FeedbackError as exc:
                return html.escape(str(exc)), gr.update()
            return (f"Item {item['id']} is {item['status']} ({item['approvals']} approval(s)).",
                    rows(status_value, rating_value, model_value, better_value, user))
        return handler

    def run_export(fmt_value, request: gr.Request):
        user = access.reviewer(request)
        stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y%m%dT%H%M%S")
        out = sandbox.settings.data_dir / "exports" / "datasets" / f"{fmt_value}-{stamp}.jsonl"
        try:
            manifest = service.export(user, fmt=fmt_value, out=out)
        except FeedbackError as exc:
            return str(exc), None
        counts = manifest["counts"]
        return (f"Dataset **{manifest['dataset_id']}**: {counts['exported']} item(s); {counts['excluded_pii']} "
                f"left out for personal data; {counts['duplicates']} duplicate(s). sha256 `{manifest['sha256']}`",
                [str(out), str(manifest_path(out))])

    private = {"api_visibility": "private"}
    search.click(filtered, [status, rating, model, better_only], [queue], **private)
    open_item.click(show, [item_id], [detail, edited], **private)
    queue.select(pick, None, [item_id, detail, edited], **private)
    review_inputs = [item_id, edited, reason, status, rating, model, better_only]
    approve.click(decide("approve"), review_inputs, [outcome, queue], **private)
    reject.click(decide("reject"), review_inputs, [outcome, queue], **private)
    export.click(run_export, [fmt], [export_status, files], **private)
    return load, [queue]


def item_html(item: dict, turns: list[dict]) -> str:
    """A feedback item with its conversation as stored (redacted); every stored text escaped, so placeholders such
    as <EMAIL_ADDRESS_1> and any markup in a comment show exactly as written."""
    e = html.escape
    head = (f"Item {item['id']} · {item['rating']} by {item['user']} · model {item['model']} · consent "
            f"{'yes' if item['consent'] else 'no'} · {item['status']} ({item['approvals']} approval(s))")
    said = "".join(f"<tr><th>{who}</th><td><pre>{e(text or '')}</pre></td></tr>"
                   for turn in [*turns, item] for who, text in (("user", turn["prompt"]),
                                                                ("assistant", turn["answer"])))
    return (f"{STYLE}<div class='sbx-record'><p><strong>{e(head)}</strong></p>"
            f"<h4>Conversation (as stored, redacted)</h4><table>{said}</table>"
            f"<h4>Comment</h4><pre class='sbx-comment'>{e(item['comment'] or '–')}</pre>"
            f"<h4>Better answer offered</h4><pre>{e(item['better_answer'] or '–')}</pre></div>")
