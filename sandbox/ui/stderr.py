"""The server's stderr, with the text of every traceback's exception withheld.

Gradio prints the traceback of a failed event (for instance "Value: '<what the client sent>' is not in the list of
choices") and uvicorn logs errors the same way. The frames say where it failed and stay; the exception's message may
quote request values (a prompt, a typed field) and is replaced by its length.
"""

from __future__ import annotations

import io
import re

# "Traceback (most recent call last):" starts a block; indented lines are its frames; the first line at the left
# margin is "module.ExceptionType: message" (or the bare type).
EXCEPTION_LINE = re.compile(r"(?P<type>[A-Za-z_][\w.]*)(?::(?P<message>.*))?\Z", re.DOTALL)
CHAINED = ("During handling of the above exception", "The above exception was the direct cause")


class WithheldMessages(io.TextIOBase):
    """A text stream that forwards lines to `target`, withholding the message line of each traceback."""

    def __init__(self, target):
        self.target = target
        self.pending = ""
        self.in_traceback = False

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        # A traceback's exception text is written in one call (traceback prints it as one chunk, logging writes a
        # whole record at once), so the lines after the exception line in the same call are its message too.
        self.pending += text
        *lines, self.pending = self.pending.split("\n")
        withholding = 0
        for line in lines:
            if withholding and not line.startswith(("Traceback (most recent call last):", *CHAINED)):
                withholding += 1
                continue
            if withholding > 1:
                self.target.write(f"[{withholding - 1} more line(s) of the message withheld]\n")
            withholding = 0
            shown = self._line(line)
            withholding = 1 if shown is not line else 0
            self.target.write(shown + "\n")
        if withholding > 1:
            self.target.write(f"[{withholding - 1} more line(s) of the message withheld]\n")
        return len(text)

    def _line(self, line: str) -> str:
        """The line as shown; a new string object exactly when it was an exception line that was withheld."""
        if line.startswith("Traceback (most recent call last):"):
            self.in_traceback = True
            return line
        if not self.in_traceback or line[:1] in (" ", "\t") or not line.strip() or line.startswith(CHAINED):
            return line
        self.in_traceback = False  # the exception line closes the block
        found = EXCEPTION_LINE.match(line)
        if found is None:
            return "[exception text withheld]"
        return f"{found.group('type')}: [message withheld, {len((found.group('message') or '').strip())} characters]"

    def flush(self) -> None:
        if self.pending:
            self.target.write(self._line(self.pending))
            self.pending = ""
        self.target.flush()

    def fileno(self) -> int:
        return self.target.fileno()

    def isatty(self) -> bool:
        return self.target.isatty()

    @property
    def encoding(self):
        return getattr(self.target, "encoding", "utf-8")
