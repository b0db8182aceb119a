"""The employee's chat in a real headless Chromium at 1280 px, one signed-in page for the whole module (issue 15):
empty states, escaping of placeholders and tags, model-invented placeholders marked, the policy panel in words,
thumbs on every answer, message details, regenerate, Stop (recorded), and reopening a past conversation.

The model is a stand-in at the HTTP boundary (tests/standin_model.py): it echoes the prompt as the model received it,
which is how a model that writes a placeholder of its own is reproduced, and streams slowly on demand so Stop has
something to stop. The real embedded model is driven by test_browser_playground.py and test_browser_feedback.py.
Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
import sqlite_utils
from browser import add_account, chromium_page, screenshot, served_playground, sign_in
from conftest import cli_env
from standin_model import StandIn

pytestmark = pytest.mark.browser
USER = "chat-user"
EMAIL = "canary.cc15@example.org"
XSS = '<img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def chat(tmp_path_factory):
    model = StandIn()
    base = tmp_path_factory.mktemp("chat")
    data_dir = base / "data"
    password = add_account(data_dir, USER)
    try:
        with served_playground(cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=model.url), base / "serve.log") as url, \
                chromium_page() as page:
            page.set_viewport_size({"width": 1280, "height": 1000})
            sign_in(page, url, USER, password)
            yield SimpleNamespace(page=page, db=sqlite_utils.Database(data_dir / "sandbox.db"))
    finally:
        model.close()


def bot(page):
    return page.locator("#chat [data-testid='bot']")


def send(page, text: str) -> None:
    """Send `text` and wait until the answer's record is shown in the panel."""
    answers = bot(page).count()
    page.locator("#prompt textarea").fill(text)
    page.locator("#send").click()
    bot(page).nth(answers).wait_for(timeout=60_000)
    page.locator("#policy-panel").get_by_text("Audit record").wait_for(timeout=60_000)


def rows(chat, where: str = "1 = 1") -> list[dict]:
    return list(chat.db.query(f"select * from interactions where user = ? and {where} order by created_at", [USER]))


