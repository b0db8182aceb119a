import pytest

from sandbox.llm.registry import ModelRegistry, ModelsFileError
from sandbox.settings import PROJECT_ROOT

MODELS = PROJECT_ROOT / "models.yaml"


def test_only_models_with_credentials_are_available():
    registry = ModelRegistry.from_file(MODELS)
    registry.env = {}
    assert [m.name for m in registry.available()] == ["local"]
    registry.env = {"OPENAI_API_KEY": "sk-test", "AZURE_API_KEY": "k"}  # Azure also needs its base URL
    assert [m.name for m in registry.available()] == ["local", "gpt-4o-mini"]


def test_shipped_file_lists_the_usual_providers():
    providers = {m.litellm_params["model"].split("/")[0] for m in ModelRegistry.from_file(MODELS).all}
    assert {"openai", "anthropic", "mistral", "azure", "ollama_chat", "hosted_vllm"} <= providers


def test_environment_references_are_resolved_and_unset_optional_ones_dropped():
    entry = ModelRegistry.from_file(MODELS).get("gpt-4o-mini")
    params = entry.resolved_params({"OPENAI_API_KEY": "sk-x"})
    assert params == {"model": "openai/gpt-4o-mini", "api_key": "sk-x"}


def test_bad_models_file_names_file_and_field(tmp_path):
    path = tmp_path / "models.yaml"
    path.write_text("models:\n  - name: x\n    litellm_params: {model: openai/x}\n    colour: blue\n")
    with pytest.raises(ModelsFileError, match=r"models.yaml: models.0.colour"):
        ModelRegistry.from_file(path)
