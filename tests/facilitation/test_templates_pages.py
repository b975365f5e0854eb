"""The template pages under /t/: list, new, edit, copy, and saving a live board."""

from django.urls import reverse

from boards.models import Template


def test_the_list_shows_builtins_and_team_templates(client, maya_user, team):
    Template.objects.create(team=team, name="Team's own", structure={})
    client.force_login(maya_user)
    page = client.get(reverse("template-list")).content.decode()
    assert "Jobs-to-be-done interview" in page and "Team&#x27;s own" in page


def test_a_facilitator_copies_then_edits_a_builtin(client, maya_user, team):
    client.force_login(maya_user)
    builtin = Template.objects.get(slug="empathy-map")
    response = client.post(reverse("template-copy", args=[builtin.id]))
    copy = Template.objects.get(team=team)
    assert response.url == reverse("template-edit", args=[copy.id])
    form = client.get(response.url).content.decode()
    assert "Says | What do they say out loud?" in form
    response = client.post(
        reverse("template-edit", args=[copy.id]),
        {
            "name": "First-time e-bike owner",
            "description": "",
            "b0-kind": "empathy-map",
            "b0-title": "E-bike owner",
            "b0-sections": "Says | What do they say to the mechanic?\nThinks\nDoes\nFeels",
            "b0-persona_name": "Sam",
            "b0-persona_details": "age: 34\nquote: I just need it to work by Monday",
            "agenda": "write 8\nreveal 1\ngroup 10\nvote 5\ndiscuss 20",
        },
    )
    assert response.status_code == 302
    copy.refresh_from_db()
    board = copy.structure["boards"][0]
    assert board["sections"][0] == {
        "key": "says",
        "title": "Says",
        "prompt": "What do they say to the mechanic?",
    }
    assert board["persona"]["details"] == {"age": "34", "quote": "I just need it to work by Monday"}
    assert copy.structure["agenda"][-1] == {"phase": "discuss", "minutes": 20}
    assert Template.objects.get(slug="empathy-map").structure == builtin.structure


def test_a_template_with_no_sections_shows_a_clear_error(client, maya_user, team):
    client.force_login(maya_user)
    response = client.post(
        reverse("template-new"),
        {"name": "Empty", "team": team.id, "b0-kind": "empathy-map", "b0-title": "Empty", "b0-sections": ""},
    )
    assert response.status_code == 400
    assert "Every board needs at least one section" in response.content.decode()
    assert not Template.objects.filter(team=team).exists()


def test_a_live_board_is_saved_as_a_template(client, maya_user, board):
    client.force_login(maya_user)
    response = client.post(reverse("board-save-template", args=[board.id]))
    template = Template.objects.get(team=board.workshop.team)
    assert response.url == reverse("template-edit", args=[template.id])
    assert template.structure["boards"][0]["kind"] == "empathy-map"


def test_builtins_cannot_be_edited_and_outsiders_see_nothing(client, maya_user, outsider_user, team):
    client.force_login(maya_user)
    builtin = Template.objects.get(slug="empathy-map")
    assert client.get(reverse("template-edit", args=[builtin.id])).status_code == 404
    mine = Template.objects.create(team=team, name="Mine", structure={})
    client.force_login(outsider_user)
    assert client.get(reverse("template-edit", args=[mine.id])).status_code == 404
    assert "Mine" not in client.get(reverse("template-list")).content.decode()
