"""Issue 13: names, addresses and numbers of shapes no rule was written from, any language, and the output scan
(real Presidio and spaCy; every value is synthetic, written for these tests)."""

from __future__ import annotations

import pytest

from sandbox.guards.base import Decision, GuardContext
from sandbox.pii.config import PiiPolicy
from sandbox.pii.language import detect_languages


def ctx(stage="input", state=None):
    return GuardContext(user="ann", role="employee", model="local", stage=stage, conversation_id="c13",
                        state=state if state is not None else {})


def protected(redactor, text, value, language=None):
    """Every character of `value` lies inside a finding."""
    start = text.index(value)
    spans = [(f.start, f.end) for f in redactor.analyze(text, language, PiiPolicy())]
    return all(any(s <= i < e for s, e in spans) for i in range(start, start + len(value)) if not text[i].isspace())


def test_output_scan_catches_a_name_on_no_list(guard):
    state = {}
    guard.check("Who should I talk to about the invoice?", ctx(state=state))
    out = guard.check("Your contact is Zebulon Quattrocchi.", ctx(stage="output", state=state))
    assert out.decision is Decision.REDACT
    assert "Zebulon" not in out.text and "Quattrocchi" not in out.text


def test_a_chinese_prompt_keeps_its_mobile_number_and_email_away_from_the_model(guard):
    verdict = guard.check("请联系张伟，手机号13800138000，邮箱zhangwei@example.com。", ctx())
    assert verdict.decision is Decision.REDACT
    assert "13800138000" not in verdict.text and "zhangwei@example.com" not in verdict.text
    assert verdict.details["entities"]["PHONE_NUMBER"] == 1


def test_a_mixed_english_and_french_prompt_gets_both_pipelines(redactor):
    text = ("Please summarise this letter in English: « Madame, je vous écris au sujet du dossier de M. Bernhardt, "
            "que nous avons reçu hier et que nous devons traiter avant la fin du mois. » Thanks, and keep it short.")
    assert detect_languages(text) == ["en", "fr"] or detect_languages(text) == ["fr", "en"]
    assert protected(redactor, text, "Bernhardt")
    assert detect_languages("Please send the report to the team by Friday.") == ["en"]
    assert detect_languages("Merci de m'envoyer le rapport avant vendredi.") == ["fr"]


@pytest.mark.parametrize("text, names", [
    ("Résumez en deux phrases le message de Paul Girard sur le budget.\nThen could you draft a reply to Hideki "
     "this morning and tell her we agreed to the new plan?", ["Paul Girard", "Hideki"]),
    ("Virez l'acompte sur le compte de la société avant vendredi.\nCan you draft an answer for Marie here, she "
     "wants it today?", ["Marie"]),
    ("Vérifiez que les badges sont bien rendus.\nI met Hideki this morning and she agreed to the new schedule.",
     ["Hideki"]),
])
def test_each_sentence_of_a_mixed_prompt_is_read_for_names_in_its_own_language(redactor, text, names):
    """A prompt with a French sentence and an English one gets both pipelines; the names of each sentence come from
    its own language's pipeline. Without that, the French recognizer took "Hideki this morning and she agreed to
    the new" and "you draft" for people, and the English one "Résumez en deux" and "Virez l'acompte sur le compte
    de la"."""
    assert detect_languages(text) == ["fr", "en"] or detect_languages(text) == ["en", "fr"]
    found = [text[f.start:f.end] for f in redactor.analyze(text, None, PiiPolicy())]
    assert sorted(found) == sorted(names)


def test_one_plain_sentence_in_the_other_language_brings_its_pipeline():
    text = "Please forward the signed offer before the board meets.\nPouvez-vous prévenir le client que nous avons fini ?"
    assert detect_languages(text) == ["en", "fr"]
    assert detect_languages("Please send the report to the team by Friday. Merci!") == ["en"]  # one word


@pytest.mark.parametrize("text, value", [
    ("Our logs show repeated logins on the account of joel nyambane.", "joel nyambane"),  # lower case
    ("Translate for Bradley: the meeting moved to Thursday.", "Bradley"),  # a given name alone
    ("Please notify ULISES OLIVER before noon.", "ULISES OLIVER"),  # capitals
    ("Can you draft a reminder to adam t kuhl about the invoice?", "adam t kuhl"),  # a middle initial
    ("Employee Adesua Afolayan starts on the first of the month.", "Adesua Afolayan"),
])
def test_names_in_many_shapes(redactor, text, value):
    assert protected(redactor, text, value)


