"""PII detection and actions with the real Presidio engines and our recognizers (synthetic values only)."""

from __future__ import annotations

import re

import pytest

from sandbox.pii.config import CustomRecognizer, EntityRule, PiiPolicy
from sandbox.pii.recognizers.french import luhn_ok
from sandbox.pii.vault import PseudonymVault


def types_found(redactor, text, language=None, policy=None):
    return {(f.type, text[f.start:f.end]) for f in redactor.analyze(text, language, policy or PiiPolicy())}


def covered(redactor, text, value, language=None, policy=None):
    """The types of findings covering all of `value` in `text`."""
    start = text.index(value)
    end = start + len(value)
    return {f.type for f in redactor.analyze(text, language, policy or PiiPolicy()) if f.start <= start
            and f.end >= end}


def luhn_complete(body: str) -> str:
    return next(body + str(d) for d in range(10) if luhn_ok(body + str(d)))


def nir(body13: str) -> str:
    return f"{body13} {97 - int(body13) % 97:02d}"


# -- recognizers ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize("phone", ["06 12 34 56 78", "01.45.67.89.10", "+33 6 12 34 56 78", "0033 1 45 67 89 10"])
def test_french_phone_numbers(redactor, phone):
    text = f"Vous pouvez me joindre au {phone} après 18 heures."
    assert "PHONE_NUMBER" in covered(redactor, text, phone, "fr")


def test_nir_needs_its_key(redactor):
    good = nir("1850578006084")
    text = f"Mon numéro de sécurité sociale est le {good} pour le dossier."
    assert "FR_NIR" in covered(redactor, text, good, "fr")
    bad_key = f"{good[:-2]}{(int(good[-2:]) + 1) % 97:02d}"
    text = f"Mon numéro de sécurité sociale est le {bad_key} pour le dossier."
    assert not any(t == "FR_NIR" for t, _ in types_found(redactor, text, "fr"))


def test_nir_corsica(redactor):
    body = "269032A123456"  # department 2A counts as 19 in the key
    key = 97 - int(body.replace("2A", "19")) % 97
    value = f"{body} {key:02d}"
    assert "FR_NIR" in covered(redactor, f"NIR : {value}", value, "fr")


def test_siren_and_siret_need_a_valid_luhn_checksum(redactor):
    siren = luhn_complete("73282932")
    siret = luhn_complete(siren + "0001")
    text = f"La société est immatriculée au SIREN {siren[:3]} {siren[3:6]} {siren[6:]}, SIRET {siret}."
    assert "FR_SIREN" in covered(redactor, text, f"{siren[:3]} {siren[3:6]} {siren[6:]}", "fr")
    assert "FR_SIRET" in covered(redactor, text, siret, "fr")
    wrong = siren[:-1] + str((int(siren[-1]) + 1) % 10)
    found = types_found(redactor, f"La société est immatriculée au SIREN {wrong}.", "fr")
    assert not any(t == "FR_SIREN" for t, _ in found)


def test_french_postcode_and_city(redactor):
    text = "Le colis part de 69003 Lyon demain matin."
    assert "STREET_ADDRESS" in covered(redactor, text, "69003 Lyon", "fr")


@pytest.mark.parametrize("language,text,address", [
    ("en", "Please ship it to 1600 Pennsylvania Avenue NW, Washington before Friday.", "1600 Pennsylvania Avenue NW"),
    ("en", "Our new office is at 42 Harbor View Road, Apt 3 in the old town.", "42 Harbor View Road, Apt 3"),
    ("fr", "Envoyez la facture au 12 rue de la Paix, 75002 Paris avant lundi.", "12 rue de la Paix, 75002 Paris"),
    ("fr", "Il habite 3 bis avenue Victor Hugo depuis dix ans.", "3 bis avenue Victor Hugo"),
])
def test_street_addresses(redactor, language, text, address):
    assert "STREET_ADDRESS" in covered(redactor, text, address, language)


