"""Recognizers Presidio lacks or gets wrong for our users, as ordinary Presidio recognizers."""

from sandbox.pii.recognizers.address import street_address_recognizers
from sandbox.pii.recognizers.address_block import AddressBlockRecognizer
from sandbox.pii.recognizers.french import french_recognizers
from sandbox.pii.recognizers.gazetteer import EntityNameRecognizer, GazetteerNameRecognizer
from sandbox.pii.recognizers.learned import LearnedNameRecognizer
from sandbox.pii.recognizers.person import PersonNameRecognizer
from sandbox.pii.recognizers.phone import generic_phone_recognizers
from sandbox.pii.recognizers.rare_word import RareWordRecognizer


def product_recognizers() -> list:
    recognizers = [*french_recognizers(), *street_address_recognizers(), *generic_phone_recognizers()]
    recognizers += [PersonNameRecognizer(supported_language=lang) for lang in ("en", "fr")]
    recognizers += [cls(supported_language=lang) for lang in ("en", "fr")
                    for cls in (EntityNameRecognizer, GazetteerNameRecognizer, AddressBlockRecognizer,
                                LearnedNameRecognizer, RareWordRecognizer)]
    return recognizers
