"""Every file and page is made for the one who asks, through the same per-reader view as the board.

With "see others' scores before your own" off, a guest who has not scored
gets nobody's score from any of them: the curve images (page and REST), the
JSON, Markdown, CSV and PDF exports and the summary page. A facilitator who
asks gets them all (the control that proves the scores are there to leak).
"""

import io
import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from boards.curve import curve_svg
from boards.exports.curve import svg_to_png
from boards.ops import apply_op_request
from boards.state import board_snapshot
from boards.workshops import join_workshop
from tests.exports.test_export_visibility import file_text

# Sam's mean at Wait, as the files print it (see conftest.journey_workshop).
SAM_AT_WAIT = "\u22122.3"


@pytest.fixture
def hidden_scores(journey_workshop):
    board = journey_workshop.boards.get()
    fred = journey_workshop.participants.get(display_name="Fred")
    apply_op_request(board.id, fred.id, "journey.settings", {"scores_visible_before_own": False})
    return journey_workshop


@pytest.fixture
def jo(hidden_scores):
    return join_workshop(hidden_scores.join_code, "Jo")


def jo_api(jo):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {jo.token}")
    return client


def jo_browser(workshop):
    browser = Client()
    assert browser.post(f"/j/{workshop.join_code}", {"display_name": "Jo in a browser"}).status_code == 302
    return browser


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return "".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages).replace("\x00", "")


def as_text(fmt, content: bytes) -> str:
    return pdf_text(content) if fmt == "pdf" else content.decode("utf-8-sig")


def test_the_facilitator_gets_the_scores(hidden_scores, facilitator):
    assert SAM_AT_WAIT in file_text(hidden_scores, "md")
    client = Client()
    client.force_login(facilitator)
    page = client.get(f"/w/{hidden_scores.id}/summary/")
    assert SAM_AT_WAIT in page.content.decode()
    export = client.get(f"/w/{hidden_scores.id}/export/?format=json").json()
    assert len(export["boards"][0]["emotion_scores"]) == 24


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "pdf"])
def test_a_guest_who_has_not_scored_gets_no_score_in_any_file(hidden_scores, jo, fmt):
    for answer in (
        jo_api(jo).get(f"/api/v1/workshops/{hidden_scores.id}/export/?format={fmt}&ops=1"),
        jo_browser(hidden_scores).get(f"/w/{hidden_scores.id}/export/?format={fmt}&ops=1"),
    ):
        assert answer.status_code == 200
        text = as_text(fmt, answer.content)
        assert SAM_AT_WAIT not in text and "-2.3" not in text
        if fmt == "json":
            document = json.loads(text)
            assert document["boards"][0]["emotion_scores"] == []
            for op in document["ops"][str(document["boards"][0]["id"])]:
                if op["op"] == "emotion.set":
                    assert op["data"]["scores"] == [] and op["data"]["score"] is None


def test_a_guest_who_has_not_scored_gets_no_score_on_the_summary_page(hidden_scores):
    page = jo_browser(hidden_scores).get(f"/w/{hidden_scores.id}/summary/").content.decode()
    assert "E-bike repair journey" in page
    assert SAM_AT_WAIT not in page


def test_a_guest_who_has_not_scored_gets_an_empty_curve_image(hidden_scores, jo):
    board = hidden_scores.boards.get()
    unscored = {**board_snapshot(board.id), "emotion_scores": []}
    empty_svg = curve_svg(unscored)
    browser = jo_browser(hidden_scores)
    images = {
        "svg page": browser.get(f"/b/{board.id}/curve.svg"),
        "png page": browser.get(f"/b/{board.id}/curve.png"),
        "png api": jo_api(jo).get(f"/api/v1/boards/{board.id}/curve.png"),
    }
    for name, answer in images.items():
        assert answer.status_code == 200, name
    assert images["svg page"].content.decode() == empty_svg
    assert images["png page"].content == svg_to_png(empty_svg)
    assert images["png api"].content == svg_to_png(empty_svg)


def test_once_she_scores_a_point_she_sees_that_point(hidden_scores, jo):
    board = hidden_scores.boards.get()
    sam = board.personas.get(name="Sam")
    apply_op_request(board.id, jo.id, "emotion.set", {"stage": "wait", "persona": sam.id, "score": -1})
    document = jo_api(jo).get(f"/api/v1/workshops/{hidden_scores.id}/export/?format=json").json()
    scores = document["boards"][0]["emotion_scores"]
    assert {(s["stage"], s["persona"]) for s in scores} == {("wait", sam.id)} and len(scores) == 4