@pytest.mark.parametrize("text, value", [
    ("The new address is USNV Howe, FPO AP 31739.", "USNV Howe, FPO AP 31739"),  # military
    ("Ship it to psc 0684, box 1920, apo ae 26518 please.", "psc 0684, box 1920, apo ae 26518"),
    ("Ship the part to Stretto Eugenia, 517, Lana, Italy 36050 before Friday.",
     "Stretto Eugenia, 517, Lana, Italy 36050"),  # a postcode alone after the country
    ("forward the parcel to rotonda stefanelli, 28, 25025 piano san nicola; thanks",
     "rotonda stefanelli, 28, 25025 piano san nicola"),  # lower case
    ("The new address is 150 Miller Parks, New Matthewburgh, VT 13586.", "150 Miller Parks, New Matthewburgh, VT 13586"),
])
def test_addresses_in_many_shapes(redactor, text, value):
    assert protected(redactor, text, value)


@pytest.mark.parametrize("text, value", [
    ("Refund card 4311 8309 6412 9094 413 today.", "4311 8309 6412 9094 413"),  # 19 digits, grouped
    ("Le numéro de la carte est 213118056553772.", "213118056553772"),  # 15 digits before a full stop
    ("She can be reached on 2528203217 after six.", "2528203217"),  # 10-digit US
    ("Rappelez-moi au +33 (0)7 79 01 43 02 demain.", "+33 (0)7 79 01 43 02"),
    ("Call me back on 001-493-324-1699x90215?", "001-493-324-1699x90215"),
])
def test_structured_values_in_many_shapes(redactor, text, value):
    assert protected(redactor, text, value)


@pytest.mark.parametrize("text", ["We opened a branch in Florence last year.", "Né le 4 mars 1981 à Lyon.",
                                  "Il a livré 350 colis en 2023.", "Order 1700000 was shipped on 2024-05-01."])
def test_ordinary_text_is_left_alone(redactor, text):
    assert redactor.analyze(text, None, PiiPolicy()) == []


@pytest.mark.parametrize("text, value", [
    ("Can you ask jaroslav to send the file?", "jaroslav"),  # after a word that asks someone
    ("Thanks oyelaran, see you soon.", "oyelaran"),  # a name on no list, addressed
    ("brigita said the meeting moved to Monday.", "brigita"),
    ("The keys are with amara until Friday.", "amara"),  # a known given name beside 'with'
    ("Peux-tu demander à ilze de vérifier la réservation ?", "ilze"),
])
def test_a_lone_given_name_in_lower_case_where_a_person_stands(redactor, text, value):
    assert protected(redactor, text, value)


@pytest.mark.parametrize("text", ["Write to ana.lopez@example.org about the order.",  # an e-mail is one finding
                                  "Thanks everyone for joining, the budget for marketing is approved.",
                                  "The invoice went to accounting and finance said it is fine.",
                                  "Let us meet with the summer interns in june."])
def test_lower_case_words_beside_those_cues_are_not_names(redactor, text):
    assert all(f.type != "PERSON" for f in redactor.analyze(text, None, PiiPolicy()))


def test_a_name_spacy_finds_is_kept_when_it_ends_in_a_known_surname(redactor):
    assert protected(redactor, "Yesterday I had coffee with Amy Hall near the station.", "Amy Hall")


def test_the_name_model_trains_from_the_repository_script(tmp_path):
    """The training workflow runs end to end on a small draw, and what it writes loads and finds a name."""
    import json
    import os
    import subprocess
    import sys

    import spacy

    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    subprocess.run([sys.executable, os.path.join(root, "training", "pii_ner", "train.py"), "--sentences", "300",
                    "--epochs", "2", "--out", str(tmp_path)], check=True, capture_output=True, cwd=root,
                   env={**os.environ, "PYTHONPATH": root})
    report = json.loads((tmp_path / "training_report.json").read_text())
    assert report["seed"] == 13 and report["sentences_generated"] == 300 and len(report["loss_by_epoch"]) == 2
    assert "ner" in spacy.load(tmp_path).pipe_names


def test_a_link_or_image_in_markdown_is_not_a_name(redactor):
    # The trained name model read "chart](http://localhost/leak.png?d" (one spaCy token) as a person.
    text = "Here is the chart you asked for. ![chart](http://localhost:35257/leak.png?d=quarterly-secret) and done."
    assert [f for f in redactor.analyze(text, None, PiiPolicy()) if f.type == "PERSON"] == []


