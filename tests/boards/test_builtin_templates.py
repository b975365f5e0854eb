"""Built-in templates: written by `manage.py migrate` alone, refreshed by each later migrate."""

import json
import urllib.request

import pytest
from django.core.management import call_command

from boards.builtin_templates import BUILTIN_TEMPLATES
from boards.models import Template
from tests.support.servers import run_manage

BUILTIN_SLUGS = {"empathy-map", "empathy-map-extended", "jtbd", "journey-map"}


def test_every_built_in_slug_is_in_the_database_after_migrate(db):
    # pytest-django built this database with `migrate` and nothing else.
    slugs = set(Template.objects.filter(team__isnull=True).values_list("slug", flat=True))
    assert slugs >= BUILTIN_SLUGS
    assert slugs == {spec["slug"] for spec in BUILTIN_TEMPLATES}


def test_the_new_workshop_page_offers_them_without_seed_demo(client, facilitator, team):
    client.force_login(facilitator)
    page = client.get(f"/w/new/?team={team.id}").content.decode()
    for spec in BUILTIN_TEMPLATES:
        assert spec["name"] in page


def test_migrate_refreshes_a_stale_built_in_and_leaves_team_templates_alone(db, team):
    Template.objects.filter(team__isnull=True, slug="jtbd").update(name="Old name", structure={"boards": []})
    own = Template.objects.create(
        team=team, slug="empathy-map", name="Our empathy map", structure={"boards": [], "agenda": []}
    )
    call_command("migrate", verbosity=0)
    refreshed = Template.objects.get(team__isnull=True, slug="jtbd")
    spec = next(spec for spec in BUILTIN_TEMPLATES if spec["slug"] == "jtbd")
    assert (refreshed.name, refreshed.structure) == (spec["name"], spec["structure"])
    own.refresh_from_db()
    assert (own.name, own.structure) == ("Our empathy map", {"boards": [], "agenda": []})
    assert Template.objects.filter(team__isnull=True, slug="empathy-map").count() == 1


MAKE_TOKEN = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
user = get_user_model().objects.create_user("olivia", password="x-long-password-1")
print(Token.objects.create(user=user).key)
"""


@pytest.mark.multiprocess
def test_a_workshop_is_made_from_a_built_in_slug_on_a_freshly_migrated_server(app_database, live_app):
    # app_database has had `migrate` and nothing else: no seed_demo.
    token = run_manage(app_database, "shell", "-c", MAKE_TOKEN).stdout.strip().splitlines()[-1]
    request = urllib.request.Request(
        live_app.url + "/api/v1/workshops/",
        data=json.dumps({"title": "First-time e-bike owner", "template": "empathy-map"}).encode(),
        headers={"Authorization": f"Token {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=20) as response:
        assert response.status == 201
        workshop = json.load(response)
    assert [board["kind"] for board in workshop["boards"]] == ["empathy-map"]
