"""Which language a prompt, and each of its sentences, is written in: English or French, by their function words.

A prompt in both languages (a French letter pasted into an English request) is read by both pipelines. Each
pipeline's person names are then kept only where that pipeline can be trusted: in a sentence that is plainly English
the names are the English pipeline's, in a plainly French one the French pipeline's, as spaCy's recognizer reading a
language it was not trained on calls ordinary words names ("Pouvez", "Résumez en deux", "you draft", "ask john
carter"). Sentences in neither or both languages keep the names of both, and every other type is kept from both
(phones, e-mails, addresses are found the same way in each). Measured on the `mixed` set of benchmarks/pii_eval.py
(generated English and French rows joined).
"""

from __future__ import annotations

import re

FR_WORDS = {"le", "la", "les", "des", "du", "de", "un", "une", "et", "est", "je", "vous", "nous", "pour", "avec",
            "dans", "sur", "pas", "que", "qui", "au", "aux", "mon", "ma", "mes", "votre", "vos", "bonjour", "merci",
            "cordialement", "est-ce", "à", "être", "avoir", "ce", "cette", "il", "elle", "sont"}
EN_WORDS = {"the", "a", "an", "and", "is", "are", "i", "you", "we", "for", "with", "in", "on", "not", "that",
            "who", "to", "of", "my", "your", "hello", "thanks", "please", "regards", "be", "have", "this", "it",
            "he", "she", "they", "was", "were"}
WORDS = re.compile(r"[a-zà-ÿ'-]+")
# A sentence: the text up to . ! ? ; or a line break (an abbreviation's dot cuts a sentence short, which only makes
# its pieces shorter: a piece without enough function words keeps every name).
SENTENCE = re.compile(r"[^.!?;\n]+[.!?;]*")
PLAIN = 2  # function words of one language, none of the other: the sentence is plainly in that language
BOTH = frozenset({"a", "on"})  # English function words that are French words too ("il a", "on peut")


EN_PLAIN_WORDS = frozenset(EN_WORDS - BOTH)


def _counts(text: str, plain: bool = False) -> tuple[int, int]:
    """French and English function words in `text`; with `plain`, not the English ones that are French words too."""
    words = WORDS.findall(text.lower())
    english = EN_PLAIN_WORDS if plain else EN_WORDS
    return sum(map(FR_WORDS.__contains__, words)), sum(map(english.__contains__, words))


def detect_languages(text: str) -> list[str]:
    """The prompt's language first, by its function words; both when the other one holds a real share of them
    (a French letter quoted in an English request) or has a sentence of its own ("Pouvez-vous le relancer ?" under
    an English note). Any other language is read as English: the structured recognizers (phones, cards, e-mails,
    IBANs...) do not depend on it."""
    french, english = _counts(text[:5000])
    first, second = ("fr", "en") if french > english else ("en", "fr")
    # a sentence plainly in the second language needs PLAIN of its words, so the whole text holds as many
    if min(french, english) >= 3 and min(french, english) >= 0.25 * (french + english) or min(french, english) >= \
            PLAIN and any(lang == second for _, _, lang in plain_sentences(text[:5000])):
        return [first, second]
    return [first]


def detect_language(text: str) -> str:
    return detect_languages(text)[0]


def plain_sentences(text: str) -> list[tuple[int, int, str]]:
    """(start, end, language) of the sentences plainly in one language; the others are left out."""
    found = []
    for match in SENTENCE.finditer(text):
        french, english = _counts(match.group(), plain=True)
        if french >= PLAIN and english == 0:
            found.append((match.start(), match.end(), "fr"))
        elif english >= PLAIN and french == 0:
            found.append((match.start(), match.end(), "en"))
    return found


def names_in_their_language(text: str, by_language: dict[str, list]) -> list:
    """The union of each pipeline's findings (Presidio results), except a pipeline's person names that begin in a
    sentence plainly written in another language: that language's pipeline reads the names there."""
    plain = plain_sentences(text) if len(by_language) > 1 else []
    return [r for language, found in by_language.items() for r in found
            if r.entity_type != "PERSON" or not any(s <= r.start < e and lang != language for s, e, lang in plain)]
