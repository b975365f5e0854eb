"""Group commit: the op requests of a process's sockets, applied a batch at a time.

All synchronous ORM work of a process runs on one thread, and every op used to
be its own transaction: its own BEGIN, COMMIT and fsync. On a busy disk the
fsync alone capped a process at a few dozen ops a second (BENCHMARKS.md). Here
requests that arrive while a batch is being applied wait for the next one, and
each batch is one transaction (`apply_op_batch`: a savepoint per op), so the
process pays one commit for many ops when it is busy and exactly one per op
when it is not: no op waits for a timer. An op is still acknowledged only
after the commit that holds it (G2), and each still takes its own seq (G1).
"""

import asyncio
import weakref

from channels.db import database_sync_to_async

from boards.ops import OPS, apply_op_request
from boards.ops.core import apply_op_batch

# The most ops in one transaction: bounds how long one commit keeps the board
# rows locked and how long the first op of a batch waits for its ack.
MAX_BATCH = 64

_batchers: "weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, OpBatcher]" = weakref.WeakKeyDictionary()


def _workshop_wide(kind) -> bool:
    spec = OPS.get(kind) if isinstance(kind, str) else None
    return spec is not None and spec.workshop_wide


def _segments(requests: list[tuple]) -> list[list[tuple]]:
    """The batch (`(index, board_id, actor_id, kind, data, client_op_id)` each) as transactions: runs of one-board ops in board-id order, workshop-wide ops alone.

    Locking boards in id order keeps two processes' batches from deadlocking;
    the sort is stable, so one socket's ops (one board) keep their order.
    """
    segments, run = [], []
    for request in requests:
        if _workshop_wide(request[3]):
            if run:
                segments.append(sorted(run, key=lambda r: r[1]))
                run = []
            segments.append([request])
        else:
            run.append(request)
    if run:
        segments.append(sorted(run, key=lambda r: r[1]))
    return segments


def _apply(requests: list[tuple]) -> dict[int, object]:
    """Runs on the ORM thread: each request's Applied or exception, by its index."""
    results = {}
    for segment in _segments(requests):
        if len(segment) == 1:
            index, *request = segment[0]
            try:
                results[index] = apply_op_request(*request)
            except Exception as exc:
                results[index] = exc
            continue
        try:
            outcomes = apply_op_batch([request[1:] for request in segment])
        except Exception:
            # The commit itself failed (a lost connection, a deadlock): nothing
            # of the batch was applied; try each op on its own.
            outcomes = []
            for _index, *request in segment:
                try:
                    outcomes.append(apply_op_request(*request))
                except Exception as exc:
                    outcomes.append(exc)
        for (index, *_), outcome in zip(segment, outcomes, strict=True):
            results[index] = outcome
    return results


class OpBatcher:
    def __init__(self, loop: asyncio.AbstractEventLoop):
        self.loop = loop
        self.pending: list[tuple[tuple, asyncio.Future]] = []
        self.task: asyncio.Task | None = None

    async def submit(self, board_id, actor_id, kind, data, client_op_id):
        """Applies one op request (in the next batch); returns Applied or raises what the door raised."""
        future = self.loop.create_future()
        self.pending.append(((board_id, actor_id, kind, data, client_op_id), future))
        if self.task is None or self.task.done():
            self.task = self.loop.create_task(self._run())
        return await future

    async def _run(self):
        while self.pending:
            batch, self.pending = self.pending[:MAX_BATCH], self.pending[MAX_BATCH:]
            requests = [(i, *request) for i, (request, _) in enumerate(batch)]
            try:
                results = await database_sync_to_async(_apply)(requests)
            except Exception as exc:
                results = dict.fromkeys(range(len(batch)), exc)
            for i, (_, future) in enumerate(batch):
                if future.done():
                    continue  # its socket went away meanwhile
                outcome = results[i]
                if isinstance(outcome, BaseException):
                    future.set_exception(outcome)
                else:
                    future.set_result(outcome)


def batcher() -> OpBatcher:
    """This event loop's batcher (one per server process)."""
    loop = asyncio.get_running_loop()
    found = _batchers.get(loop)
    if found is None:
        found = _batchers[loop] = OpBatcher(loop)
    return found


async def apply(board_id, actor_id, kind, data, client_op_id=None):
    return await batcher().submit(board_id, actor_id, kind, data, client_op_id)
