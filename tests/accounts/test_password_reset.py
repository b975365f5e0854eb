import re

from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse


def test_it_mails_a_link_that_sets_a_new_password(client, owner):
    response = client.post(reverse("password_reset"), {"email": owner.email})
    assert response.url == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [owner.email]
    link = re.search(r"https?://[^/]+(/\S+)", mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.context["validlink"]
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "fresh-start-Pass-99", "new_password2": "fresh-start-Pass-99"},
    )
    assert response.url == reverse("password_reset_complete")
    assert get_user_model().objects.get(pk=owner.pk).check_password("fresh-start-Pass-99")


def test_it_says_nothing_about_unknown_addresses(client, owner):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.url == reverse("password_reset_done")
    assert mail.outbox == []


def test_it_rejects_a_forged_link(client, owner, password):
    response = client.get(reverse("password_reset_confirm", args=["MQ", "set-password"]), follow=True)
    assert response.context["validlink"] is False
    assert "no longer works" in response.content.decode()
    assert get_user_model().objects.get(pk=owner.pk).check_password(password)
