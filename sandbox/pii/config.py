"""The PII section of a role's policy: what to find, how to treat each type, and what to leave alone."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

Action = Literal["redact", "mask", "hash", "block", "allow"]

# Types that identify a person or an account; what `redact` acts on unless a policy says otherwise.
SENSITIVE_TYPES = [
    "PERSON", "STREET_ADDRESS", "EMAIL_ADDRESS", "PHONE_NUMBER", "CREDIT_CARD", "IBAN_CODE", "US_SSN",
    "IP_ADDRESS", "US_DRIVER_LICENSE", "US_PASSPORT", "US_BANK_NUMBER", "FR_NIR", "FR_SIREN", "FR_SIRET",
    "CRYPTO", "MEDICAL_LICENSE",
]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class EntityRule(Strict):
    action: Action = Field("redact", description="redact: placeholder like <PERSON_1>; mask: *** ; hash: a short "
                           "digest; block: refuse the whole request; allow: leave it.")
    threshold: float | None = Field(None, ge=0, le=1, description="Minimum detection score; default: the "
                                    "policy's default_threshold.")


class CustomRecognizer(Strict):
    """A recognizer written in the policy: regular expressions with context words, or a deny-list."""

    name: str = Field(description="Name shown in audit records.")
    entity: str = Field(pattern=r"^[A-Z][A-Z0-9_]*$", description="Entity type it reports, e.g. EMPLOYEE_ID.")
    patterns: list[str] = Field(default_factory=list, description="Regular expressions for the value.")
    deny_list: list[str] = Field(default_factory=list, description="Exact words or phrases (e.g. code names).")
    context: list[str] = Field(default_factory=list, description="Words near a value that raise its score.")
    score: float = Field(0.8, ge=0, le=1, description="Score of a match before context.")
    languages: list[Literal["en", "fr"]] = Field(default_factory=lambda: ["en", "fr"])

    @field_validator("patterns")
    @classmethod
    def _compiles(cls, patterns: list[str]) -> list[str]:
        from sandbox.guards.deny_rules import check_regex

        for pattern in patterns:
            check_regex(pattern)
        return patterns


class PiiPolicy(Strict):
    """Personal-data protection for one role."""

    enabled: bool = Field(True, description="Scan prompts for personal data.")
    default_action: Action = Field("redact", description="What happens to a sensitive type not listed in "
                                   "`entities`.")
    default_threshold: float = Field(0.4, ge=0, le=1, description="Minimum detection score to act on a finding.")
    entities: dict[str, EntityRule] = Field(default_factory=dict, description="Per-type action and threshold.")
    types: list[str] = Field(default_factory=lambda: list(SENSITIVE_TYPES),
                             description="Types to look for (custom recognizers' types are added).")
    allow_list: list[str] = Field(default_factory=list, description="Values never redacted (the company's name, "
                                  "public addresses); matched case-insensitively.")
    allow_known_products: bool = Field(True, description="Never redact the names of common workplace software and "
                                       "services (sandbox/pii/data/workplace_tools.txt: 'Jira', 'Zendesk', "
                                       "'Asana'), which the name detectors can take for people.")
    custom_recognizers: list[CustomRecognizer] = Field(default_factory=list)
    language: Literal["auto", "en", "fr"] = Field("auto", description="Language of prompts; auto detects it.")
    scan_output: bool = Field(True, description="Redact personal data in answers that is not the user's own.")
    timeout_s: float = Field(5.0, gt=0, description="Longest a scan may take; past it the request is blocked.")

    def rule(self, entity: str) -> EntityRule:
        rule = self.entities.get(entity)
        return rule if rule is not None else EntityRule(action=self.default_action)

    def threshold(self, entity: str) -> float:
        rule = self.entities.get(entity)
        return rule.threshold if rule and rule.threshold is not None else self.default_threshold

    def wanted_types(self) -> list[str]:
        extra = [r.entity for r in self.custom_recognizers]
        return sorted({*self.types, *self.entities, *extra})
