"""The people of a board test: Maya, her team and token, and two guests, Jo and Ravi.

Each test folder defines its own `workshop` (an empathy map, a journey map,
...); the guests join whichever workshop the requesting test's folder defines.
"""

import pytest
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token

from accounts.models import Membership, Role, Team
from boards.workshops import join_workshop


@pytest.fixture
def maya(db):
    return get_user_model().objects.create_user("maya", password="a-long-demo-password", first_name="Maya")


@pytest.fixture
def maya_team(maya):
    team = Team.objects.create(name="Bike repair franchise")
    Membership.objects.create(team=team, user=maya, role=Role.OWNER)
    return team


@pytest.fixture
def maya_token(maya):
    return Token.objects.create(user=maya).key


@pytest.fixture
def guest(workshop):
    return join_workshop(workshop.join_code, "Jo")


@pytest.fixture
def second_guest(workshop):
    return join_workshop(workshop.join_code, "Ravi")