@pytest.mark.parametrize("language,text,name", [
    ("en", "Please forward this to Dr. Imogen Castellano before noon.", "Imogen Castellano"),
    ("en", "Hello, my name is Margaret Olsen and I need help with my order.", "Margaret Olsen"),
    ("en", "The ticket was opened by Thomas Becker yesterday.", "Thomas Becker"),
    ("fr", "Bonjour, je suis Camille Martin et je vous écris pour ma commande.", "Camille Martin"),
    ("fr", "Merci de transmettre à Mme Dubreuil le dossier complet.", "Dubreuil"),
])
def test_person_names(redactor, language, text, name):
    assert "PERSON" in covered(redactor, text, name, language)


def test_a_list_of_fruit_is_not_people(redactor):
    text = "Here are three fruits:\n1. Bananas\n2. Apples\n3. Grapes\nEnjoy them fresh."
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]


def test_structured_types(redactor):
    text = ("Write to ana.lopez@example.org, card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, "
            "server 192.168.14.201, SSN 536-22-4817.")
    found = {t for t, _ in types_found(redactor, text, "en")}
    assert {"EMAIL_ADDRESS", "CREDIT_CARD", "IBAN_CODE", "IP_ADDRESS", "US_SSN"} <= found


# -- actions --------------------------------------------------------------------------------------------------
TEXT = "Mail ana.lopez@example.org or call (415) 555-0172; ask for Margaret Olsen."


def policy_with(**actions) -> PiiPolicy:
    return PiiPolicy(entities={k: EntityRule(action=v) for k, v in actions.items()})


def test_redact_to_placeholders(redactor):
    result = redactor.redact(TEXT, PiiPolicy(), PseudonymVault())
    assert not result.blocked
    assert "ana.lopez@example.org" not in result.text and "555-0172" not in result.text
    assert "Margaret" not in result.text
    assert {"<EMAIL_ADDRESS_1>", "<PHONE_NUMBER_1>", "<PERSON_1>"} <= set(re.findall(r"<[A-Z_]+_\d+>", result.text))
    assert result.counts == {"EMAIL_ADDRESS": 1, "PHONE_NUMBER": 1, "PERSON": 1}


def test_mask_hash_allow(redactor):
    result = redactor.redact(TEXT, policy_with(EMAIL_ADDRESS="mask", PHONE_NUMBER="hash", PERSON="allow"),
                             PseudonymVault())
    assert "*" * len("ana.lopez@example.org") in result.text
    assert "555-0172" not in result.text and re.search(r"\b[0-9a-f]{64}\b", result.text)
    assert "Margaret Olsen" in result.text
    assert "PERSON" not in result.counts


def test_block_refuses_the_whole_text_without_quoting_it(redactor):
    result = redactor.redact(TEXT, policy_with(PHONE_NUMBER="block"), PseudonymVault())
    assert result.blocked and result.text == ""
    assert "phone number" in result.message and "555" not in result.message


def test_threshold_per_type(redactor):
    strict = PiiPolicy(entities={"PHONE_NUMBER": EntityRule(threshold=1.0)})
    assert "PHONE_NUMBER" not in redactor.redact(TEXT, strict, PseudonymVault()).counts


def test_allow_list_is_case_insensitive(redactor):
    text = "Contact Margaret Olsen at press@example.org for interviews."
    result = redactor.redact(text, PiiPolicy(allow_list=["PRESS@example.org"]), PseudonymVault())
    assert "press@example.org" in result.text
    assert "Margaret" not in result.text


def test_custom_regex_recognizer_with_context(redactor):
    custom = CustomRecognizer(name="employee-id", entity="EMPLOYEE_ID", patterns=[r"\bEMP-\d{6}\b"], score=0.3,
                              context=["employee"])
    policy = PiiPolicy(custom_recognizers=[custom])
    with_context = redactor.redact("The employee badge is EMP-123456.", policy, PseudonymVault())
    assert "EMP-123456" not in with_context.text and with_context.counts == {"EMPLOYEE_ID": 1}
    without = redactor.redact("Reference EMP-123456 in the spreadsheet.", policy, PseudonymVault())
    assert "EMP-123456" in without.text  # 0.3 without its context word stays under the 0.4 threshold


