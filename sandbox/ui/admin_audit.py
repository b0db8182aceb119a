"""Admin tab: filter, search, read and export audit records, and verify the hash chain."""

from __future__ import annotations

import gradio as gr

from sandbox.app import Sandbox
from sandbox.audit.chain import verify
from sandbox.audit.query import AuditFilter, AuditQuery, FilterError
from sandbox.audit.stats import GUARD_NAMES
from sandbox.policy.schema import DEFAULT_ORDER
from sandbox.store.db import DB_ERRORS, StoreError
from sandbox.ui.access import refusal
from sandbox.ui.record_view import EMPTY, preview, record_html, seconds

PER_PAGE = 50
# What the table shows of each record; the full record opens below when a row is selected.
TABLE_HEADERS = ["time (UTC)", "user", "model", "outcome", "blocked by", "PII", "tokens", "prompt (redacted)"]
COLUMN_WIDTHS = ["180px", "130px", "100px", "95px", "115px", "55px", "75px", "460px"]  # fits 1280 px


def table_row(row: dict) -> list:
    outcome = {"ok": "redacted" if row["decision"] == "redact" else "answered", "error": "failed"}.get(
        row["status"], row["status"])
    return [seconds(row["created_at"]), row["user"], row["model"] or "", outcome,
            GUARD_NAMES.get(row["blocked_by"], row["blocked_by"] or ""), row["entity_count"] or 0,
            (row["tokens_in"] or 0) + (row["tokens_out"] or 0), preview(row["prompt"])]


