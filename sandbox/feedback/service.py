"""Feedback rules: who may give, see, review and export it; its text redacted before it is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from sandbox.feedback.export import export_dataset
from sandbox.store.feedback import FeedbackError, FeedbackStore


class FeedbackService:
    def __init__(self, store: FeedbackStore, policy, users, redact: Callable[[str], str],
                 scan: Callable[[str], list[str]], record_event: Callable[..., None] | None = None):
        self.store = store
        self.policy = policy
        self.users = users
        self.redact = redact
        self.scan = scan
        self.record_event = record_event

    @classmethod
    def from_settings(cls, settings) -> "FeedbackService":
        from sandbox.policy.active import build_policy
        from sandbox.store.interactions import InteractionLog
        from sandbox.store.users import UserDirectory

        policy, _ = build_policy(settings)
        return cls.from_parts(FeedbackStore(settings.database), policy, UserDirectory(settings.database),
                              InteractionLog(settings.database).record_event)

    @classmethod
    def from_parts(cls, store, policy, users, record_event: Callable[..., None]) -> "FeedbackService":
        """Redaction with the default PII policy (feedback text is free text from anyone) through the policy's
        redactor; dataset exports go to `record_event`, the audit chain."""
        from sandbox.pii.config import PiiPolicy
        from sandbox.pii.vault import PseudonymVault

        redactor, pii_policy = policy.redactor, PiiPolicy()

        def redact(text: str) -> str:
            if not text:
                return ""
            result = redactor.redact(text, pii_policy, PseudonymVault())
            if result.blocked:
                raise FeedbackError("The text could not be checked for personal data, so it was not stored.")
            return result.text

        def scan(text: str) -> list[str]:
            return sorted({f.type for f in redactor.analyze(text)}) if text.strip() else []

        return cls(store, policy, users, redact, scan, record_event)

    # -- roles ---------------------------------------------------------------------------------------
    def is_reviewer(self, user: str) -> bool:
        account = self.users.get(user)
        if account is None or account.disabled:
            return False
        rules = self.policy.role(account.role)
        return bool(rules and rules.may_review_feedback)

    def _require_reviewer(self, user: str) -> None:
        if not self.is_reviewer(user):
            raise PermissionError(f"'{user}' may not review or export feedback; the policy gives that to "
                                  "roles with can_review_feedback.")

    # -- actions -------------------------------------------------------------------------------------
    def add(self, *, interaction_id: str, user: str, rating: str, comment: str = "", better_answer: str = "",
            consent: bool | None = None) -> int:
        if consent is None:
            consent = self.policy.current.settings.feedback.consent_default
        return self.store.add(interaction_id=interaction_id, user=user, rating=rating,
                              comment=self.redact(comment), better_answer=self.redact(better_answer),
                              consent=consent)

    def amend(self, feedback_id: int, *, user: str, rating: str, comment: str = "", better_answer: str = "",
              consent: bool = False) -> None:
        """The user's own unreviewed feedback, rated again or commented on; text redacted like `add`'s."""
        self.store.amend(feedback_id, user, rating=rating, comment=self.redact(comment),
                         better_answer=self.redact(better_answer), consent=bool(consent))

    def list(self, user: str, **filters) -> list[dict]:
        if not self.is_reviewer(user):
            filters["user"] = user  # employees see only their own feedback
        return self.store.list(**filters)

    def review(self, user: str, feedback_id: int, action: str, *, reason: str = "",
               edited_answer: str | None = None) -> dict:
        self._require_reviewer(user)
        if edited_answer is not None:
            edited_answer = self.redact(edited_answer)
        required = self.policy.current.settings.feedback.approvals_required
        return self.store.review(feedback_id, user, action, reason=self.redact(reason),
                                 edited_answer=edited_answer, approvals_required=required)

    def export(self, user: str, *, fmt: str, out: Path, filters: dict | None = None,
               dataset_id: str | None = None) -> dict:
        self._require_reviewer(user)
        manifest = export_dataset(self.store, self.scan, fmt=fmt, out=Path(out), exported_by=user,
                                  filters=filters, dataset_id=dataset_id)
        if self.record_event is not None:
            self.record_event("dataset-export", user, {k: manifest[k] for k in ("dataset_id", "sha256", "counts", "file")})
        return manifest