def test_custom_deny_list(redactor):
    policy = PiiPolicy(custom_recognizers=[CustomRecognizer(name="code-names", entity="PROJECT",
                                                            deny_list=["Bluefin", "Night Owl"])])
    result = redactor.redact("Status of Bluefin and Night Owl for the review?", policy, PseudonymVault())
    assert "Bluefin" not in result.text and "Night Owl" not in result.text
    assert result.counts == {"PROJECT": 2}


def test_custom_type_can_block(redactor):
    policy = PiiPolicy(custom_recognizers=[CustomRecognizer(name="code-names", entity="PROJECT",
                                                            deny_list=["Bluefin"])],
                       entities={"PROJECT": EntityRule(action="block")})
    assert redactor.redact("Any news on Bluefin?", policy, PseudonymVault()).blocked


# -- bad input ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("text", ["", "   ", "🙂🙃 👍🏽", "\x00\x01\x02\ufffd\x7f", "مرحبا، اسمي ومنزلي في المدينة",
                                  "Hallo Welt, hello world, bonjour le monde"])
def test_odd_input_gives_a_result(redactor, text):
    result = redactor.redact(text, PiiPolicy(), PseudonymVault())
    assert not result.blocked and isinstance(result.text, str)


def test_big_text_is_checked_whole(redactor):
    text = ("Nothing to see in this line of ordinary text. " * 2200) + "Write to ana.lopez@example.org."
    assert len(text) > 100_000
    result = redactor.redact(text, PiiPolicy(timeout_s=60), PseudonymVault())
    assert not result.blocked and "ana.lopez@example.org" not in result.text


def test_too_big_text_is_refused(redactor):
    result = redactor.redact("x " * 150_000 + "ana.lopez@example.org", PiiPolicy(), PseudonymVault())
    assert result.blocked and "shorter" in result.message and "ana.lopez" not in result.message


def test_a_comma_list_of_things_is_not_people_but_a_list_of_names_is(redactor):
    assert not [f for f in redactor.analyze("We sell Apples, Pears and Grapes.", "en", PiiPolicy())
                if f.type == "PERSON"]
    text = "Our three founders: Kowalczyk, Brennan and Oyelaran."
    people = {text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"}
    assert {"Kowalczyk", "Brennan", "Oyelaran"} <= people


def test_a_name_after_a_verb_starts_at_the_given_name(redactor):
    text = "Call Marie Dupont on Monday."
    assert "PERSON" in covered(redactor, text, "Marie Dupont", "en")
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if text[f.start:f.end].startswith("Call")]


@pytest.mark.parametrize("text", ["Top 5 Musicians Of The 70s", "the building energy use rose by 12 percent",
                                  "We met on 12 May 2023 to plan the launch."])
def test_numbers_near_words_are_not_addresses(redactor, text):
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "STREET_ADDRESS"]


def test_european_address_block(redactor):
    text = "Please send it to 5049 Halkoniemenkatu 54\nSuite 501\nTampere\nFinland 33100 by Friday."
    value = "5049 Halkoniemenkatu 54\nSuite 501\nTampere\nFinland 33100"
    assert "STREET_ADDRESS" in covered(redactor, text, value, "en")


def test_names_found_among_sentences_without_names(redactor):
    text = ("I am preparing the quarterly report. Please keep the tone friendly. The budget is on track. "
            "Could you check the figures with Bartholomew Ashcombe before Friday? We also want a list of risks. "
            "and tell olga krylova too.")
    found = {text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"}
    assert "Bartholomew Ashcombe" in found
    assert not any(w in " ".join(found) for w in ("report", "budget", "Please"))


def test_iso_timestamps_are_not_phone_numbers(redactor):
    text = "The job ran at 2020-06-20 14:05 and again on 2021-01-03 09:30; call 020 7946 0958 if it fails."
    phones = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PHONE_NUMBER"]
    assert phones == ["020 7946 0958"]