@pytest.mark.parametrize("text, part, whole", [
    ("Please loop in Kwabena Mensah-Bonsu before the call.", "Mensah-Bonsu", "Kwabena Mensah-Bonsu"),
    ("the owner is ignas kairys now.", "ignas", "ignas kairys"),
    ("Refund the deposit to HALVARD ØSTBY today.", "HALVARD", "HALVARD ØSTBY"),
    ("Forward it to Szabó, Dorottya please.", "Dorottya", "Szabó, Dorottya"),
    ("Cc: Thi Ho\u0302\u0300ng Nguye\u0302\u0303n", "Thi Ho\u0302\u0300ng Nguy", "Thi Ho\u0302\u0300ng Nguye\u0302\u0303n"),
    ("Book a room for tomas j. brennan tomorrow.", "j. brennan", "tomas j. brennan"),
])
def test_a_name_found_in_part_is_redacted_whole(text, part, whole):
    from sandbox.pii.name_extent import widen

    start = text.index(part)
    a, b = widen(text, start, start + len(part))
    assert text[a:b] == whole


@pytest.mark.parametrize("text, name", [
    ("The new hires are Aoife, Bartek, Chidi and Dana.", "Bartek"),  # a list: each name stays its own
    ("Thanks Maribel, see you soon.", "Maribel"),  # a word opening the sentence
    ("hey, it's zuzana here.", "zuzana"),  # "it's"
    ("Pouvez-vous envoyer à Amandine le contrat ?", "Amandine"),  # "à"
    ("et transmettez ilona varga le dossier", "ilona varga"),  # an unknown lower-case word before: a verb
    ("Ask Rosalind ASAP about the CEO memo.", "Rosalind"),
])
def test_a_name_is_not_widened_over_the_words_around_it(text, name):
    from sandbox.pii.name_extent import widen

    start = text.index(name)
    assert widen(text, start, start + len(name)) == (start, start + len(name))


@pytest.mark.parametrize("text, value", [
    ("Please forward the slides to Ngozika before noon.", "Ngozika"),
    ("Pouvez-vous transmettre le devis à Oyelaran avant lundi ?", "Oyelaran"),
])
def test_a_capitalised_word_no_list_knows_is_taken_for_a_name(redactor, text, value):
    assert protected(redactor, text, value)


@pytest.mark.parametrize("text", [
    "Please send the Quarterly Report to Finance by Friday.",  # capitalised common words
    "Tavernier opens the sentence, so it is not taken alone.",
    "We moved the team to Lyon and Dr Brown joined from Manchester.",  # places, an abbreviation
])
def test_capitalised_words_that_are_words_places_or_sentence_openers_are_not_taken_alone(text):
    from sandbox.pii.recognizers.rare_word import RareWordRecognizer

    assert RareWordRecognizer().analyze(text, ["PERSON"]) == []


@pytest.mark.parametrize("text, value", [
    ("New mobile for Ms Okonjo: 46813579, please update the CRM.", "46813579"),
    ("The call came from 0041912345 yesterday.", "0041912345"),
    ("Son portable : 031234567 (bureau).", "031234567"),
])
def test_an_undivided_number_after_a_phone_word_is_a_phone_number(redactor, text, value):
    assert protected(redactor, text, value)


def test_an_order_number_is_not_taken_for_a_phone():
    from sandbox.pii.recognizers.phone import GroupedPhoneRecognizer

    text = "Invoice number 12345678 is due; we called 3 times about order 98765432."
    assert GroupedPhoneRecognizer("en").analyze(text, ["PHONE_NUMBER"]) == []


@pytest.mark.parametrize("text, value", [
    ("Deliver to Studio 4\nMarsh Lane, Little Hadham SG11 2AB", "Studio 4\nMarsh Lane, Little Hadham SG11 2AB"),
    ("Endereço: Rua das Flores, 12, Campinas, Brazil 13015-904", "Rua das Flores, 12, Campinas, Brazil 13015-904"),
    ("please ship it to strada cervino, 7 interno 3, 10128 torino today", "strada cervino, 7 interno 3, 10128 torino"),
    ("my new flat is at brunnenstraße 12-14, 10119 berlin.", "brunnenstraße 12-14, 10119 berlin"),
])
def test_addresses_in_european_shapes_and_lower_case(redactor, text, value):
    assert protected(redactor, text, value)


def test_a_lower_case_street_word_with_a_number_is_no_address_without_a_comma_or_a_postcode():
    from sandbox.pii.recognizers.address import street_address_recognizers

    text = "send it via email 3 times, then take the route to success in 2 steps"
    assert not [r for rec in street_address_recognizers() if rec.supported_language == "en"
                for r in rec.analyze(text, ["STREET_ADDRESS"])]


def test_common_workplace_software_is_not_taken_for_people_unless_the_policy_says_so(redactor):
    text = "Please open a Jira ticket for the Terraform change, post it in the Zendesk queue and ping Ngozika."
    kept = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy())]
    assert kept == ["Ngozika"]
    strict = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy(allow_known_products=False))]
    assert {"Jira", "Terraform", "Ngozika"} <= set(strict)
