"""'What the policy layer did', for an employee: a plain sentence first, then each check in words, folded below.

Works from what the audit log holds for an interaction (status, decision, verdicts, tokens), so a live answer and a
reopened conversation read the same. Text that came from a person or a model is escaped before it is shown.
"""

from __future__ import annotations

from sandbox.audit.stats import GUARD_NAMES, describe_tokens, is_charged
from sandbox.ui.render import escape_text

# An entity type as a person would say it: (one, many).
ENTITY_WORDS = {
    "PERSON": ("a name", "names"), "EMAIL_ADDRESS": ("an e-mail address", "e-mail addresses"),
    "PHONE_NUMBER": ("a phone number", "phone numbers"), "STREET_ADDRESS": ("a postal address", "postal addresses"),
    "LOCATION": ("a place", "places"), "CREDIT_CARD": ("a card number", "card numbers"),
    "IBAN_CODE": ("a bank account number (IBAN)", "bank account numbers (IBAN)"),
    "US_BANK_NUMBER": ("a bank account number", "bank account numbers"),
    "IP_ADDRESS": ("an IP address", "IP addresses"), "US_SSN": ("a social security number", "social security numbers"),
    "FR_NIR": ("a French social security number", "French social security numbers"),
    "FR_SIREN": ("a company number (SIREN)", "company numbers (SIREN)"),
    "FR_SIRET": ("a company number (SIRET)", "company numbers (SIRET)"),
    "US_PASSPORT": ("a passport number", "passport numbers"),
    "US_DRIVER_LICENSE": ("a driving licence number", "driving licence numbers"),
    "MEDICAL_LICENSE": ("a medical licence number", "medical licence numbers"),
    "CRYPTO": ("a crypto wallet address", "crypto wallet addresses"),
}
GUARD_LABELS = {guard: name[0].upper() + name[1:] for guard, name in GUARD_NAMES.items()}  # as a table cell
DECISION_WORDS = {"allow": "passed", "redact": "changed", "block": "stopped"}


def entity_phrase(entities: dict[str, int]) -> str:
    """{'PERSON': 1, 'PHONE_NUMBER': 2} -> 'a name, 2 phone numbers'."""
    parts = []
    for kind, count in sorted(entities.items(), key=lambda item: (-item[1], item[0])):
        one, many = ENTITY_WORDS.get(kind, (f"a {kind.lower().replace('_', ' ')}",
                                            f"{kind.lower().replace('_', ' ')} values"))
        parts.append(one if count == 1 else f"{count} {many}")
    return ", ".join(parts)


def staged(verdicts: list[dict]) -> list[tuple[str, dict]]:
    """(stage, verdict) pairs. Records made before verdicts carried their stage: the answer's checks start where a
    guard's name comes round a second time."""
    seen, output, pairs = set(), False, []
    for verdict in verdicts or []:
        stage = verdict.get("stage")
        if stage is None:
            output = output or verdict.get("guard") in seen
            stage = "output" if output else "input"
        seen.add(verdict.get("guard"))
        pairs.append((stage, verdict))
    return pairs


def _entities(pairs: list[tuple[str, dict]], stage: str) -> dict[str, int]:
    found: dict[str, int] = {}
    for verdict_stage, verdict in pairs:
        if verdict_stage == stage and verdict.get("guard") == "pii":
            for kind, count in ((verdict.get("details") or {}).get("entities") or {}).items():
                found[kind] = found.get(kind, 0) + int(count)
    return found


def markers(record: dict) -> tuple[str, str]:
    """A short marker for the prompt's bubble and one for the answer's ('' when the policy changed nothing)."""
    pairs = staged(record.get("verdicts") or [])
    prompt_mark = answer_mark = ""
    if n := sum(_entities(pairs, "input").values()):
        prompt_mark = f"{n} personal detail{'s' * (n > 1)} replaced before sending"
    if n := sum(_entities(pairs, "output").values()):
        answer_mark = f"{n} personal detail{'s' * (n > 1)} removed from the answer"
    if record.get("status") == "blocked":
        if any(s == "output" and v.get("decision") == "block" for s, v in pairs):
            answer_mark = "answer withheld by the policy"
        else:
            prompt_mark = prompt_mark or "not sent: stopped by the policy"
    return prompt_mark, answer_mark


