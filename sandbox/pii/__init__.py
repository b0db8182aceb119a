"""PII protection: Presidio detection with our recognizers, redaction to pseudonyms, fail closed."""

from __future__ import annotations

import threading

_lock = threading.Lock()
_redactor = None


def shared_redactor():
    """The process's one Redactor; Presidio engines built and warmed on first call."""
    global _redactor
    with _lock:
        if _redactor is None:
            from sandbox.pii.redactor import Redactor

            _redactor = Redactor()
        return _redactor
