"""Text as a rule should see it: NFKC, no invisible characters, look-alike letters folded, spaces collapsed."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# Zero-width, joiners, bidi controls, soft hyphen, BOM: invisible, used to split words past filters.
INVISIBLE = re.compile("[\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")
# Cyrillic and Greek letters that look like Latin ones (NFKC leaves them alone).
HOMOGLYPHS = str.maketrans({
    "а": "a", "в": "b", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "к": "k", "м": "m", "н": "h",
    "о": "o", "р": "p", "ѕ": "s", "т": "t", "у": "y", "х": "x", "ԁ": "d", "ɡ": "g", "ӏ": "l",
    "А": "a", "В": "b", "С": "c", "Е": "e", "Н": "h", "І": "i", "Ј": "j", "К": "k", "М": "m", "О": "o",
    "Р": "p", "Ѕ": "s", "Т": "t", "Х": "x", "У": "y",
    "α": "a", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "ν": "v", "ι": "i", "κ": "k", "ε": "e",
    "Α": "a", "Β": "b", "Ε": "e", "Ζ": "z", "Η": "h", "Ι": "i", "Κ": "k", "Μ": "m", "Ν": "n", "Ο": "o",
    "Ρ": "p", "Τ": "t", "Υ": "y", "Χ": "x",
})
LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
SPACES = re.compile(r"\s+")
LEET_WORD = re.compile(r"(?=\S*[a-z])(?=\S*[013457@$])[a-z0-9@$]+")


@lru_cache(maxsize=32)
def normalize(text: str) -> str:
    """Lower-case text with look-alikes folded to ASCII letters where they have one; digits kept. Cached: the
    deny rules, the routing rules and the injection readings all fold the same prompt."""
    if text.isascii():  # nothing to compose, fold or strip: the same result, without a pass per character
        return SPACES.sub(" ", text.lower()).strip()
    text = unicodedata.normalize("NFKC", text)
    text = INVISIBLE.sub("", text)
    text = text.translate(HOMOGLYPHS).casefold()
    # Strip accents so "ignorez" and "ignórez" match alike.
    text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return SPACES.sub(" ", text).strip()


def deleet(text: str) -> str:
    """`normalize` output with digits and symbols read as letters ("1gn0re" -> "ignore"), for keyword matching."""
    return text.translate(LEET)


def deleet_words(text: str) -> str:
    """Like `deleet`, but only in words that mix letters with digits or symbols: "4ll" changes, "0134" stays."""
    return LEET_WORD.sub(lambda m: m.group().translate(LEET), text)
