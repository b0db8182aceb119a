"""The models file: which models exist, which are available here, and how litellm reaches them."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

ENV_PREFIX = "os.environ/"


class ModelsFileError(ValueError):
    """The models file cannot be used; the message names the file and the field."""


class ModelEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True, protected_namespaces=())

    name: str = Field(description="Name users pick and policies refer to.")
    label: str = Field("", description="Human-readable name shown in the playground.")
    embedded: bool = Field(False, description="Served by the sandbox's own local llama.cpp server.")
    model_class: Literal["public", "private", "local"] = Field(
        "public", alias="class", description="Where prompts go: public (a provider's shared service), private "
        "(the company's own servers or a provider under contract), local (this machine). Routing rules use it.")
    context_window: int = Field(4096, gt=0, description="Tokens the model accepts, prompt and answer together.")
    requires_env: list[str] = Field(default_factory=list, description="Variables that must be set to enable it.")
    litellm_params: dict = Field(description="Parameters for litellm; 'os.environ/NAME' reads a variable.")
    system_prompt: str = Field("", description="System message sent before every conversation, unless the "
                               "conversation brings its own.")

    def available(self, env: dict | None = None) -> bool:
        env = os.environ if env is None else env
        return all(env.get(name) for name in self.requires_env)

    def resolved_params(self, env: dict | None = None) -> dict:
        """litellm parameters with environment references replaced; unset optional ones dropped."""
        env = os.environ if env is None else env
        params = {}
        for key, value in self.litellm_params.items():
            if isinstance(value, str) and value.startswith(ENV_PREFIX):
                value = env.get(value[len(ENV_PREFIX):])
                if not value:
                    continue
            params[key] = value
        return params


class RouterSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    timeout: float = Field(60, gt=0, description="Seconds before a model call is abandoned.")
    num_retries: int = Field(1, ge=0, description="Retries of a failed call before falling back.")
    fallbacks: dict[str, list[str]] = Field(default_factory=dict, description="Model -> models to try next.")


class ModelsFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    settings: RouterSettings = Field(default_factory=RouterSettings)
    models: list[ModelEntry]


class ModelRegistry:
    """The models file, read once; answers which models are available in this environment."""

    def __init__(self, spec: ModelsFile, env: dict | None = None):
        self.spec = spec
        self.env = os.environ if env is None else env
        names = [m.name for m in spec.models]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ModelsFileError(f"models file: model names must be unique: {', '.join(sorted(duplicates))}")

    @classmethod
    def from_file(cls, path: Path) -> "ModelRegistry":
        try:
            data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
            return cls(ModelsFile.model_validate(data))
        except FileNotFoundError as exc:
            raise ModelsFileError(f"{path}: the models file does not exist; set SANDBOX_MODELS_FILE.") from exc
        except yaml.YAMLError as exc:
            raise ModelsFileError(f"{path}: not valid YAML: {exc}") from exc
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
            raise ModelsFileError(f"{path}: {problems}") from exc

    @property
    def all(self) -> list[ModelEntry]:
        return list(self.spec.models)

    def available(self) -> list[ModelEntry]:
        return [m for m in self.spec.models if m.available(self.env)]

    def get(self, name: str) -> ModelEntry | None:
        return next((m for m in self.spec.models if m.name == name), None)

    def default_model(self) -> str:
        available = self.available()
        embedded = [m for m in available if m.embedded]
        return (embedded or available)[0].name if available else ""
