"""Review queue -> dataset: approved, consented, PII-free feedback exported for fine-tuning tools."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from pathlib import Path
from typing import Callable

from sandbox.files import atomic_open
from sandbox.store.feedback import FeedbackError, FeedbackStore

PLACEHOLDER = re.compile(r"<[A-Z][A-Z_]*_\d+>")
FORMATS = ("chat", "dpo")


def _final_answer(item: dict) -> str:
    return (item.get("reviewed_answer") or item.get("better_answer") or "").strip()


def build_record(store: FeedbackStore, item: dict, fmt: str, system_prompt: str | None) -> dict | None:
    """The training record for one approved item, or None when the item has nothing to teach in `fmt`."""
    better = _final_answer(item)
    if fmt == "dpo":
        if item["rating"] != "down" or not better:
            return None
        return {"prompt": item["prompt"], "chosen": better, "rejected": item["answer"]}
    answer = better or (item["answer"] if item["rating"] == "up" else "")
    if not answer:
        return None
    messages = [{"role": "system", "content": system_prompt}] if system_prompt else []
    for turn in store.conversation_before(item["conversation_id"], item["turn"] or 0):
        messages += [{"role": "user", "content": turn["prompt"]}, {"role": "assistant", "content": turn["answer"]}]
    messages += [{"role": "user", "content": item["prompt"]}, {"role": "assistant", "content": answer}]
    return {"messages": messages}


def _texts(record: dict) -> list[str]:
    if "messages" in record:
        return [m["content"] for m in record["messages"]]
    return [record["prompt"], record["chosen"], record["rejected"]]


def export_dataset(store: FeedbackStore, scan: Callable[[str], list[str]], *, fmt: str, out: Path,
                   exported_by: str, filters: dict | None = None, system_prompt: str | None = None,
                   dataset_id: str | None = None) -> dict:
    """Write the dataset and its manifest; returns the manifest. `scan(text)` returns PII types found.

    With `dataset_id`, the items of that earlier export are written again, byte for byte.
    """
    if fmt not in FORMATS:
        raise FeedbackError(f"Unknown format '{fmt}'; use one of: {', '.join(FORMATS)}.")
    filters = dict(filters or {})
    if dataset_id:
        previous = store.dataset(dataset_id)
        if previous is None:
            raise FeedbackError(f"There is no dataset {dataset_id}.")
        manifest_before = json.loads(previous["manifest"])
        fmt, filters = manifest_before["format"], manifest_before["filters"]
        wanted = set(json.loads(previous["item_ids"]))
        items = [i for i in store.list(status="approved", limit=10**9) if i["id"] in wanted]
    else:
        items = [i for i in store.list(status="approved", limit=10**9, **filters) if i["consent"]]
    items.sort(key=lambda i: i["id"])
    records, used_ids, excluded, seen = [], [], [], set()
    counts = {"candidates": len(items), "exported": 0, "excluded_pii": 0, "duplicates": 0, "not_applicable": 0}
    for item in items:
        record = build_record(store, item, fmt, system_prompt)
        if record is None:
            counts["not_applicable"] += 1
            continue
        found = sorted({t for text in _texts(record) for t in scan(PLACEHOLDER.sub(" ", text))})
        if found:
            counts["excluded_pii"] += 1
            excluded.append({"feedback_id": item["id"], "entity_types": found})
            continue
        line = json.dumps(record, ensure_ascii=False, sort_keys=True)
        if line in seen:
            counts["duplicates"] += 1
            continue
        seen.add(line)
        records.append(line)
        used_ids.append(item["id"])
    counts["exported"] = len(records)
    if not records:  # an empty file would only be a dataset version that teaches nothing
        raise FeedbackError(
            f"Nothing to export: {counts['candidates']} approved, consented item(s) match, and none gives a "
            f"{fmt} record ({counts['excluded_pii']} left out for personal data). Approve feedback first.")
    data = "".join(line + "\n" for line in records).encode("utf-8")
    digest = hashlib.sha256(data).hexdigest()
    kept = [i for i in items if i["id"] in set(used_ids)]
    manifest = {
        "dataset_id": dataset_id or f"{fmt}-{digest[:16]}",
        "created_at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "exported_by": exported_by,
        "format": fmt,
        "file": Path(out).name,
        "sha256": digest,
        "filters": filters,
        "counts": counts,
        "models": sorted({i["model"] for i in kept}),
        "policy_versions": sorted({i["policy_version"] or "" for i in kept}),
        "excluded": excluded,
    }
    try:
        with atomic_open(Path(out), "wb") as handle:
            handle.write(data)
        with atomic_open(manifest_path(Path(out)), "w", encoding="utf-8") as handle:
            handle.write(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        raise FeedbackError(f"Cannot write the dataset to {out}: {exc.strerror}. Pick a writable path.") from exc
    store.record_dataset(manifest, used_ids)
    return manifest


def manifest_path(out: Path) -> Path:
    return out.with_name(out.name + ".manifest.json")
