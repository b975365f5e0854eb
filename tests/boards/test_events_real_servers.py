"""The event stream's limits against real server processes, with real sockets.

- Under uvicorn (whose send() waits while the client's TCP window is full), a
  client that opens a stream and never reads is cut off: the server closes the
  connection once SSE_SEND_BUFFER_BYTES wait for it, and serves everyone else.
  (daphne has no such back-pressure: docs/protocol.md §11.3.)
- Streams from one address stop at the cap (set to 100 here) with 429; the server
  stays up, and the cap frees up as streams close.
"""

import socket
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.boards.test_convergence_two_processes import call
from tests.boards.test_events_two_processes import post
from tests.support.servers import HOST, ServerProcess, run_manage, settings_environ

pytestmark = pytest.mark.multiprocess


class UvicornProcess(ServerProcess):
    """The same app under uvicorn (the other ASGI server the app supports)."""

    def launch(self) -> None:
        import subprocess

        from tests.support import servers

        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--host",
            HOST,
            "--port",
            str(self.port),
            "--lifespan",
            "off",
            "workshop.asgi:application",
        ]
        with open(self.log_path, "ab") as log:
            self._launch_offset = log.tell()
            log.write(f"$ {' '.join(command)}\n".encode())
            log.flush()
            self.process = subprocess.Popen(
                command, cwd=servers.REPO_ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )
        servers._running.add(self)


def workshop_on(server, app_database):
    run_manage(app_database, "seed_demo")
    token = call(server, "/api/v1/auth/token/", {"username": "maya", "password": "resonance-demo"})["token"]
    workshop = call(server, "/api/v1/workshops/", {"title": "Limits", "template": "empathy-map"}, token)
    return token, workshop


def open_stream(server, board_id, token, rcvbuf=None) -> tuple[socket.socket, int]:
    """A raw stream request; (socket, HTTP status). The body is left unread."""
    sock = socket.socket()
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(20)
    sock.connect((HOST, server.port))
    sock.sendall(
        f"GET /api/v1/boards/{board_id}/events/ HTTP/1.1\r\nHost: {HOST}:{server.port}\r\n"
        f"Authorization: Token {token}\r\n\r\n".encode()
    )
    head = b""
    while b"\r\n" not in head:
        head += sock.recv(1 if rcvbuf else 64)
    return sock, int(head.split(b" ", 2)[1])


def healthy(server) -> bool:
    """/healthz answers 200 (its channel-layer check allows 2 s: a loaded machine gets three tries)."""
    body = None
    for _ in range(3):
        try:
            with urllib.request.urlopen(server.url + "/healthz", timeout=10) as response:
                return response.status == 200
        except urllib.error.HTTPError as error:
            body = error.read()
            time.sleep(1)
    raise AssertionError(f"/healthz: {body!r}")


def test_a_client_that_never_reads_is_cut_off_under_uvicorn(app_env, app_database, tmp_path):
    env = settings_environ({**app_env, "SSE_SEND_BUFFER_BYTES": str(64 * 1024)})
    server = UvicornProcess(env, None, tmp_path / "uvicorn.log")
    server.launch()
    try:
        server.wait_ready()
        token, workshop = workshop_on(server, app_database)
        board_id = workshop["boards"][0]["id"]
        stalled, status = open_stream(server, board_id, token, rcvbuf=4096)
        assert status == 200
        reader, status = open_stream(server, board_id, token)
        assert status == 200
        # Writers enough that the per-participant op pace never refuses one.
        writers = [
            call(server, "/api/v1/join/", {"code": workshop["join_code"], "display_name": f"W{i}"})["token"]
            for i in range(20)
        ]
        text = "x" * 1900
        posted = 0
        for posted in range(1, 1501):
            answer, _ = post(
                server,
                f"/api/v1/boards/{board_id}/ops/",
                {"op": "note.add", "data": {"section": "says", "text": f"{posted} {text}"}},
                writers[posted % 20],
            )
            assert answer == 200
            if posted % 50 == 0 and b"cut off" in server.log_path.read_bytes():
                break
        # The stalled client now reads: what was sent before the cut-off, then the end.
        stalled.settimeout(20)
        received = b""
        while chunk := stalled.recv(65536):
            received += chunk
        assert received.count(b"event: op") < posted  # it did not get them all: it was cut off
        assert b"an event stream that did not read was cut off" in server.log_path.read_bytes()
        assert healthy(server)
        # The reader who reads got every op.
        reader.settimeout(20)
        seen = b""
        while seen.count(b"event: op") < posted:
            seen += reader.recv(65536)
        reader.close()
    finally:
        server.stop()


def test_streams_from_one_address_stop_at_the_cap_and_the_server_stays_up(start_app, app_database):
    server = start_app({"SSE_MAX_STREAMS_PER_ADDRESS": "100"})
    token, workshop = workshop_on(server, app_database)
    board_id = workshop["boards"][0]["id"]
    guests = [
        call(server, "/api/v1/join/", {"code": workshop["join_code"], "display_name": f"G{i}"})["token"]
        for i in range(11)
    ]
    opened, statuses = [], []
    for i in range(110):
        sock, status = open_stream(server, board_id, guests[i // 10])  # 10 streams each: the participant cap
        opened.append(sock)
        statuses.append(status)
    assert statuses[:100] == [200] * 100
    assert statuses[100:] == [429] * 10
    assert healthy(server)
    for sock in opened:
        sock.close()
    deadline = time.monotonic() + 20
    while True:
        sock, status = open_stream(server, board_id, token)
        sock.close()
        if status == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.5)
    assert status == 200  # closed streams no longer count
