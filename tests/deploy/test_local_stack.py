"""The production shape as an operator runs it: nginx in front of two app processes,
PostgreSQL and Redis behind them (deploy/local-stack). A workshop is made from a
built-in template through nginx, guests join, and every op reaches every socket
whichever process serves it (G3), equal to the database in the end (G5).
"""

import asyncio
import json
import random
import urllib.request

import pytest

from tests.boards.simclient import SocketClient, call, run_workshop
from tests.support.stack import facilitator_token

pytestmark = pytest.mark.multiprocess


def test_nginx_serves_static_files_itself_and_probes_reach_the_app(stack):
    manifest = json.loads((stack.directory / "staticfiles" / "staticfiles.json").read_text())
    for name, max_age in [("css/app.css", "3600"), (manifest["paths"]["css/app.css"], "31536000")]:
        with urllib.request.urlopen(f"{stack.url}/static/{name}", timeout=10) as response:
            assert response.status == 200
            assert f"max-age={max_age}" in response.headers.get_all("Cache-Control")[0]
    assert stack.upstreams("/static/") == set()  # nginx answered, no app process
    for url in [stack.url, *stack.app_urls]:
        assert call_json(url + "/healthz") == {"status": "ok", "database": True, "channel_layer": True}


def call_json(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        return json.loads(response.read())


async def test_a_workshop_through_nginx_reaches_every_socket_on_both_processes(stack):
    token = await asyncio.to_thread(facilitator_token, stack)
    workshop = call(stack, "/api/v1/workshops/", {"title": "Through nginx", "template": "empathy-map"}, token)
    board_id = workshop["boards"][0]["id"]
    rng = random.Random(11)
    clients = [SocketClient("Maya", stack, board_id, token, random.Random(rng.random()))]
    for name in ["Jo", "Ravi"]:
        guest = call(stack, "/api/v1/join/", {"code": workshop["join_code"], "display_name": name})
        clients.append(SocketClient(name, stack, board_id, guest["token"], random.Random(rng.random())))

    async def board_seq():
        return (await asyncio.to_thread(call, stack, f"/api/v1/boards/{board_id}/", None, token))["seq"]

    await run_workshop(clients, rng, board_seq, steps=15, drop_chance=0.1)

    snapshot = call(stack, f"/api/v1/boards/{board_id}/", token=token)
    snapshot.pop("server_now")
    for client in clients:
        assert client.state == snapshot, f"{client.name} differs from the database"
    assert snapshot["seq"] >= 30
    # least_conn spread the sockets: both processes served this board's sockets.
    app_addresses = {url.removeprefix("http://") for url in stack.app_urls}
    assert stack.upstreams(f"/ws/boards/{board_id}/") == app_addresses
    for client in clients:
        await client.drop()
