"""Joining as a guest rotates the session id: a session id planted before the join grants nothing."""

from django.conf import settings
from django.test import Client


def test_a_planted_session_id_does_not_become_the_guests(workshop, board):
    attacker = Client()
    attacker.get("/j/")  # any page that saves a session, to get an id to plant
    attacker.session.save()
    planted = attacker.session.session_key
    assert planted

    victim = Client()
    victim.cookies[settings.SESSION_COOKIE_NAME] = planted
    answer = victim.post(f"/j/{workshop.join_code}", {"display_name": "Jo"})
    assert answer.status_code == 302
    assert victim.cookies[settings.SESSION_COOKIE_NAME].value != planted
    assert victim.get(f"/b/{board.id}/").status_code == 200

    # The attacker still holds the planted id: it opens nothing.
    attacker.cookies[settings.SESSION_COOKIE_NAME] = planted
    assert attacker.get(f"/b/{board.id}/").status_code == 302  # to the login page
    assert attacker.get(f"/api/v1/boards/{board.id}/curve/").status_code in (401, 403, 404)
