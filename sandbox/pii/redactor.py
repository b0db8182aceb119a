"""One detection and redaction path for the gateway, the CLI and exports. Fails closed."""

from __future__ import annotations

import concurrent.futures
from dataclasses import dataclass, field
from functools import lru_cache

from presidio_analyzer import Pattern, PatternRecognizer, RecognizerResult
from presidio_anonymizer.entities import OperatorConfig

from sandbox.pii.config import PiiPolicy
from sandbox.pii.language import detect_languages, names_in_their_language
from sandbox.pii.name_extent import widen
from sandbox.pii.recognizers.gazetteer import workplace_tools
from sandbox.pii.refine import refine_people
from sandbox.pii.vault import PLACEHOLDER, PseudonymVault

MAX_CHARS = 200_000  # longer text is refused rather than scanned slowly
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="pii")


class PiiCheckError(RuntimeError):
    """Detection failed; the message holds no user text."""


@dataclass(frozen=True)
class Finding:
    type: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict:
        return {"type": self.type, "start": self.start, "end": self.end, "score": round(self.score, 3)}


@dataclass
class RedactionResult:
    text: str
    findings: list[Finding] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    blocked: bool = False
    message: str = ""


@lru_cache(maxsize=64)
def _custom_recognizers(policy_json: str, language: str) -> list:
    policy = PiiPolicy.model_validate_json(policy_json)
    recognizers = []
    for custom in policy.custom_recognizers:
        if language not in custom.languages:
            continue
        patterns = [Pattern(custom.name, p, custom.score) for p in custom.patterns]
        recognizers.append(PatternRecognizer(
            custom.entity, name=custom.name, supported_language=language, patterns=patterns or None,
            deny_list=custom.deny_list or None, context=custom.context or None, deny_list_score=custom.score))
    return recognizers


ACTION_RANK = {"block": 3, "hash": 2, "mask": 2, "redact": 2, "allow": 0}


def merge(findings: list[Finding], policy: PiiPolicy | None = None) -> list[Finding]:
    """Overlapping findings become one span, typed by the strictest action the policy takes on any of them (a
    blocked code name that spaCy also calls a PERSON still blocks), then by the most confident."""
    policy = policy or PiiPolicy()

    def rank(f: Finding) -> tuple:
        return ACTION_RANK[policy.rule(f.type).action], f.score

    merged: list[Finding] = []
    for f in sorted(findings, key=lambda f: (f.start, -f.end)):
        if merged and f.start < merged[-1].end:
            last = merged[-1]
            best = last if rank(last) >= rank(f) else f
            merged[-1] = Finding(best.type, last.start, max(last.end, f.end), max(last.score, f.score))
        else:
            merged.append(f)
    return merged


