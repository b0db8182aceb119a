"""Streaming without half values: text is released only up to a sentence or line end, then redacted."""

from __future__ import annotations

import re
from typing import Callable

BOUNDARY = re.compile(r"[.!?;:](?=\s)|\n")


class SafeStream:
    """Feed pieces as they arrive; get back text that is safe to show, transformed segment by segment."""

    def __init__(self, transform: Callable[[str], str], max_hold: int = 320, keep_tail: int = 80):
        self.transform = transform
        self.max_hold = max_hold
        self.keep_tail = keep_tail
        self.buffer = ""

    def feed(self, piece: str) -> str:
        self.buffer += piece
        cut = 0
        for match in BOUNDARY.finditer(self.buffer):
            cut = match.end()
        if not cut and len(self.buffer) > self.max_hold:
            # No sentence end for a long while: release up to a space well before the end.
            cut = self.buffer.rfind(" ", 0, len(self.buffer) - self.keep_tail) + 1
        if cut <= 0:
            return ""
        ready, self.buffer = self.buffer[:cut], self.buffer[cut:]
        return self.transform(ready)

    def flush(self) -> str:
        ready, self.buffer = self.buffer, ""
        return self.transform(ready) if ready else ""
