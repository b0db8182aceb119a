"""Address and name shapes the second recall pass added, on sentences written for these tests (synthetic values)."""

from __future__ import annotations

import pytest

from sandbox.pii.config import PiiPolicy


def covered_by(redactor, text, value, language="en"):
    """The types of findings that cover all of `value` in `text` (an overlapping name may give the merged span
    its type; what matters is that the value is covered)."""
    start = text.index(value)
    end = start + len(value)
    return {f.type for f in redactor.analyze(text, language, PiiPolicy()) if f.start <= start and f.end >= end}


@pytest.mark.parametrize("text, value", [
    ("Ship it to 410 22 Maple Terrace, Apt. 7, please.", "410 22 Maple Terrace, Apt. 7"),
    ("my new place is 77 old mill road suite 4 red deer alberta", "77 old mill road suite 4 red deer alberta"),
    ("The office is at Lindener Strasse 41 since May.", "Lindener Strasse 41"),
    ("We met at Tavasz utca 8. last year.", "Tavasz utca 8."),
    ("Deliver to 3021 ul. Kwiatowa 17 Apt. 5 tomorrow.", "3021 ul. Kwiatowa 17 Apt. 5"),
    ("send it to 12 bergvollen 44 st. after lunch", "12 bergvollen 44 st."),
    ("Write to 8120 P.O. Box 311, Suite 9 instead.", "8120 P.O. Box 311, Suite 9"),
    ("Meet me at the corner of Birch Rd. and Kestrel Lane tonight.", "Birch Rd. and Kestrel Lane"),
    ("Meet me at the corner of 31 Ash St. and Pike Road.", "31 Ash St. and Pike Road"),
    ("Our stand was on Harbour Gate Street for years.", "Harbour Gate Street"),
    ("Our agency: 9 Vicolo Fontana 3, Sala Baganza", "9 Vicolo Fontana 3"),
    ("Post it to 16 Rowan Crescent, Leeds LS6 2QT today.", "16 Rowan Crescent, Leeds LS6 2QT"),
    ("Post it to 88 Birchmount Road, Toronto, ON M1K 5G4 today.", "88 Birchmount Road, Toronto, ON M1K 5G4"),
])
def test_address_shapes_are_found_whole(redactor, text, value):
    assert covered_by(redactor, text, value) & {"STREET_ADDRESS", "PERSON"}
    assert "tonight" not in "".join(text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()))


@pytest.mark.parametrize("text", [
    "We booked 4 rooms for 3 nights in the park.",
    "She was born on 4 mars 1981, à Lyon.",
    "He ran 12 laps around 400 meters each.",
    "Revenue grew 14 percent in 2023, driven by 3 products.",
])
def test_numbers_in_ordinary_sentences_are_not_addresses(redactor, text):
    assert not [f for f in redactor.analyze(text, None, PiiPolicy()) if f.type == "STREET_ADDRESS"]


@pytest.mark.parametrize("text, value", [
    ("Please invite Teodor Kowalczyk to the review.", "Teodor Kowalczyk"),  # unknown given name, known surname
    ("The form was signed by Ilse R Vandermeer yesterday.", "Ilse R Vandermeer"),  # a middle initial
    ("Orsolya Brandl lives at the end of the lane.", "Orsolya Brandl"),  # a person's verb
    ("We saw Zdenka's daughter at the station.", "Zdenka"),  # whose relative
    ("hi, my name is sofia rinaldi and I need help", "sofia rinaldi"),  # lower case after a strong cue
])
def test_name_evidence_finds_people(redactor, text, value):
    assert "PERSON" in covered_by(redactor, text, value)


@pytest.mark.parametrize("text", [
    "i'm going to send the report tomorrow.",
    "We walked through Central Park after lunch.",
    "The answer is in the summary below.",
])
def test_ordinary_words_are_not_people(redactor, text):
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]


@pytest.mark.parametrize("text, value", [
    ("Ofelio and Murphy were both on the call.", "Ofelio"),  # a pair where one is a known surname
    ("Quillan, can you send me the contract?", "Quillan"),  # addressed at the start of a sentence
    ("she moved in 2019. her maiden name is brzeskova", "brzeskova"),  # lower case after a surname cue
    ("Petronella van der Zande will be talking first.", "Petronella van der Zande"),  # surname particles
    ("sarah oduya lives near the station", "sarah oduya"),  # lower case with a person's verb
])
def test_third_pass_name_evidence(redactor, text, value):
    assert "PERSON" in covered_by(redactor, text, value)


