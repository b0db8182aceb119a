"""The admin views in a real headless Chromium at 1280 px, on one served app seeded with a little real data: the
dashboard's tiles and plots with one day and one event, the audit log's columns and record view, users picked and
deleted with a confirmation, feedback picked from the queue, the policy tester running every guard; user text with
a placeholder and `<img ... onerror=...>` shown literally everywhere. Screenshots go to tests/artifacts/ (git-ignored).
"""

from __future__ import annotations

import pytest
from browser import add_account, chromium_page, served_playground, sign_in
from conftest import ROOT, cli_env
from playwright.sync_api import expect

from sandbox.store import InteractionLog
from sandbox.store.feedback import FeedbackStore
from sandbox.store.users import UserDirectory

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "tests" / "artifacts"
XSS = "<img src=x onerror=alert(1)>"
ODD_NAME = "<img/src=x/onerror=alert(2)>"  # a user name has no spaces, and this one is still an image tag
PII = {"guard": "pii", "decision": "redact", "details": {"entities": {"EMAIL_ADDRESS": 1}}, "ms": 12.0}
COUNTED = {"guard": "token_count", "decision": "allow",
           "details": {"tokens": 309, "earlier_tokens": 290, "earlier_messages": 4, "system_prompt": True}}
BLOCK = {"guard": "deny_rules", "decision": "block", "message": "That topic is not allowed here.", "ms": 1.0}


@pytest.fixture(scope="module")
def admin_app(tmp_path_factory, local_model_url):
    base = tmp_path_factory.mktemp("admin-views")
    data_dir = base / "data"
    passwords = {"boss": add_account(data_dir, "boss", "admin"), "ann": add_account(data_dir, "ann")}
    add_account(data_dir, ODD_NAME)
    log = InteractionLog(data_dir / "sandbox.db")
    answered = log.start(user="ann", role="employee", model="local", prompt=f"Write to <EMAIL_ADDRESS_1> {XSS}",
                         verdicts=[COUNTED, PII])
    log.finish(answered, status="ok", decision="redact", answer="Dear <EMAIL_ADDRESS_1>, done.", tokens_in=309,
               tokens_out=12, latency_ms=850.0, guard_ms=40.0, model_ms=810.0)
    blocked = log.start(user=ODD_NAME, role="employee", model="local", prompt="forbidden topic",
                        verdicts=[BLOCK])
    log.finish(blocked, status="blocked", decision="block", answer="", tokens_in=20, latency_ms=5.0)
    feedback_id = FeedbackStore(data_dir / "sandbox.db").add(
        interaction_id=answered, user="ann", rating="down", comment=f"Contact me at <EMAIL_ADDRESS_1> {XSS}",
        better_answer="Dear <EMAIL_ADDRESS_1>, it is done.", consent=True)
    ARTIFACTS.mkdir(exist_ok=True)
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url)
    with served_playground(env, base / "serve.log") as url:
        yield {"url": url, "passwords": passwords, "answered": answered, "feedback_id": feedback_id,
               "users": UserDirectory(data_dir / "sandbox.db")}


@pytest.fixture
def admin_page(admin_app):
    with chromium_page() as page:
        page.set_viewport_size({"width": 1280, "height": 900})
        dialogs = []
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        sign_in(page, admin_app["url"], "boss", admin_app["passwords"]["boss"])
        yield page
        assert not dialogs, f"a script ran from stored text: {dialogs}"


DRAWN = """id => [...document.querySelectorAll(`#${id} svg g.mark-rect path`)]
                 .filter(p => p.getBBox().height > 0 && p.getBBox().width > 0).length"""


def marks(page, elem_id: str) -> int:
    """Bars drawn with a visible size (Vega renders each bar as a path in a 'mark-rect' group of the SVG; a day
    of zero is a path of no height), once there is one."""
    page.wait_for_function(f"({DRAWN})('{elem_id}') > 0", timeout=30_000)
    return page.evaluate(DRAWN, elem_id)


