"""A real headless Chromium: the admin finds a record in the Audit log tab; an employee never sees the tab."""

import pytest

from browser import chromium_page, sign_in
from sandbox.store import InteractionLog

pytestmark = pytest.mark.browser


def test_admin_searches_the_audit_log_and_employee_cannot(data_dir, account, playground):
    admin_password = account("auditor", role="admin")
    employee_password = account("worker")
    log = InteractionLog(data_dir / "sandbox.db")
    iid = log.start(user="worker", role="employee", model="local", prompt="zebra quarterly forecast please")
    log.finish(iid, status="ok", decision="allow", answer="the forecast", tokens_in=5, tokens_out=3)
    other = log.start(user="worker", role="employee", model="local", prompt="an unrelated question")
    log.finish(other, status="ok", decision="allow", answer="an answer", tokens_in=4, tokens_out=2)
    url = playground
    with chromium_page() as page:
        sign_in(page, url, "auditor", admin_password)
        page.get_by_role("tab", name="Audit log").click()
        page.locator("#audit-status").get_by_text("2 record(s)").wait_for(timeout=30_000)
        page.locator("#audit-search textarea, #audit-search input").first.fill("zebra")
        page.locator("#audit-search-button").click()
        page.locator("#audit-status").get_by_text("1 record(s)").wait_for(timeout=30_000)
        assert "zebra quarterly forecast please" in page.locator("#audit-table").inner_text()
        assert "unrelated" not in page.locator("#audit-table").inner_text()
        page.locator("#audit-export-csv").click()  # exports the filtered set only
        page.locator("#audit-status").get_by_text("Exported 1 record(s)").wait_for(timeout=30_000)
        page.locator("#audit-verify").click()
        page.locator("#audit-status").get_by_text("OK:").wait_for(timeout=30_000)
    with chromium_page() as page:
        sign_in(page, url, "worker", employee_password)
        assert page.get_by_role("tab", name="Audit log").count() == 0
        page.get_by_role("tab", name="My usage").click()
        page.locator("#my-usage-summary").get_by_text("2 request(s)").wait_for(timeout=30_000)
