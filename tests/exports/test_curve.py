"""The emotion curve as SVG and PNG: GET /api/v1/boards/{id}/curve.png and the page routes."""

import struct

from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from boards.exports.curve import svg_to_png


def api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
    return client


def png_size(content: bytes) -> tuple[int, int]:
    assert content.startswith(b"\x89PNG\r\n\x1a\n")
    return struct.unpack(">II", content[16:24])


def test_svg_is_rasterised_to_png(fake_curve):
    width, height = png_size(svg_to_png(fake_curve.curve_svg({}), width=600))
    assert (width, height) == (600, 200)


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


def test_a_board_without_a_curve_answers_404(workshop, viewer):
    board = workshop.boards.get()
    response = api(viewer).get(f"/api/v1/boards/{board.id}/curve.png")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_another_teams_board_answers_404(journey_board, outsider, other_team):
    assert api(outsider).get(f"/api/v1/boards/{journey_board.id}/curve.png").status_code == 404


def test_the_summary_shows_the_curve_and_offers_the_png(journey_board, viewer):
    client = Client()
    client.force_login(viewer)
    page = client.get(f"/w/{journey_board.workshop_id}/summary/").content.decode()
    assert "<polyline" in page
    assert f"/b/{journey_board.id}/curve.png" in page
    response = client.get(f"/b/{journey_board.id}/curve.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"


def test_reading_the_curve_does_not_make_a_manager_a_participant(journey_board, viewer):
    from boards.models import Participant

    api(viewer).get(f"/api/v1/boards/{journey_board.id}/curve.png")
    assert not Participant.objects.filter(workshop_id=journey_board.workshop_id, user=viewer).exists()
