"""Company-wide policy settings: retention, single sign-on, feedback. Part of the policy-file schema."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SingleSignOn(Strict):
    """Trust a company proxy's identity headers, only from listed addresses."""

    enabled: bool = Field(False, description="Accept identity from the proxy headers below.")
    trusted_proxies: list[str] = Field(default_factory=list, description="Proxy addresses or networks (CIDR).")
    user_header: str = Field("X-Forwarded-User", description="Header holding the user name.")
    email_header: str = Field("X-Forwarded-Email", description="Header holding the email address.")
    groups_header: str = Field("X-Forwarded-Groups", description="Header holding comma-separated groups.")
    group_roles: dict[str, str] = Field(default_factory=dict, description="Group name -> role; the first "
                                        "matching group in this order wins.")
    default_role: str = Field("employee", description="Role of a signed-in user with no mapped group.")


class Feedback(Strict):
    """How employee feedback becomes a fine-tuning dataset."""

    consent_default: bool = Field(False, description="Pre-ticked state of 'may be used to improve models'.")
    approvals_required: int = Field(1, ge=1, description="Approvals an item needs before export.")


class GlobalSettings(Strict):
    retention_days: int = Field(90, ge=1, description="Days audit records are kept before `audit purge`.")
    default_role: str = Field("employee", description="Role of a new local user.")
    sso: SingleSignOn = Field(default_factory=SingleSignOn)
    feedback: Feedback = Field(default_factory=Feedback)
