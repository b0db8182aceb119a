"""Feedback to fine-tuning: ratings under answers, a review queue, and reviewed items exported as datasets.

`service` holds the rules (who may give, see, review and export; text redacted before it is stored), `export`
writes chat and DPO datasets with a manifest; the rows live in `sandbox.store.feedback`.
"""

from sandbox.feedback.service import FeedbackService

__all__ = ["FeedbackService"]
