"""Prompt templates employees start from: YAML files in prompts/ with `$variable` placeholders."""

from __future__ import annotations

import string
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError


class TemplateError(ValueError):
    """A template file is unusable or a variable is missing; the message names which."""


class Variable(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$")
    description: str = ""
    default: str | None = None


class PromptTemplate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str
    description: str
    template: str = Field(description="Prompt text; $variable or ${variable} marks a value to fill in.")
    variables: list[Variable] = Field(default_factory=list)

    def render(self, values: dict[str, str] | None = None) -> str:
        values = dict(values or {})
        for var in self.variables:
            if var.name not in values and var.default is not None:
                values[var.name] = var.default
        missing = [v.name for v in self.variables if v.name not in values]
        if missing:
            raise TemplateError(f"Template '{self.name}' needs a value for: {', '.join(missing)}.")
        return string.Template(self.template).safe_substitute(values)

    def skeleton(self) -> str:
        """The template with each variable shown as <name>, for an employee to fill in by hand."""
        return string.Template(self.template).safe_substitute(
            {v.name: v.default if v.default is not None else f"<{v.name}>" for v in self.variables}
        )


def load_templates(directory: Path) -> dict[str, PromptTemplate]:
    templates: dict[str, PromptTemplate] = {}
    for path in sorted(Path(directory).glob("*.yaml")):
        try:
            template = PromptTemplate.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, ValidationError) as exc:
            raise TemplateError(f"{path}: {exc}") from exc
        templates[template.name] = template
    return templates
