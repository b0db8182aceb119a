"""Who is asking: a local session cookie, or a trusted company proxy's headers (single sign-on)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Callable, Mapping

from sandbox.policy.company import SingleSignOn
from sandbox.store.users import ACCOUNT_DISABLED, UNTRUSTED_HEADER, User, UserDirectory

SESSION_COOKIE = "sandbox_session"


@dataclass(frozen=True)
class Identity:
    user: str
    role: str
    source: str  # "session" or "sso"


def _trusted(address: str, proxies: list[str]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
        return any(ip in ipaddress.ip_network(p, strict=False) for p in proxies)
    except ValueError:
        return False


class Authenticator:
    def __init__(self, users: UserDirectory, sso: Callable[[], SingleSignOn], roles: Callable[[], set[str]]):
        self.users = users
        self.sso = sso
        self.roles = roles

    def identify(self, headers: Mapping[str, str], cookies: Mapping[str, str],
                 address: str) -> tuple[Identity | None, str]:
        """Returns (identity, "") or (None, a sentence saying why the request is refused)."""
        sso = self.sso()
        lowered = {k.lower(): v for k, v in headers.items()}
        proxy_user = lowered.get(sso.user_header.lower(), "").strip() if sso.enabled else ""
        if proxy_user:
            if _trusted(address, sso.trusted_proxies):
                return self._from_proxy(sso, proxy_user, lowered)
            self.users.record_attempt(proxy_user, address, False, UNTRUSTED_HEADER)
        user, reason = self.users.resolve_session(cookies.get(SESSION_COOKIE), address)
        if user is None:
            return None, reason
        return Identity(user.username, user.role, "session"), ""

    def _from_proxy(self, sso: SingleSignOn, username: str, headers: dict) -> tuple[Identity | None, str]:
        groups = [g.strip() for g in headers.get(sso.groups_header.lower(), "").split(",") if g.strip()]
        role = next((r for g, r in sso.group_roles.items() if g in groups), sso.default_role)
        if role not in self.roles():
            role = sso.default_role
        user: User | None = self.users.get(username)
        if user is None:
            user = self.users.add(username, role, None, email=headers.get(sso.email_header.lower(), ""),
                                  source="sso")
        elif user.disabled:
            return None, ACCOUNT_DISABLED
        elif user.source == "sso" and user.role != role:
            self.users.set_role(username, role)  # the directory's groups are the source of truth
        return Identity(username, role if user.source == "sso" else user.role, "sso"), ""
