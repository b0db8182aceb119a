"""The readings of a prompt that the injection rules and the learned model both look at: the text folded, in
leetspeak, spelled out, ROT13 and base64-decoded, so an attack written in any of those is read as plain words."""

from __future__ import annotations

import base64
import binascii
import codecs
import re
from functools import lru_cache

from sandbox.guards.normalize import deleet_words, normalize

MAX_SCAN_CHARS = 20_000
# "i.g.n.o.r.e" or "i-g-n-o-r-e": single letters joined by one separator, read as the word they spell.
SPELLED_OUT = re.compile(r"\b\w(?:[.\-_*|·]\w\b){2,}")
ENGLISH = re.compile(r"\b(?:the|and|you|your|to|of|is|are|it|in|for|this|that|with|me|my)\b")
ROT13_HINT = re.compile(r"\brot[ -]?13\b|\bcaesar\b|\bcipher\b")
BASE64_BLOB = re.compile(r"[A-Za-z0-9+/]{24,}={0,2}")


def _decoded_payloads(text: str) -> list[str]:
    found = []
    for blob in BASE64_BLOB.findall(text)[:5]:
        try:
            decoded = base64.b64decode(blob + "=" * (-len(blob) % 4), validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError, ValueError):
            continue
        if decoded.isprintable():
            found.append(decoded)
    return found


@lru_cache(maxsize=16)
def readings_of(text: str) -> tuple[str, ...]:
    """The ways an attack in Latin letters may be written: plain, leetspeak, spelled out, ROT13, base64. Cached:
    the injection rules and the learned detectors' view read the same prompt."""
    folded = normalize(text)
    spelled = SPELLED_OUT.sub(lambda m: re.sub(r"[.\-_*|·]", "", m.group()), folded)
    variants = [folded, deleet_words(folded), spelled]
    if ROT13_HINT.search(folded) or not ENGLISH.search(folded):  # ROT13 text has no plain English words left
        variants.append(codecs.encode(folded, "rot13"))
    variants += [normalize(p) for p in _decoded_payloads(text)]
    return tuple(dict.fromkeys(variants))  # each distinct text once
