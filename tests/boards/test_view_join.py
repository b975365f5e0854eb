"""The join page: a name is all a guest needs."""

from boards.auth import SESSION_KEY
from boards.models import Participant, Workshop


def test_a_guest_joins_by_link_and_lands_on_the_board(client, workshop, board):
    page = client.get(f"/j/{workshop.join_code}")
    assert page.status_code == 200
    assert workshop.title in page.content.decode()
    response = client.post("/j/", {"code": workshop.join_code, "display_name": "Jo"})
    guest = Participant.objects.get(workshop=workshop, display_name="Jo")
    assert response.status_code == 302 and response.url == f"/w/{workshop.id}/"
    assert client.session[SESSION_KEY] == {str(workshop.id): guest.id}
    assert client.get(response.url).url == f"/b/{board.id}/"
    board_page = client.get(f"/b/{board.id}/")
    assert board_page.status_code == 200
    assert f'data-participant-id="{guest.id}"' in board_page.content.decode()


def test_a_returning_guest_is_not_asked_again(client, workshop):
    client.post("/j/", {"code": workshop.join_code, "display_name": "Jo"})
    assert client.get(f"/j/{workshop.join_code}").status_code == 302
    assert workshop.participants.filter(display_name="Jo").count() == 1


def test_an_empty_or_long_name_is_refused_with_a_message(client, workshop):
    for name in ["", "x" * 200]:
        response = client.post("/j/", {"code": workshop.join_code, "display_name": name})
        assert response.status_code == 400
        assert "display_name" in response.content.decode()
    assert workshop.participants.count() == 1


def test_an_unknown_code_says_so(client, workshop):
    response = client.post("/j/", {"code": "ZZZ-ZZZ", "display_name": "Jo"})
    assert response.status_code == 400
    assert "No workshop has that code" in response.content.decode()


def test_a_closed_workshop_says_so(client, workshop):
    Workshop.objects.filter(id=workshop.id).update(joining_open=False)
    response = client.post("/j/", {"code": workshop.join_code, "display_name": "Jo"})
    assert "closed to new participants" in response.content.decode()
    assert workshop.participants.count() == 1


def test_html_in_a_name_is_shown_as_text(client, workshop, board):
    client.post("/j/", {"code": workshop.join_code, "display_name": "<b>Jo</b>"})
    page = client.get(f"/b/{board.id}/").content.decode()
    assert "<b>Jo</b>" not in page


def test_guessing_codes_is_stopped_after_thirty_wrong_ones(client, workshop):
    for i in range(30):
        assert client.get(f"/j/ZZZ-{i:03d}").status_code == 200
    blocked = client.post("/j/", {"code": workshop.join_code, "display_name": "Jo"})
    assert blocked.status_code == 429
    assert "Too many wrong codes" in blocked.content.decode()
    assert workshop.participants.count() == 1
