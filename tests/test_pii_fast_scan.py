"""The cheaper pieces of the PII scan give exactly what Presidio's own give (real Presidio and spaCy, no mocks)."""

from __future__ import annotations

import pytest
from presidio_analyzer import RecognizerResult
from presidio_analyzer.context_aware_enhancers import LemmaContextAwareEnhancer

from sandbox.pii.config import PiiPolicy
from sandbox.pii.context_enhancer import CopyingContextEnhancer
from sandbox.pii.engine import shared_engines

CONTEXT_TEXTS = [
    "Call my phone 415-555-0134 or my mobile +44 20 7946 0958 tonight.",
    "Ship it to my home address: 42 Harbor View Road, Springfield, IL 62704.",
    "My card number is 4111 1111 1111 1111 and my email is m.olsen@example.org.",
    "Le client Jean Dupont habite au 18 rue des Tilleuls, 69003 Lyon ; son portable est le 06 12 34 56 78.",
    "The budget is on track. Could you suggest a structure with headings?",
]


@pytest.fixture(scope="module")
def analyzer():
    return shared_engines()[0]


def raw_results(analyzer, text: str, language: str):
    """Each recognizer's results, tagged with its id as the analyzer tags them before scoring context."""
    entities = PiiPolicy().wanted_types()
    recognizers = analyzer.registry.get_recognizers(language=language, entities=entities)
    artifacts = analyzer.nlp_engine.process_text(text, language)
    results = []
    for recognizer in recognizers:
        for result in recognizer.analyze(text, entities, artifacts) or []:
            result.recognition_metadata = {**(result.recognition_metadata or {}),
                                           RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: recognizer.id,
                                           RecognizerResult.RECOGNIZER_NAME_KEY: recognizer.name}
            results.append(result)
    return results, artifacts, recognizers


def described(results) -> list[tuple]:
    return [(r.entity_type, r.start, r.end, r.score, r.analysis_explanation.supportive_context_word,
             r.analysis_explanation.score, r.analysis_explanation.textual_explanation, r.recognition_metadata)
            for r in results]


@pytest.mark.parametrize("language", ["en", "fr"])
def test_context_scores_are_presidios_and_the_inputs_stay_untouched(analyzer, language):
    assert isinstance(analyzer.context_aware_enhancer, CopyingContextEnhancer)
    raised = 0
    for text in CONTEXT_TEXTS:
        raw, artifacts, recognizers = raw_results(analyzer, text, language)
        before = described(raw)
        ours = CopyingContextEnhancer().enhance_using_context(text, raw, artifacts, recognizers, ["adresse"])
        assert described(raw) == before  # the recognizers' own results are not touched
        theirs = LemmaContextAwareEnhancer().enhance_using_context(text, raw, artifacts, recognizers, ["adresse"])
        assert described(ours) == described(theirs)
        assert all(a is not b for a, b in zip(ours, raw))
        raised += sum(o.score > r.score for o, r in zip(ours, raw))
    assert raised > 0  # context words did raise some scores: the comparison covered that path


PHONE_TEXTS = [
    "415-555-0134 is the number, and the last one is +44 20 7946 0958",  # numbers at both edges of the text
    "Call (020) 7946 0958 ext. 12 or 0612345678; x 45 or +1 212 555 0123 #7.",
    "abc8005001234 and 8005001234def are no numbers; 800 500 1234 is.",  # letters touching a number
    "Meeting 2024-05-01 14:30 then 2024-05-01 14 :30, pages 211-227 (2003), 12% of 4155550134.",
    "Tel. 415 555\n0134, fax 415.555.0134" + " " * 300 + ",,, ext 99 and 06 12 34 56 78",
    "+33 1 45 67 89 10\t(415) 555-0172 / 020 7946 0958 ٤١٥٥٥٥٠١٣٤ ４１５５５５０１３４",
    "", "no digits at all here", "7",
]


def phone_texts() -> list[str]:
    """The texts above, and seeded random strings of the characters a phone candidate is made of, mixed with
    letters and line breaks, so that numbers fall across window edges."""
    import random

    rng = random.Random(13)
    pieces = ["415", "555", "0134", "20", "7946", "0958", "06", "12", "+44", "+1", "(", ")", "-", ".", " ", "  ",
              "\n", "ext", "x", ":", "30", "#", ",", "a", "b", "call ", "é", "%", "$", "/", "٣"]
    return PHONE_TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 60))) for _ in range(300)]


