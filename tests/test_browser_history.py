"""A real headless Chromium: the My history tab shows the signed-in user's own records and nobody else's."""

import pytest

from browser import sign_in
from sandbox.store import InteractionLog

pytestmark = pytest.mark.browser


def test_employee_sees_only_their_own_history(data_dir, account, playground, page):
    password = account("worker")
    account("colleague")
    log = InteractionLog(data_dir / "sandbox.db")
    for user, prompt in (("worker", "zebra quarterly forecast"), ("colleague", "okapi salary review canary")):
        iid = log.start(user=user, role="employee", model="local", prompt=prompt)
        log.finish(iid, status="ok", decision="allow", answer=f"answer to {prompt}", tokens_in=5, tokens_out=3)
    url = playground
    sign_in(page, url, "worker", password)
    page.get_by_role("tab", name="My history").click()
    table = page.locator("#history-interactions")
    table.get_by_text("zebra quarterly forecast", exact=False).first.wait_for(state="attached", timeout=30_000)
    assert "okapi" not in page.content()
