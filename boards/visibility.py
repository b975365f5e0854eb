"""The single per-recipient view of ops, snapshots, presence and typing hints.

Everything a connection receives passes through `op_for()`, `snapshot_for()`,
`presence_for()` or `typing_for()`: what a participant may not see (private
notes, hidden votes, authors in anonymous mode) is redacted here and only
here. A redacted op keeps its seq, so every connection still sees a gapless
run (G3); the log itself is never filtered. The rules are listed in
docs/protocol.md §7, "Redaction".

A `Viewer` is what these functions need to know about the recipient: who they
are, whether they facilitate, and the workshop's settings. A connection keeps
its viewer up to date from the ops it delivers (`follow()`), so redacting an
op never needs the database.
"""

import dataclasses
from dataclasses import dataclass

# Keys of an op's `data` that say who may see it; they never leave the server.
# An op about a private note names the note's author in PRIVATE_AUTHOR; a
# merge whose removed note was private names that note's author too.
PRIVATE_AUTHOR = "private_author"
REMOVED_PRIVATE_AUTHOR = "removed_private_author"
META_KEYS = (PRIVATE_AUTHOR, REMOVED_PRIVATE_AUTHOR, "anonymous_target", "anonymous_rows")
# How many private notes each section holds: shown to everyone, even in the
# placeholder of a redacted op, so the room sees the count rise while writing.
PRIVATE_COUNTS = "private_counts"
# On participant.erase (lifecycle/ops.py): who had scored the point of each listed
# score; read here to list each connection only the scores it may see, never sent.
ERASED_SCORE_POINTS = "erased_score_points"

# Ops about one participant: only the participant concerned and facilitators
# need them. A role change is public outside anonymous mode (presence shows
# roles, and every note's author carries its author's role, which replay must
# keep equal to the snapshot); a removal never is.
PARTICIPANT_OPS = ("participant.role", "participant.remove")
VOTE_OPS = ("vote.add", "vote.remove")
# Fields that name a person, in any op's data or a snapshot (see _anonymised).
PERSON_FIELDS = ("actor", "author", "voter", "participant")
# A note, vote or emotion score made while anonymous mode was on carries
# `"anonymous": true` (in snapshots and in the op that made it) and stays
# anonymous for good: its person fields are blanked for everyone but that
# person, whatever the workshop's setting is now. Ops that change such a note
# later carry ANONYMOUS_TARGET (never sent), so their actor is hidden too.
ANONYMOUS = "anonymous"
ANONYMOUS_TARGET = "anonymous_target"
# On an op whose data holds marked rows one level down (revealed notes, votes,
# scores): tells op_for to look, so ops without any pay nothing (never sent).
ANONYMOUS_ROWS = "anonymous_rows"

# Op families of other apps (e.g. decisions/visibility.py) register their own
# per-recipient views here; each runs before anonymisation, which still applies.
OP_VIEWS: dict = {}  # op kind -> fn(viewer, event) -> event
SNAPSHOT_VIEWS: list = []  # fn(viewer, snapshot) -> snapshot


@dataclass(frozen=True)
class Viewer:
    id: int | None
    facilitator: bool = False
    # Observers (managers) read everything a facilitator reads but write nothing.
    observer: bool = False
    anonymous: bool = False
    moderation: bool = False
    votes_hidden: bool = False
    votes_closed: bool = False
    # A journey board's current "scores visible before one's own", when the
    # reader reads its log after the fact: ops logged while scores were
    # visible are then shown as the board is now. None: each op's own setting
    # (a live connection receives every op as it happens).
    scores_visible: bool | None = None
    # Likewise the board's current respondent floor: a point logged under a lower
    # floor stays hidden from a log reader while it is under today's.
    respondent_floor: int | None = None

    @property
    def hides_votes(self) -> bool:
        """Others' votes are hidden until the facilitator closes the round."""
        return self.votes_hidden and not self.votes_closed

    def sees_private(self, author_id) -> bool:
        """A private note is seen by its author, and by facilitators when moderation is on."""
        return (author_id is not None and author_id == self.id) or (self.facilitator and self.moderation)


