"""The convergence test against two real daphne processes that share a database
and Redis, with the participants split between them: ops applied in one process
reach the sockets of the other exactly once and in order (G3), drops and
re-sends double nothing (G4), and everyone ends equal to the server (G5).
"""

import asyncio
import random

import pytest

from tests.boards.simclient import SocketClient, call, run_workshop
from tests.support.servers import run_manage

pytestmark = pytest.mark.multiprocess


@pytest.mark.parametrize("seed", [7])
async def test_clients_split_over_two_processes_converge(live_app_pair, app_database, seed):
    first, second = live_app_pair
    run_manage(app_database, "seed_demo")
    token = call(first, "/api/v1/auth/token/", {"username": "maya", "password": "resonance-demo"})["token"]
    workshop = call(first, "/api/v1/workshops/", {"title": "Two processes", "template": "empathy-map"}, token)
    board_id = workshop["boards"][0]["id"]
    rng = random.Random(seed)
    clients = []
    for i, name in enumerate(["Jo", "Ravi", "Ana", "Sam"]):
        server = (first, second)[i % 2]
        guest = call(server, "/api/v1/join/", {"code": workshop["join_code"], "display_name": name})
        clients.append(SocketClient(name, server, board_id, guest["token"], random.Random(rng.random())))

    async def board_seq():
        return (await asyncio.to_thread(call, first, f"/api/v1/boards/{board_id}/", None, token))["seq"]

    await run_workshop(clients, rng, board_seq, steps=20)

    for server in (first, second):
        snapshot = call(server, f"/api/v1/boards/{board_id}/", token=token)
        snapshot.pop("server_now")  # the server's clock, for timers: not board state
        for client in clients:
            assert client.state == snapshot, (
                f"{client.name} (on {client.server.port}) differs from the server"
            )
    logged = call(first, f"/api/v1/boards/{board_id}/ops/?since=0", token=token)["ops"]
    assert [op["seq"] for op in logged] == list(range(1, snapshot["seq"] + 1))
    applied_ids = [op["client_op_id"] for op in logged]
    assert len(applied_ids) == len(set(applied_ids))
    assert snapshot["seq"] > 40
    for client in clients:
        await client.drop()
