"""Helpers for browser tests: serve the playground in a subprocess and drive Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Iterator

import pytest

from sandbox.llm.local_server import free_port
from conftest import ROOT


def chromium() -> str:
    """Debian's Chromium, found on PATH or named by SANDBOX_CHROMIUM (`make test` installs it when missing)."""
    found = os.environ.get("SANDBOX_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("No Chromium found: run `make test` (it installs Debian's chromium) or set SANDBOX_CHROMIUM.")
    return found


CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
]


@contextlib.contextmanager
def served_playground(env: dict, log: Path) -> Iterator[str]:
    port = free_port()
    with open(log, "wb") as out:
        process = subprocess.Popen([sys.executable, "-m", "sandbox.cli", "serve", "--port", str(port)],
                                   env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise RuntimeError(f"sandbox serve exited: {log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(url, timeout=2):
                    break
            except OSError:
                time.sleep(0.5)
        else:
            raise RuntimeError(f"sandbox serve did not answer: {log.read_text()[-2000:]}")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=20)


@contextlib.contextmanager
def chromium_page() -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


def add_account(data_dir: Path, username: str, role: str = "employee", password: str = "correct horse 42") -> str:
    """A local account in the test's database, made the way `sandbox users add` makes one."""
    from sandbox.store.users import UserDirectory

    UserDirectory(data_dir / "sandbox.db").add(username, role, password)
    return password


def sign_in(page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.locator("#username").fill(username)
    page.locator("#password").fill(password)
    page.locator("#signin").click()
    page.locator("#whoami").get_by_text(username).wait_for(timeout=60_000)


ARTIFACTS = ROOT / "tests" / "artifacts"  # git-ignored: screenshots of what the browser tests saw


def screenshot(page, name: str) -> Path:
    """A full-page PNG of what the test sees now, kept in tests/artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
