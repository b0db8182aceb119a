"""Admin tab: edit policy files with validation before save, see the version in force, test a prompt."""

from __future__ import annotations

import html

import gradio as gr

from sandbox.app import Sandbox
from sandbox.audit.stats import GUARD_NAMES
from sandbox.policy.dry_run import dry_run
from sandbox.policy.editor import save_policy_file, validate_change
from sandbox.policy.loader import policy_files
from sandbox.ui.record_view import STYLE, verdicts_table


def build_policy_tab(sandbox: Sandbox, access):
    """Returns (load, outputs) for the caller to run when the tab is opened."""
    policy = sandbox.policy
    models = {m.name for m in sandbox.registry.all}
    history = sandbox.settings.data_dir / "policy-history"

    status = gr.Markdown("", elem_id="policy-status")
    with gr.Row():
        file_name = gr.Dropdown([], label="Policy file (type a new name to create one)", allow_custom_value=True,
                                elem_id="policy-file")
        refresh = gr.Button("Reload from disk")
    editor = gr.Code(label="YAML", language="yaml", lines=24, elem_id="policy-editor")
    with gr.Row():
        validate = gr.Button("Validate")
        save = gr.Button("Save and apply", variant="primary", elem_id="policy-save")
    problems = gr.Markdown("", elem_id="policy-problems")
    gr.Markdown("### Test a prompt against the policy in force (nothing is sent or spent)")
    with gr.Row():
        test_text = gr.Textbox(label="Prompt", lines=3, scale=3, elem_id="policy-test-text")
        test_role = gr.Dropdown([], label="Role", scale=1, elem_id="policy-test-role")
    test = gr.Button("Run every input guard", elem_id="policy-test")
    test_out = gr.HTML("", elem_id="policy-test-out")
    versions = gr.Dataframe(headers=["applied_at", "version", "applied_by", "summary"], label="Applied versions",
                            interactive=False)

    def state_markdown() -> str:
        lines = [f"**Version in force:** `{policy.current.version}` · roles: {', '.join(sorted(policy.current.roles))}"]
        if policy.errors:
            lines.append("**The files on disk are invalid; the version above stays in force until they are fixed:**")
            lines += [f"- `{p}`" for p in policy.errors]
        return "\n".join(lines)

    def version_rows() -> list[list]:
        table = sandbox.log.db["policy_versions"]
        return [[r["applied_at"][:19].replace("T", " "), r["version"], r["applied_by"], r["summary"]]
                for r in table.rows_where(order_by="applied_at desc", limit=50)]

    def load(request: gr.Request):
        access.admin(request)
        policy.refresh(force=True, applied_by="admin-view")
        names = [p.name for p in policy_files(policy.directory)]
        roles = sorted(policy.current.roles)
        return (state_markdown(), gr.update(choices=names, value=names[0] if names else None),
                gr.update(choices=roles, value="employee" if "employee" in roles else roles[0]), version_rows())

    def open_file(name: str | None, request: gr.Request):
        access.admin(request)
        path = policy.directory / (name or "")
        if not name or not path.is_file() or path.parent != policy.directory:
            return "", ""
        return path.read_text(encoding="utf-8"), ""

    def show_problems(found) -> str:
        return "\n".join(f"- `{p}`" for p in found) if found else "Valid."

    def check(name: str, text: str, request: gr.Request):
        access.admin(request)
        return show_problems(validate_change(policy.directory, name or "", text or "", models))

    def apply(name: str, text: str, request: gr.Request):
        user = access.admin(request)
        found = save_policy_file(policy.directory, name or "", text or "", models, history)
        if found:
            return "**Not saved.** " + show_problems(found), state_markdown(), version_rows()
        policy.refresh(force=True, applied_by=user)
        return f"Saved `{name}`; the previous version is kept in `{history}`.", state_markdown(), version_rows()

    def run_test(text: str, role: str, request: gr.Request):
        user = access.admin(request)
        result = dry_run(policy, text or "", role=role, user=user, model=sandbox.registry.default_model(),
                         every_guard=True)
        return test_html(result)

    private = {"api_visibility": "private"}
    refresh.click(load, None, [status, file_name, test_role, versions], **private)
    file_name.change(open_file, [file_name], [editor, problems], **private)
    validate.click(check, [file_name, editor], [problems], **private)
    save.click(apply, [file_name, editor], [problems, status, versions], **private)
    test.click(run_test, [test_text, test_role], [test_out], **private)
    return load, [status, file_name, test_role, versions]


def test_html(result) -> str:
    """The policy test's result: the decision, every guard's verdict, the route and the text the model would get;
    the prompt's text escaped."""
    e = html.escape
    blockers = [v.guard for v in result.verdicts if v.decision.value == "block"]
    if blockers:
        head = (f"Blocked by {len(blockers)} guard(s): {e(', '.join(GUARD_NAMES.get(b, b) for b in blockers))}. Nothing would be sent to a model; "
                "with the other guards' changes the text would read:")
    else:
        head = "Allowed" + (" after changes" if result.decision == "redact" else "") + \
            ". Text the model would receive:"
    route = result.route
    routed = ""
    if route:
        routed = f"<p><strong>Model:</strong> {e(route['model'])}" + (
            f" (rule {e(route['rule'])}: {e(route['reason'] or '')})" if route["rule"] else "") + "</p>"
    return (f"{STYLE}<div class='sbx-record' id='policy-test-result'><p><strong>Decision: {e(result.decision)}"
            f"</strong></p>{verdicts_table([v.record() for v in result.verdicts])}{routed}"
            f"<h4>{head}</h4><pre id='policy-test-text-out'>{e(result.text_out)}</pre></div>")
