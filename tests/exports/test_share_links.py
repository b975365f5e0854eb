"""Share links: made and revoked by facilitators and owners, read by anyone holding one."""

import json

import pytest
from django.test import Client

from boards.models import ShareLink


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def link(workshop, facilitator):
    return ShareLink.objects.create(workshop=workshop, created_by=facilitator)


@pytest.mark.parametrize("who", ["owner", "facilitator"])
def test_facilitators_and_owners_create_links(workshop, request, who):
    response = logged_in(request.getfixturevalue(who)).post(f"/w/{workshop.id}/share/")
    assert response.status_code == 302
    link = ShareLink.objects.get(workshop=workshop)
    assert len(link.token) >= 43 and link.is_live


@pytest.mark.parametrize("who", ["member", "viewer"])
def test_members_and_viewers_cannot_create_links(workshop, request, who):
    assert logged_in(request.getfixturevalue(who)).post(f"/w/{workshop.id}/share/").status_code == 403
    assert not ShareLink.objects.exists()


def test_outsiders_cannot_create_links(workshop, outsider, other_team):
    assert logged_in(outsider).post(f"/w/{workshop.id}/share/").status_code == 404


def test_the_summary_page_lists_live_links(workshop, facilitator, link):
    page = logged_in(facilitator).get(f"/w/{workshop.id}/summary/").content.decode()
    assert f"/s/{link.token}/" in page


def test_the_share_page_shows_summary_and_boards_without_editing(workshop, link):
    response = Client().get(f"/s/{link.token}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "I just need it to work by Monday." in page
    assert "read-only" in page
    assert "<script" not in page.replace("&lt;script", "")
    assert "contenteditable" not in page
    assert "<form" not in page and "<textarea" not in page and "<input" not in page
    assert "ws/boards" not in page
    assert response["Referrer-Policy"] == "no-referrer"
    assert "noindex" in response["X-Robots-Tag"]


def test_the_share_page_offers_the_exports(workshop, link):
    client = Client()
    for fmt in ["md", "csv", "json", "pdf"]:
        response = client.get(f"/s/{link.token}/export/?format={fmt}")
        assert response.status_code == 200, fmt
    assert (
        json.loads(client.get(f"/s/{link.token}/export/?format=json").content)["schema"]
        == "resonance.workshop/2"
    )
    assert client.get(f"/s/{link.token}/export/?format=exe").status_code == 400


def test_revoking_ends_the_link(workshop, facilitator, link):
    response = logged_in(facilitator).post(f"/w/{workshop.id}/share/{link.id}/revoke/")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.revoked_at is not None
    gone = Client().get(f"/s/{link.token}/")
    assert gone.status_code == 404
    assert "This link does not open anything" in gone.content.decode()
    assert Client().get(f"/s/{link.token}/export/?format=csv").status_code == 404


def test_revoking_twice_keeps_the_first_time(link):
    link.revoke()
    first = link.revoked_at
    link.revoke()
    link.refresh_from_db()
    assert link.revoked_at == first


def test_members_cannot_revoke(workshop, member, link):
    assert logged_in(member).post(f"/w/{workshop.id}/share/{link.id}/revoke/").status_code == 403
    link.refresh_from_db()
    assert link.is_live


def test_a_made_up_token_is_a_friendly_404(db):
    response = Client().get("/s/not-a-real-token-at-all/")
    assert response.status_code == 404
    assert "This link does not open anything" in response.content.decode()


def test_a_link_to_one_workshop_does_not_open_another_boards_curve(workshop, empty_workshop, link):
    other_board = empty_workshop.boards.get()
    assert Client().get(f"/s/{link.token}/curve/{other_board.id}.png").status_code == 404