def build_audit_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    with gr.Row():
        user = gr.Textbox(label="User", elem_id="audit-user")
        role = gr.Dropdown([""], value="", label="Role", elem_id="audit-role")
        model = gr.Dropdown([""], value="", label="Model", elem_id="audit-model")
        decision = gr.Dropdown(["", "allow", "redact", "block"], value="", label="Decision")
        guard = gr.Dropdown([""], value="", label="Guard (redacted or blocked)", elem_id="audit-guard")
    with gr.Row():
        since = gr.Textbox(label="From (YYYY-MM-DD)", elem_id="audit-since")
        until = gr.Textbox(label="To (YYYY-MM-DD)", elem_id="audit-until")
        text = gr.Textbox(label="Search redacted prompts and answers", elem_id="audit-search")
        search = gr.Button("Search", variant="primary", elem_id="audit-search-button")
    status = gr.Markdown("", elem_id="audit-status")
    table = gr.Dataframe(headers=TABLE_HEADERS, label="Records (newest first; select a row to read it below)",
                         interactive=False, wrap=False, column_widths=COLUMN_WIDTHS, max_height=560,
                         elem_id="audit-table")
    ids = gr.State([])  # the record ids of the rows on screen, in order: a selected row is looked up here
    with gr.Row():
        previous = gr.Button("Previous page")
        page = gr.Number(1, label="Page", precision=0, minimum=1, elem_id="audit-page")
        following = gr.Button("Next page")
    record = gr.HTML(EMPTY, elem_id="audit-record")
    with gr.Accordion("Raw record (JSON), and opening a record by its id", open=False, elem_id="audit-raw"):
        with gr.Row():
            detail_id = gr.Textbox(label="Record id", elem_id="audit-detail-id")
            show = gr.Button("Show record", elem_id="audit-show")
        detail = gr.JSON(label="Record, with every guard's verdict", elem_id="audit-detail")
    with gr.Row():
        export_csv = gr.Button("Export filtered set as CSV", elem_id="audit-export-csv")
        export_jsonl = gr.Button("Export filtered set as JSONL", elem_id="audit-export-jsonl")
        check = gr.Button("Verify hash chain", elem_id="audit-verify")
    exported = gr.File(label="Export", interactive=False, elem_id="audit-file")
    filters = [user, role, model, decision, guard, since, until, text]

    def query() -> AuditQuery:
        return AuditQuery(sandbox.log.db)

    def as_filter(values) -> AuditFilter:
        return AuditFilter(**dict(zip(("user", "role", "model", "decision", "guard", "since", "until", "text"),
                                      values)))

    def results(values, page_number):
        flt = as_filter(values)
        try:
            rows, total = query().page(flt, page_number, PER_PAGE)
        except (FilterError, StoreError) as exc:
            return [], str(exc), page_number, []
        except DB_ERRORS as exc:
            return [], _broken(exc), page_number, []
        pages = max(1, -(-total // PER_PAGE))
        status_line = (f"{total} record(s) · page {min(page_number, pages)} of {pages}" if total else
                       "No record matches. Records appear here as people use the playground, the CLI or the API.")
        return [table_row(r) for r in rows], status_line, page_number, [r["id"] for r in rows]

    # Gradio injects the request only into a parameter annotated gr.Request, so every filter is named.
    def run(user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v, page_number,
            request: gr.Request):
        access.admin(request)
        values = [user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v]
        return results(values, max(1, int(page_number or 1)))

    def load(request: gr.Request):
        access.admin(request)
        current = sandbox.policy.current
        guards = sorted(DEFAULT_ORDER)
        rows, message, _, shown = results([""] * len(filters), 1)
        return (rows, message, shown, gr.update(choices=[""] + sorted(current.roles)),
                gr.update(choices=[""] + sandbox.model_names()), gr.update(choices=[""] + guards))

    def step(delta):
        def handler(user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v, page_number,
                    request: gr.Request):
            access.admin(request)
            values = [user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v]
            return results(values, max(1, int(page_number or 1) + delta))
        return handler

    def show_record(interaction_id: str, request: gr.Request):
        access.admin(request)
        row = query().get((interaction_id or "").strip())
        if row is None:
            raise refusal("No record with that id; pick a row in the table.")
        return row, record_html(row)

    def pick(shown: list, evt: gr.SelectData, request: gr.Request):
        access.admin(request)
        index = evt.index[0] if isinstance(evt.index, (list, tuple)) else evt.index
        interaction_id = shown[index] if isinstance(index, int) and 0 <= index < len(shown or []) else ""
        row = query().get(interaction_id) if interaction_id else None
        return interaction_id, row, record_html(row)

    def export(fmt):
        def handler(user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v, request: gr.Request):
            admin = access.admin(request)
            values = [user_v, role_v, model_v, decision_v, guard_v, since_v, until_v, text_v]
            try:
                summary = query().export(as_filter(values), fmt, sandbox.settings.data_dir / "exports", admin,
                                         sandbox.log.record_event)
            except (FilterError, StoreError) as exc:
                raise refusal(str(exc)) from exc
            return summary["path"], (f"Exported {summary['records']} record(s) to {summary['file']} "
                                     f"(sha256 {summary['sha256'][:16]}…); the export is recorded in the audit log.")
        return handler

    def verify_chain(request: gr.Request):
        access.admin(request)
        try:
            return verify(sandbox.log.db).sentence()
        except DB_ERRORS as exc:
            return _broken(exc)

    outputs = [table, status, page, ids]
    search.click(run, [*filters, page], outputs, api_visibility="private")
    text.submit(run, [*filters, page], outputs, api_visibility="private")
    previous.click(step(-1), [*filters, page], outputs, api_visibility="private")
    following.click(step(1), [*filters, page], outputs, api_visibility="private")
    show.click(show_record, [detail_id], [detail, record], api_visibility="private")
    table.select(pick, [ids], [detail_id, detail, record], api_visibility="private")
    export_csv.click(export("csv"), filters, [exported, status], api_visibility="private")
    export_jsonl.click(export("jsonl"), filters, [exported, status], api_visibility="private")
    check.click(verify_chain, None, [status], api_visibility="private")
    return load, [table, status, ids, role, model, guard]


def _broken(exc: Exception) -> str:
    return (f"The audit database cannot be read ({type(exc).__name__}: {exc}). Check that the file is not locked "
            "by another program, not corrupted and that the disk is not full.")
