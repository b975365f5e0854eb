from django.contrib.auth import get_user_model
from django.urls import reverse


def test_it_changes_the_password(client, owner, password):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": password,
            "new_password1": "a-brand-new-Pass-77",
            "new_password2": "a-brand-new-Pass-77",
        },
    )
    assert response.url == reverse("password_change_done")
    assert get_user_model().objects.get(pk=owner.pk).check_password("a-brand-new-Pass-77")


def test_it_rejects_a_wrong_old_password(client, owner, password):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "nope",
            "new_password1": "a-brand-new-Pass-77",
            "new_password2": "a-brand-new-Pass-77",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["old_password"]
    assert get_user_model().objects.get(pk=owner.pk).check_password(password)


def test_it_rejects_a_weak_new_password(client, owner, password):
    client.force_login(owner)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "qwerty", "new_password2": "qwerty"},
    )
    assert response.context["form"].errors["new_password2"]
    assert get_user_model().objects.get(pk=owner.pk).check_password(password)


def test_it_requires_login(client, db):
    response = client.get(reverse("password_change"))
    assert response.url.startswith(reverse("login"))
