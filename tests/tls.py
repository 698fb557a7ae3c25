"""One TLS context for every HTTP client the test process builds.

httpx builds a new `ssl.SSLContext` for each client, loading certifi's whole CA bundle: about 35 ms
of CPU every time. The tests build hundreds of clients (two per Application, one per `httpx.get`),
all of them for plain http:// on 127.0.0.1, so they share one default context instead (the context
httpx would build, built once). Only this process: the bot processes of the process tests are
untouched, and nothing here changes what a client verifies.
"""

from __future__ import annotations

import os
import ssl
from collections.abc import Callable
from functools import cache
from typing import Any

import httpx
import httpx._transports.default as transports  # where httpx's clients look the builder up
import pytest

_build: Callable[..., ssl.SSLContext] = httpx.create_ssl_context


@cache
def _default_context(trust_env: bool, cert_file: str | None, cert_dir: str | None) -> ssl.SSLContext:
    return _build(verify=True, cert=None, trust_env=trust_env)


def create_ssl_context(
    verify: ssl.SSLContext | str | bool = True, cert: Any = None, trust_env: bool = True
) -> ssl.SSLContext:
    """httpx's `create_ssl_context`, the default context (verify=True, no client cert) built once."""
    if verify is True and cert is None:
        # httpx reads these two when trust_env is on: a change of either gets a context of its own.
        return _default_context(trust_env, os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR"))
    return _build(verify=verify, cert=cert, trust_env=trust_env)


def share_default_context(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make every httpx client of this process (PTB's included) use the shared default context."""
    monkeypatch.setattr(transports, "create_ssl_context", create_ssl_context)
