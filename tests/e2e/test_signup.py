"""From nothing to a team of two: sign up, create a team, invite, accept, dashboard."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import Membership, Role

pytestmark = pytest.mark.browser

PASSWORD = "pedal-to-Monday-42"


def sign_up(page, username):
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()


def test_sign_up_create_team_invite_and_accept(live_server, new_context):
    maya = new_context(base_url=live_server.url).new_page()
    maya.goto("/accounts/signup/")
    sign_up(maya, "maya")
    expect(maya.get_by_role("heading", name="Create your first team")).to_be_visible()

    maya.get_by_role("link", name="Create a team").click()
    maya.get_by_label("Team name").fill("Bike repair")
    maya.get_by_role("button", name="Create team").click()
    expect(maya.get_by_role("heading", name="Bike repair", level=1)).to_be_visible()

    maya.get_by_label("Role", exact=True).select_option("facilitator")
    maya.get_by_role("button", name="Create invite link").click()
    invite_url = maya.locator("input.invite-url").first.input_value()
    assert re.search(r"/accounts/invites/[\w-]+/$", invite_url)

    # Sam opens the link in another browser, has no account yet, and signs up on the way.
    sam = new_context(base_url=live_server.url).new_page()
    sam.goto(invite_url)
    expect(sam.get_by_role("heading", name="Log in")).to_be_visible()
    sam.get_by_role("link", name="Create an account").click()
    sign_up(sam, "sam")
    expect(sam.get_by_role("heading", name="Join Bike repair")).to_be_visible()
    sam.get_by_role("button", name="Join Bike repair").click()
    expect(sam.get_by_text("You joined Bike repair as facilitator.")).to_be_visible()

    sam.get_by_role("navigation", name="Main").get_by_role("link", name="Dashboard").click()
    expect(sam.get_by_role("heading", name="Bike repair")).to_be_visible()
    expect(sam.get_by_text("No workshops yet")).to_be_visible()
    expect(sam.get_by_role("link", name="New workshop").first).to_have_attribute(
        "href", re.compile(r"/w/new/\?team=\d+")
    )

    maya.reload()
    expect(maya.locator(".member-list")).to_contain_text("sam")
    roles = dict(Membership.objects.filter(team__name="Bike repair").values_list("user__username", "role"))
    assert roles == {"maya": Role.OWNER, "sam": Role.FACILITATOR}