def test_phone_windows_find_what_whole_text_scans_find(analyzer):
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer

    from sandbox.pii.recognizers.phone_windows import (
        WindowedPhoneRecognizer,
        candidate_chars,
    )

    assert candidate_chars() is not None  # the windows are in use, not the whole-text fallback
    windowed = [r for r in analyzer.registry.recognizers if isinstance(r, WindowedPhoneRecognizer)]
    assert {r.supported_language for r in windowed} == {"en", "fr"}
    whole = PhoneRecognizer()
    found = 0
    for text in phone_texts():
        expected = [(r.start, r.end, r.score, r.analysis_explanation.textual_explanation)
                    for r in whole.analyze(text, ["PHONE_NUMBER"])]
        actual = [(r.start, r.end, r.score, r.analysis_explanation.textual_explanation)
                  for r in windowed[0].analyze(text, ["PHONE_NUMBER"])]
        assert actual == expected, text
        found += len(actual)
    assert found > 30  # numbers were found, at the edges and across the random texts


def test_phone_windows_share_the_matchers_budget_of_failed_candidates():
    """The matcher gives up after max_tries failed candidates over the whole text: the windows stop where it stops."""
    import phonenumbers

    from sandbox.pii.recognizers import phone_windows

    text = "bb 123 4567 " * 20 + "bb 415-555-0134"  # twenty failed candidates (three tries each), then a number
    spans = phone_windows.stretches(text)
    assert len(spans) == 21
    for tries in (10, 59, 60, 61, 65535):  # the whole-text matcher reaches the number with 61 tries, not 60
        whole = [(m.start, m.end) for m in phonenumbers.PhoneNumberMatcher(text, "US", 1, tries)]
        windowed = [(m.start, m.end) for m in phone_windows.window_matches(text, "US", 1, spans, tries)]
        assert windowed == whole
    assert [(m.start, m.end) for m in phone_windows.window_matches(text, "US", 1, spans, 10)] == []
    assert [(m.start, m.end) for m in phone_windows.window_matches(text, "US", 1, spans)] == [(243, 255)]


def test_greedy_scores_take_the_maxout_exactly(analyzer):
    """The piece-by-piece maximum gives bit for bit the scores of numpy's max over the pieces."""
    import numpy

    from sandbox.pii.recognizers.learned import name_model

    nlp = analyzer.nlp_engine.nlp["en"]
    for pipeline, greedy in ((nlp, nlp.get_pipe("sparse_ner").greedy), name_model()):
        doc = pipeline.make_doc(CONTEXT_TEXTS[0] + " " + CONTEXT_TEXTS[3])
        cached = greedy.lower.predict(greedy.tok2vec.predict([doc]))
        unmaxed = cached[1:, 0] + cached[0, 1] + cached[0, 2] + greedy.lower.get_param("b")
        expected = unmaxed.max(axis=-1) @ greedy.weights_t + greedy.bias
        assert numpy.array_equal(greedy._scores(unmaxed), expected)


def address_texts() -> list[str]:
    import random

    rng = random.Random(5)
    pieces = ["12", "4", "katu", "str.", "u.", " ", "  ", "\n", ",", "Via", "via", "Roma", "rue", "and", "Maarit",
              "straße", "÷", "é", "tér", "-", ".", "a", "B", "Calle", " de ", "99999", "Apt 3", "hersnapvej", "Λ.",
              "Οδ.", "_", "1a", "Koskikatu 25", "via roma 12, 00184 roma", "Rua do Arenque 1634", "12 rue de la Paix",
              "Maarit and Hersnapvej 12", "5 hersnapvej 18", "contrada pier, 29", "Calle Mayor, 5", "mäkitie",
              "gatan", " 7", "\t", "Hauptstraße 5", "Király u. 15."]
    return CONTEXT_TEXTS + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(3000)]


