"""Local accounts, sessions, sign-in throttling and proxy single sign-on."""


import pytest

from sandbox.auth import SESSION_COOKIE, Authenticator
from sandbox.policy.company import SingleSignOn
from sandbox.store.users import UserDirectory, UserError, check_password, hash_password

CANARY_PASSWORD = "canary-Pa55word-7731"


@pytest.fixture
def users(store_target):  # each test on SQLite and on PostgreSQL
    return UserDirectory(store_target)


def sso(**kw):
    base = dict(enabled=True, trusted_proxies=["10.0.0.0/8"], group_roles={"ai-admins": "admin"})
    return SingleSignOn(**{**base, **kw})


def auth(users, setting=None):
    return Authenticator(users, lambda: setting or SingleSignOn(), lambda: {"employee", "admin"})


def test_password_hash_is_salted_scrypt():
    first, second = hash_password("secret"), hash_password("secret")
    assert first != second and first.startswith("scrypt$16384$")
    assert check_password("secret", first) and not check_password("Secret", first)
    assert not check_password("secret", None) and not check_password("secret", "garbage")


def test_sign_in_and_session(users):
    users.add("ann", "employee", CANARY_PASSWORD)
    user, reason = users.sign_in("ann", CANARY_PASSWORD, "127.0.0.1")
    assert user.role == "employee" and reason == ""
    token = users.create_session("ann")
    identity, _ = auth(users).identify({}, {SESSION_COOKIE: token}, "127.0.0.1")
    assert (identity.user, identity.role, identity.source) == ("ann", "employee", "session")


def test_password_never_stored_or_recorded(users, tmp_path):
    users.add("ann", "employee", CANARY_PASSWORD)
    users.sign_in("ann", CANARY_PASSWORD + "x", "127.0.0.1")
    users.sign_in("ann", CANARY_PASSWORD, "127.0.0.1")
    if users.url:  # PostgreSQL: no column of any table holds it
        for table in users.db.table_names():
            for row in users.db.query(f"select * from [{table}]"):
                assert CANARY_PASSWORD not in repr(row)
        return
    users.db.conn.execute("pragma wal_checkpoint(full)")
    for path in (tmp_path / "data").iterdir():
        assert CANARY_PASSWORD.encode() not in path.read_bytes()


def test_wrong_password_disabled_and_throttled(users):
    users.add("ann", "employee", "right")
    assert users.sign_in("ann", "wrong", "1.2.3.4") == (None, "Wrong user name or password.")
    assert users.sign_in("nobody", "x", "1.2.3.4")[1] == "Wrong user name or password."
    users.set_disabled("ann", True)
    assert "disabled" in users.sign_in("ann", "right", "1.2.3.4")[1]
    users.set_disabled("ann", False)
    for _ in range(5):
        users.sign_in("ann", "wrong", "5.6.7.8")
    user, reason = users.sign_in("ann", "right", "5.6.7.8")
    assert user is None and "Too many failed sign-ins" in reason
    reasons = [r["reason"] for r in users.db["sign_in_attempts"].rows]
    # ann's 5th wrong guess (her first one counts too) is already refused; the right password of a disabled
    # account is not a guess and does not count.
    assert reasons.count("bad-credentials") == 6 and reasons.count("rate-limited") == 2 and "disabled" in reasons


def test_session_ends_when_user_disabled_deleted_or_expired(users):
    users.add("ann", "employee", "pw")
    users.add("bob", "employee", "pw")
    users.add("cat", "employee", "pw")
    tokens = {name: users.create_session(name) for name in ("ann", "bob")}
    users.set_disabled("ann", True)
    assert users.resolve_session(tokens["ann"])[0] is None
    users.delete("bob")
    assert users.resolve_session(tokens["bob"])[0] is None
    expired = users.create_session("cat", hours=-1)
    user, reason = users.resolve_session(expired)
    assert user is None and "expired" in reason


def test_user_management_errors(users):
    users.add("ann", "employee", "pw")
    with pytest.raises(UserError, match="already exists"):
        users.add("ann", "admin", "pw")
    with pytest.raises(UserError, match="no user 'zed'"):
        users.set_role("zed", "admin")
    with pytest.raises(UserError, match="without spaces"):
        users.add("a b", "employee", "pw")


def test_proxy_headers_from_trusted_address_map_groups_to_roles(users):
    a = auth(users, sso())
    identity, _ = a.identify({"X-Forwarded-User": "dana", "X-Forwarded-Groups": "staff, ai-admins"}, {}, "10.1.2.3")
    assert (identity.user, identity.role, identity.source) == ("dana", "admin", "sso")
    assert users.get("dana").source == "sso"
    identity, _ = a.identify({"X-Forwarded-User": "dana", "X-Forwarded-Groups": "staff"}, {}, "10.1.2.3")
    assert identity.role == "employee"


def test_forged_proxy_header_from_untrusted_address_is_ignored_and_recorded(users):
    identity, reason = auth(users, sso()).identify({"X-Forwarded-User": "admin"}, {}, "192.0.2.7")
    assert identity is None and reason == "not signed in"
    assert users.get("admin") is None
    rows = list(users.db["sign_in_attempts"].rows)
    assert rows[-1]["reason"] == "untrusted-proxy-header" and rows[-1]["address"] == "192.0.2.7"


def test_proxy_headers_ignored_when_sso_is_off(users):
    identity, _ = auth(users).identify({"X-Forwarded-User": "eve"}, {}, "10.0.0.1")
    assert identity is None