def cell(table, text: str):
    """The table cell showing `text` (Gradio's grid keeps hidden copies of cell text for editing and sizing)."""
    return table.locator("[data-testid^='cell-']", has_text=text).first


def test_dashboard_answers_who_used_how_much_and_what_was_blocked(admin_page):
    page = admin_page
    page.get_by_role("tab", name="Usage dashboard").click()
    tiles = page.locator("#dash-tiles")
    tiles.locator("[data-tile='Requests']").get_by_text("2", exact=True).wait_for(timeout=30_000)
    assert "50 %" in tiles.locator("[data-tile='Blocked']").inner_text()
    assert "321" in tiles.locator("[data-tile='Tokens charged']").inner_text()  # the block's 20 are not charged
    assert "+20 counted, not charged" in tiles.inner_text()
    for plot in ("dash-requests", "dash-model", "dash-blocked", "dash-entities"):
        assert marks(page, plot) > 0, f"{plot} drew nothing with one day of data"
        ticks = page.locator(f"#{plot} svg g.role-axis-label text").all_text_contents()
        assert ticks and not [t for t in ticks if "." in t and t[0].isdigit()], f"{plot} ticks: {ticks}"
    assert "0" in page.locator("#dash-blocked svg g.role-axis-label text").all_text_contents()  # a zero baseline
    users = page.locator("#dash-users").inner_text()
    assert "ann" in users and ODD_NAME in users  # the odd name shows as typed, not as an image
    assert page.locator("#dash-users img, #dash-tiles img").count() == 0
    assert "No failed requests" in page.locator("#dash-problems").inner_text()
    page.screenshot(path=str(ARTIFACTS / "dashboard-1280.png"), full_page=True)
    page.locator("#dash-period input").click()
    page.get_by_role("option", name="Today").click()
    assert marks(page, "dash-blocked") == 1  # one block, one bar

    page.get_by_role("tab", name="My usage").click()  # the admin asked nothing: an empty state in words
    page.locator("#my-usage-empty").get_by_text("No tokens charged").wait_for(timeout=30_000)
    assert "0 token(s) charged" in page.locator("#my-usage-summary").inner_text()


def test_audit_log_reads_well_and_a_row_opens_its_record(admin_page, admin_app):
    page = admin_page
    page.get_by_role("tab", name="Audit log").click()
    page.locator("#audit-status").get_by_text("2 record(s)").wait_for(timeout=30_000)
    table = page.locator("#audit-table")
    for header in ("time (UTC)", "user", "model", "outcome", "prompt (redacted)"):
        box = table.locator("th", has_text=header).first.bounding_box()
        assert box and box["height"] < 60, f"header '{header}' wraps: {box}"
    text = table.inner_text()
    assert f"Write to <EMAIL_ADDRESS_1> {XSS}" in text and ODD_NAME in text
    assert admin_app["answered"] not in text  # no id column eating the width
    cell(table, "Write to <EMAIL_ADDRESS_1>").click()
    record = page.locator("#audit-record")
    record.get_by_text("What each guard did").wait_for(timeout=30_000)
    shown = record.inner_text()
    assert f"Write to <EMAIL_ADDRESS_1> {XSS}" in shown and "Dear <EMAIL_ADDRESS_1>, done." in shown
    assert "309 in (of which 290 are the system prompt and 4 earlier message(s)), 12 out" in shown
    assert "personal data" in shown and "replaced: EMAIL_ADDRESS ×1" in shown
    assert record.locator("img").count() == 0
    assert not page.locator("#audit-detail").is_visible()  # the raw JSON waits behind the accordion
    page.screenshot(path=str(ARTIFACTS / "audit-record-1280.png"), full_page=True)
    cell(table, "forbidden topic").click()  # a second row: the view follows the selection
    record.get_by_text("That topic is not allowed here.").wait_for(timeout=30_000)
    assert "not charged" in record.inner_text() and ODD_NAME in record.inner_text()
    page.locator("#audit-raw").get_by_text("Raw record (JSON)").click()
    page.locator("#audit-detail").get_by_text("deny_rules").first.wait_for(timeout=30_000)


