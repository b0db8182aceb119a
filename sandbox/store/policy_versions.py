"""Policy versions as the database knows them: which version was applied when and by whom, with its files' text, so
that every instance on one database puts the newest version in force."""

from __future__ import annotations

from sandbox.store.db import ThreadLocalDb
from sandbox.store.interactions import now_iso


class PolicyVersions(ThreadLocalDb):
    def record(self, version: str, applied_by: str, files: str, summary: str, sources: dict[str, str],
               newest: bool) -> None:
        """Record a version and its files' text; `newest` makes an already known version the newest again (a file
        change back to an earlier version), where a mere start with known files does not."""
        with self.immediate() as db:
            if db["policy_versions"].count_where("version = ?", [version]):
                if newest:
                    db.execute("update policy_versions set applied_at = ?, applied_by = ? where version = ?",
                               [now_iso(), applied_by, version])
            else:
                db.execute("insert into policy_versions (version, applied_at, applied_by, files, summary) "
                           "values (?, ?, ?, ?, ?)", [version, now_iso(), applied_by, files, summary])
            if not db["policy_sources"].count_where("version = ?", [version]):
                for name, content in sorted(sources.items()):
                    db.execute("insert into policy_sources (version, name, content) values (?, ?, ?)",
                               [version, name, content])

    def newest(self) -> str | None:
        row = self.db.execute("select version from policy_versions order by applied_at desc limit 1").fetchone()
        return row[0] if row else None

    def sources(self, version: str) -> dict[str, str]:
        return {r["name"]: r["content"] for r in self.db.query(
            "select name, content from policy_sources where version = ? order by name", [version])}
