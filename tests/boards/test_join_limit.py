"""The join throttle (boards/join_limit.py): one count of wrong codes per address, page and API."""

import threading

import pytest
from django.test import RequestFactory
from rest_framework.test import APIClient

from boards import join_limit
from boards.errors import RateLimited
from boards.models import Participant


def api_join(code, name="Jo", **extra):
    return APIClient().post("/api/v1/join/", {"code": code, "display_name": name}, format="json", **extra)


def test_a_room_of_100_joins_through_the_api_from_one_address(workshop):
    for i in range(100):
        response = api_join(workshop.join_code, f"Person {i}", REMOTE_ADDR="203.0.113.7")
        assert response.status_code == 201, (i, response.json())
    assert Participant.objects.filter(workshop=workshop, user__isnull=True).count() == 100


def test_thirty_wrong_codes_then_everything_from_that_address_waits(workshop):
    for i in range(30):
        response = api_join(f"ZZZ-{i:03d}")
        assert response.status_code == 404, i
    response = api_join("ZZZ-999")
    assert response.status_code == 429
    assert response.json() == {"code": "rate_limited", "message": join_limit.MESSAGE}
    # A right code too: answering it would tell a guesser which guess was right.
    assert api_join(workshop.join_code).status_code == 429
    assert workshop.participants.count() == 1
    # Another address is not affected.
    assert api_join(workshop.join_code, REMOTE_ADDR="198.51.100.1").status_code == 201


def test_the_page_and_the_api_share_one_count(client, workshop):
    for i in range(15):
        assert client.get(f"/j/ZZZ-{i:03d}").status_code == 200
    for i in range(15):
        assert api_join(f"YYY-{i:03d}").status_code == 404
    assert api_join("ZZZ-999").status_code == 429
    assert client.post("/j/", {"code": "XXX-000", "display_name": "Jo"}).status_code == 429


def test_right_codes_are_never_counted(client, workshop):
    for i in range(29):
        assert api_join(f"ZZZ-{i:03d}").status_code == 404
    for i in range(40):
        assert api_join(workshop.join_code, f"P{i}").status_code == 201
        client.get(f"/j/{workshop.join_code}")
    # The 30th wrong code is still answered "no such code".
    assert api_join("ZZZ-999").status_code == 404
    assert api_join("ZZZ-998").status_code == 429


@pytest.mark.parametrize("num_proxies, separate", [(1, True), (0, False)])
def test_addresses_are_read_through_num_proxies(settings, workshop, num_proxies, separate):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": num_proxies}
    from rest_framework.settings import api_settings

    api_settings.reload()
    try:
        for i in range(30):
            api_join(f"ZZZ-{i:03d}", HTTP_X_FORWARDED_FOR="192.0.2.1", REMOTE_ADDR="10.0.0.1")
        # Someone else behind the same proxy (or, with no proxy, someone claiming another address).
        other = api_join("ZZZ-999", HTTP_X_FORWARDED_FOR="192.0.2.2", REMOTE_ADDR="10.0.0.1")
        assert other.status_code == (404 if separate else 429)
    finally:
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
        api_settings.reload()


@pytest.mark.django_db(transaction=True)  # the guesses run in threads, each on its own connection
def test_the_count_is_atomic_under_parallel_guesses():
    request = RequestFactory().get("/", REMOTE_ADDR="192.0.2.50")
    refused, start = [], threading.Barrier(60)

    def guess():
        start.wait()
        try:
            join_limit.count_wrong_code(request)
        except RateLimited:
            refused.append(1)

    threads = [threading.Thread(target=guess) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(refused) == 30
