"""The token POST /api/v1/join/ answers is scoped to its workshop, an account holder's too."""

from rest_framework.test import APIClient

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.workshops import create_workshop


def test_an_account_holders_join_token_opens_that_workshop_and_nothing_else(workshop, board, outsider):
    ensure_builtin_templates()
    elsewhere = Team.objects.create(name="Elsewhere")
    Membership.objects.create(team=elsewhere, user=outsider, role=Role.OWNER)
    own = create_workshop(outsider, elsewhere, "Eve's own", Template.objects.get(slug="empathy-map"))

    logged_in = APIClient()
    logged_in.force_authenticate(outsider)
    joined = logged_in.post(
        "/api/v1/join/", {"code": workshop.join_code, "display_name": "Eve"}, format="json"
    )
    assert joined.status_code == 201
    token = joined.json()["token"]

    scoped = APIClient()
    scoped.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert scoped.get(f"/api/v1/boards/{board.id}/").status_code == 200
    # Not the account: her own team's workshops, templates and new workshops stay out of reach.
    assert scoped.get("/api/v1/workshops/").json() == []
    assert scoped.get(f"/api/v1/workshops/{own.id}/").status_code == 404
    assert scoped.get(f"/api/v1/boards/{own.boards.get().id}/").status_code == 404
    assert scoped.get("/api/v1/templates/").json() == []
    made = scoped.post("/api/v1/workshops/", {"title": "x", "template": "empathy-map"}, format="json")
    assert made.status_code == 403


def test_a_team_members_join_token_follows_the_team(workshop, board, member):
    """Joining by code as a team member gives the team's place; leaving the team ends its token too."""
    from accounts import services

    logged_in = APIClient()
    logged_in.force_authenticate(member)
    token = logged_in.post("/api/v1/join/", {"code": workshop.join_code, "display_name": "M"}).json()["token"]
    scoped = APIClient()
    scoped.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert scoped.get(f"/api/v1/boards/{board.id}/").status_code == 200
    services.do_remove_member(Membership.objects.get(team=workshop.team, user=member))
    assert scoped.get(f"/api/v1/boards/{board.id}/").status_code in (401, 404)
