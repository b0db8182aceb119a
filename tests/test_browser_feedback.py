"""Feedback end to end in a real Chromium: an employee rates an answer with a better one holding a planted e-mail,
an admin approves it in the review queue and exports; the export has the item, never the e-mail."""

import json

import pytest
import sqlite_utils

from browser import sign_in

pytestmark = pytest.mark.browser
CANARY_EMAIL = "canary.fb4417@example.org"


def test_feedback_from_chat_to_exported_dataset(data_dir, account, playground, page):
    employee = account("fb-emp")
    admin = account("fb-admin", "admin")
    url = playground
    sign_in(page, url, "fb-emp", employee)
    page.locator("#prompt textarea").fill("What is the capital of France?")
    page.locator("#send").click()
    page.locator("#policy-panel").get_by_text("Audit record").wait_for(timeout=90_000)
    page.locator("#chat button[aria-label='Dislike']").first.click()  # the thumbs under the answer
    page.locator("#feedback-status").get_by_text("Answer 1 rated").wait_for(timeout=30_000)
    page.locator("#feedback-comment textarea").fill("Too vague.")
    page.locator("#feedback-better textarea").fill(
        f"The capital of France is Paris. Questions: write to {CANARY_EMAIL}.")
    page.locator("#feedback-consent input").check()
    page.locator("#feedback-send").click()
    page.locator("#feedback-status").get_by_text("recorded").wait_for(timeout=60_000)

    page.goto(url + "signout")
    page.locator("#signout").click()  # sign-out is a POST: the page has a button
    page.locator("#username").wait_for()
    sign_in(page, url, "fb-admin", admin)
    page.get_by_role("tab", name="Feedback review").click()
    queue = page.locator("#feedback-queue")
    queue.get_by_test_id("cell-0-3").get_by_text("fb-emp").wait_for(timeout=30_000)
    db = sqlite_utils.Database(data_dir / "sandbox.db")
    (item,) = list(db["feedback"].rows)
    page.locator("#feedback-item-id input").fill(str(item["id"]))
    page.locator("#feedback-open").click()
    page.locator("#feedback-detail").get_by_text("capital of France").first.wait_for(timeout=30_000)
    shown = page.locator("#feedback-edited textarea").input_value()
    assert "Paris" in shown and CANARY_EMAIL not in shown and "<EMAIL_ADDRESS_1>" in shown
    page.locator("#feedback-approve").click()
    page.locator("#feedback-outcome").get_by_text("approved").wait_for(timeout=30_000)
    page.locator("#export-run").click()
    page.locator("#export-status").get_by_text("1 item(s)").wait_for(timeout=60_000)

    (export,) = (data_dir / "exports" / "datasets").glob("chat-*.jsonl")
    lines = export.read_text().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["messages"][-2] == {"role": "user", "content": "What is the capital of France?"}
    assert "Paris" in record["messages"][-1]["content"]
    manifest = json.loads(export.with_name(export.name + ".manifest.json").read_text())
    assert manifest["counts"]["exported"] == 1 and manifest["exported_by"] == "fb-admin"
    db.conn.execute("pragma wal_checkpoint(full)")
    for path in [*data_dir.rglob("*")]:
        if path.is_file():
            assert CANARY_EMAIL.encode() not in path.read_bytes(), f"the canary e-mail reached {path}"
    assert db["datasets"].count == 1