def viewer_of(participant, workshop=None) -> Viewer:
    """The viewer for a participant, with its workshop's current settings (reads the database)."""
    workshop = workshop or participant.workshop
    return Viewer(
        id=participant.id,
        facilitator=participant.is_facilitator,
        observer=participant.role == "observer",
        anonymous=workshop.anonymous,
        moderation=workshop.moderation,
        votes_hidden=workshop.votes_hidden,
        votes_closed=workshop.votes_closed,
    )


def _with_settings(viewer: Viewer, facilitation: dict | None) -> Viewer:
    if not facilitation:
        return viewer
    return dataclasses.replace(
        viewer,
        anonymous=facilitation["anonymous"],
        moderation=facilitation["moderation"],
        votes_hidden=facilitation["votes_hidden"],
        votes_closed=facilitation["votes_closed"],
    )


def viewer_at(viewer: Viewer, snapshot: dict) -> Viewer:
    """The viewer with the settings a snapshot was taken with."""
    return _with_settings(viewer, snapshot.get("facilitation"))


def log_reader_at(viewer: Viewer, snapshot: dict) -> Viewer:
    """A viewer reading a board's log after the fact, under the board's settings in `snapshot`."""
    journey = snapshot.get("journey_settings")
    if journey is None:
        return viewer
    return dataclasses.replace(
        viewer,
        scores_visible=journey["scores_visible_before_own"],
        respondent_floor=journey.get("respondent_floor"),
    )


def follow(viewer: Viewer, event: dict) -> Viewer | None:
    """The viewer after an op: settings and the viewer's own role follow the log.

    None means the viewer was removed from the workshop by this op.
    """
    kind, data = event["op"], event["data"]
    if kind == "workshop.settings":
        return _with_settings(viewer, data)
    if kind == "votes.close":
        return dataclasses.replace(viewer, votes_closed=True)
    if kind == "votes.reset":
        return dataclasses.replace(viewer, votes_closed=False)
    if kind == "participant.role" and data["id"] == viewer.id:
        return dataclasses.replace(
            viewer, facilitator=data["role"] == "facilitator", observer=data["role"] == "observer"
        )
    if kind == "participant.remove" and data["id"] == viewer.id:
        return None
    return viewer


def needs_snapshot(before: Viewer, after: Viewer) -> bool:
    """Whether the change lets the viewer see more or less than its state holds.

    Turning anonymity or moderation on or off, showing or hiding vote results
    mid-round, or a role change of the viewer (to or from facilitator or observer): the connection is sent a fresh
    snapshot instead of asking every client to re-derive its state.
    """
    # An observer sees a journey map's scores under other rules than a participant.
    return (
        before.anonymous,
        before.moderation,
        before.votes_hidden,
        before.facilitator,
        before.observer,
    ) != (
        after.anonymous,
        after.moderation,
        after.votes_hidden,
        after.facilitator,
        after.observer,
    )


def _redacted(event: dict) -> dict:
    return {
        "type": "op",
        "seq": event["seq"],
        "op": "redacted",
        "client_op_id": None,
        "actor": None,
        "data": {PRIVATE_COUNTS: event["data"][PRIVATE_COUNTS]} if PRIVATE_COUNTS in event["data"] else {},
    }


def _anonymised(viewer: Viewer, value):
    """`value` with every person who is not the viewer blanked out (anonymous mode).

    A person is named by a field in PERSON_FIELDS, holding either a participant
    id or an object with an `id`; op families that name people in their data
    use these field names and are anonymised with no code of their own.
    """
    if isinstance(value, list):
        return [_anonymised(viewer, item) for item in value]
    if not isinstance(value, dict):
        return value
    out = {}
    for key, item in value.items():
        person = item.get("id") if isinstance(item, dict) else item
        someone_else = key in PERSON_FIELDS and item is not None and person != viewer.id
        out[key] = None if someone_else else _anonymised(viewer, item)
    return out


def made_anonymously(flag: bool) -> dict:
    """The mark a row made under anonymity carries in snapshots and ops (empty otherwise)."""
    return {ANONYMOUS: True} if flag else {}


def anonymous_rows(rows) -> dict:
    """For an op carrying rows (notes, votes, scores): whether any was made under anonymity."""
    return {ANONYMOUS_ROWS: True} if any(row.get(ANONYMOUS) is True for row in rows) else {}


