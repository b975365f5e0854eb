"""`<id:...>` URLs (workshop/converters.py): an id past 2^63 - 1 is a 404, never a 500."""

import pytest

pytestmark = pytest.mark.django_db

TOO_BIG = str(2**63)


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/teams/{TOO_BIG}/retention/",
        f"/api/v1/teams/{TOO_BIG}/audit/",
        f"/api/v1/workshops/{TOO_BIG}/lifecycle/",
        f"/api/v1/boards/{TOO_BIG}/sentiment/",
        f"/api/v1/boards/{TOO_BIG}/",
    ],
)
def test_an_id_past_64_bits_is_not_found_as_json(client, owner, url):
    client.force_login(owner)
    response = client.get(url)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_the_largest_id_still_reaches_the_view(client, owner):
    client.force_login(owner)
    response = client.get(f"/api/v1/teams/{2**63 - 1}/retention/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"
