"""The admin editor's save path: validate the whole set first, write atomically, keep the previous version."""

from sandbox.llm.registry import ModelRegistry
from sandbox.policy.active import ActivePolicy
from sandbox.policy.editor import save_policy_file, validate_change
from sandbox.settings import PROJECT_ROOT

REGISTRY = ModelRegistry.from_file(PROJECT_ROOT / "models.yaml")
MODELS = {m.name for m in REGISTRY.all}
GOOD = "roles:\n  employee:\n    models: [local]\n  admin:\n    models: ['*']\n"


def setup(tmp_path):
    directory, history = tmp_path / "policies", tmp_path / "history"
    directory.mkdir()
    (directory / "company.yaml").write_text(GOOD, encoding="utf-8")
    return directory, history


def test_invalid_text_writes_nothing(tmp_path):
    directory, history = setup(tmp_path)
    bad = GOOD.replace("[local]", "[local, gpt-17]")
    problems = save_policy_file(directory, "company.yaml", bad, MODELS, history)
    assert [p.field for p in problems] == ["roles.employee.models.1"] and problems[0].line == 3
    assert (directory / "company.yaml").read_text() == GOOD
    assert not history.exists()
    assert sorted(p.name for p in directory.iterdir()) == ["company.yaml"]  # no temp file left behind


def test_a_new_file_that_breaks_the_set_is_refused(tmp_path):
    directory, history = setup(tmp_path)
    problems = save_policy_file(directory, "extra.yaml", "roles:\n  admin:\n    models: [local]\n", MODELS, history)
    assert [str(p) for p in problems] == [f"{directory}/extra.yaml:2: roles.admin: role already defined in "
                                          "company.yaml"]
    assert not (directory / "extra.yaml").exists()


def test_bad_file_names_are_refused(tmp_path):
    directory, history = setup(tmp_path)
    for name in ["../escape.yaml", "notes.txt", ".hidden.yaml", ""]:
        problems = save_policy_file(directory, name, GOOD, MODELS, history)
        assert problems and problems[0].field == "(file)", name
    assert not (tmp_path / "escape.yaml").exists()


def test_valid_text_is_written_and_the_previous_version_kept(tmp_path):
    directory, history = setup(tmp_path)
    changed = GOOD.replace("[local]", "[local, gpt-4o-mini]")
    assert validate_change(directory, "company.yaml", changed, MODELS) == []
    assert save_policy_file(directory, "company.yaml", changed, MODELS, history) == []
    assert (directory / "company.yaml").read_text() == changed
    kept = list(history.glob("company.*.yaml"))
    assert len(kept) == 1 and kept[0].read_text() == GOOD
    assert sorted(p.name for p in directory.iterdir()) == ["company.yaml"]
    again = changed.replace("[local, gpt-4o-mini]", "[local]")
    assert save_policy_file(directory, "company.yaml", again, MODELS, history) == []
    assert sorted(p.read_text() for p in history.glob("company.*.yaml")) == sorted([GOOD, changed])


def test_a_saved_file_applies_with_the_admin_as_author(tmp_path):
    directory, history = setup(tmp_path)
    active = ActivePolicy(directory, REGISTRY, {"local", "gpt-4o-mini"}, tmp_path / "sandbox.db")
    before = active.current.version
    changed = GOOD.replace("[local]", "[local, gpt-4o-mini]")
    assert save_policy_file(directory, "company.yaml", changed, MODELS, history) == []
    assert active.refresh(force=True, applied_by="alice")  # what the admin view's "Save and apply" does
    row = next(active.db["policy_versions"].rows_where("version = ?", [active.current.version]))
    assert active.current.version != before
    assert (row["applied_by"], row["summary"]) == ("alice", "employee: models changed")


def test_a_name_with_a_trailing_newline_is_refused(tmp_path):
    """`$` also matches before a final newline: "a.yaml\n" passed the name check and named a file."""
    directory, history = setup(tmp_path)
    for name in ("a.yaml\n", "a.yaml\r\n", "a.yaml\n.yaml", "\na.yaml"):
        problems = save_policy_file(directory, name, GOOD.replace("employee", "staff"), MODELS, history)
        assert [p.field for p in problems] == ["(file)"], repr(name)
    assert sorted(p.name for p in directory.iterdir()) == ["company.yaml"]


def test_every_validation_pattern_refuses_a_trailing_newline():
    """Pydantic patterns run on Rust's engine, where `$` is the end of the text; kept so by this test."""
    import pydantic
    import pytest

    from sandbox.pii.config import CustomRecognizer
    from sandbox.templates import Variable

    with pytest.raises(pydantic.ValidationError):
        CustomRecognizer(name="ids", entity="EMPLOYEE_ID\n", patterns=[r"E\d{6}"])
    with pytest.raises(pydantic.ValidationError):
        Variable(name="topic\n")
    assert CustomRecognizer(name="ids", entity="EMPLOYEE_ID", patterns=[r"E\d{6}"]).entity == "EMPLOYEE_ID"
