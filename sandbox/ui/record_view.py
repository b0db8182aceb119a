"""One audit record as a person reads it: facts, every guard's verdict as a table, the redacted prompt and answer.

Everything that came from a user or a model is HTML-escaped, so `<EMAIL_ADDRESS_1>` or `<img src=x onerror=...>`
shows as typed and nothing in a record can run in the admin's browser.
"""

from __future__ import annotations

import html

from sandbox.audit.stats import GUARD_NAMES, describe_tokens, is_charged

STYLE = """<style>
.sbx-record table {border-collapse: collapse; width: 100%; margin: 6px 0 12px;}
.sbx-record th, .sbx-record td {border: 1px solid var(--border-color-primary); padding: 4px 8px; text-align: left;
  vertical-align: top; word-break: normal; overflow-wrap: anywhere;}
.sbx-record th {white-space: nowrap; width: 1%;}
.sbx-record pre {white-space: pre-wrap; overflow-wrap: anywhere; border: 1px solid var(--border-color-primary);
  border-radius: 6px; padding: 8px; max-height: 320px; overflow-y: auto; margin: 4px 0 12px;}
.sbx-record .sbx-block {color: #b42318; font-weight: 600;}
.sbx-record .sbx-redact {color: #b54708; font-weight: 600;}
</style>"""
EMPTY = ('<div class="sbx-record"><em>Select a row in the table to read its record here: who asked what, what '
         'every guard decided, and the prompt and answer as stored (redacted).</em></div>')
DECISION_WORDS = {"allow": "passed", "redact": "changed the text", "block": "blocked"}


def seconds(timestamp: str | None) -> str:
    """'2025-01-31T09:12:03.123456+00:00' -> '2025-01-31 09:12:03' (UTC)."""
    return (timestamp or "")[:19].replace("T", " ")


def preview(text: str | None, length: int = 120) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= length else text[: length - 1] + "…"


def verdict_summary(verdict: dict) -> str:
    """What a guard found, in words: its message, else the counts and scores of its details (never raw values)."""
    details = verdict.get("details") or {}
    parts = []
    if verdict.get("message"):
        parts.append(verdict["message"])
    if details.get("entities") and not parts:
        parts.append("replaced: " + ", ".join(f"{kind} ×{n}" for kind, n in sorted(details["entities"].items())))
    if details.get("error_class"):
        parts.append(f"error: {details['error_class']}")
    if verdict.get("score") is not None:
        parts.append(f"score {verdict['score']:.2f}")
    if "tokens" in details and verdict.get("guard") == "token_count":
        parts.append(f"{details['tokens']} tokens")
    if details.get("reserved"):
        parts.append(f"{details['reserved']} tokens set aside for prompt and answer")
    return "; ".join(parts) or "–"


def verdicts_table(verdicts: list[dict]) -> str:
    rows, seen = [], set()
    for v in verdicts:
        decision = v.get("decision") or ""
        # Output guards run after the input ones; a guard seen again checked the answer.
        stage = v.get("guard") in seen
        seen.add(v.get("guard"))
        css = {"block": "sbx-block", "redact": "sbx-redact"}.get(decision, "")
        rows.append(f"<tr><td>{html.escape(GUARD_NAMES.get(v.get('guard'), v.get('guard') or '?'))}"
                    f"{' (on the answer)' if stage else ''}</td><td class='{css}'>"
                    f"{html.escape(DECISION_WORDS.get(decision, decision))}</td>"
                    f"<td>{html.escape(verdict_summary(v))}</td><td>{v.get('ms') or 0:.0f}</td></tr>")
    if not rows:
        return "<p><em>No guard verdicts were recorded.</em></p>"
    return ("<table><thead><tr><th>Guard</th><th>Decision</th><th>What it found</th><th>ms</th></tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")


def record_html(row: dict | None) -> str:
    """The record as HTML; every stored value escaped."""
    if not row:
        return EMPTY
    e = html.escape
    facts = [("Time (UTC)", seconds(row.get("created_at"))), ("User", f"{row.get('user')} ({row.get('role')})"),
             ("Model", row.get("model") or ""), ("Outcome", f"{row.get('status')} · {row.get('decision') or '–'}"),
             ("Tokens", describe_tokens(row.get("tokens_in"), row.get("tokens_out"), row.get("verdicts"),
                                        charged=is_charged(row))),
             ("Latency", f"{row.get('latency_ms') or 0:.0f} ms (guards {row.get('guard_ms') or 0:.0f} ms)"),
             ("Policy version", row.get("policy_version") or ""), ("Channel", row.get("channel") or "ui"),
             ("Record id", row.get("id") or "")]
    if row.get("route_rule"):
        facts.append(("Routed", f"rule {row['route_rule']}: {row.get('route_reason') or ''}"))
    if row.get("error_class"):
        facts.append(("Error", f"{row['error_class']}: {row.get('error_message') or ''}"))
    table = "".join(f"<tr><th>{e(k)}</th><td>{e(str(v))}</td></tr>" for k, v in facts)
    return (f'{STYLE}<div class="sbx-record" id="sbx-record"><table>{table}</table>'
            f"<h4>What each guard did</h4>{verdicts_table(row.get('verdicts') or [])}"
            f"<h4>Prompt as sent to the model (redacted)</h4><pre>{e(row.get('prompt') or '')}</pre>"
            f"<h4>Answer as recorded</h4><pre>{e(row.get('answer') or '(no answer)')}</pre></div>")
