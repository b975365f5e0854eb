"""The board page: who may open it."""


def test_the_facilitator_sees_the_board_with_its_join_code(client, maya, workshop, board):
    client.force_login(maya)
    page = client.get(f"/b/{board.id}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert workshop.join_code in html
    assert f'data-board-id="{board.id}"' in html


def test_a_stranger_without_a_session_is_sent_to_log_in(client, board):
    response = client.get(f"/b/{board.id}/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_it_rejects_outsiders(client, outsider, board):
    client.force_login(outsider)
    assert client.get(f"/b/{board.id}/").status_code == 404
    assert client.get(f"/w/{board.workshop_id}/").status_code == 404


def test_a_guest_of_another_workshop_cannot_open_it(client, board, other_board):
    client.post("/j/", {"code": other_board.workshop.join_code, "display_name": "Eve"})
    response = client.get(f"/b/{board.id}/")
    assert response.status_code == 302 and "login" in response.url


def test_the_board_offers_the_summary_and_every_export(client, maya, workshop, board):
    client.force_login(maya)
    html = client.get(f"/b/{board.id}/").content.decode()
    assert f'href="/w/{workshop.id}/summary/"' in html
    for fmt in ("pdf", "md", "csv", "json"):
        assert f"/w/{workshop.id}/export/?format={fmt}" in html
