"""Starting a workshop from the page."""

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template, Workshop


def test_a_facilitator_starts_a_workshop_from_a_template(client, facilitator, team):
    ensure_builtin_templates()
    client.force_login(facilitator)
    template = Template.objects.get(slug="empathy-map-extended", team__isnull=True)
    page = client.get(f"/w/new/?team={team.id}")
    assert "Extended empathy map" in page.content.decode()
    response = client.post("/w/new/", {"title": "E-bike owners", "team": team.id, "template": template.id})
    workshop = Workshop.objects.get()
    assert response.url == f"/w/{workshop.id}/"
    assert (workshop.title, workshop.team, workshop.boards.get().kind) == (
        "E-bike owners",
        team,
        "empathy-map-extended",
    )


def test_an_empty_title_is_refused(client, facilitator, team):
    ensure_builtin_templates()
    client.force_login(facilitator)
    template = Template.objects.get(slug="empathy-map")
    response = client.post("/w/new/", {"title": "  ", "team": team.id, "template": template.id})
    assert "must not be empty" in response.content.decode()
    assert not Workshop.objects.exists()


def test_members_cannot_start_workshops_for_the_team(client, member, team):
    ensure_builtin_templates()
    client.force_login(member)
    template = Template.objects.get(slug="empathy-map")
    response = client.post("/w/new/", {"title": "X", "team": team.id, "template": template.id})
    assert response.status_code == 302
    assert not Workshop.objects.exists()