def until(check, timeout: float = 30.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if found := check():
            return found
        time.sleep(0.2)
    raise AssertionError("timed out")


def test_empty_states_say_what_will_appear(chat):
    page = chat.page
    page.locator("#past-empty").get_by_text("No past conversations yet").wait_for(timeout=30_000)
    assert "Start a conversation" in page.locator("#chat").inner_text()
    assert "what the policy layer checked and changed will show here" in page.locator("#policy-panel").inner_text()
    screenshot(page, "chat-empty")
    page.get_by_role("tab", name="My history").click()
    page.locator("#history-empty").get_by_text("Nothing here yet").wait_for(timeout=30_000)
    page.get_by_role("tab", name="Playground").click()


def test_placeholders_and_tags_show_as_typed_and_never_run(chat):
    page = chat.page
    page.evaluate("""() => { window.__sawChecking = false;
        new MutationObserver(() => { if (document.querySelector('#chat .checking')) window.__sawChecking = true; })
          .observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")
    send(page, f"Write to {EMAIL} about <ADDRESS_2> and {XSS}")
    assert page.evaluate("window.__sawChecking"), "the answer's bubble should show the checking state at once"
    prompt_bubble = page.locator("#chat [data-testid='user']").first.inner_text()
    assert XSS in prompt_bubble and "<ADDRESS_2>" in prompt_bubble
    assert "1 personal detail replaced before sending" in prompt_bubble  # the marker
    assert page.evaluate("window.__xss") is None and page.locator("#chat img[src='x']").count() == 0
    answer = bot(page).first.inner_text()
    # The echo holds <EMAIL_ADDRESS_1> (the user's own, restored) and <ADDRESS_2>, which this conversation never
    # assigned: a placeholder the model wrote, marked as unknown rather than shown as if it were a value.
    assert EMAIL in answer and "<ADDRESS_2> (unknown)" in answer and "wrote itself" in answer
    panel = page.locator("#policy-panel").inner_text()
    assert "1 personal detail was replaced before sending: an e-mail address" in panel
    page.locator("#policy-checks-panel").get_by_text("Each check, in detail").click()
    checks = page.locator("#policy-checks")
    checks.get_by_text("Personal data").first.wait_for(timeout=10_000)
    table = checks.inner_text()
    assert "replaced an e-mail address" in table and "your prompt" in table and "the answer" in table
    assert not {"deny_rules", "token_budget", "entities", "signals", "{"} & set(table.replace("|", " ").split())
    broken = page.evaluate("""() => [...document.querySelectorAll('#policy-checks th, #policy-checks td')]
        .filter(c => { const r = document.createRange(); r.selectNodeContents(c);
                       return !/\\s/.test(c.innerText.trim()) && r.getClientRects().length > 1; })
        .map(c => c.innerText)""")
    assert not broken, f"cells broken inside a word at 1280 px: {broken}"
    page.locator("#forwarded-panel").get_by_text("Prompt as the model received it").click()
    forwarded = page.locator("#forwarded textarea").input_value()
    assert "<EMAIL_ADDRESS_1>" in forwarded and EMAIL not in forwarded
    screenshot(page, "chat-escaping-and-panel")


def test_thumbs_under_every_answer_and_a_comment(chat):
    page = chat.page
    send(page, "A second question, please.")
    likes = page.locator("#chat button[aria-label='Like']")
    assert likes.count() == 2 and likes.first.locator("svg").count() == 1  # icons, no emoji font needed
    likes.nth(0).click()
    page.locator("#feedback-status").get_by_text("Answer 1 rated").wait_for(timeout=30_000)
    page.locator("#chat button[aria-label='Dislike']").nth(1).click()
    page.locator("#feedback-status").get_by_text("Answer 2 rated").wait_for(timeout=30_000)
    page.locator("#feedback-comment textarea").fill("Too short.")
    page.locator("#feedback-send").click()
    page.locator("#feedback-status").get_by_text("recorded").wait_for(timeout=30_000)
    first, second = rows(chat)[:2]
    given = {f["interaction_id"]: f for f in chat.db.query("select * from feedback where user = ?", [USER])}
    assert set(given) == {first["id"], second["id"]}  # each rating keyed to its own answer, one item each
    assert given[first["id"]]["rating"] == "up" and given[second["id"]]["rating"] == "down"
    assert given[second["id"]]["comment"] == "Too short." and not given[first["id"]]["comment"]


def test_clicking_a_message_shows_its_checks(chat):
    page = chat.page
    page.locator("#chat [data-testid='user']").first.click()
    panel = page.locator("#policy-panel")
    panel.get_by_text("Message 1").wait_for(timeout=30_000)
    assert "an e-mail address" in panel.inner_text()


def test_regenerate_sends_the_last_prompt_again(chat):
    page = chat.page
    before = len(rows(chat))
    page.locator("#chat button[aria-label='Retry']").click()
    until(lambda: len(rows(chat, "status = 'ok'")) == before + 1)
    page.locator("#policy-panel").get_by_text("Audit record").wait_for(timeout=30_000)
    assert bot(page).count() == 2  # the answer was replaced, not added
    latest = rows(chat)[-1]
    assert latest["prompt"] == "A second question, please." and latest["turn"] == before + 1


def test_stop_keeps_what_arrived_in_the_audit_log(chat):
    page = chat.page
    page.locator("#prompt textarea").fill("Count for me SLOWLY.")
    page.locator("#send").click()
    page.locator("#chat").get_by_text("Sentence number 3 ", exact=False).wait_for(timeout=60_000)
    page.locator("#stop").click()
    page.locator("#chat").get_by_text("Stopped.").wait_for(timeout=30_000)
    stopped = until(lambda: rows(chat, "status = 'interrupted'"))[0]
    assert stopped["error_class"] == "Stopped" and stopped["answer"].startswith("Sentence number 1 is here.")
    assert stopped["tokens_out"] > 0 and "number 150 " not in stopped["answer"]
    assert "'text'" not in page.locator("#chat").inner_text()
    screenshot(page, "chat-stopped")


def test_a_past_conversation_reopens_with_its_redacted_text(chat):
    page = chat.page
    page.locator("#new-chat").click()
    past = page.locator("#past-chats")
    page.locator("#chat").get_by_text("Start a conversation").wait_for(timeout=30_000)
    assert bot(page).count() == 0
    past.get_by_text("Write to").click()
    page.locator("#policy-panel").get_by_text("Reopened a conversation").wait_for(timeout=30_000)
    first = page.locator("#chat [data-testid='user']").first.inner_text()
    assert "<EMAIL_ADDRESS_1>" in first and EMAIL not in first and XSS in first  # as stored, shown literally
    assert bot(page).count() == 4 and "Stopped." in page.locator("#chat").inner_text()
    # the thumbs given earlier in this conversation show again (the first answer was liked)
    page.locator("#chat button[aria-label='Liked']").first.wait_for(timeout=30_000)
    assert page.evaluate("window.__xss") is None
    screenshot(page, "chat-reopened")
    page.get_by_role("tab", name="My history").click()
    history = page.locator("#history-interactions")
    history.get_by_text("<EMAIL_ADDRESS_1>", exact=False).first.wait_for(state="attached", timeout=30_000)
    page.wait_for_timeout(500)  # let the table render its rows before the picture
    assert page.evaluate("window.__xss") is None
    screenshot(page, "my-history")
