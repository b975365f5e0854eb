"""Anonymous mode holds in every frame: a whole workshop over real WebSockets,
and with Ana on the event-stream fallback (tests/facilitation/events.py).

Ana takes part in a workshop run with anonymous mode and moderation on. Every
frame her sockets receive (snapshots, ops, presence, typing, heartbeats, a
replay with `since`) is read and searched for the other people: their display
names and tokens must appear nowhere, and no field that names a person (actor,
author, voter, participant, presence entries) may hold anyone's id but hers.
"""

import json

import pytest
from channels.db import database_sync_to_async
from django.contrib.auth import get_user_model

from boards.models import Participant
from boards.ops import apply_op_request
from tests.facilitation.events import EventClient
from tests.facilitation.ws import Client

pytestmark = pytest.mark.django_db(transaction=True)

PERSON_KEYS = {"actor", "author", "voter", "participant"}


def _people_in(value, found):
    """Every participant id a frame names in a field about a person."""
    if isinstance(value, list):
        for item in value:
            _people_in(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in PERSON_KEYS and item is not None:
                found.add(item["id"] if isinstance(item, dict) else item)
            if key == "participants":
                found.update(p["id"] for p in item)
            _people_in(item, found)
    return found


@pytest.mark.parametrize("ana_transport", ["websocket", "event-stream"])
async def test_no_frame_names_anyone_else(board, maya, ana, ben, workshop, ana_transport):
    AnaClient = Client if ana_transport == "websocket" else EventClient
    await database_sync_to_async(
        lambda: (
            get_user_model().objects.filter(id=maya.user_id).update(first_name="Maya", last_name="Okonkwo")
        )
    )()
    cleo = await database_sync_to_async(Participant.objects.create)(
        workshop=workshop, display_name="Cleo Vantablack"
    )
    others = [maya, ben, cleo]
    # Anonymous from the start: Maya turns it on before anyone connects.
    await database_sync_to_async(apply_op_request)(
        board.id, maya.id, "workshop.settings", {"anonymous": True, "moderation": True, "votes_per_note": 2}
    )

    facilitator = await Client(board.id, maya.token).connect()
    ana_ws = await AnaClient(board.id, ana.token).connect()
    ben_ws = await Client(board.id, ben.token).connect()
    cleo_ws = await Client(board.id, cleo.token).connect()
    everyone = [facilitator, ana_ws, ben_ws, cleo_ws]

    async def settle():
        for client in everyone:
            if client.closed_with is None:
                await client.drain(0.05)

    async def ok(client, kind, data=None):
        answer = await client.op(kind, data)
        assert answer["type"] == "ack", answer
        await settle()
        return answer

    def last_op(client, kind):
        return next(f for f in reversed(client.ops()) if f["op"] == kind)

    await ok(facilitator, "phase.set", {"phase": "write"})
    await ok(facilitator, "timer.start", {"seconds": 480})
    await ben_ws.typing("says")
    await cleo_ws.typing("feels")
    await ok(ben_ws, "note.add", {"section": "says", "text": "How much will this cost me?"})
    await ok(ben_ws, "note.add", {"section": "thinks", "text": "Did I buy a lemon?"})
    await ok(cleo_ws, "note.add", {"section": "feels", "text": "Anxious about being without the bike"})
    await ok(cleo_ws, "note.add", {"section": "feels", "text": "rude words"})
    await ok(ana_ws, "note.add", {"section": "does", "text": "Searches forums first"})
    ben_note = last_op(ben_ws, "note.add")["data"]["id"]
    cleo_notes = [f["data"]["id"] for f in cleo_ws.ops() if f["op"] == "note.add"]
    await ok(ben_ws, "note.update", {"id": ben_note, "text": "Did I buy a lemon??"})
    await ok(facilitator, "note.hide", {"id": cleo_notes[1], "hidden": True})
    await ok(facilitator, "timer.pause")
    await ok(facilitator, "timer.extend", {"seconds": 60})
    await ok(facilitator, "timer.resume")
    await ok(facilitator, "phase.set", {"phase": "reveal"})
    revealed = last_op(ana_ws, "phase.set")["data"]["revealed"]
    assert len(revealed) == 4  # all but Cleo's hidden note
    assert [n["author"] for n in revealed if n["section"] != "does"] == [None, None, None]
    assert [n["author"]["id"] for n in revealed if n["section"] == "does"] == [ana.id]

    await ok(facilitator, "phase.set", {"phase": "group"})
    notes = [n["id"] for n in ana_ws.frames[-1].get("board", {}).get("notes", [])] or [
        n["id"] for n in revealed
    ]
    await ok(ben_ws, "cluster.create", {"note_ids": notes[:2], "title": "Doesn't trust the estimate"})
    cluster = last_op(ana_ws, "cluster.create")["data"]["id"]
    await ok(cleo_ws, "cluster.rename", {"id": cluster, "title": "Needs the bike for work"})
    await ok(facilitator, "phase.set", {"phase": "vote"})
    await ok(ben_ws, "vote.add", {"note_id": notes[0]})
    await ok(cleo_ws, "vote.add", {"note_id": notes[0]})
    await ok(ana_ws, "vote.add", {"note_id": notes[1]})
    await ok(ben_ws, "vote.remove", {"note_id": notes[0]})
    await ok(facilitator, "phase.set", {"phase": "wrap-up"})  # skipped the discussion by mistake
    await ok(facilitator, "phase.set", {"phase": "discuss"})  # and stepped back
    await ok(facilitator, "votes.close")
    close = last_op(ana_ws, "votes.close")["data"]
    assert {v["voter"] for v in close["votes"]} == {None, ana.id}
    await ok(facilitator, "participant.role", {"id": cleo.id, "role": "observer"})
    await ok(facilitator, "participant.remove", {"id": cleo.id})
    assert cleo_ws.closed_with == 4003
    await ben_ws.close()
    ben_ws = await Client(board.id, ben.token).connect()
    everyone[2] = ben_ws
    await ben_ws.typing("does")
    await ok(facilitator, "timer.stop")
    await ok(facilitator, "phase.set", {"phase": "wrap-up"})
    if ana_transport == "websocket":
        await ana_ws.comm.send_json_to({"type": "ping"})
    await settle()

    # Ana reconnects twice: once replaying the whole log, once with a snapshot.
    replay = await AnaClient(board.id, ana.token, since=0).connect()
    fresh = await AnaClient(board.id, ana.token).connect()
    frames = ana_ws.raw + replay.raw + fresh.raw
    kinds = {json.loads(f)["type"] for f in frames}
    assert {"snapshot", "op", "presence", "typing", "heartbeat"} <= kinds
    if ana_transport == "websocket":
        assert "ack" in kinds  # on the fallback, acks are the POST answers
    assert any(f["type"] == "typing" and f["participant"] is None for f in ana_ws.frames)
    assert max(f["count"] for f in ana_ws.frames if f["type"] == "presence") == 4
    assert len(replay.ops()) == ana_ws.ops()[-1]["seq"]

    for raw in frames:
        for person in others:
            assert person.display_name not in raw, raw
            assert person.token not in raw, raw
        assert "Okonkwo" not in raw and "Maya" not in raw, raw
        named = _people_in(json.loads(raw), set())
        assert named <= {ana.id}, raw
    # On the event stream, Ana's op answers (POST bodies) are read the same way.
    for raw in getattr(ana_ws, "answers", []):
        for person in others:
            assert person.display_name not in raw and person.token not in raw, raw
        assert _people_in(json.loads(raw), set()) <= {ana.id}, raw
    for frame in ana_ws.ops() + replay.ops():
        if frame["op"].startswith("participant."):
            assert frame["op"] == "redacted"
        if frame["actor"] is None:
            assert frame["client_op_id"] is None  # others' op ids could link their ops together

    for client in (facilitator, ana_ws, ben_ws, replay, fresh):
        await client.close()
