"""The emotion curve as SVG and PNG: GET /api/v1/boards/{id}/curve.png (and api_journey's .svg), the page routes."""

import struct

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.curve import curve_svg
from boards.exports import reader_snapshots
from boards.exports.curve import svg_to_png
from boards.models import ShareLink


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", content[16:24])


@pytest.fixture
def journey_board(journey_workshop):
    return journey_workshop.boards.get()


def test_the_curve_is_rasterised_to_png(journey_workshop):
    svg = curve_svg(reader_snapshots(journey_workshop)[0])  # 760 x 320
    width, height = png_size(svg_to_png(svg, width=380))
    assert (width, height) == (380, 160)


def test_the_api_serves_a_journey_boards_curve_as_png(journey_board, viewer):
    response = api(viewer).get(f"/api/v1/boards/{journey_board.id}/curve.png")
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].endswith(f'-curve-{journey_board.id}.png"')
    assert png_size(response.content)[0] == 1200


def test_the_api_serves_svg_too(journey_board, viewer):
    response = api(viewer).get(f"/api/v1/boards/{journey_board.id}/curve.svg")
    assert response.status_code == 200
    assert response.content.startswith(b"<svg")
    assert b'class="moment-of-truth"' in response.content


def test_the_pages_svg_is_the_apis_drawing(journey_board, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/b/{journey_board.id}/curve.svg")
    assert page.status_code == 200 and page["Content-Type"] == "image/svg+xml"
    assert page.content == api(viewer).get(f"/api/v1/boards/{journey_board.id}/curve.svg").content


def test_a_board_without_a_curve_answers_404(workshop, viewer):
    board = workshop.boards.get()
    response = api(viewer).get(f"/api/v1/boards/{board.id}/curve.png")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_teams_board_answers_404(journey_board, outsider, other_team):
    assert api(outsider).get(f"/api/v1/boards/{journey_board.id}/curve.png").status_code == 404


def test_the_summary_shows_the_curves_and_offers_the_png(journey_board, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/w/{journey_board.workshop_id}/summary/").content.decode()
    assert page.count("<polyline") == 2  # Sam and Ana
    assert "Moment of truth" in page
    assert f"/b/{journey_board.id}/curve.png" in page
    response = client.get(f"/b/{journey_board.id}/curve.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_a_share_link_serves_its_own_boards_curve(journey_board, facilitator):
    link = ShareLink.objects.create(workshop=journey_board.workshop, created_by=facilitator)
    response = Client().get(f"/s/{link.token}/curve/{journey_board.id}.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert (
        f"/s/{link.token}/curve/{journey_board.id}.png" in Client().get(f"/s/{link.token}/").content.decode()
    )


def test_reading_the_curve_does_not_make_a_manager_a_participant(journey_board, viewer):
    from boards.models import Participant

    api(viewer).get(f"/api/v1/boards/{journey_board.id}/curve.png")
    assert not Participant.objects.filter(workshop_id=journey_board.workshop_id, user=viewer).exists()
