"""An in-process stand-in for the Telegram Bot API server, for end-to-end tests and the benchmarks.

The real python-telegram-bot ``Application``/``Bot`` talks to it over real HTTP on 127.0.0.1::

    with FakeBotApi() as api:
        app = (ApplicationBuilder().token(TOKEN).base_url(api.base_url)
               .base_file_url(api.base_file_url).build())
        api.command("start")
        ...run the app...
        [reply] = api.wait_until_sent(1)

PTB 22 (``HTTPXRequest``) sends parameters as ``application/x-www-form-urlencoded`` (``multipart/form-data``
when uploading files): strings verbatim, every other value JSON-encoded (``chat_id=42``,
``reply_markup={"inline_keyboard": ...}``).  The server decodes them back (see ``server._decode_value``);
plain JSON bodies and GET query strings are accepted too.

Everything is guarded by one re-entrant ``Condition``; the HTTP server runs in its own daemon threads, so
tests may drive sync or async code.  ``Call.at`` is ``time.monotonic()``.

The ``wait_*`` helpers block the calling thread.  From a coroutine that shares its event loop with the bot
use ``wait_for_async`` / ``wait_until_sent_async`` / ``wait_until_consumed_async`` instead (or
``await asyncio.to_thread(api.wait_until_sent, n)``), otherwise the bot cannot run while you wait.

Behaves like Telegram where it matters for tests: ``deleteWebhook(drop_pending_updates=True)`` (what
``run_polling(drop_pending_updates=True)`` sends) discards queued updates, so queue them after the bot has
started polling; ``getUpdates`` while a webhook is set answers 409; a newer ``getUpdates`` ends an older
long poll (with ``[]``, not with the 409 Telegram would send, so a cancelled poll never shows up in
``rejected``); updates whose type is not in ``allowed_updates`` are discarded (see ``discarded_updates``);
editing a message without ``reply_markup`` removes its inline keyboard.

Layout of the package:

- ``api``: ``FakeBotApi`` itself -- lifecycle (start/stop, URLs) and serving one request (faults, routing,
  recording the outcome);
- ``state``: ``ApiState``, the state every part shares (the lock, updates, messages, chats, settings);
- ``updates``: builders of scripted updates (``message``, ``command``, ``callback``, ``inline_query``, ...);
- ``recording``: ``Call`` and the queries over recorded calls, ``wait_*``;
- ``files``: voice notes with their audio (``voice``), ``getFile`` and the file download (``downloads``);
- ``faults``: fault injection (``fail_next``, ``delay``, ``drop_connection``, blocked users);
- ``webhook``: webhook delivery (``deliver_webhooks``): posts queued updates to the bot while a webhook
  is set, and posts again what the bot did not acknowledge with a 2xx, as Telegram does;
- ``server``: the HTTP server, the request handler and the parsing of request parameters;
- ``routes``: which function answers which Bot API method;
- ``polling``, ``messages``, ``queries``, ``settings``: the Bot API method implementations;
- ``validation``: Telegram's checks (HTML via ``html_check``, lengths, buttons, callback data);
- ``html_check``: Telegram-flavoured HTML, parsed and checked as Telegram does;
- ``keyboards``: reading the inline keyboard of a sent message (``buttons``, ``callback_data``, ``urls``);
- ``errors``: ``ApiError`` and Telegram's error descriptions.

It lives beside ``tests/`` and ``benchmarks/``, which both use it (benchmarks never import from tests).
"""

from fake_bot_api.api import FakeBotApi
from fake_bot_api.errors import ApiError
from fake_bot_api.keyboards import buttons, callback_data, urls
from fake_bot_api.recording import Call
from fake_bot_api.state import TOKEN, TOKEN_SECRET

__all__ = ["TOKEN", "TOKEN_SECRET", "ApiError", "Call", "FakeBotApi", "buttons", "callback_data", "urls"]
