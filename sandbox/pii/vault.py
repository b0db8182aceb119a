"""Pseudonyms for one conversation, kept only in memory: value <-> placeholder like <PERSON_1>."""

from __future__ import annotations

import re
import threading
import time
from collections import OrderedDict

PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)_(\d+)>")


class PseudonymVault:
    """Stable placeholders within a conversation. Only values the user typed are restored for display."""

    def __init__(self):
        self._by_value: dict[tuple[str, str], str] = {}
        self._by_placeholder: dict[str, str] = {}
        self._restorable: set[str] = set()
        self._counts: dict[str, int] = {}
        self._earlier: set[str] = set()  # placeholders met in the history whose values this process never saw
        self._lock = threading.Lock()

    def placeholder(self, entity: str, value: str, restorable: bool = True) -> str:
        key = (entity, value.strip().casefold())
        with self._lock:
            found = self._by_value.get(key)
            if found is None:
                self._counts[entity] = self._counts.get(entity, 0) + 1
                found = f"<{entity}_{self._counts[entity]}>"
                self._by_value[key] = found
                self._by_placeholder[found] = value
            if restorable:
                self._restorable.add(found)
            return found

    def reserve(self, text: str) -> None:
        """Placeholders already in the conversation's history keep their numbers: a new value never takes one.

        A vault lives in one process's memory, so a chat reopened after a restart, or continued on another
        instance, starts with an empty one while its history still carries <PERSON_1>."""
        with self._lock:
            for match in PLACEHOLDER.finditer(text):
                entity, number = match.group(1), int(match.group(2))
                self._counts[entity] = max(self._counts.get(entity, 0), number)
                self._earlier.add(match.group(0))

    def owns(self, value: str) -> bool:
        """Whether `value` is one the user typed in this conversation."""
        folded = value.strip().casefold()
        return any(v == folded and self._by_value[(e, v)] in self._restorable for e, v in self._by_value)

    def knows(self, token: str) -> bool:
        """Whether this conversation assigned the placeholder `token` (to a value typed or found in an answer)."""
        return token in self._by_placeholder or token in self._earlier

    def restore(self, text: str) -> str:
        """Put the user's own values back in place of their placeholders (for display only)."""
        def swap(match: re.Match) -> str:
            token = match.group(0)
            return self._by_placeholder[token] if token in self._restorable else token
        return PLACEHOLDER.sub(swap, text)

    def __repr__(self) -> str:  # never show values, even in a debugger or a traceback
        return f"<PseudonymVault {len(self._by_placeholder)} value(s)>"


class VaultRegistry:
    """Vaults by (user, conversation), in memory, dropped after `ttl_s` unused or beyond `max_size`."""

    def __init__(self, max_size: int = 2000, ttl_s: float = 8 * 3600):
        self.max_size = max_size
        self.ttl_s = ttl_s
        self._vaults: OrderedDict[tuple[str, str], tuple[PseudonymVault, float]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, user: str, conversation_id: str) -> PseudonymVault:
        key = (user, conversation_id)
        now = time.monotonic()
        with self._lock:
            for old_key, (_, used) in list(self._vaults.items()):
                if now - used > self.ttl_s:
                    del self._vaults[old_key]
            vault = self._vaults.pop(key, (PseudonymVault(), now))[0]
            self._vaults[key] = (vault, now)
            while len(self._vaults) > self.max_size:
                self._vaults.popitem(last=False)
            return vault
