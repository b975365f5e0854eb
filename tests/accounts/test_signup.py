from django.contrib.auth import get_user_model
from django.urls import reverse

User = get_user_model()


def signup(client, **overrides):
    data = {
        "username": "sam",
        "email": "",
        "password1": "pedal-to-Monday-42",
        "password2": "pedal-to-Monday-42",
    }
    data.update(overrides)
    return client.post(reverse("signup"), data)


def test_it_creates_the_account_and_logs_in(client, db):
    response = signup(client, email="sam@example.com")
    assert response.status_code == 302
    assert response.url == reverse("dashboard")
    user = User.objects.get(username="sam")
    assert user.email == "sam@example.com"
    assert user.check_password("pedal-to-Monday-42")
    assert client.get(reverse("dashboard")).context["user"] == user


def test_email_is_optional(client, db):
    signup(client)
    assert User.objects.get(username="sam").email == ""


def test_it_rejects_a_taken_username(client, owner):
    response = signup(client, username=owner.username.upper())
    assert response.status_code == 200
    assert "already exists" in str(response.context["form"].errors["username"])
    assert User.objects.filter(username__iexact=owner.username).count() == 1
    assert "_auth_user_id" not in client.session


def test_it_rejects_a_weak_password(client, db):
    response = signup(client, password1="password", password2="password")
    assert response.status_code == 200
    assert "too common" in str(response.context["form"].errors["password2"])
    assert not User.objects.filter(username="sam").exists()


def test_it_rejects_a_short_numeric_password(client, db):
    response = signup(client, password1="1234", password2="1234")
    errors = str(response.context["form"].errors)
    assert "too short" in errors
    assert "entirely numeric" in errors
    assert not User.objects.exists()


def test_it_rejects_a_password_like_the_username(client, db):
    response = signup(client, username="velocipede", password1="velocipede1", password2="velocipede1")
    assert "too similar" in str(response.context["form"].errors)
    assert not User.objects.exists()


def test_it_rejects_mismatched_passwords(client, db):
    response = signup(client, password2="something-else-42")
    assert response.context["form"].errors["password2"]
    assert not User.objects.exists()


def test_it_rejects_an_invalid_email(client, db):
    response = signup(client, email="not-an-email")
    assert response.context["form"].errors["email"]
    assert not User.objects.exists()


def test_it_follows_a_safe_next_url(client, db):
    response = client.post(
        reverse("signup") + "?next=/accounts/invites/abc/",
        {"username": "sam", "password1": "pedal-to-Monday-42", "password2": "pedal-to-Monday-42"},
    )
    assert response.url == "/accounts/invites/abc/"


def test_it_ignores_an_offsite_next_url(client, db):
    response = client.post(
        reverse("signup"),
        {
            "username": "sam",
            "password1": "pedal-to-Monday-42",
            "password2": "pedal-to-Monday-42",
            "next": "https://evil.example/",
        },
    )
    assert response.url == reverse("dashboard")
    assert User.objects.filter(username="sam").exists()


def test_it_sends_a_logged_in_user_to_the_dashboard(client, owner):
    client.force_login(owner)
    response = client.get(reverse("signup"))
    assert response.url == reverse("dashboard")
