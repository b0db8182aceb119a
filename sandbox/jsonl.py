"""JSON-lines input for the batch commands (`sandbox redact`, `sandbox check`): read as bytes, so one line in a
wrong encoding is one error, never the end of the batch; every error keeps the line's id when it has one."""

from __future__ import annotations

import json
from typing import BinaryIO, Callable, Iterator


class LineError(ValueError):
    """An input line that cannot be used; `item_id` is its id when the line had one."""

    def __init__(self, message: str, item_id=None):
        super().__init__(message)
        self.item_id = item_id


def _id_of(text: str):
    try:
        item = json.loads(text)
    except ValueError:
        return None
    return item.get("id") if isinstance(item, dict) else None


def read_item(raw: bytes, number: int, usage: str, optional: dict[str, str] | None = None) -> dict:
    """One line as a dict with a "text" string; `optional` maps other string fields to how to describe them."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        # The id is read from the line with the bad bytes replaced, so the error can still be matched to it.
        raise LineError(f"line {number} is not UTF-8 text; {usage}",
                        _id_of(raw.decode("utf-8", errors="replace"))) from None
    try:
        item = json.loads(text)
    except ValueError:
        raise LineError(f"line {number} is not JSON; {usage}") from None
    if not isinstance(item, dict):
        raise LineError(f"line {number} is not a JSON object; {usage}")
    if not isinstance(item.get("text"), str):
        raise LineError(f"line {number} has no \"text\" string; {usage}", item.get("id"))
    for name, described in (optional or {}).items():
        if not isinstance(item.get(name, ""), (str, type(None))):
            raise LineError(f"line {number}: \"{name}\" must be {described}", item.get("id"))
    return item


def read_items(stream: BinaryIO, usage: str, optional: dict[str, str] | None = None
               ) -> Iterator[tuple[int, dict | LineError]]:
    """(line number, item or LineError) for each non-blank line."""
    for number, raw in enumerate(stream, 1):
        if not raw.strip():
            continue
        try:
            yield number, read_item(raw, number, usage, optional)
        except LineError as exc:
            yield number, exc


def error_line(number: int, exc: Exception, item_id=None) -> dict:
    """The output line for an input line that could not be handled: its id, its number and why."""
    if isinstance(exc, LineError):
        return {"id": exc.item_id, "line": number, "error": str(exc)}
    # Only the class: an exception's message may hold the line's text.
    return {"id": item_id, "line": number, "error": f"line {number} could not be checked ({type(exc).__name__})"}


def answer_each(stream: BinaryIO, write: Callable[[str], None], handle: Callable[[dict], dict], usage: str,
                optional: dict[str, str] | None = None) -> bool:
    """Write one JSON line per input line: `handle(item)`, or an error line keeping the id; True if any failed.
    One line that fails never ends the batch."""
    failed = False
    for number, item in read_items(stream, usage, optional):
        if isinstance(item, LineError):
            out = error_line(number, item)
        else:
            try:
                out = handle(item)
            except Exception as exc:  # only the class is kept: an exception's message may quote the line
                out = error_line(number, exc, item.get("id"))
        failed = failed or "error" in out
        write(json.dumps(out, ensure_ascii=False))
    return failed
