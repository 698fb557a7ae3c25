"""The stand-in Bot API at the HTTP level: a request whose body never fully arrives (its sender was
killed mid-request) is never served, as by Telegram; a whole one is."""

from __future__ import annotations

import socket

import pytest

from fake_bot_api import TOKEN, FakeBotApi

BODY = b"chat_id=1001&text=hello"


def post(api: FakeBotApi, body: bytes, headers: str) -> None:
    """Write a sendMessage request with `body` and close the connection without reading the answer."""
    request = f"POST /bot{TOKEN}/sendMessage HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}\r\n".encode()
    with socket.create_connection(("127.0.0.1", api.port)) as sock:
        sock.sendall(request + body)


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        pytest.param(BODY[:9], f"Content-Length: {len(BODY)}\r\n", id="content-length"),
        pytest.param(b"17\r\n" + BODY[:9], "Transfer-Encoding: chunked\r\n", id="chunked"),
        pytest.param(b"", f"Content-Length: {len(BODY)}\r\n", id="no-body-yet"),
    ],
)
def test_a_request_cut_off_mid_body_is_never_served(body: bytes, headers: str) -> None:
    with FakeBotApi() as api:
        post(api, body, "Content-Type: application/x-www-form-urlencoded\r\n" + headers)
        post(api, BODY, f"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {len(BODY)}\r\n")
        api.wait_until_sent(1, timeout=5)  # the whole one, sent after the cut-off one
        calls = list(api.calls)
    assert [c.params for c in calls] == [{"chat_id": 1001, "text": "hello"}]
    assert api.rejected == []
