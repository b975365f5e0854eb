"""The `<id:...>` path converter: a database id, or no match (so a 404).

Ids are 64-bit keys. Django's `<int:...>` takes any number of digits, and a
larger number reaches the database, where SQLite raises OverflowError and
PostgreSQL refuses the comparison: a 500 for a made-up URL. Past 2^63 − 1 this
converter does not match, and the URL answers 404 like any unknown one.
"""

from django.urls import register_converter

MAX_ID = 2**63 - 1


class IdConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if not 0 < number <= MAX_ID:
            raise ValueError("not a database id")
        return number

    def to_url(self, value) -> str:
        return str(int(value))


register_converter(IdConverter, "id")
