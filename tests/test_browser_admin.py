"""A real Chromium signs in: an employee sees no admin tab, an admin sees Policies, Users and Feedback review."""

import pytest

from browser import sign_in

pytestmark = pytest.mark.browser
ADMIN_TABS = ("Policies", "Users", "Feedback review")


def tab_names(page) -> list[str]:
    page.get_by_role("tab", name="Playground").wait_for(timeout=30_000)
    return [t.inner_text().strip() for t in page.get_by_role("tab").all()]


def test_employee_sees_no_admin_tab_and_admin_sees_them(account, playground, page):
    employee = account("tab-emp")
    admin = account("tab-admin", "admin")
    url = playground
    sign_in(page, url, "tab-emp", employee)
    page.wait_for_timeout(1500)  # let the page's load event have its say on the tabs
    names = tab_names(page)
    assert "Playground" in names and not set(ADMIN_TABS) & set(names), names
    assert "(employee)" in page.locator("#whoami").inner_text()

    page.goto(url + "signout")
    page.locator("#signout").click()  # sign-out is a POST: the page has a button
    page.locator("#username").wait_for()
    sign_in(page, url, "tab-admin", admin)
    page.get_by_role("tab", name="Users").wait_for(timeout=30_000)
    assert set(ADMIN_TABS) <= set(tab_names(page))
    page.get_by_role("tab", name="Users").click()
    page.locator("#users-table").get_by_text("tab-emp").wait_for(timeout=30_000)


def test_wrong_password_shows_a_clear_message_in_the_browser(account, playground, page):
    account("typo-user")
    url = playground
    page.goto(url)
    assert page.url.endswith("/signin")
    page.locator("#username").fill("typo-user")
    page.locator("#password").fill("not the password")
    page.locator("#signin").click()
    assert page.locator("#error").inner_text() == "Wrong user name or password."
    page.goto(url)
    assert page.url.endswith("/signin")  # still not signed in