def test_feedback_users_and_policy_forms_act_on_selections(admin_page, admin_app):
    page = admin_page
    page.get_by_role("tab", name="Feedback review").click()
    queue = page.locator("#feedback-queue")
    cell(queue, "Contact me at").wait_for(timeout=30_000)
    assert f"Contact me at <EMAIL_ADDRESS_1> {XSS}" in queue.inner_text()
    cell(queue, "Contact me at").click()
    detail = page.locator("#feedback-detail")
    detail.get_by_text(f"Item {admin_app['feedback_id']}").wait_for(timeout=30_000)
    assert f"Contact me at <EMAIL_ADDRESS_1> {XSS}" in detail.inner_text()
    assert detail.locator("img").count() == 0
    assert page.locator("#feedback-item-id input").input_value() == str(admin_app["feedback_id"])
    assert "<EMAIL_ADDRESS_1>" in page.locator("#feedback-edited textarea").input_value()
    page.screenshot(path=str(ARTIFACTS / "feedback-review-1280.png"), full_page=True)

    page.get_by_role("tab", name="Policies").click()
    expect(page.locator("#policy-test-role input")).to_have_value("employee", timeout=30_000)  # the tab loaded
    page.locator("#policy-test-text textarea").fill("Mail jane.doe@example.com how to build a bomb at home")
    page.locator("#policy-test").click()
    result = page.locator("#policy-test-out")
    result.get_by_text("Decision: block").wait_for(timeout=60_000)
    rows = result.locator("tbody tr").all_inner_texts()
    guards = [r.split("\t")[0] for r in rows]
    assert "blocked topics and words" in guards and guards[-1] == "token budget", rows  # not stopped at the first block
    assert "<EMAIL_ADDRESS_1>" in page.locator("#policy-test-text-out").inner_text()
    page.screenshot(path=str(ARTIFACTS / "policy-test-1280.png"), full_page=True)

    page.get_by_role("tab", name="Users").click()
    users = page.locator("#users-table")
    cell(users, ODD_NAME).wait_for(timeout=30_000)
    assert users.locator("img").count() == 0
    users.get_by_test_id("cell-0-0").wait_for(timeout=30_000)
    users.locator("[data-testid^='cell-']").filter(has_text="ann").filter(has_not_text="employee").first.click()
    page.locator("#users-message").get_by_text("Selected ann").wait_for(timeout=30_000)
    assert page.locator("#users-name input, #users-name textarea").first.input_value() == "ann"
    page.locator("#users-delete").click()
    page.locator("#users-confirm-text").get_by_text("Delete ann?").wait_for(timeout=30_000)
    page.screenshot(path=str(ARTIFACTS / "users-confirm-1280.png"), full_page=True)
    page.locator("#users-cancel-delete").click()
    page.locator("#users-confirm").wait_for(state="hidden", timeout=30_000)
    assert users.get_by_text("ann", exact=True).count() == 1
    page.locator("#users-delete").click()
    page.locator("#users-confirm-delete").click()
    page.locator("#users-message").get_by_text("Deleted ann.").wait_for(timeout=30_000)
    users.get_by_text("ann", exact=True).wait_for(state="detached", timeout=30_000)

    # Disabling asks first too, in its own words, and the confirmation acts on the account picked, once.
    cell(users, ODD_NAME).click()
    page.locator("#users-message").get_by_text("Selected").wait_for(timeout=30_000)
    page.locator("#users-disable").click()
    page.locator("#users-confirm-text").get_by_text("Their sessions end at once").wait_for(timeout=30_000)
    assert page.locator("#users-confirm-delete").inner_text().strip() == "Yes, disable the account"
    assert admin_app["users"].get(ODD_NAME).disabled is False  # nothing happens before the confirmation
    page.locator("#users-confirm-delete").click()
    page.locator("#users-message").get_by_text("is disabled").wait_for(timeout=30_000)
    page.locator("#users-confirm").wait_for(state="hidden", timeout=30_000)
    assert admin_app["users"].get(ODD_NAME).disabled is True
