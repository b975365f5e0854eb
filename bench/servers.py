"""Starting, watching and stopping the server processes the benchmark measures.

Every process is started by us, in its own session, on 127.0.0.1 only, and
stopped by its own pid at the end (SIGTERM, then SIGKILL after a grace period).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

PYTHON = sys.executable
HOST = "127.0.0.1"
CLK_TCK = os.sysconf("SC_CLK_TCK")

# Straight to 127.0.0.1, whatever http_proxy says: all traffic stays on this machine.
DIRECT = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def server_argv(server: str, app: str, port: int, lifespan: bool) -> list[str]:
    """The command line serving ASGI `app` with daphne or uvicorn, one process."""
    if server == "daphne":
        # -v 0: no per-connection access log lines in the measured process.
        return [PYTHON, "-m", "daphne", "-v", "0", "-b", HOST, "-p", str(port), app]
    if server == "uvicorn":
        return [
            PYTHON, "-m", "uvicorn", "--host", HOST, "--port", str(port),
            "--ws", "websockets", "--ws-per-message-deflate", "false",
            "--no-access-log", "--log-level", "warning",
            "--lifespan", "on" if lifespan else "off",
            app,
        ]  # fmt: skip
    raise ValueError(f"unknown server {server!r}")


class Server:
    """One ASGI server process; its output goes to a log file for post-mortems."""

    def __init__(self, name: str, argv: list[str], cwd: Path, env: dict, port: int, log_dir: Path):
        self.name, self.argv, self.cwd, self.env, self.port = name, argv, cwd, env, port
        self.log_path = log_dir / f"{name}.log"
        self.proc: subprocess.Popen | None = None
        self._cpu0 = 0.0
        self.cpu_seconds = 0.0

    @property
    def base_url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self, ready_path: str = "/", timeout: float = 30.0) -> None:
        log = open(self.log_path, "ab")  # noqa: SIM115 - lives as long as the process
        self.proc = subprocess.Popen(
            self.argv,
            cwd=self.cwd,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.proc.returncode}; see {self.log_path}")
            try:
                with DIRECT.open(self.base_url + ready_path, timeout=2) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
        raise RuntimeError(
            f"{self.name} not ready on port {self.port} after {timeout:.0f} s; see {self.log_path}"
        )

    def cpu_now(self) -> float:
        """user + system CPU seconds of the server process, from /proc."""
        with open(f"/proc/{self.proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime

    def mark_start(self) -> None:
        self._cpu0 = self.cpu_now()

    def mark_end(self) -> None:
        self.cpu_seconds = self.cpu_now() - self._cpu0

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)


def machine_busy_seconds() -> float:
    """CPU seconds all cores spent busy since boot (/proc/stat), to see the noise
    from processes outside the benchmark on a shared machine."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]  # idle + iowait
    return (sum(ticks[:8]) - idle) / CLK_TCK  # user..steal; guest time is already in user


def run_checked(argv: list[str], cwd: Path, env: dict, what: str, timeout: float = 120) -> str:
    """Run a short command (migrate, shell -c, psql) and fail loudly with its output."""
    done = subprocess.run(argv, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise RuntimeError(f"{what} failed ({done.returncode}):\n{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return done.stdout
