"""Telegram-flavoured HTML validation (``parse_mode=HTML``), as a pure function.

Telegram supports only a small tag set (https://core.telegram.org/bots/api#html-style):
``b strong i em u ins s strike del span class="tg-spoiler" tg-spoiler a href code pre
blockquote [expandable] tg-emoji emoji-id``.  Tags must be properly nested and closed, and
``<``/``&`` that are not part of a tag or an HTML entity must be escaped.  Only the named
entities ``&lt; &gt; &amp; &quot;`` and numeric ones (``&#NN;``/``&#xNN;``) are understood.

Error texts mimic tdlib's (``Unsupported start tag "div" at byte offset 0`` ...); the Bot API
prefixes them with ``Bad Request: can't parse entities: ``.

Deliberately stricter than the real server in one point: tdlib leaves an ``&`` that does not start a
known entity as a literal character, but the Bot API documentation requires escaping it, so here a bare
``&`` (and an unknown named entity such as ``&nbsp;``) is an error.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

__all__ = [
    "ALLOWED_TAGS",
    "TelegramHtmlError",
    "parse_telegram_html",
    "telegram_html_error",
    "utf16_len",
    "visible_text",
]

ALLOWED_TAGS = frozenset(
    {
        "b",
        "strong",
        "i",
        "em",
        "u",
        "ins",
        "s",
        "strike",
        "del",
        "span",
        "tg-spoiler",
        "a",
        "code",
        "pre",
        "blockquote",
        "tg-emoji",
    }
)

_ENTITY_TYPES = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "span": "spoiler",
    "tg-spoiler": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
# An '&' that starts something Telegram understands (checked for position, then for content).
_AMP_TOKEN = re.compile(r"&(?:(?P<name>[a-zA-Z][a-zA-Z0-9]*);|#(?P<dec>[0-9]+);|#[xX](?P<hex>[0-9a-fA-F]+);)")


class TelegramHtmlError(ValueError):
    """The text is not valid Telegram HTML; ``str(exc)`` is the tdlib-style reason."""


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit Telegram uses for lengths and entity offsets."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


@dataclass
class _Open:
    tag: str
    attrs: dict[str, str | None]
    start: int  # UTF-16 offset into the visible text
    byte_offset: int
    language: str | None = None


@dataclass
class _Result:
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)


def _check_amp(raw: str, index: int, byte_offset: int) -> tuple[str, int]:
    """Validate the '&' at raw[index]; return (decoded char, length consumed) or raise."""
    match = _AMP_TOKEN.match(raw, index)
    if match is None:
        raise TelegramHtmlError(
            f'Character "&" at byte offset {byte_offset} must be escaped as "&amp;" '
            "(it does not start an HTML entity)"
        )
    name, dec, hexa = match.group("name"), match.group("dec"), match.group("hex")
    if name is not None:
        if name not in _NAMED_ENTITIES:
            raise TelegramHtmlError(
                f'Unsupported HTML entity "&{name};" at byte offset {byte_offset}; '
                "only &lt; &gt; &amp; &quot; and numeric entities are supported"
            )
        return _NAMED_ENTITIES[name], match.end() - index
    code = int(dec, 10) if dec is not None else int(hexa, 16)
    if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        raise TelegramHtmlError(f"Invalid numeric character reference at byte offset {byte_offset}")
    return chr(code), match.end() - index


class _TelegramHtmlParser(HTMLParser):
    def __init__(self, source: str, *, strict: bool) -> None:
        super().__init__(convert_charrefs=False)
        self.source = source
        self.strict = strict
        self._line_starts = [0]
        for i, ch in enumerate(source):
            if ch == "\n":
                self._line_starts.append(i + 1)
        self._out: list[str] = []
        self._utf16 = 0
        self._stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    # --- positions -------------------------------------------------------------------------
    def _offset(self) -> int:
        line, col = self.getpos()
        return self._line_starts[line - 1] + col

    def _byte(self, index: int) -> int:
        return len(self.source[:index].encode("utf-8", "surrogatepass"))

    def _fail(self, message: str) -> None:
        if self.strict:
            raise TelegramHtmlError(message)

    def _emit(self, text: str) -> None:
        self._out.append(text)
        self._utf16 += utf16_len(text)

    @property
    def text(self) -> str:
        return "".join(self._out)

    # --- character data ----------------------------------------------------------------------
    def handle_data(self, data: str) -> None:
        if self.strict:
            base = self._offset()
            lt = data.find("<")
            if lt >= 0:
                index = base + lt
                rest = self.source[index + 1 :]
                name = re.match(r"[^\s>]*", rest)
                tag = name.group(0) if name else ""
                if index + 1 + len(tag) >= len(self.source) or tag.lower() in ALLOWED_TAGS:
                    self._fail(f"Unclosed start tag at byte offset {self._byte(index)}")
                self._fail(
                    f'Unsupported start tag "{tag.lower()}" at byte offset {self._byte(index)} '
                    '(a literal "<" must be escaped as "&lt;")'
                )
            amp = data.find("&")
            if amp >= 0:
                _check_amp(self.source, base + amp, self._byte(base + amp))
                # _check_amp only returns for a well-formed entity, which the parser would not pass
                # here as data; treat it as bare anyway.
                self._fail(f'Character "&" at byte offset {self._byte(base + amp)} must be escaped')
        self._emit(data)

    def _emit_checked_entity(self) -> None:
        """The character of the entity at the parser's position, checked as Telegram checks it."""
        index = self._offset()
        char, _ = _check_amp(self.source, index, self._byte(index))
        self._emit(char)

    def handle_entityref(self, name: str) -> None:
        if self.strict:
            self._emit_checked_entity()
        else:
            self._emit(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        if self.strict:
            self._emit_checked_entity()
        else:
            try:
                code = int(name[1:], 16) if name[:1] in ("x", "X") else int(name)
                self._emit(chr(code))
            except (ValueError, OverflowError):
                self._emit(f"&#{name};")

    # --- tags --------------------------------------------------------------------------------
    def _unsupported(self, name: str) -> None:
        self._fail(f'Unsupported start tag "{name}" at byte offset {self._byte(self._offset())}')

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        index = self._offset()
        byte_offset = self._byte(index)
        if tag not in ALLOWED_TAGS:
            self._unsupported(tag)
            return
        raw = self.get_starttag_text() or ""
        if self.strict:
            for pos, ch in enumerate(raw):
                if ch == "&":
                    _check_amp(raw, pos, self._byte(index + pos))
        attr_map = {k.lower(): v for k, v in attrs}
        if tag == "span" and "tg-spoiler" not in (attr_map.get("class") or "").split():
            self._fail(f'Tag "span" must have class "tg-spoiler" at byte offset {byte_offset}')
        if tag == "tg-emoji" and not (attr_map.get("emoji-id") or "").isdigit():
            self._fail(
                f'Tag "tg-emoji" must have attribute "emoji-id" with a numeric value at byte offset '
                f"{byte_offset}"
            )
        self._stack.append(_Open(tag, attr_map, self._utf16, byte_offset))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._unsupported(f"{tag}/")

    def handle_endtag(self, tag: str) -> None:
        index = self._offset()
        byte_offset = self._byte(index)
        raw_match = re.match(r"</([^\s>]*)\s*>", self.source[index:])
        if self.strict and (raw_match is None or raw_match.group(1).lower() != tag):
            self._fail(f"Unclosed end tag at byte offset {byte_offset}")
        if not self._stack:
            self._fail(f"Unexpected end tag at byte offset {byte_offset}")
            return
        top = self._stack[-1]
        if top.tag != tag:
            self._fail(
                f'Unmatched end tag at byte offset {byte_offset}, expected "</{top.tag}>", found "</{tag}>"'
            )
            if not any(o.tag == tag for o in self._stack):
                return
            while self._stack and self._stack[-1].tag != tag:
                self._close(self._stack.pop())
            top = self._stack[-1]
        self._stack.pop()
        self._close(top)

    def _close(self, opened: _Open) -> None:
        length = self._utf16 - opened.start
        tag = opened.tag
        if tag == "code" and self._stack and self._stack[-1].tag == "pre":
            css = opened.attrs.get("class") or ""
            if css.startswith("language-") and len(css) > len("language-"):
                self._stack[-1].language = css[len("language-") :]
                return
        if length <= 0:
            return
        entity: dict[str, Any] = {"type": _ENTITY_TYPES[tag], "offset": opened.start, "length": length}
        if tag == "a":
            href = opened.attrs.get("href")
            if not href:
                return
            if href.startswith("tg://user?id=") and href[len("tg://user?id=") :].isdigit():
                entity = {
                    "type": "text_mention",
                    "offset": opened.start,
                    "length": length,
                    "user": {"id": int(href[len("tg://user?id=") :]), "is_bot": False, "first_name": ""},
                }
            else:
                entity["url"] = href
        elif tag == "pre" and opened.language:
            entity["language"] = opened.language
        elif tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        elif tag == "tg-emoji":
            entity["custom_emoji_id"] = opened.attrs.get("emoji-id") or ""
        self.entities.append(entity)

    def handle_comment(self, data: str) -> None:
        self._unsupported("!--")

    def handle_decl(self, decl: str) -> None:
        self._unsupported("!" + decl.split(" ", 1)[0].lower())

    def unknown_decl(self, data: str) -> None:
        self._unsupported("![" + data.split("[", 1)[0].lower())

    def handle_pi(self, data: str) -> None:
        self._unsupported("?" + data.split(" ", 1)[0].lower())

    def finish(self) -> None:
        if self.strict and re.search(r"</\s*>", self.source):
            match = re.search(r"</\s*>", self.source)
            assert match is not None
            self._fail(f"Empty end tag at byte offset {self._byte(match.start())}")
        self.close()
        if self._stack:
            self._fail(f'Can\'t find end tag corresponding to start tag "{self._stack[-1].tag}"')
            while self._stack:
                self._close(self._stack.pop())


def _parse(text: str, *, strict: bool) -> _TelegramHtmlParser:
    parser = _TelegramHtmlParser(text, strict=strict)
    try:
        parser.feed(text)
        parser.finish()
    except TelegramHtmlError:
        raise
    except Exception as exc:  # pragma: no cover - html.parser internals; never expected
        if strict:
            raise TelegramHtmlError(f"Can't parse HTML: {exc}") from exc
    return parser


def parse_telegram_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse like Telegram: return (visible text, entities with UTF-16 offsets) or raise TelegramHtmlError.

    Leading/trailing whitespace is NOT trimmed here (the fake server does that, as Telegram does).
    """
    parser = _parse(text, strict=True)
    entities = sorted(parser.entities, key=lambda e: (e["offset"], -e["length"]))
    return parser.text, entities


def telegram_html_error(text: str) -> str | None:
    """None if ``text`` is valid Telegram HTML, else the reason.

    The reason lacks the ``Bad Request: can't parse entities: `` prefix the Bot API adds.
    """
    try:
        _parse(text, strict=True)
    except TelegramHtmlError as exc:
        return str(exc)
    return None


def visible_text(html_text: str) -> str:
    """The text a user would see: tags stripped, entities unescaped (best effort even for invalid HTML).

    Not whitespace-trimmed (Telegram additionally trims the whole message).
    """
    return _parse(html_text, strict=False).text
