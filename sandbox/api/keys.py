"""Who may hold, see, use and revoke personal API keys; identity for API calls comes from here."""

from __future__ import annotations

from dataclasses import dataclass

from sandbox.store.api_keys import ApiKey, ApiKeyError, ApiKeyStore


@dataclass(frozen=True)
class ApiIdentity:
    user: str
    role: str
    key_id: str


class ApiKeyService:
    """`actor` is the signed-in user acting; None is the local operator at the command line (full rights)."""

    def __init__(self, store: ApiKeyStore, users, policy):
        self.store = store
        self.users = users
        self.policy = policy

    def _is_admin(self, actor: str | None) -> bool:
        if actor is None:
            return True
        account = self.users.get(actor)
        rules = self.policy.role(account.role) if account and not account.disabled else None
        return bool(rules and rules.can_admin)

    def _may_hold_keys(self, user: str) -> str:
        """'' when `user` may use API keys, else why not."""
        account = self.users.get(user)
        if account is None:
            return f"there is no account '{user}'"
        if account.disabled:
            return f"the account '{user}' is disabled"
        rules = self.policy.role(account.role)
        if rules is None:
            return f"the role '{account.role}' is not in the policy"
        if not rules.api_keys:
            return f"the policy does not allow API keys for the role '{account.role}'"
        return ""

    def create(self, actor: str | None, owner: str | None = None, name: str = "",
               expires_days: int | None = None) -> tuple[ApiKey, str]:
        owner = owner or actor
        if owner is None:
            raise ApiKeyError("Say whose key it is (--user).")
        if owner != actor and not self._is_admin(actor):
            raise PermissionError("Only admins may create keys for someone else.")
        if reason := self._may_hold_keys(owner):
            raise ApiKeyError(f"No key was created: {reason}.")
        return self.store.create(owner, name, expires_days)

    def list(self, actor: str | None, user: str | None = None) -> list[ApiKey]:
        if not self._is_admin(actor):
            user = actor  # everyone else sees their own keys only
        return self.store.list(user)

    def revoke(self, actor: str | None, key_id: str) -> ApiKey:
        key = self.store.get(key_id)
        if key is None or (key.user != actor and not self._is_admin(actor)):
            raise ApiKeyError(f"There is no API key '{key_id}' of yours.")  # others' ids are not confirmed
        return self.store.revoke(key_id, by=actor or "cli")

    def identify(self, presented: str | None) -> tuple[ApiIdentity | None, str]:
        key, reason = self.store.resolve(presented)
        if key is None:
            return None, reason
        if reason := self._may_hold_keys(key.user):
            return None, reason
        return ApiIdentity(key.user, self.users.get(key.user).role, key.id), ""