def anonymous_target(flag: bool) -> dict:
    """For an op about a note made under anonymity: hide who changed it (stripped before sending)."""
    return {ANONYMOUS_TARGET: True} if flag else {}


def _unmarked_row(viewer: Viewer, row: dict, hide: bool = False) -> dict:
    """One row (a note, vote, score or an op's data) with others blanked out if it is marked."""
    if not hide and row.get(ANONYMOUS) is not True:
        return row
    out = None
    for key in PERSON_FIELDS:
        item = row.get(key)
        person = item.get("id") if isinstance(item, dict) else item
        if item is not None and person != viewer.id:
            out = out or dict(row)
            out[key] = None
    return out or row


def _is_marked(item) -> bool:
    return isinstance(item, dict) and item.get(ANONYMOUS) is True


def _marked_anonymised(viewer: Viewer, value: dict, hide: bool = False) -> dict:
    """`value` with the people of rows made anonymously blanked out (others' ids and names).

    Marked rows sit at the top of an op's data (`note.add`, `vote.add`,
    `emotion.set`) or one level down: a note (`note.hide`) or lists of notes,
    votes and scores (`revealed`, `votes`, `scores`, a snapshot's `notes`,
    `votes` and `emotion_scores`); so one level is searched, not the whole tree.
    op_for calls it only for ops that say they carry marks. Returns `value`
    itself when nothing was blanked, so an op nobody needs redacted keeps its
    shared encoding (broadcast.op_message).
    """
    out = _unmarked_row(viewer, value, hide)
    for key, item in value.items():
        # type() rather than isinstance() and no helper calls: this runs for
        # every key of every op for every connection.
        kind = type(item)
        if kind is dict:
            if item.get(ANONYMOUS) is not True:
                continue
            new = _unmarked_row(viewer, item)
        elif kind is list and item:
            if not any(type(row) is dict and row.get(ANONYMOUS) is True for row in item):
                continue
            new = [_unmarked_row(viewer, row) if _is_marked(row) else row for row in item]
        else:
            continue
        if new is not item:
            out = dict(out) if out is value else out
            out[key] = new
    return out


def op_for(viewer: Viewer, event: dict) -> dict:
    """The op as this viewer may see it: whole, partly redacted, or as a `redacted` placeholder."""
    kind, data = event["op"], event["data"]
    if kind in JOURNEY_SCORE_OPS:
        event = _journey_scores_for(viewer, event)
        data = event["data"]
    if kind in OP_VIEWS:
        event = OP_VIEWS[kind](viewer, event)
        data = event["data"]
    public_role_change = kind == "participant.role" and not viewer.anonymous
    if (
        kind in PARTICIPANT_OPS
        and data.get("id") != viewer.id
        and not viewer.facilitator
        and not public_role_change
    ):
        return _redacted(event)
    if kind in VOTE_OPS and viewer.hides_votes and data.get("voter") != viewer.id:
        return _redacted(event)
    if PRIVATE_AUTHOR in data and not viewer.sees_private(data[PRIVATE_AUTHOR]):
        if kind == "note.merge" and (
            REMOVED_PRIVATE_AUTHOR not in data or viewer.sees_private(data[REMOVED_PRIVATE_AUTHOR])
        ):
            # Whoever had the merged-away note sees it go, but not the note it
            # went into, which is someone else's and still private.
            partial = {k: data[k] for k in ("removed", PRIVATE_COUNTS) if k in data}
            return {**event, "actor": None, "client_op_id": None, "data": partial}
        return _redacted(event)
    made_anonymously_ = data.get(ANONYMOUS) is True or data.get(ANONYMOUS_TARGET) is True
    has_marked_rows = made_anonymously_ or ANONYMOUS_ROWS in data
    if any(key in data for key in META_KEYS):
        data = {k: v for k, v in data.items() if k not in META_KEYS}
        event = {**event, "data": data}
    if not viewer.anonymous:
        # Anonymity given is never taken back: rows made under it stay anonymous.
        if made_anonymously_ and event["actor"] is not None and event["actor"].get("id") != viewer.id:
            event = {**event, "actor": None, "client_op_id": None}
        if has_marked_rows:
            marked = _marked_anonymised(viewer, event["data"], hide=made_anonymously_)
            if marked is not event["data"]:
                event = {**event, "data": marked}
    if viewer.anonymous:
        actor = event["actor"]
        if actor is not None and actor.get("id") != viewer.id:
            # client_op_ids too: a client numbering its ops would link them to one author.
            event = {**event, "actor": None, "client_op_id": None}
        event = {**event, "data": _anonymised(viewer, event["data"])}
    return event


