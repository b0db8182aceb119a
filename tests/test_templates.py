import pytest

from sandbox.settings import PROJECT_ROOT
from sandbox.templates import TemplateError, load_templates


def test_shipped_templates_load_and_render():
    templates = load_templates(PROJECT_ROOT / "prompts")
    assert len(templates) >= 5
    for template in templates.values():
        assert template.description
        values = {v.name: f"value-of-{v.name}" for v in template.variables}
        rendered = template.render(values)
        for value in values.values():
            assert value in rendered
            assert "$" + value.removeprefix("value-of-") not in rendered


def test_missing_variable_is_named():
    template = load_templates(PROJECT_ROOT / "prompts")["Summarize an email"]
    with pytest.raises(TemplateError, match="email"):
        template.render({})


def test_defaults_fill_in(tmp_path):
    (tmp_path / "t.yaml").write_text(
        "name: T\ndescription: d\ntemplate: 'Hello $who'\nvariables: [{name: who, default: world}]\n"
    )
    assert load_templates(tmp_path)["T"].render() == "Hello world"


def test_bad_template_file_names_the_file(tmp_path):
    (tmp_path / "bad.yaml").write_text("name: T\nunknown_key: 1\n")
    with pytest.raises(TemplateError, match="bad.yaml"):
        load_templates(tmp_path)
