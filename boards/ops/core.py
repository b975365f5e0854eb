"""The door every board change goes through: `apply_op_request()`.

In one transaction it locks the board row (for a workshop-wide op: every
board of the workshop), answers a re-sent `client_op_id` with its original
seq (G4), checks the actor, the board's lock and the op's phases
(boards/phases.py), runs the op's own function, takes the next seq (G1),
appends one Op row and registers the broadcast for after the commit (G2), on
each board it was applied to. Each op's function validates its data, changes
the rows and returns the op's `data`: the resulting state of what changed,
which is what the log stores and what every connection receives.
boards/state.py replays those `data` dicts (G5).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import OperationalError, transaction
from django.db.models import F

from boards import broadcast
from boards.errors import Closed, Forbidden, Invalid, NotFound
from boards.models import Board, Op, Participant, Workshop

MAX_CLIENT_OP_ID = 64


@dataclass(frozen=True)
class OpSpec:
    kind: str
    apply: Callable
    facilitator_only: bool = False
    # The workshop phases the op is allowed in (boards/models.py, Phase);
    # None: every phase.
    phases: frozenset[str] | None = None
    # A workshop-wide op changes the workshop, not one board: it is logged on
    # every board of the workshop so that every connection receives it in its
    # own seq stream. Its function takes (boards, actor, data) and returns
    # {board_id: data}, since what changed can differ per board.
    workshop_wide: bool = False


OPS: dict[str, OpSpec] = {}
# The ops a closed workshop still takes (reopening, a participant erasing
# their own data); lifecycle/ops.py adds them.
OPEN_WHEN_CLOSED: set[str] = set()
# The ops an observer may still send: a participant erasing their own data (a
# member made viewer takes back what they wrote as a member); lifecycle/ops.py adds it.
OPEN_TO_OBSERVERS: set[str] = set()


def board_op(kind: str, facilitator_only: bool = False, phases=None, workshop_wide: bool = False):
    """Registers the function that applies one kind of op."""

    def register(fn):
        OPS[kind] = OpSpec(
            kind, fn, facilitator_only, frozenset(phases) if phases is not None else None, workshop_wide
        )
        return fn

    return register


@dataclass(frozen=True)
class Applied:
    """What happened to an op request: its seq and the event everyone gets."""

    seq: int
    event: dict
    duplicate: bool = False


def actor_json(participant: Participant | None) -> dict | None:
    if participant is None:
        return None
    return {"id": participant.id, "name": participant.display_name, "role": participant.role}


def event_of(op: Op) -> dict:
    """The wire form of a logged op (docs/protocol.md, "op")."""
    return {
        "type": "op",
        "seq": op.seq,
        "op": op.kind,
        "client_op_id": op.client_op_id,
        "actor": actor_json(op.actor),
        "data": op.data,
    }


def ops_after(board_id: int, after_seq: int, upto_seq: int | None = None) -> list[dict]:
    """Logged ops after a seq, in order: what a connection that missed them needs."""
    ops = Op.objects.filter(board_id=board_id, seq__gt=after_seq).select_related("actor").order_by("seq")
    if upto_seq is not None:
        ops = ops.filter(seq__lte=upto_seq)
    return [event_of(op) for op in ops]


def _check_client_op_id(client_op_id) -> str | None:
    if client_op_id is None:
        return None
    if not isinstance(client_op_id, str) or not client_op_id or len(client_op_id) > MAX_CLIENT_OP_ID:
        raise Invalid(f"client_op_id must be a string of 1 to {MAX_CLIENT_OP_ID} characters.")
    return client_op_id


def _lock_boards(board_id: int, workshop_wide: bool) -> list[Board]:
    """Locks the board (or, for a workshop-wide op, every board of its workshop).

    The row lock serialises every writer of a board: seq is taken and the
    change applied with no other op in between, in every process. Workshop-wide
    ops first lock the workshop row, so two of them never hold some boards each
    and wait for the other's (a deadlock); then they lock the boards in id order.
    The first board returned is the one the op was sent to.
    """
    # `.order_by("pk").first()` here and in the op functions: a bare `.first()`
    # sorts by the model's Meta.ordering, which for boards, sections and ops
    # joins the workshop table and sorts by its columns, on every op, for a
    # look-up that finds one row anyway.
    boards = Board.objects.select_for_update(of=("self",)).select_related("workshop")
    if not workshop_wide:
        board = boards.filter(id=board_id).order_by("pk").first()
        return [board] if board is not None else []
    workshop_id = (
        Board.objects.filter(id=board_id).values_list("workshop_id", flat=True).order_by("pk").first()
    )
    if workshop_id is None:
        return []
    Workshop.objects.select_for_update().filter(id=workshop_id).order_by("pk").first()
    locked = sorted(boards.filter(workshop_id=workshop_id).order_by("id"), key=lambda b: b.id != board_id)
    return locked if locked and locked[0].id == board_id else []


# PostgreSQL's answers to two transactions that each hold what the other waits
# for (deadlock_detected, serialization_failure): one is rolled back, and
# running it again is the documented remedy.
LOCK_CONFLICTS = {"40P01", "40001"}
LOCK_CONFLICT_TRIES = 3


def _lock_conflict(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) in LOCK_CONFLICTS


def apply_op_request(board_id: int, actor_id: int, kind, data, client_op_id=None) -> Applied:
    """Applies one op to a board, or raises an OpError having changed nothing.

    A workshop-wide op locks every board of its workshop, while ops of other
    processes each lock one board and their rows' keys: PostgreSQL may then
    find a deadlock and roll one back. That op is run again (its transaction
    changed nothing), unless an outer transaction holds it and must decide.
    """
    for attempt in range(1, LOCK_CONFLICT_TRIES + 1):
        try:
            return _apply_op_request(board_id, actor_id, kind, data, client_op_id)
        except OperationalError as error:
            if (
                attempt == LOCK_CONFLICT_TRIES
                or not _lock_conflict(error)
                or transaction.get_connection().in_atomic_block
            ):
                raise


def _apply_op_request(board_id: int, actor_id: int, kind, data, client_op_id=None) -> Applied:
    client_op_id = _check_client_op_id(client_op_id)
    spec = OPS.get(kind) if isinstance(kind, str) else None
    with transaction.atomic():
        boards = _lock_boards(board_id, spec is not None and spec.workshop_wide)
        if not boards:
            raise NotFound("No such board.")
        board, workshop = boards[0], boards[0].workshop
        if client_op_id is not None:
            # Before any validation: a re-send whose note was deleted since
            # still gets its original ack (G4).
            earlier = (
                Op.objects.filter(board=board, client_op_id=client_op_id)
                .select_related("actor")
                .order_by("pk")
                .first()
            )
            if earlier is not None:
                if earlier.actor_id != actor_id:
                    raise Invalid("That client_op_id was already used by someone else.")
                return Applied(earlier.seq, event_of(earlier), duplicate=True)
        # Re-read the actor under the lock: a removal or role change made a
        # moment ago applies to the very next op.
        actor = Participant.objects.filter(id=actor_id, workshop_id=board.workshop_id).order_by("pk").first()
        if actor is None or actor.removed_at is not None:
            raise Forbidden("You are not a participant of this workshop.")
        if not actor.can_write and kind not in OPEN_TO_OBSERVERS:
            raise Forbidden("Observers can read this board but not change it.")
        if workshop.closed_at is not None and kind not in OPEN_WHEN_CLOSED:
            raise Closed("This workshop is closed: it can be read and exported, not changed.")
        if spec is None:
            raise Invalid(f"Unknown op {kind!r}.")
        if spec.facilitator_only and not actor.is_facilitator:
            raise Forbidden("Only a facilitator can do that.")
        if board.locked and not actor.is_facilitator:
            raise Forbidden("The facilitator has locked this board.")
        if spec.phases is not None and workshop.phase not in spec.phases:
            raise Forbidden(
                f"{spec.kind} is not allowed in the {workshop.phase} phase "
                f"(allowed in: {', '.join(sorted(spec.phases))})."
            )
        if not isinstance(data, dict):
            raise Invalid("data must be an object.")
        if spec.workshop_wide:
            results = spec.apply(boards, actor, data)
        else:
            results = {board.id: spec.apply(board, actor, data)}
        events = [
            _log(b, spec.kind, results[b.id], actor, client_op_id if b is board else None) for b in boards
        ]
    return Applied(events[0]["seq"], events[0])


def _log(board: Board, kind: str, data: dict, actor: Participant, client_op_id: str | None) -> dict:
    """Takes the board's next seq (G1), appends its Op row and registers the broadcast (G2)."""
    board.seq += 1
    Board.objects.filter(id=board.id).update(seq=F("seq") + 1)
    op = Op.objects.create(
        board=board, seq=board.seq, kind=kind, data=data, actor=actor, client_op_id=client_op_id
    )
    event = event_of(op)
    transaction.on_commit(lambda: broadcast.publish(board.id, event))
    return event


def apply_op_batch(requests: list[tuple]) -> list:
    """Applies several op requests in one transaction: one commit (and fsync) for all.

    Each request is `(board_id, actor_id, kind, data, client_op_id)` and runs
    through `apply_op_request` inside a savepoint of its own, so one refused
    or failing op changes nothing and the others still apply. Returns, in
    order, each request's `Applied` or the exception it raised. Nothing is
    acknowledged before the one commit (G2), and broadcasts still go out
    after it (on_commit). Board row locks are taken in board-id order (the
    caller sorts), so two processes' batches never wait on each other in a
    cycle; workshop-wide ops lock whole workshops and are not batched.
    """
    results: list = []
    with transaction.atomic():
        for board_id, actor_id, kind, data, client_op_id in requests:
            try:
                results.append(apply_op_request(board_id, actor_id, kind, data, client_op_id))
            except Exception as exc:  # the savepoint rolled back; the batch goes on
                results.append(exc)
    return results