class Redactor:
    """Wraps the shared Presidio engines; `analyze` finds, `redact` acts as the policy says."""

    def __init__(self, analyzer=None, anonymizer=None):
        if analyzer is None or anonymizer is None:
            from sandbox.pii.engine import shared_engines

            analyzer, anonymizer = shared_engines()
        self.analyzer = analyzer
        self.anonymizer = anonymizer

    def analyze(self, text: str, language: str | None = None, policy: PiiPolicy | None = None,
                timeout_s: float | None = None) -> list[Finding]:
        policy = policy or PiiPolicy()
        if not text or not text.strip():
            return []
        if len(text) > MAX_CHARS:
            raise PiiCheckError(f"The text is longer than {MAX_CHARS:,} characters, too long to check for "
                                "personal data. Send a shorter excerpt.")
        language = language if language in self.analyzer.supported_languages else None
        language = language or (policy.language if policy.language != "auto" else None)
        languages = [language] if language else detect_languages(text)
        future = _pool.submit(self._analyze, text, languages, policy)
        try:
            return future.result(timeout=timeout_s or policy.timeout_s)
        except concurrent.futures.TimeoutError:
            raise PiiCheckError("Checking the text for personal data took too long.") from None
        except PiiCheckError:
            raise
        except Exception as exc:  # the class name only: an exception message may quote the text
            raise PiiCheckError(f"Checking the text for personal data failed ({type(exc).__name__}).") from None

    def _analyze(self, text: str, languages: list[str], policy: PiiPolicy) -> list[Finding]:
        by_language = {}
        for language in languages:  # a mixed prompt gets both pipelines
            found = self.analyzer.analyze(
                text, language=language, entities=policy.wanted_types(),
                ad_hoc_recognizers=_custom_recognizers(policy.model_dump_json(), language) or None,
                allow_list=policy.allow_list or None, allow_list_match="exact",
            )
            by_language[language] = refine_people(text, found, policy.threshold("PERSON"), language)
        results = names_in_their_language(text, by_language)
        allowed = {a.casefold() for a in policy.allow_list}
        if policy.allow_known_products:  # "Jira", "Zendesk": the name detectors can take software for people
            allowed |= workplace_tools()
        # A placeholder already in the text (an answer echoing the prompt) is never personal data, nor any part
        # of it: the name recognizers read "EMAIL_ADDRESS_1" inside "<EMAIL_ADDRESS_1>" as a rare capitalised word.
        placeholders = [m.span() for m in PLACEHOLDER.finditer(text)]
        findings = [Finding(r.entity_type, *(widen(text, r.start, r.end) if r.entity_type == "PERSON" else
                                             (r.start, r.end)), r.score) for r in results
                    if r.score >= policy.threshold(r.entity_type)
                    and text[r.start:r.end].strip().casefold() not in allowed
                    and not any(s <= r.start and r.end <= e for s, e in placeholders)]
        return merge(findings, policy)

    def redact(self, text: str, policy: PiiPolicy, vault: PseudonymVault, *, restorable: bool = True,
               language: str | None = None, keep_owned: bool = False) -> RedactionResult:
        """Find personal data and apply the policy's action to each finding (blocked when the check fails)."""
        try:
            findings = self.analyze(text, language, policy)
        except PiiCheckError as exc:
            return RedactionResult("", blocked=True, message=f"{exc} Nothing was sent.")
        return self.apply(text, findings, policy, vault, restorable=restorable, keep_owned=keep_owned)

    def apply(self, text: str, findings: list[Finding], policy: PiiPolicy, vault: PseudonymVault, *,
              restorable: bool = True, keep_owned: bool = False) -> RedactionResult:
        """Act on findings from `analyze`. `keep_owned` leaves the user's own values in place."""
        acted = []
        for f in findings:
            action = policy.rule(f.type).action
            if action == "allow" or (keep_owned and vault.owns(text[f.start:f.end])):
                continue
            if action == "block":
                return RedactionResult("", [f], {f.type: 1}, True,
                                       f"The text contains a {f.type.replace('_', ' ').lower()}, which your policy "
                                       "does not allow to be sent. Remove it and try again.")
            acted.append(f)
        counts: dict[str, int] = {}
        for f in acted:
            counts[f.type] = counts.get(f.type, 0) + 1
        if not acted:
            return RedactionResult(text, [], counts)
        operators = {}
        for entity in {f.type for f in acted}:
            action = policy.rule(entity).action
            if action == "mask":
                operators[entity] = OperatorConfig("mask", {"masking_char": "*", "chars_to_mask": 10**6,
                                                            "from_end": False})
            elif action == "hash":
                operators[entity] = OperatorConfig("hash", {"hash_type": "sha256"})
            else:
                operators[entity] = OperatorConfig("custom", {"lambda": lambda value, e=entity:
                                                              vault.placeholder(e, value, restorable)})
        result = self.anonymizer.anonymize(
            text=text, analyzer_results=[RecognizerResult(f.type, f.start, f.end, f.score) for f in acted],
            operators=operators)
        return RedactionResult(result.text, acted, counts)

