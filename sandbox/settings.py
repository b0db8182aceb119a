"""Paths and environment: the one place the sandbox reads its configuration from."""

from __future__ import annotations

import importlib.util
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _package_dir(name: str) -> Path | None:
    """Where an installed package lives, found without importing it."""
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0])


def make_offline() -> None:
    """Point every library that would reach the network at what ships on disk.

    Must run before litellm, tiktoken, presidio or huggingface code is imported.
    """
    litellm_dir = _package_dir("litellm")
    if litellm_dir is not None:
        tokenizers = litellm_dir / "litellm_core_utils" / "tokenizers"
        os.environ.setdefault("TIKTOKEN_CACHE_DIR", str(tokenizers))
    os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")
    os.environ.setdefault("LITELLM_LOG", "ERROR")
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("GRADIO_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")
    # tldextract (Presidio's email recognizer) uses its bundled public-suffix snapshot, not the network.
    os.environ.setdefault("TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS", "")
    quiet_raw_text_loggers()


# Libraries that see text before it is redacted and log it at DEBUG (Presidio's context words, litellm's token
# counter): capped at WARNING so raw personal data never reaches a log line, whatever the root level.
RAW_TEXT_LOGGERS = ("presidio-analyzer", "presidio-anonymizer", "LiteLLM", "LiteLLM Router", "LiteLLM Proxy")


def quiet_raw_text_loggers() -> None:
    for name in RAW_TEXT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)


def mask_url(url: str) -> str:
    """A database URL with its password replaced by ***, fit for a log line or an error message."""
    try:
        parts = urlsplit(url)
        if parts.password is None:
            return url
        userinfo, host = parts.netloc.rsplit("@", 1)
        return urlunsplit(parts._replace(netloc=f"{userinfo.split(':', 1)[0]}:***@{host}"))
    except ValueError:
        return "postgresql://(unreadable URL)"


@dataclass(frozen=True)
class Settings:
    """Where the sandbox reads and writes; every path can be overridden."""

    data_dir: Path
    policies_dir: Path
    prompts_dir: Path
    models_file: Path
    local_model_url: str | None
    local_model_key: str | None = None
    secure_cookies: bool = False  # SANDBOX_SECURE_COOKIES: the session cookie is sent over HTTPS only
    metrics_token: str = ""  # SANDBOX_METRICS_TOKEN: a scraper sends "Authorization: Bearer <token>" for /metrics
    allowed_origins: tuple[str, ...] = ()  # SANDBOX_ALLOWED_ORIGINS: the page's public origin(s) behind a proxy
    audit_key: str = ""  # SANDBOX_AUDIT_KEY: the audit chain's HMAC key; default: the file audit.key
    database_url: str = ""  # SANDBOX_DATABASE_URL: postgresql://user:password@host:port/db; empty: the SQLite file
    # SANDBOX_DATABASE_POOL, SANDBOX_DATABASE_CONNECT_TIMEOUT, SANDBOX_DATABASE_STATEMENT_TIMEOUT (PostgreSQL only)
    database_tuning: tuple[tuple[str, float], ...] = ()

    @property
    def db_path(self) -> Path:
        return self.data_dir / "sandbox.db"

    @property
    def database(self) -> str | Path:
        """What the store opens: the PostgreSQL URL when one is set, else the SQLite file in the data directory."""
        return self.database_url or self.db_path

    @property
    def database_label(self) -> str:
        """The database for a log line or a message: the URL's password is never shown."""
        return mask_url(self.database_url) if self.database_url else str(self.db_path)

    @classmethod
    def load(cls, data_dir: str | os.PathLike | None = None, database_url: str | None = None) -> "Settings":
        env = os.environ
        data = Path(data_dir or env.get("SANDBOX_DATA_DIR") or "data").resolve()
        return cls(
            data_dir=data,
            policies_dir=Path(env.get("SANDBOX_POLICIES_DIR") or PROJECT_ROOT / "policies"),
            prompts_dir=Path(env.get("SANDBOX_PROMPTS_DIR") or PROJECT_ROOT / "prompts"),
            models_file=Path(env.get("SANDBOX_MODELS_FILE") or PROJECT_ROOT / "models.yaml"),
            local_model_url=env.get("SANDBOX_LOCAL_MODEL_URL") or None,
            local_model_key=env.get("SANDBOX_LOCAL_MODEL_KEY") or None,
            secure_cookies=env.get("SANDBOX_SECURE_COOKIES", "").strip().lower() in ("1", "true", "yes", "on"),
            metrics_token=env.get("SANDBOX_METRICS_TOKEN", "").strip(),
            allowed_origins=tuple(o.strip() for o in env.get("SANDBOX_ALLOWED_ORIGINS", "").split(",") if o.strip()),
            audit_key=env.get("SANDBOX_AUDIT_KEY", ""),
            database_url=(database_url or env.get("SANDBOX_DATABASE_URL") or "").strip(),
            database_tuning=(("pool_size", int(env.get("SANDBOX_DATABASE_POOL") or 10)),
                             ("connect_timeout_s", float(env.get("SANDBOX_DATABASE_CONNECT_TIMEOUT") or 5)),
                             ("statement_timeout_s", float(env.get("SANDBOX_DATABASE_STATEMENT_TIMEOUT") or 30))),
        )

    def ensure_data_dir(self) -> Path:
        """The data directory, private to the sandbox's user (0700): it holds the audit log and the audit key."""
        self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        if self.data_dir.stat().st_mode & 0o077:
            try:
                self.data_dir.chmod(0o700)  # made by an older version with the default 0755
            except OSError as exc:
                logging.getLogger("sandbox").warning("cannot make the data directory %s private (0700): %s",
                                                     self.data_dir, exc.strerror)
        return self.data_dir