def snapshot_for(viewer: Viewer, snapshot: dict) -> dict:
    """The snapshot as this viewer may see it (the same rules as `op_for`)."""
    viewer = viewer_at(viewer, snapshot)
    notes = [
        n
        for n in snapshot["notes"]
        if not n.get("private") or viewer.sees_private((n.get("author") or {}).get("id"))
    ]
    snapshot = {**snapshot, "notes": notes}
    if "emotion_scores" in snapshot:
        snapshot["emotion_scores"] = _scores_for(
            viewer, snapshot["journey_settings"], snapshot["emotion_scores"]
        )
    for view in SNAPSHOT_VIEWS:
        snapshot = view(viewer, snapshot)
    if "votes" in snapshot and viewer.hides_votes:
        snapshot["votes"] = [v for v in snapshot["votes"] if v["voter"] == viewer.id]
    # In anonymous mode nobody is named; otherwise still nobody who wrote, voted or scored under it.
    snapshot = _anonymised(viewer, snapshot) if viewer.anonymous else _marked_anonymised(viewer, snapshot)
    scores = snapshot.get("emotion_scores")
    if scores and any(s["participant"] is None for s in scores):
        # Unnamed scores sort first at their point, as a client's reducer sorts them.
        stages = {s["key"]: i for i, s in enumerate(snapshot["stages"])}
        personas = {p["id"]: i for i, p in enumerate(snapshot["personas"])}
        snapshot = {
            **snapshot,
            "emotion_scores": sorted(scores, key=lambda s: score_order(stages, personas, s)),
        }
    return snapshot


def score_order(stages: dict, personas: dict, score: dict) -> tuple:
    """Board order of scores: stage, persona, curve ("as-is" first), participant id, with unnamed
    (anonymous) ones first.

    The reducers sort by it (boards/ops/journey.py; static/js/ops/journey.js
    sorts null before any id the same way).
    """
    participant = score["participant"]
    return (
        stages[score["stage"]],
        personas[score["persona"]],
        score.get("curve", "as-is") != "as-is",
        participant is not None,
        participant or 0,
    )


# --- journey maps: who sees which emotion scores --------------------------------------
#
# A point of the curve is a stage, for one persona and one curve (as-is or to-be).
# Two rules hide others' scores at a point from everyone but facilitators; one's
# own score is always one's own to see:
# - with `scores_visible_before_own` off, a participant sees nobody else's score
#   at a point until they have given their own there (observers are not asked to
#   score, so this rule spares them);
# - the respondent floor: a point with fewer scores than `respondent_floor` shows
#   no one else's score to anyone but facilitators (participants, observers, and
#   readers of summaries and exports), so a lone score cannot be traced back.
# Each emotion.set carries all scores of its point, so a point that reaches the
# floor, or one's own score given, reveals the others in that very op.

JOURNEY_SCORE_OPS = ("emotion.set", "journey.settings")
DEFAULT_FLOOR = 3  # boards.models.DEFAULT_RESPONDENT_FLOOR, for ops logged before the floor existed


def _sees_before_own(viewer: Viewer, settings: dict) -> bool:
    """The point's "scores visible before one's own", or off if the board has it off now (log reads)."""
    return settings["scores_visible_before_own"] and viewer.scores_visible is not False


def _point(score: dict) -> tuple:
    return (score["stage"], score["persona"], score.get("curve", "as-is"))


def _shows_point(viewer: Viewer, settings: dict, count: int, mine: bool) -> bool:
    """Whether this viewer sees everyone's scores at a point holding `count` scores."""
    if viewer.facilitator:
        return True
    floor = max(settings.get("respondent_floor", DEFAULT_FLOOR), viewer.respondent_floor or 0)
    if count < floor:
        return False
    return mine or _sees_before_own(viewer, settings) or viewer.observer


