"""Latency of the whole input-guard pipeline, of the learned detectors alone, and the injection rates. Prints JSON.

    python benchmarks/guards.py [--runs 5]

Latency: the shipped policy's `employee` pipeline, run through sandbox.policy.dry_run (nothing spent or counted)
on generated ~200-token prompts, with the PII guard and, for comparison, with it switched off in the same run;
`detectors` times the injection guard (rules + learned model) and the harmful-request guard alone (p50/p95).
The held-out and leave-one-out figures of the learned detectors are in benchmarks/injection_eval.py and
benchmarks/harmful_eval.py.
Detection: the injection guard at the employee policy's threshold on the whole of
../shared/eval-dev/injection_dev.jsonl (its tune part now trains the learned model, so this mixes in-sample rows;
the check part alone is in benchmarks/injection_eval.py), false alarms on the 500 plain sentences of
../shared/eval-dev/pii_en_dev.jsonl, and on the team's own examples in sandbox/guards/examples/: `written` and
`holdout_after_use` were used to shape the signals (and now train the model); `unseen` never was, so it
estimates new phrasing honestly.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sandbox.policy.active import build_policy  # noqa: E402
from sandbox.guards.base import GuardContext  # noqa: E402
from sandbox.guards.harmful import HarmfulGuard  # noqa: E402
from sandbox.guards.injection import InjectionGuard, injection_score  # noqa: E402
from sandbox.llm.tokens import count_tokens  # noqa: E402
from sandbox.policy.dry_run import dry_run  # noqa: E402
from sandbox.settings import Settings  # noqa: E402

DEV_SET = ROOT.parent / "shared" / "eval-dev" / "injection_dev.jsonl"
# Ordinary English sentences (the PII dev set): none is an injection, so every block there is a false alarm.
PLAIN_SET = ROOT.parent / "shared" / "eval-dev" / "pii_en_dev.jsonl"
EXAMPLES = ROOT / "sandbox" / "guards" / "examples"
OWN_SETS = {"written": EXAMPLES / "injection_examples.yaml", "holdout_after_use": EXAMPLES / "injection_holdout.yaml",
            "unseen": EXAMPLES / "injection_unseen.yaml"}

# Building blocks for generated prompts: ordinary office requests, some carrying personal data.
OPENINGS = ["Please summarise the notes below for the weekly update.",
            "Rewrite this paragraph so it reads more clearly for customers.",
            "Draft a polite reply to the message below.",
            "List the action items in the following meeting minutes."]
SENTENCES = ["The quarterly revenue grew by four percent, mostly from the northern region.",
             "Maria Lopez asked whether the invoice can be paid before the end of the month.",
             "Contact john.smith@example.com or call 415-555-0134 about the delivery schedule.",
             "The warehouse team will move the inventory count to Thursday morning.",
             "Our new onboarding checklist covers laptops, badges and the security training.",
             "Customer feedback mentions slow response times on the support line.",
             "Please ignore the draft figures in the appendix, they will be replaced.",
             "The password reset page confused several users during the pilot.",
             "Peter Jansen from the Berlin office will present the budget on Monday.",
             "We should compare the two supplier offers on price, delivery time and warranty.",
             "The marketing plan includes a webinar, two blog posts and a newsletter.",
             "Send the signed contract to 12 Baker Street, London before Friday."]


def generated_prompts(count: int, target_tokens: int = 200, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    prompts = []
    for _ in range(count):
        parts = [rng.choice(OPENINGS)]
        while count_tokens(" ".join(parts), model="gpt-4o-mini") < target_tokens:
            parts.append(rng.choice(SENTENCES))
        prompts.append(" ".join(parts))
    return prompts


def without_pii(policies: Path, into: Path) -> Path:
    """A copy of the policy files with the PII guard switched off for every role."""
    into.mkdir()
    for path in sorted(policies.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for rules in (data.get("roles") or {}).values():
            rules.setdefault("pii", {})["enabled"] = False
        (into / path.name).write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return into


def latency(policy, prompts: list[str], runs: int, model: str) -> dict:
    for prompt in prompts[:3]:  # warm-up: Presidio and tokenizer caches
        dry_run(policy, prompt, role="employee", user="bench", model=model)
    times, decisions, per_guard = [], {}, {}
    for _ in range(runs):
        for prompt in prompts:
            started = time.perf_counter()
            result = dry_run(policy, prompt, role="employee", user="bench", model=model)
            times.append((time.perf_counter() - started) * 1000)
            decisions[result.decision] = decisions.get(result.decision, 0) + 1
            for verdict in result.verdicts:
                per_guard.setdefault(verdict.guard, []).append(verdict.ms)
    times.sort()
    return {"guards_p50_ms": {name: round(statistics.median(ms), 2) for name, ms in per_guard.items()},
            "guards_p95_ms": {name: _p95(ms) for name, ms in per_guard.items()},
            "calls": len(times),
            "p50_ms": round(statistics.median(times), 2), "p95_ms": round(times[int(0.95 * (len(times) - 1))], 2),
            "throughput_per_s": round(len(times) / (sum(times) / 1000), 1), "decisions": decisions}


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return round(ordered[int(0.95 * (len(ordered) - 1))], 3)


def detectors(prompts: list[str], runs: int) -> dict:
    """Each learned detector alone on the same prompts (after one warm-up call that loads its model), and the
    injection rule signals alone (`injection_rules`), which the injection guard runs first."""
    report = {}
    checks = {"injection": InjectionGuard().check, "harmful": HarmfulGuard().check,
              "injection_rules": lambda text, ctx: injection_score(text)}
    for name, check in checks.items():
        check(prompts[0], GuardContext(user="bench", role="employee", model="local", dry_run=True))
        times = []
        for _ in range(runs):
            for prompt in prompts:
                ctx = GuardContext(user="bench", role="employee", model="local", dry_run=True)
                started = time.perf_counter()
                check(prompt, ctx)
                times.append((time.perf_counter() - started) * 1000)
        report[name] = {"calls": len(times), "p50_ms": round(statistics.median(times), 3), "p95_ms": _p95(times)}
    return report


def rates(guard: InjectionGuard, rows: list[dict]) -> dict:
    ctx = GuardContext(user="bench", role="employee", model="local", dry_run=True)
    started = time.perf_counter()
    flagged = [(row["label"], guard.check(row["text"], ctx).decision.value == "block") for row in rows]
    elapsed = (time.perf_counter() - started) * 1000
    attacks = [hit for label, hit in flagged if label == 1]
    benign = [hit for label, hit in flagged if label == 0]
    return {"rows": len(rows), "attacks": len(attacks), "benign": len(benign),
            "detection_rate": round(sum(attacks) / len(attacks), 4) if attacks else None,
            "false_alarm_rate": round(sum(benign) / len(benign), 4) if benign else None,
            "ms_per_prompt": round(elapsed / max(1, len(rows)), 3)}


def own_examples(path: Path) -> list[dict]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return ([{"text": t, "label": 1} for t in data.get("attacks", [])] +
            [{"text": t, "label": 0} for t in data.get("benign", [])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="Passes over the generated prompts.")
    parser.add_argument("--prompts", type=int, default=40, help="How many ~200-token prompts to generate.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.load(Path(tmp) / "data")
        policy, registry = build_policy(settings, ROOT / "policies")
        plain, _ = build_policy(settings, without_pii(ROOT / "policies", Path(tmp) / "no-pii"))
        model = registry.default_model()
        prompts = generated_prompts(args.prompts)
        tokens = [count_tokens(p, model="gpt-4o-mini") for p in prompts]
        with_pii = latency(policy, prompts, args.runs, model)
        no_pii = latency(plain, prompts, args.runs, model)
        role = policy.role("employee")
        guard = InjectionGuard(role.injection.threshold)
        report = {
            "benchmark": "guards",
            "prompt_tokens_mean": round(statistics.mean(tokens), 1),
            "pipeline_with_pii": with_pii,
            "pipeline_without_pii": no_pii,
            "pii_share_of_p50": round(1 - no_pii["p50_ms"] / with_pii["p50_ms"], 3) if with_pii["p50_ms"] else None,
            "detectors": detectors(prompts, args.runs),
            "injection_threshold": role.injection.threshold,
            "injection_dev_set": rates(guard, [json.loads(line) for line in DEV_SET.open(encoding="utf-8")])
            if DEV_SET.exists() else "missing: ../shared/eval-dev/injection_dev.jsonl",
            "injection_plain_sentences": rates(guard, [{"text": json.loads(line)["text"], "label": 0}
                                                       for line in PLAIN_SET.open(encoding="utf-8")])
            if PLAIN_SET.exists() else "missing: ../shared/eval-dev/pii_en_dev.jsonl",
            "injection_own_examples": {name: rates(guard, own_examples(path)) for name, path in OWN_SETS.items()},
        }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
