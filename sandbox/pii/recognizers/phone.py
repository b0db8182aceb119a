"""Phone numbers in the many national formats Presidio's phonenumbers-based recognizer skips."""

from __future__ import annotations

import re

from presidio_analyzer import Pattern, PatternRecognizer

from sandbox.pii.recognizers.french import luhn_ok

# Groups of digits separated by spaces, dots or dashes, optionally with a country code or an area code in
# brackets: "905-674-3793", "(37) 788-063", "0490 75 40 81", "+44 20 7946 0958". At least 7 digits.
# Boundaries name Latin letters and digits, not \w: in Chinese or Japanese text a number touches the words around it.
BEFORE = r"(?<![A-Za-z0-9_/:.+-])"
GROUPED = (BEFORE + r"(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{1,5}(?:[ .-]\d{2,8}){1,4}"
           r"(?:\s?(?:x|ext\.?)\s?\d{1,5})?(?![A-Za-z0-9_/]|-\d)")  # "-Office" may follow, "-12" may not
# Undivided national numbers: a Chinese mobile (13800138000), a French or other 0-prefixed one (0612345678), a North
# American one (2125550123). A unix time (1700000000) starts with 1 and has 10 digits, so it is none of these.
# An area code in brackets, then one long group: "(084) 7256407", "(0011)-760865"
BRACKETED = BEFORE + r"(?:\+\d{1,3}[ .-]?)?\(\d{1,4}\)[ .-]?\d{5,10}(?![A-Za-z0-9_/]|-\d)"
# The look-ahead first restates that a match starts with + or a digit: the look-behind is not tried at every letter
# (0.08 -> 0.02 ms per 200-token prompt, the same matches).
BARE = r"(?=\+?\d)" + BEFORE + r"(?:\+\d{1,3})?(?:1[3-9]\d{9}|0[1-9]\d{8}|[2-9]\d{9})(?![A-Za-z0-9_-]|[.,]\d)"
# Any undivided run of 7 to 13 digits a phone word stands just before: "mobile 97797197", "call from 0030313866",
# "portable : 013166362" (numbers of every national plan, which no single shape covers). Not "number" or "contact":
# an order or invoice number is no phone.
CUED = (r"(?<=(?i:\b(?:phone|telephone|tel|mobile|cell(?:phone)?|call(?:ed|ing)?|fax|whatsapp|sms|gsm|téléphone|tél|"
        r"portable|appel(?:ez|er)?|joindre|rappeler))\b[^\d\n]{0,20})(?:\+|00)?\d{7,13}(?![A-Za-z0-9_-]|[.,]\d)")
CONTEXT = ["phone", "telephone", "tel", "mobile", "cell", "call", "fax", "number", "contact", "reach", "dial",
           "whatsapp", "sms", "text me", "téléphone", "portable", "numéro", "手机", "电话", "電話", "携帯"]


class GroupedPhoneRecognizer(PatternRecognizer):
    def __init__(self, supported_language: str):
        super().__init__("PHONE_NUMBER", patterns=[Pattern("GROUPED_PHONE", GROUPED, 0.5),
                                                   Pattern("BRACKETED_PHONE", BRACKETED, 0.5),
                                                   Pattern("BARE_PHONE", BARE, 0.45),
                                                   Pattern("CUED_PHONE", CUED, 0.5)], context=CONTEXT,
                         supported_language=supported_language, name=f"GroupedPhone_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", re.split(r"\s?(?:x|ext)", pattern_text)[0])  # the extension is not counted
        if not 7 <= len(digits) <= 15:
            return False
        # Dates (2024-05-01, 01.05.2024) and money-like amounts are not phone numbers.
        if re.fullmatch(r"\d{4}[-./]\d{1,2}[-./]\d{1,2}|\d{1,2}[-./]\d{1,2}[-./]\d{2,4}", pattern_text.strip()):
            return False
        if re.match(r"(?:19|20)\d\d-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])(?:[ T]\d\d)?$", pattern_text.strip()):
            return False  # an ISO date, with the hour of a time after it: "2020-06-20 14:05"
        return None


class LongNumberRecognizer(PatternRecognizer):
    """Card-length digit runs Presidio's card recognizer rejects (no valid checksum) are still account data."""

    # 4-4-4-4-3, 4-6-5 (Amex), 4-6-4 (Diners) or undivided; a full stop may end the sentence after it
    PATTERN = (r"(?<![A-Za-z0-9_.-])\d{4}(?:([ -])\d{4,6})(?:\1\d{1,5}){1,3}(?![A-Za-z0-9_-]|[.,]\d)"
               r"|(?<![A-Za-z0-9_.-])\d{12,19}(?![A-Za-z0-9_-]|[.,]\d)")

    def __init__(self, supported_language: str):
        super().__init__("CREDIT_CARD", patterns=[Pattern("LONG_NUMBER", self.PATTERN, 0.5)],
                         context=["card", "credit", "debit", "visa", "mastercard", "amex", "payment", "account",
                                  "carte", "compte"],
                         supported_language=supported_language, name=f"LongNumber_{supported_language}")

    def validate_result(self, pattern_text: str) -> bool | None:
        digits = re.sub(r"\D", "", pattern_text)
        if len(digits) == 14 and luhn_ok(digits):
            return False  # a SIRET, which its own recognizer types (a 14-digit card is still redacted as one)
        return 12 <= len(digits) <= 19 or False


def generic_phone_recognizers() -> list:
    return [r for lang in ("en", "fr") for r in (GroupedPhoneRecognizer(lang), LongNumberRecognizer(lang))]