def _scores_for(viewer: Viewer, settings: dict, scores: list[dict]) -> list[dict]:
    """The emotion scores (snapshot form) this viewer may see; the same list if all."""
    if viewer.facilitator:
        return scores
    counts: dict[tuple, int] = {}
    mine = set()
    for s in scores:
        counts[_point(s)] = counts.get(_point(s), 0) + 1
        if s["participant"] == viewer.id:
            mine.add(_point(s))
    shown = {p for p, n in counts.items() if _shows_point(viewer, settings, n, p in mine)}
    if len(shown) == len(counts):
        return scores
    return [s for s in scores if _point(s) in shown or s["participant"] == viewer.id]


def _journey_scores_for(viewer: Viewer, event: dict) -> dict:
    data = event["data"]
    if event["op"] == "journey.settings":
        scores = _scores_for(viewer, data, data["emotion_scores"])
        if scores is data["emotion_scores"]:
            return event
        return {**event, "data": {**data, "emotion_scores": scores}}
    own = [s for s in data["scores"] if s["participant"] == viewer.id]
    if _shows_point(viewer, data, len(data["scores"]), bool(own)):
        return event
    # The recipient may not see this point's scores: they learn that someone
    # scored (the op and its seq, G3), not what; their own score stays theirs.
    score = data["score"] if data["participant"] == viewer.id else None
    return {**event, "data": {**data, "score": score, "scores": own, "redacted": True}}


def _erased_scores_for(viewer: Viewer, event: dict) -> dict:
    """participant.erase lists the scores that went: each viewer gets those of points it may see."""
    data = event["data"]
    if ERASED_SCORE_POINTS not in data:
        return event
    settings = data["journey_settings"]
    scores = [
        score
        for score, scorers in zip(data["scores"], data[ERASED_SCORE_POINTS], strict=True)
        if score["participant"] == viewer.id
        or _shows_point(viewer, settings, len(scorers), viewer.id in scorers)
    ]
    rest = {k: v for k, v in data.items() if k not in (ERASED_SCORE_POINTS, "journey_settings")}
    return {**event, "data": {**rest, "scores": scores}}


OP_VIEWS["participant.erase"] = _erased_scores_for


def who(participant) -> dict:
    """How a connection introduces itself to the others on its board (never sent as is)."""
    return {"id": participant.id, "name": participant.display_name, "role": participant.role}


def presence_for(viewer: Viewer, peers) -> dict:
    """Who is on the board now, one entry per participant however many tabs they have open.

    In anonymous mode only the count and the viewer's own entry are shown.
    """
    people = {}
    for peer in peers:
        people.setdefault(peer["id"], {**peer, "connections": 0})["connections"] += 1
    if viewer.anonymous:
        mine = [p for p in people.values() if p["id"] == viewer.id]
        return {"type": "presence", "anonymous": True, "count": len(people), "participants": mine}
    return {
        "type": "presence",
        "anonymous": False,
        "count": len(people),
        "participants": sorted(people.values(), key=lambda p: p["name"].lower()),
    }


def typing_for(viewer: Viewer, typist: dict, section: str) -> dict | None:
    """A "someone is typing in <section>" hint; in anonymous mode it does not say who."""
    if viewer.anonymous:
        return {"type": "typing", "participant": None, "section": section}
    return {"type": "typing", "participant": typist, "section": section}


def reader_of(workshop, participant=None) -> Viewer:
    """Someone reading the workshop after the fact: a summary, an export, a curve image.

    With a participant, the reader is that caller and sees exactly what their
    own view lets them see (a guest who has not scored a point of the curve
    gets nobody's score there, as on the board), minus others' private notes:
    files travel, so moderation's look at drafts stays on the board. Without
    one (a share link, `manage.py export_workshop`), the reader sees what an
    observer sees, minus anything private. Either way under the workshop's
    current anonymity and vote settings (also for ops logged before those
    settings were turned on), and rows made anonymously stay anonymous.
    """
    if participant is not None:
        return dataclasses.replace(viewer_of(participant, workshop), moderation=False)
    return Viewer(
        id=None,
        observer=True,
        anonymous=workshop.anonymous,
        votes_hidden=workshop.votes_hidden,
        votes_closed=workshop.votes_closed,
    )
