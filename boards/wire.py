"""Reading JSON from the outside (REST bodies and WebSocket frames) before anything acts on it.

`json.loads` accepts input the rest of the app cannot store or walk: nesting
deep enough to exhaust Python's stack (RecursionError, a 500 or a 1011), NUL
characters (PostgreSQL refuses them in text) and lone surrogates (not encodable
as UTF-8, so neither storable nor sendable). Both transports read through here
and answer such input with `invalid`, having changed nothing.
"""

import json

import orjson
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

from boards.errors import Invalid

# Deeper than any request of docs/protocol.md needs (a template structure is
# about 6 levels deep), far below Python's recursion limit.
MAX_DEPTH = 32


def _bad_string(value: str) -> str | None:
    if "\x00" in value:
        return "Text must not contain NUL characters."
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return "Text must be valid Unicode (no lone surrogates)."
    return None


def check_value(value) -> None:
    """Raises Invalid when a decoded JSON value is too deep or holds a string no store accepts."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise Invalid(f"JSON must not be nested more than {MAX_DEPTH} levels deep.")
            if isinstance(item, dict):
                for key, child in item.items():
                    problem = _bad_string(key)
                    if problem:
                        raise Invalid(problem)
                    stack.append((child, depth + 1))
            else:
                stack.extend((child, depth + 1) for child in item)
        elif isinstance(item, str):
            problem = _bad_string(item)
            if problem:
                raise Invalid(problem)


def parse_json(text: str):
    """The decoded value of a JSON text, or Invalid; never RecursionError."""
    try:
        # orjson first: it is the hot path of every frame (BENCHMARKS.md). It
        # refuses lone surrogates and very deep nesting itself; the slower
        # decoder below only runs for such input, to say what was wrong.
        value = orjson.loads(text)
    except ValueError:
        value = _parse_slowly(text)
    check_value(value)
    return value


def _parse_slowly(text: str):
    try:
        value = json.loads(text)
    except RecursionError:
        raise Invalid(f"JSON must not be nested more than {MAX_DEPTH} levels deep.") from None
    except ValueError:
        raise Invalid("The text is not valid JSON.") from None
    return value


def parse_frame(text: str) -> dict:
    """One WebSocket text frame: a JSON object that passes check_value, or Invalid."""
    value = parse_json(text)
    if not isinstance(value, dict):
        raise Invalid("A frame must hold one JSON object.")
    return value


class CheckedJSONParser(JSONParser):
    """DRF's JSON parser, plus the checks above (answered as 400 `invalid`)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", "utf-8")
        try:
            text = stream.read().decode(encoding)
        except UnicodeDecodeError:
            raise ParseError("The body is not valid UTF-8.") from None
        except AttributeError:
            raise ParseError("The body is empty.") from None
        try:
            return parse_json(text)
        except Invalid as error:
            raise ParseError(error.message) from None