def headline(record: dict) -> list[str]:
    """The plain-language lines: what happened to the prompt, to the answer, and why a request stopped."""
    pairs = staged(record.get("verdicts") or [])
    lines = []
    sent = _entities(pairs, "input")
    if sent:
        n = sum(sent.values())
        lines.append(f"**{n} personal detail{'s were' if n > 1 else ' was'} replaced before sending:** "
                     f"{entity_phrase(sent)}. The model saw placeholders such as `<PERSON_1>` instead.")
    removed = _entities(pairs, "output")
    if removed:
        n = sum(removed.values())
        lines.append(f"**{n} personal detail{'s were' if n > 1 else ' was'} removed from the answer:** "
                     f"{entity_phrase(removed)}.")
    status = record.get("status")
    if status == "blocked":
        stopped = [(s, v) for s, v in pairs if v.get("decision") == "block"]
        stage, verdict = stopped[-1] if stopped else ("input", {})
        what = "The answer was withheld" if stage == "output" else "Your prompt was not sent to a model"
        reason = record.get("message") or verdict.get("message") or ""
        lines.insert(0, f"**{what}** by the {GUARD_LABELS.get(verdict.get('guard'), 'policy').lower()}"
                        f"{': ' + escape_text(reason) if reason else '.'}")
    elif status == "error":
        lines.insert(0, f"**The request failed:** {escape_text(record.get('message') or '')}")
    elif status == "interrupted":
        lines.insert(0, "**You stopped this answer.** What had arrived is kept in the audit log.")
    elif not sent and not removed:
        lines.insert(0, "**Nothing was changed:** every check passed and your prompt went to the model as typed.")
    if record.get("notice"):
        lines.append(escape_text(record["notice"]))
    return lines


def _note(guard: str, verdict: dict) -> str:
    details = verdict.get("details") or {}
    message = verdict.get("message") or ""
    if verdict.get("decision") == "block" or (message and guard not in ("pii",)):
        return escape_text(message)
    if guard == "pii":
        return f"replaced {entity_phrase(details['entities'])}" if details.get("entities") else "none found"
    if guard == "token_count" and "tokens" in details:
        return f"{details['tokens']:,} tokens, including earlier turns of this chat"
    if guard == "token_budget" and details.get("reserved"):
        left = f"; {details['remaining']:,} left" if isinstance(details.get("remaining"), int) else ""
        return f"{details['reserved']:,} tokens set aside for this request{left}"
    if guard in ("injection", "harmful") and verdict.get("score") is not None:
        threshold = details.get("threshold")
        limit = f" (stops at {threshold:.2f})" if isinstance(threshold, (int, float)) else ""
        return f"score {verdict['score']:.2f}{limit}"
    if guard == "deny_rules":
        return "no blocked topic or word found"
    return ""


def check_table(record: dict) -> str:
    """Markdown: the checks on the prompt (input), then those on the answer (output), one row each, in words."""
    sections = []
    for stage, title in (("input", "Checks on your prompt (input)"), ("output", "Checks on the answer (output)")):
        rows = [f"| {GUARD_LABELS.get(v.get('guard', ''), v.get('guard', '').replace('_', ' ').capitalize())} "
                f"| {DECISION_WORDS.get(v.get('decision'), v.get('decision', ''))} "
                f"| {_note(v.get('guard', ''), v).replace('|', '&#124;')} |"
                for s, v in staged(record.get("verdicts") or []) if s == stage]
        if rows:
            sections.append("\n".join([f"**{title}**", "", "| check | result | note |", "|---|---|---|", *rows]))
    return "\n\n".join(sections) or "No checks were recorded for this message."


def summary(record: dict) -> str:
    """The headline lines and the figures an employee asks about next (model, tokens, time, audit id)."""
    tokens = ""
    if record.get("tokens_in") or record.get("tokens_out"):  # the same words as the audit record and My usage
        tokens = " · tokens: " + describe_tokens(record.get("tokens_in"), record.get("tokens_out"),
                                                 record.get("verdicts"), charged=is_charged(record))
    latency = f" · {record['latency_ms'] / 1000:.1f} s" if record.get("latency_ms") else ""
    facts = f"Model **{escape_text(record.get('model') or '?')}**{tokens}{latency}  \n" \
            f"Audit record: `{record.get('interaction_id') or record.get('id') or ''}`"
    return "\n\n".join([*headline(record), facts])
