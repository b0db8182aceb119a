"""Reading policy files: YAML with line numbers, pydantic validation, cross-file checks, one content hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import ValidationError

from sandbox.policy.company import GlobalSettings
from sandbox.policy.schema import PolicyFile, RolePolicy

REQUIRED_ROLES = ("employee", "admin")


@dataclass(frozen=True)
class PolicyProblem:
    file: str
    line: int
    field: str
    problem: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.field}: {self.problem}"


class PolicyError(ValueError):
    """The policy files are invalid; `problems` lists each with file and line."""

    def __init__(self, problems: list[PolicyProblem]):
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class PolicySet:
    """The merged, validated policy files in force."""

    roles: dict[str, RolePolicy]
    settings: GlobalSettings
    version: str
    files: dict[str, str] = field(default_factory=dict)  # file name -> sha256 of its bytes

    def role(self, name: str) -> RolePolicy | None:
        return self.roles.get(name)


def _line_of(node: yaml.Node | None, loc: tuple) -> int:
    """The line (1-based) of the YAML node a pydantic error location points at, as deep as it exists."""
    if node is None:
        return 1
    line = node.start_mark.line + 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            match = next(((k, v) for k, v in node.value if str(k.value) == str(key)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            break
    return line


def parse_file(path: Path, text: str | None = None) -> tuple[PolicyFile | None, list[PolicyProblem]]:
    """Validate one file; returns the parsed file or the problems found, each with its line."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8") if text is None else text
    except OSError as exc:
        return None, [PolicyProblem(name, 1, "(file)", f"cannot be read: {exc.strerror}")]
    try:
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        return None, [PolicyProblem(name, mark.line + 1 if mark else 1, "(yaml)",
                                    f"not valid YAML: {getattr(exc, 'problem', None) or exc}")]
    if data is None:
        data = {}
    if not isinstance(data, dict):
        return None, [PolicyProblem(name, 1, "(file)", "must be a mapping with 'roles' and/or 'settings'")]
    try:
        return PolicyFile.model_validate(data), []
    except ValidationError as exc:
        problems = []
        for error in exc.errors():
            loc = tuple(error["loc"])
            message = error["msg"].removeprefix("Value error, ")
            if error["type"] == "extra_forbidden":
                message = "unknown key"
            problems.append(PolicyProblem(name, _line_of(node, loc), ".".join(str(p) for p in loc) or "(file)",
                                          message))
        return None, problems


def _semantic_problems(name: str, text: str, policy: PolicyFile, models: set[str]) -> list[PolicyProblem]:
    node = yaml.compose(text)
    problems = []
    for role, rules in policy.roles.items():
        for i, model in enumerate(rules.models):
            if model != "*" and model not in models:
                problems.append(PolicyProblem(name, _line_of(node, ("roles", role, "models", i)),
                                              f"roles.{role}.models.{i}",
                                              f"unknown model '{model}' (known: {', '.join(sorted(models))})"))
        if rules.routing is not None:
            problems += _routing_problems(name, node, role, rules.routing, models)
    return problems


def _routing_problems(name: str, node, role: str, routing, models: set[str]) -> list[PolicyProblem]:
    """Unknown models, and rules that can never fire because an earlier rule matches every prompt."""
    problems = []
    known = ", ".join(sorted(models))

    def problem(loc: tuple, message: str) -> None:
        problems.append(PolicyProblem(name, _line_of(node, ("roles", role, "routing", *loc)),
                                      ".".join(str(p) for p in ("roles", role, "routing", *loc)), message))

    if routing.auto is not None and routing.auto not in models:
        problem(("auto",), f"unknown model '{routing.auto}' (known: {known})")
    catch_all = None
    for i, rule in enumerate(routing.rules):
        if catch_all is not None:
            problem(("rules", i), f"unreachable: rule '{routing.rules[catch_all].name}' before it matches every "
                                  "prompt")
        if rule.route_to is not None and rule.route_to not in models:
            problem(("rules", i, "route_to"), f"unknown model '{rule.route_to}' (known: {known})")
        for j, model in enumerate(rule.when.models):
            if model != "auto" and model not in models:
                problem(("rules", i, "when", "models", j), f"unknown model '{model}' (known: {known})")
        if catch_all is None and rule.when.matches_everything():
            catch_all = i
    return problems


def load_policy_set(paths: list[Path], models: set[str],
                    texts: dict[Path, str] | None = None) -> PolicySet:
    """Validate and merge policy files. Raises PolicyError listing every problem; applies nothing partially."""
    texts = dict(texts or {})
    problems: list[PolicyProblem] = []
    roles: dict[str, RolePolicy] = {}
    role_origin: dict[str, str] = {}
    settings: GlobalSettings | None = None
    settings_origin = ""
    digests: dict[str, str] = {}
    if not paths:
        raise PolicyError([PolicyProblem("policies/", 1, "(files)", "no policy file found")])
    for path in sorted(paths):
        text = texts.get(path)
        if text is None:
            try:
                text = path.read_text(encoding="utf-8")
            except OSError as exc:
                problems.append(PolicyProblem(str(path), 1, "(file)", f"cannot be read: {exc.strerror}"))
                continue
        parsed, found = parse_file(path, text)
        problems += found
        if parsed is None:
            continue
        digests[path.name] = hashlib.sha256(text.encode()).hexdigest()
        problems += _semantic_problems(str(path), text, parsed, models)
        node = yaml.compose(text)
        for role, rules in parsed.roles.items():
            if role in roles:
                problems.append(PolicyProblem(str(path), _line_of(node, ("roles", role)), f"roles.{role}",
                                              f"role already defined in {role_origin[role]}"))
            roles[role], role_origin[role] = rules, path.name
        if parsed.settings is not None:
            if settings is not None:
                problems.append(PolicyProblem(str(path), _line_of(node, ("settings",)), "settings",
                                              f"settings already defined in {settings_origin}"))
            settings, settings_origin = parsed.settings, path.name
    settings = settings or GlobalSettings()
    if not problems:
        first = str(sorted(paths)[0])
        for role in REQUIRED_ROLES:
            if role not in roles:
                problems.append(PolicyProblem(first, 1, f"roles.{role}", "every policy set must define this role"))
        referenced = {settings.default_role, settings.sso.default_role, *settings.sso.group_roles.values()}
        for role in sorted(referenced - set(roles)):
            problems.append(PolicyProblem(settings_origin or first, 1, "settings",
                                          f"unknown role '{role}' (defined: {', '.join(sorted(roles))})"))
    if problems:
        raise PolicyError(problems)
    canonical = json.dumps({"roles": {k: v.model_dump(mode="json") for k, v in roles.items()},
                            "settings": settings.model_dump(mode="json")}, sort_keys=True)
    version = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    return PolicySet(roles=roles, settings=settings, version=version, files=digests)


def policy_files(location: Path) -> list[Path]:
    """The policy files of a directory (every *.yaml), or the one file named."""
    location = Path(location)
    if location.is_file():
        return [location]
    return sorted(p for p in location.glob("*.yaml") if p.is_file())
