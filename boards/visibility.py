"""The single per-recipient view of ops and snapshots.

Everything a connection receives passes through `op_for()` or
`snapshot_for()`: what a participant may not see (private notes, hidden
votes, authors in anonymous mode) is redacted here and only here. A redacted
op keeps its seq, so every connection still sees a gapless run (G3); the log
itself is never filtered.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reader:
    """An outsider reading a workshop after the fact: exports, share links, summaries.

    It stands where a Participant is expected, with no id and no rights, so a
    rule written for participants ("your own private notes", "facilitators see
    votes early") gives a reader only what every participant may see.
    """

    id: None = None
    display_name: str = "Reader"
    role: str = "reader"
    is_facilitator: bool = False
    can_write: bool = False


READER = Reader()


def op_for(participant, event: dict) -> dict:
    """The op as this participant (or a Reader) may see it."""
    return event


def snapshot_for(participant, snapshot: dict) -> dict:
    """The snapshot as this participant (or a Reader, see above) may see it."""
    return snapshot


def who(participant) -> dict:
    """How a connection introduces itself to the others on its board."""
    return {"id": participant.id, "name": participant.display_name, "role": participant.role}


def presence_for(participant, peers) -> dict:
    """Who is on the board now, one entry per participant however many tabs they have open."""
    people = {}
    for peer in peers:
        people.setdefault(peer["id"], {**peer, "connections": 0})["connections"] += 1
    return {"type": "presence", "participants": sorted(people.values(), key=lambda p: p["name"].lower())}


def typing_for(participant, typist: dict, section: str) -> dict | None:
    """A "someone is typing in <section>" hint, or None when it must not be shown."""
    return {"type": "typing", "participant": typist, "section": section}
