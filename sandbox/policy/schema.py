"""The policy-file schema. Pydantic is the one source: it validates files and generates policies/schema.json."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator

from sandbox.guards.deny_rules import DenyRule
from sandbox.guards.harmful import DEFAULT_MESSAGE, HarmfulAction, HarmfulCategory
from sandbox.pii.config import PiiPolicy
from sandbox.policy.company import GlobalSettings, Strict
from sandbox.policy.routing import Routing

GuardName = Literal["model_access", "token_count", "rate_limit", "pii", "deny_rules", "injection", "harmful",
                    "token_budget"]
DEFAULT_ORDER: list[str] = ["model_access", "token_count", "rate_limit", "pii", "deny_rules", "injection", "harmful",
                            "token_budget"]


class Budgets(Strict):
    """Token budgets. Counted with tiktoken for OpenAI-family models, litellm's counter for others."""

    max_prompt_tokens: int = Field(4000, gt=0, description="Largest prompt (with the conversation so far).")
    max_output_tokens: int = Field(512, gt=0, description="Longest answer a model may give.")
    user_tokens_per_day: int | None = Field(None, ge=0, description="Tokens one user may spend per UTC day; "
                                            "null means no limit.")
    user_tokens_per_month: int | None = Field(None, ge=0, description="Tokens one user may spend per month.")
    role_tokens_per_day: int | None = Field(None, ge=0, description="Tokens all users of the role together "
                                            "may spend per UTC day.")
    role_tokens_per_month: int | None = Field(None, ge=0, description="Tokens all users of the role together "
                                              "may spend per month.")


class RateLimits(Strict):
    """Requests per user, counted in the database so several processes agree."""

    per_minute: int | None = Field(None, ge=1, description="Requests one user may send per minute.")
    per_hour: int | None = Field(None, ge=1, description="Requests one user may send per hour.")


class InjectionSettings(Strict):
    """Prompt-injection and jailbreak detection (offline, scored)."""

    enabled: bool = Field(True, description="Run the detector on prompts.")
    threshold: float = Field(0.5, ge=0, le=1, description="Score at or above which a prompt is blocked. The score is "
                             "the larger of the rule score and the learned model's; 0.5 is the operating point "
                             "chosen on training data (at most 5% out-of-fold false alarms on hard benign prompts). "
                             "Raise it to block less, lower it to block more.")
    message: str = Field(
        "This prompt looks like an attempt to override the assistant's instructions, so it was not sent. "
        "Rephrase it as a plain question.",
        description="What the employee reads when a prompt is blocked.",
    )


class HarmfulSettings(Strict):
    """Requests for harmful content, by category (offline classifier). Each category blocks, warns or is allowed."""

    enabled: bool = Field(True, description="Run the classifier on prompts.")
    threshold: float = Field(0.5, ge=0, le=1, description="Score at or above which a prompt counts as harmful; "
                             "0.5 is the operating point chosen on training data (about 8% false alarms on "
                             "harmless prompts that share the words of harmful ones).")
    default_action: HarmfulAction = Field("block", description="What happens in a category not listed under "
                                          "`categories`: block (not sent), warn (sent, and the warning is "
                                          "recorded in the audit log), allow (sent, nothing recorded).")
    categories: dict[HarmfulCategory, HarmfulAction] = Field(
        default_factory=dict, description="Per-category action: block, warn or allow, e.g. {cyber_malware: warn}.")
    message: str = Field(DEFAULT_MESSAGE, description="What the employee reads when a prompt is blocked; "
                         "{category} is replaced by the category in words.")


class OutputChecks(Strict):
    """Checks on the model's answer before it is shown and recorded."""

    deny_rules: list[DenyRule] = Field(default_factory=list, description="Rules applied to answers.")


class RolePolicy(Strict):
    """Everything the policy says about one role."""

    description: str = Field("", description="Who holds this role.")
    models: list[str] = Field(description="Models the role may use; '*' means every available model.")
    budgets: Budgets = Field(default_factory=Budgets)
    rate_limits: RateLimits = Field(default_factory=RateLimits)
    deny_rules: list[DenyRule] = Field(default_factory=list, description="Topics, keywords and regex rules "
                                       "applied to prompts, each with its own message.")
    injection: InjectionSettings = Field(default_factory=InjectionSettings)
    harmful: HarmfulSettings = Field(default_factory=HarmfulSettings)
    output: OutputChecks = Field(default_factory=OutputChecks)
    pii: PiiPolicy = Field(default_factory=PiiPolicy, description="Personal-data protection.")
    routing: Routing | None = Field(None, description="Which model answers which prompt (after the input "
                                    "guards); with it, the role may pick the model 'auto'.")
    guard_order: list[GuardName] = Field(default_factory=lambda: list(DEFAULT_ORDER),
                                         description="Order in which input guards run.")
    api_keys: bool = Field(True, description="May create and use personal API keys (the OpenAI-compatible "
                           "API under /v1).")
    can_review_feedback: bool = Field(False, description="May review feedback and export datasets.")
    can_admin: bool = Field(False, description="May edit policies, manage users and read every audit record.")

    @property
    def may_review_feedback(self) -> bool:
        """Reviewing and exporting feedback: given by can_review_feedback, and always to admins."""
        return self.can_review_feedback or self.can_admin

    @field_validator("guard_order")
    @classmethod
    def _no_repeats(cls, order: list[str]) -> list[str]:
        if len(set(order)) != len(order):
            raise ValueError("each guard may appear only once")
        return order


class PolicyFile(Strict):
    """One YAML file in policies/. Files are merged; a role may be defined in one file only."""

    roles: dict[str, RolePolicy] = Field(default_factory=dict, description="Role name -> its policy.")
    settings: GlobalSettings | None = Field(None, description="Company-wide settings; in one file only.")
