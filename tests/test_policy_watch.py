"""The background watcher applies a changed file, and reports an invalid one, with no request arriving."""

import time

from sandbox.policy.active import ActivePolicy
from test_policy_active import POLICY, REGISTRY, write


def wait_for(condition, seconds=10.0):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def test_watcher_applies_changes_and_reports_errors_while_idle(tmp_path):
    directory = tmp_path / "policies"
    write(directory, POLICY)
    active = ActivePolicy(directory, REGISTRY, {"local", "gpt-4o-mini"}, tmp_path / "sandbox.db")
    first = active.current.version
    stop = active.watch(interval_s=0.2)
    try:
        write(directory, POLICY.replace("models: [local]", "models: [local, gpt-4o-mini]"))
        assert wait_for(lambda: active.current.version != first)
        second = active.current.version
        write(directory, POLICY + "  broken: [unclosed\n")
        assert wait_for(lambda: bool(active.errors))
        assert active.current.version == second and active.errors[0].field == "(yaml)"
    finally:
        stop.set()
