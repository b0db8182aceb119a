"""A real headless Chromium: the My history tab shows the signed-in user's own records and nobody else's."""

import pytest

from browser import add_account, chromium_page, served_playground, sign_in
from conftest import cli_env
from sandbox.store import InteractionLog

pytestmark = pytest.mark.browser


def test_employee_sees_only_their_own_history(data_dir, local_model_url, tmp_path):
    password = add_account(data_dir, "worker")
    add_account(data_dir, "colleague")
    log = InteractionLog(data_dir / "sandbox.db")
    for user, prompt in (("worker", "zebra quarterly forecast"), ("colleague", "okapi salary review canary")):
        iid = log.start(user=user, role="employee", model="local", prompt=prompt)
        log.finish(iid, status="ok", decision="allow", answer=f"answer to {prompt}", tokens_in=5, tokens_out=3)
    env = cli_env(data_dir, SANDBOX_LOCAL_MODEL_URL=local_model_url)
    with served_playground(env, tmp_path / "serve.log") as url, chromium_page() as page:
        sign_in(page, url, "worker", password)
        page.get_by_role("tab", name="My history").click()
        table = page.locator("#history-interactions")
        table.get_by_text("zebra quarterly forecast", exact=False).first.wait_for(state="attached", timeout=30_000)
        assert "okapi" not in page.content()
