"""`sandbox feedback add|list|approve|reject|export`: ratings into a reviewed fine-tuning dataset."""

from __future__ import annotations

import json
from pathlib import Path

import click

from sandbox.cli.options import acting_user, data_dir_option, readably
from sandbox.settings import Settings


def _services(data_dir: Path):
    from sandbox.feedback import FeedbackService

    try:
        return FeedbackService.from_settings(Settings.load(data_dir))
    except Exception as exc:  # configuration problems reach the person as one sentence
        raise click.ClickException(str(exc)) from exc


def _run(action):
    from sandbox.store.feedback import FeedbackError

    return readably(action, FeedbackError, PermissionError)


@click.group()
def feedback() -> None:
    """Give feedback on answers, review it, and export approved items as datasets."""


@feedback.command("add")
@data_dir_option
@click.argument("interaction_id")
@click.option("--rating", type=click.Choice(["up", "down"]), required=True)
@click.option("--comment", default="", help="Why; personal data is redacted before it is stored.")
@click.option("--better", default="", help="A better answer; redacted before it is stored.")
@click.option("--consent/--no-consent", default=None, help="May be used to improve models (default: policy's).")
@click.option("--user", required=True, help="Who gives the feedback (must own the interaction).")
def add(data_dir, interaction_id, rating, comment, better, consent, user) -> None:
    """Rate the answer of INTERACTION_ID."""
    service = _services(data_dir)
    acting_user(service.users, user)
    feedback_id = _run(lambda: service.add(interaction_id=interaction_id, user=user, rating=rating,
                                           comment=comment, better_answer=better, consent=consent))
    click.echo(f"Feedback {feedback_id} recorded.")


@feedback.command("list")
@data_dir_option
@click.option("--user", required=True, help="Who is asking: reviewers see every item, others their own.")
@click.option("--status", type=click.Choice(["pending", "approved", "rejected"]), default=None)
@click.option("--rating", type=click.Choice(["up", "down"]), default=None)
@click.option("--model", default=None)
@click.option("--has-better", is_flag=True, default=None, help="Only items with a better answer.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
def list_feedback(data_dir, user, status, rating, model, has_better, as_json) -> None:
    """List feedback items."""
    service = _services(data_dir)
    acting_user(service.users, user)
    items = _run(lambda: service.list(user, status=status, rating=rating, model=model, has_better=has_better))
    for item in items:
        if as_json:
            click.echo(json.dumps(item, ensure_ascii=False))
        else:
            click.echo(f"{item['id']}\t{item['status']}\t{item['rating']}\t{item['user']}\t{item['model']}\t"
                       f"{(item['comment'] or '')[:60]}")


@feedback.command("approve")
@data_dir_option
@click.argument("feedback_id", type=int)
@click.option("--user", required=True, help="The reviewer.")
@click.option("--answer", default=None, help="Replace the better answer before approving.")
def approve(data_dir, feedback_id, user, answer) -> None:
    """Approve an item (policy may require several reviewers)."""
    item = _run(lambda: _services(data_dir).review(user, feedback_id, "approve", edited_answer=answer))
    click.echo(f"Feedback {feedback_id}: {item['status']} ({item['approvals']} approval(s)).")


@feedback.command("reject")
@data_dir_option
@click.argument("feedback_id", type=int)
@click.option("--reason", required=True)
@click.option("--user", required=True, help="The reviewer.")
def reject(data_dir, feedback_id, reason, user) -> None:
    """Reject an item with a reason."""
    _run(lambda: _services(data_dir).review(user, feedback_id, "reject", reason=reason))
    click.echo(f"Feedback {feedback_id}: rejected.")


@feedback.command("export")
@data_dir_option
@click.option("--format", "fmt", type=click.Choice(["chat", "dpo"]), required=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True)
@click.option("--user", required=True, help="Who exports (a reviewer).")
@click.option("--model", default=None, help="Only items answered by this model.")
@click.option("--dataset", "dataset_id", default=None, help="Re-export an earlier dataset version exactly.")
def export(data_dir, fmt, out, user, model, dataset_id) -> None:
    """Write approved, consented, PII-free items as JSONL with a manifest beside it."""
    filters = {"model": model} if model else {}
    manifest = _run(lambda: _services(data_dir).export(user, fmt=fmt, out=out, filters=filters,
                                                       dataset_id=dataset_id))
    counts = manifest["counts"]
    click.echo(f"Dataset {manifest['dataset_id']}: {counts['exported']} item(s) written to {out} "
               f"({counts['excluded_pii']} left out for personal data, {counts['duplicates']} duplicate(s)); "
               f"sha256 {manifest['sha256']}")


commands = [feedback]
