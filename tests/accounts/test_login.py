from django.urls import reverse


def test_it_logs_in(client, owner, password):
    response = client.post(reverse("login"), {"username": owner.username, "password": password})
    assert response.url == reverse("dashboard")
    assert client.session["_auth_user_id"] == str(owner.pk)


def test_it_rejects_a_wrong_password(client, owner):
    response = client.post(reverse("login"), {"username": owner.username, "password": "wrong-password"})
    assert response.status_code == 200
    assert "correct username and password" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_it_rejects_an_unknown_user(client, db, password):
    response = client.post(reverse("login"), {"username": "nobody", "password": password})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_it_links_to_signup_keeping_next(client, db):
    response = client.get(reverse("login") + "?next=/accounts/invites/abc/")
    assert reverse("signup") + "?next=/accounts/invites/abc/" in response.content.decode().replace("%2F", "/")


def test_logout_ends_the_session(client, owner):
    client.force_login(owner)
    response = client.post(reverse("logout"))
    assert response.url == reverse("login")
    assert "_auth_user_id" not in client.session
