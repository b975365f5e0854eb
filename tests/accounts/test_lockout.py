"""Brute-force limits: log-in page, API token, password reset (accounts/lockout.py)."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

WRONG = "not-the-password"


def log_in(client, user, password, address="10.0.0.1"):
    return client.post(
        reverse("login"), {"username": user.username, "password": password}, REMOTE_ADDR=address
    )


def token(user, password, address="10.0.0.1"):
    return APIClient().post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": password},
        format="json",
        REMOTE_ADDR=address,
    )


def test_ten_wrong_passwords_lock_the_log_in_page_for_that_account(client, owner, member, password):
    for _ in range(9):
        assert log_in(client, owner, WRONG).status_code == 200
    # The tenth failure locks the account from this address at once.
    assert log_in(client, owner, WRONG).status_code == 429
    response = log_in(client, owner, password)
    assert response.status_code == 429
    assert "Too many failed log-ins" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # Someone else at the same address is not affected...
    assert log_in(client, member, password).status_code == 302
    assert client.session["_auth_user_id"] == str(member.pk)


def test_the_same_account_from_another_address_still_logs_in(client, owner, password):
    for _ in range(12):
        log_in(client, owner, WRONG)
    assert log_in(client, owner, password).status_code == 429
    assert log_in(client, owner, password, address="10.0.0.2").status_code == 302


def test_nine_wrong_passwords_do_not_lock_and_a_success_starts_the_count_again(client, owner, password):
    for _ in range(9):
        log_in(client, owner, WRONG)
    assert log_in(client, owner, password).status_code == 302
    client.logout()
    for _ in range(9):
        log_in(client, owner, WRONG)
    assert log_in(client, owner, password).status_code == 302


def test_ten_wrong_passwords_lock_the_api_token_too(owner, member, password):
    for _ in range(9):
        response = token(owner, WRONG)
        assert response.status_code == 400 and response.json()["code"] == "invalid"
    assert token(owner, WRONG).status_code == 429
    response = token(owner, password)
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert "Too many failed log-ins" in response.json()["message"]
    assert "token" not in response.json()
    assert token(member, password).status_code == 200


def test_the_page_and_the_api_share_one_count(client, owner, password):
    for _ in range(5):
        log_in(client, owner, WRONG)
    for _ in range(5):
        token(owner, WRONG)
    assert token(owner, password).status_code == 429
    assert log_in(client, owner, password).status_code == 429


def test_the_lock_lifts_after_the_cool_off(client, owner, password, settings):
    from datetime import timedelta

    settings.AXES_COOLOFF_TIME = timedelta(seconds=1)
    for _ in range(10):
        log_in(client, owner, WRONG)
    assert log_in(client, owner, password).status_code == 429
    import time

    time.sleep(1.5)
    assert log_in(client, owner, password).status_code == 302


@pytest.mark.parametrize("address", ["10.0.0.9"])
def test_password_reset_mails_are_limited_per_address(client, owner, address):
    for _ in range(5):
        response = client.post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=address)
        assert response.status_code == 302
    assert len(mail.outbox) == 5
    response = client.post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR=address)
    assert response.status_code == 429
    assert "Too many password reset requests" in response.content.decode()
    assert len(mail.outbox) == 5
    # Another address is not affected.
    response = client.post(reverse("password_reset"), {"email": owner.email}, REMOTE_ADDR="10.0.0.10")
    assert response.status_code == 302
