"""Suite-wide set-up: the Node.js Camunda SDK for the client tests that drive it.

When ``node`` and ``npm`` are on the PATH and ``CADENZA_JS_SDK_DIR`` is not set, the SDK
(``@camunda8/sdk`` 8.8) is installed once into a cache directory and the variable points there;
without Node, or when the registry cannot be reached, those tests skip and say why."""

from __future__ import annotations

import os
import pathlib
import shutil
import subprocess

import pytest

SDK_PACKAGE = "@camunda8/sdk@8.8"
CACHE = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
SDK_DIR = CACHE / "cadenza-tests" / "camunda8-sdk-8.8"


def _install_js_sdk() -> pathlib.Path | None:
    marker = SDK_DIR / ".installed"
    if marker.is_file():
        return SDK_DIR
    if shutil.which("node") is None or shutil.which("npm") is None:
        return None
    staging = SDK_DIR.with_name(SDK_DIR.name + f".staging-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    (staging / "package.json").write_text('{"name": "cadenza-js-sdk-tests", "private": true}\n')
    try:
        subprocess.run(
            ["npm", "install", "--no-audit", "--no-fund", "--loglevel=error", SDK_PACKAGE],
            cwd=staging,
            check=True,
            capture_output=True,
            timeout=300,
        )
    except (OSError, subprocess.SubprocessError):
        shutil.rmtree(staging, ignore_errors=True)
        return None
    (staging / ".installed").write_text(SDK_PACKAGE + "\n")
    shutil.rmtree(SDK_DIR, ignore_errors=True)
    staging.rename(SDK_DIR)
    return SDK_DIR


def pytest_configure(config: pytest.Config) -> None:
    """Provide ``CADENZA_JS_SDK_DIR`` before the Node client tests are collected."""
    if os.environ.get("CADENZA_JS_SDK_DIR"):
        return
    installed = _install_js_sdk()
    if installed is not None:
        os.environ["CADENZA_JS_SDK_DIR"] = str(installed)