def test_address_patterns_match_as_they_did_before_their_look_aheads():
    """The word-start and look-ahead added in front of three address patterns change no match (Presidio compiles
    them with the `regex` module): the plain forms are spelled out here as they were."""
    import regex

    from sandbox.pii.recognizers import address as a

    plain = {
        "LOWER_SUFFIX_STREET": rf"{a.LEAD}\b[a-zà-ÿ][\w-]*(?:{a.SUFFIXES})\s+\d{{1,5}}[a-z]?(?:-\d{{1,4}})?\b"
                               rf"{a.LOWER_TOWN}",
        "LOWER_NAME_THEN_NUMBER": rf"{a.LEAD}\b(?-i:{a.LOWER_PREFIX_TYPES})\s+"
                                  rf"(?:(?:de|du|des|la|le|dos|das|do|da|del|della|di)\s+)*"
                                  rf"(?!{a.STOP}\b)[a-zà-ÿ][\w'’-]*(?:\s(?!{a.STOP}\b)[a-zà-ÿ][\w'’-]*){{0,2}}"
                                  rf"(?:,\s+\d{{1,5}}[a-z]?\b{a.LINE_END}{a.LOWER_TOWN}"
                                  rf"|\s+\d{{1,5}}[a-z]?\b{a.LINE_END}{a.LOWER_TOWN_NEEDED})",
        "NAME_THEN_NUMBER": rf"{a.LEAD}{a.AND_NAME}\b(?:{a.PREFIX_TYPES})\s+"
                            rf"(?:(?:de|du|des|la|le|dos|das|do|da|del|della|di)\s+)*"
                            rf"{a.CAP}(?:\s{a.CAP}){{0,3}},?\s+\d{{1,5}}[A-Za-z]?\b{a.LINE_END}{a.TAIL}{a.BLOCK_TAIL}",
    }
    shipped = {name: pattern for name, pattern, _ in a.PATTERNS}
    texts, matched = address_texts(), 0
    for name, pattern in plain.items():
        assert shipped[name] != pattern
        before, after = regex.compile(pattern, regex.MULTILINE), regex.compile(shipped[name], regex.MULTILINE)
        for text in texts:
            spans = [m.span() for m in before.finditer(text)]
            assert [m.span() for m in after.finditer(text)] == spans, (name, text)
            matched += len(spans)
    assert matched > 100


@pytest.mark.parametrize("language", ["en", "fr"])
def test_greedy_ner_reads_spans_as_their_copies(analyzer, language):
    """Spans given to the recognizer get bit for bit the vectors and the entities of the same spans copied into new
    Docs (as_doc), at the start, middle and end of the text."""
    import numpy

    from sandbox.pii.recognizers.learned import name_model

    nlp = analyzer.nlp_engine.nlp[language]
    text = " ".join(CONTEXT_TEXTS) + " Merci, Jean-Luc Picard et Olga Petrenko."
    found = 0
    for pipeline, greedy in ((nlp, nlp.get_pipe("sparse_ner").greedy), name_model()):
        doc = pipeline.make_doc(text)
        n = len(doc)
        spans = [doc[0:12], doc[9:40], doc[n - 25:n]]
        copies = [span.as_doc() for span in spans]
        assert numpy.array_equal(greedy.tok2vec.predict(spans), greedy.tok2vec.predict(copies))
        assert greedy.entities(spans) == greedy.entities(copies)
        found += sum(len(ents) for ents in greedy.entities(spans))
    assert found > 0


def test_sentence_start_read_backwards_is_the_regex_search():
    """at_sentence_start(text, pos) is SENTENCE_END.search(text, 0, pos) at every position of seeded random texts
    of sentence ends, spaces (Unicode ones too), quotes, brackets and letters; name_form's short path is its long one."""
    import random

    from sandbox.pii.recognizers.gazetteer import (
        SENTENCE_END,
        at_sentence_start,
        name_form,
    )

    rng = random.Random(3)
    pieces = ["a", "B", " ", "  ", "\n", "\t", ".", "!", "?", ":", ";", '"', "“", "«", "(", ")", ",", "\u00a0",
              "\u2003", "x.", "\r", "\x1c", "»", "-"]
    starts = 0
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
        for pos in range(len(text) + 2):
            expected = SENTENCE_END.search(text, 0, pos) is not None
            assert at_sentence_start(text, pos) == expected, (text, pos)
            starts += expected
    assert starts > 1000
    for word in ["ashley", "O'BRIEN", "jean-luc", "(Maria),", "-x-", "", "ÉLODIE.", "’anna’"]:
        long_form = "-".join(p[:1].upper() + p[1:].lower() for p in word.strip(".,;:'’\"()").split("-"))
        assert name_form(word) == long_form

