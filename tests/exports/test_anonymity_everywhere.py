"""Anonymity holds in every REST response and every file, and is never taken back.

The frame-reading test of the WebSocket (tests/facilitation/test_anonymity_ws.py)
for everything else: Quinn writes a note, votes and scores while anonymous mode
is on. Then every REST response and every export a member or a guest can get
is searched for Quinn: the name must appear nowhere, and no field that names a
person may hold Quinn's id. Both while the mode is on and after the facilitator
turned it off: what was given under anonymity stays anonymous.
"""

import io
import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.ops import apply_op_request
from boards.workshops import join_workshop

PERSON_KEYS = {"actor", "author", "voter", "participant"}

NAME = "Quinn Vantablack"


@pytest.fixture
def quinn_was_anonymous(journey_workshop):
    workshop = journey_workshop
    board = workshop.boards.get()
    fred = workshop.participants.get(display_name="Fred")
    chloe = workshop.participants.get(display_name="Chloe")
    sam = board.personas.get(name="Sam")

    def do(who, kind, **data):
        return apply_op_request(board.id, who.id, kind, data).event["data"]

    do(fred, "workshop.settings", anonymous=True, votes_hidden=False, votes_per_note=2)
    quinn = join_workshop(workshop.join_code, NAME)
    note = do(quinn, "note.add", stage="wait", lane="pain-points", text="Nobody calls back")["id"]
    do(quinn, "note.update", id=note, text="Nobody ever calls back")
    do(quinn, "emotion.set", stage="wait", persona=sam.id, score=-3)
    do(chloe, "emotion.set", stage="use", persona=sam.id, score=0)
    do(fred, "phase.set", phase="vote")
    do(quinn, "vote.add", note_id=note)
    do(quinn, "vote.add", note_id=note)
    do(quinn, "vote.remove", note_id=note)
    do(fred, "votes.close")
    do(fred, "phase.set", phase="discuss")
    return workshop, quinn


def people_in(value, found):
    """Every participant id a document names in a field about a person (as in test_anonymity_ws)."""
    if isinstance(value, list):
        for item in value:
            people_in(item, found)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key in PERSON_KEYS and item is not None:
                found.add(item["id"] if isinstance(item, dict) else item)
            if key == "participants" and isinstance(item, list):
                found.update(p["id"] for p in item if isinstance(p, dict) and "id" in p)
            people_in(item, found)
    return found


def responses(workshop, client_api, client_pages):
    board = workshop.boards.get()
    api = {
        "workshop": f"/api/v1/workshops/{workshop.id}/",
        "workshops": "/api/v1/workshops/",
        "board": f"/api/v1/boards/{board.id}/",
        "ops": f"/api/v1/boards/{board.id}/ops/?since=0",
        "curve": f"/api/v1/boards/{board.id}/curve/",
        "curve.svg": f"/api/v1/boards/{board.id}/curve.svg",
        **{
            f"export {f}": f"/api/v1/workshops/{workshop.id}/export/?format={f}&ops=1"
            for f in ("md", "csv", "json", "pdf")
        },
    }
    pages = {
        "board page": f"/b/{board.id}/",
        "summary page": f"/w/{workshop.id}/summary/",
        "page curve": f"/b/{board.id}/curve.svg",
        **{
            f"page export {f}": f"/w/{workshop.id}/export/?format={f}&ops=1"
            for f in ("md", "csv", "json", "pdf")
        },
    }
    for name, url in api.items():
        yield name, client_api.get(url)
    for name, url in pages.items():
        yield name, client_pages.get(url)


def text_of(response) -> str:
    if response["Content-Type"].startswith("application/pdf"):
        from pypdf import PdfReader

        return "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    return response.content.decode("utf-8-sig")


def readers(workshop, member):
    """A member with her account (token and login) and a guest (token and session)."""
    member_api = APIClient()
    member_api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=member)[0].key}")
    member_pages = Client()
    member_pages.force_login(member)
    guest = join_workshop(workshop.join_code, "Ana")
    guest_api = APIClient()
    guest_api.credentials(HTTP_AUTHORIZATION=f"Token {guest.token}")
    guest_pages = Client()
    guest_pages.post(f"/j/{workshop.join_code}", {"display_name": "Ana in a browser"})
    return {"member": (member_api, member_pages), "guest": (guest_api, guest_pages)}


@pytest.mark.parametrize("mode", ["still on", "turned off"])
def test_nothing_anyone_gets_names_who_wrote_voted_or_scored_anonymously(quinn_was_anonymous, member, mode):
    workshop, quinn = quinn_was_anonymous
    if mode == "turned off":
        board = workshop.boards.get()
        fred = workshop.participants.get(display_name="Fred")
        apply_op_request(board.id, fred.id, "workshop.settings", {"anonymous": False})
    for who, (api, pages) in readers(workshop, member).items():
        for name, response in responses(workshop, api, pages):
            assert response.status_code == 200, f"{who}: {name} answered {response.status_code}"
            text = text_of(response)
            if name in ("board", "ops", "summary page") or "export" in name:
                # The control: Quinn's note is there to be read, only not named.
                assert "Nobody ever calls back" in text, f"{who}: {name} lacks the note"
            assert NAME not in text and "Vantablack" not in text, f"{who}: {name} names Quinn"
            if response["Content-Type"].startswith("application/json"):
                named = people_in(json.loads(text), set())
                assert quinn.id not in named, f"{who}: {name} holds Quinn's id in a person field"


def test_after_the_mode_is_off_new_notes_are_named_again(quinn_was_anonymous, member):
    workshop, quinn = quinn_was_anonymous
    board = workshop.boards.get()
    fred = workshop.participants.get(display_name="Fred")
    apply_op_request(board.id, fred.id, "workshop.settings", {"anonymous": False})
    apply_op_request(
        board.id, quinn.id, "note.add", {"stage": "use", "lane": "pain-points", "text": "Named now"}
    )
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=member)[0].key}")
    notes = api.get(f"/api/v1/boards/{board.id}/").json()["notes"]
    by_text = {n["text"]: n for n in notes}
    assert by_text["Named now"]["author"]["name"] == NAME
    assert by_text["Nobody ever calls back"]["author"] is None
    assert by_text["Nobody ever calls back"]["anonymous"] is True
