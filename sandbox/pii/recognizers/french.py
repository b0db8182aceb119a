"""French identifiers: phone numbers, NIR (social security, with its key), SIREN and SIRET (Luhn)."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(number)):
        n = int(char)
        if i % 2:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return total % 10 == 0


class FrenchNirRecognizer(PatternRecognizer):
    """Numéro d'inscription au répertoire: 13 characters and a 2-digit key = 97 - (number mod 97)."""

    PATTERNS = [Pattern("FR_NIR", r"\b[12][\s.]?\d{2}[\s.]?(?:0[1-9]|1[0-2]|[2-9]\d)[\s.]?(?:\d{2}|2[AaBb])[\s.]?"
                        r"\d{3}[\s.]?\d{3}(?:[\s.]?\d{2})?\b", 0.5)]
    CONTEXT = ["sécurité sociale", "securite sociale", "nir", "insee", "numéro de sécu", "social security",
               "carte vitale", "sécu"]

    def __init__(self, supported_language: str = "fr"):
        super().__init__("FR_NIR", patterns=self.PATTERNS, context=self.CONTEXT,
                         supported_language=supported_language, name=f"FrenchNir_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool | None:
        raw = re.sub(r"[\s.]", "", pattern_text).upper()
        if len(raw) != 15:
            return False
        body = raw[:13].replace("2A", "19").replace("2B", "18")
        if not body.isdigit() or not raw[13:].isdigit():
            return False
        return 97 - int(body) % 97 == int(raw[13:])


class LuhnRecognizer(PatternRecognizer):
    def __init__(self, entity: str, pattern: str, score: float, context: list[str], supported_language: str):
        super().__init__(entity, patterns=[Pattern(entity, pattern, score)], context=context,
                         supported_language=supported_language, name=f"{entity.title()}_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = _digits(pattern_text)
        return luhn_ok(digits) if digits else False


FR_PHONE = (r"(?<![A-Za-z0-9_+])(?:(?:\+|00)33[\s.-]?(?:\(0\)[\s.-]?)?[1-9]|0[1-9])(?:[\s.-]?\d{2}){4}(?!\d)")
SIREN_CONTEXT = ["siren", "siret", "rcs", "entreprise", "société", "societe", "company number", "immatriculation"]


def french_recognizers() -> list:
    recognizers = []
    for lang in ("en", "fr"):
        recognizers += [
            PatternRecognizer("PHONE_NUMBER", name=f"FrenchPhone_{lang}", supported_language=lang,
                              patterns=[Pattern("FR_PHONE", FR_PHONE, 0.7)],
                              context=["téléphone", "telephone", "tél", "tel", "portable", "mobile", "phone",
                                       "appeler", "joindre", "fax"]),
            FrenchNirRecognizer(lang),
            LuhnRecognizer("FR_SIRET", r"\b\d{3}[\s.]?\d{3}[\s.]?\d{3}[\s.]?\d{5}\b", 0.6, SIREN_CONTEXT, lang),
            LuhnRecognizer("FR_SIREN", r"\b\d{3}[\s.]?\d{3}[\s.]?\d{3}\b", 0.3, SIREN_CONTEXT, lang),
        ]
    return recognizers
