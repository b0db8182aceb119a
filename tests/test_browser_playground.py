"""A real headless Chromium drives the playground: send a prompt, see the streamed answer, find the record."""

import pytest

from browser import sign_in
from sandbox.store import InteractionLog

pytestmark = pytest.mark.browser


def test_prompt_answer_and_record(data_dir, account, playground, page):
    password = account("browser-user")
    url = playground
    sign_in(page, url, "browser-user", password)
    page.locator("#prompt textarea").fill("What is the capital of France?")
    page.locator("#send").click()
    panel = page.locator("#policy-panel")
    panel.get_by_text("Audit record").wait_for(timeout=90_000)
    bot = page.locator("#chat .message-row.bot-row, #chat [data-testid='bot']").last
    answer = bot.inner_text()
    assert answer.strip()
    page.locator("#policy-checks-panel").get_by_text("Each check, in detail").click()
    page.locator("#policy-checks").get_by_text("Prompt size").wait_for(timeout=10_000)  # in words, not guard ids
    rows = list(InteractionLog(data_dir / "sandbox.db").recent(user="browser-user"))
    assert len(rows) == 1 and rows[0]["status"] == "ok"
    assert rows[0]["prompt"] == "What is the capital of France?"
    assert rows[0]["answer"].strip()[:20] in answer


def test_redaction_is_shown_and_only_placeholders_are_stored(data_dir, account, playground, page):
    password = account("pii-user")
    email = "canary.zq81@example.org"
    url = playground
    sign_in(page, url, "pii-user", password)
    page.locator("#prompt textarea").fill(f"Write one polite sentence asking {email} to call back.")
    page.locator("#send").click()
    panel = page.locator("#policy-panel")
    panel.get_by_text("Audit record").wait_for(timeout=90_000)
    assert "1 personal detail was replaced before sending: an e-mail address" in panel.inner_text()
    page.locator("#forwarded-panel").get_by_text("Prompt as the model received it").click()
    forwarded = page.locator("#forwarded textarea").input_value()
    assert "<EMAIL_ADDRESS_1>" in forwarded and email not in forwarded
    rows = list(InteractionLog(data_dir / "sandbox.db").recent(user="pii-user"))
    assert len(rows) == 1 and email not in rows[0]["prompt"] and "<EMAIL_ADDRESS_1>" in rows[0]["prompt"]