def test_every_speaker_of_a_dialogue_is_a_person(redactor):
    text = "Zorbek: Where were you?\nLinda: At the market.\nZorbek: Alone?"
    found = {text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"}
    assert {"Zorbek", "Linda"} <= found


@pytest.mark.parametrize("text", [
    "Sorry, can you resend the file?",
    "Subject: renewal\nDate: Monday\nNote: call back",
    "Karin Olsen\nLeasing consultant\nRiverside office",
    "We flew to Tjørnuvík on Saturday.",
])
def test_openers_labels_and_places_are_not_people(redactor, text):
    found = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]
    assert not [v for v in found if v not in ("Karin Olsen",)]
    assert all("\n" not in v for v in found)


@pytest.mark.parametrize("text, word", [
    ("She was named Salesperson of the Year twice.", "Salesperson"),  # a role word alone
    ("I used to work for Uncle Ferdinand Inc before that.", "Ferdinand"),  # an organisation before its suffix
    ("Brumlavo is a design agency based in Ghent.", "Brumlavo"),  # described as a business
    ("The ferry leaves for Port Essington at noon.", "Essington"),  # a place opened by a place word
])
def test_organisations_places_and_roles_are_not_people(redactor, text, word):
    found = "".join(text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON")
    assert word not in found


def test_a_name_stops_at_its_possessive_whoever_found_it(redactor):
    text = "We read Ilse R Vandermeer's Winter Notes aloud."
    found = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]
    assert found == ["Ilse R Vandermeer"]


@pytest.mark.parametrize("text, value", [
    ("Osku Vaaranen\n\n4417 Harbour Gate Street\nSuite 12\nLeeds", "Osku Vaaranen"),  # a block with an address
    ("jonas mirek\nfreight planner\nnorth depot", "jonas mirek"),  # lower case, a known given name first
])
def test_the_opening_line_of_a_contact_block_is_a_person(redactor, text, value):
    assert "PERSON" in covered_by(redactor, text, value)


def test_a_name_found_once_is_found_everywhere_in_the_text(redactor):
    text = "Tomasz Wrzel signed first. Later the clerk thanked Wrzel, and Wrzel left."
    found = [text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]
    assert "Tomasz Wrzel" in found and found.count("Wrzel") == 2


@pytest.mark.parametrize("text", [
    "Quarterly Review\n\nRevenue rose in every region.\nCosts fell.",
    "meeting notes\nbudget approved\nnext steps below",
])
def test_titles_opening_a_block_are_not_people(redactor, text):
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]


@pytest.mark.parametrize("text, value", [
    ("Please add Tenzin Okonkwo-Berg to the distribution list.", "Tenzin Okonkwo-Berg"),  # Tibetan given name, hyphenated surname
    ("The booking is under Aigerim Zhaksylykova for two nights.", "Aigerim Zhaksylykova"),  # Kazakh given name
    ("We hired Sigurður Blomkvistur last spring.", "Sigurður Blomkvistur"),  # Icelandic given name
    ("Forward the invoice to Chidinma Olatunde-Reyes today.", "Chidinma Olatunde-Reyes"),  # Igbo given name
])
def test_international_given_names_are_evidence(redactor, text, value):
    assert "PERSON" in covered_by(redactor, text, value)


def test_given_names_list_is_broad_and_leaves_out_everyday_words():
    from sandbox.pii.recognizers.person import given_names

    names = given_names()
    assert len(names) > 3000
    assert {"Quinn", "Avery", "Tenzin", "Oluwaseun", "Jyoti", "Kaveh"} <= names
    assert not {"Summer", "Hope", "Drew", "Made", "Long", "Mercedes", "Dev"} & names


def test_surnames_after_at_are_a_firm_not_people(redactor):
    text = "She spent a year at Quillfeather, Mitchell and Hargrove as an intern."
    found = "".join(text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON")
    assert "Hargrove" not in found


@pytest.mark.parametrize("text", [
    "Procurement, can you approve the purchase order?",
    "Finance, could you check the figures again?",
    "Victoria Station is closed until Tuesday.",
    "The keynote is at Madison Square Garden this year.",
])
def test_teams_and_venues_are_not_people(redactor, text):
    assert not [f for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"]


def test_role_labels_in_a_transcript_are_not_people(redactor):
    text = "Interviewer: When did you start?\nPriya: In 2019.\nInterviewer: And the training?"
    found = {text[f.start:f.end] for f in redactor.analyze(text, "en", PiiPolicy()) if f.type == "PERSON"}
    assert "Priya" in found and "Interviewer" not in found
