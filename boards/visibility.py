"""The single per-recipient view of ops and snapshots.

Everything a connection receives passes through `op_for()` or
`snapshot_for()`: what a participant may not see (private notes, hidden
votes, authors in anonymous mode) is redacted here and only here. A redacted
op keeps its seq, so every connection still sees a gapless run (G3); the log
itself is never filtered.
"""


def op_for(participant, event: dict) -> dict:
    """The op as this participant may see it."""
    if event["op"] == "emotion.set":
        return _emotion_set_for(participant, event)
    if event["op"] == "journey.settings":
        data = event["data"]
        scores = _scores_for(participant, data["scores_visible_before_own"], data["emotion_scores"])
        if scores is not data["emotion_scores"]:
            return {**event, "data": {**data, "emotion_scores": scores}}
    return event


def snapshot_for(participant, snapshot: dict) -> dict:
    """The snapshot as this participant may see it."""
    if "emotion_scores" in snapshot:
        visible = snapshot["journey_settings"]["scores_visible_before_own"]
        scores = _scores_for(participant, visible, snapshot["emotion_scores"])
        if scores is not snapshot["emotion_scores"]:
            return {**snapshot, "emotion_scores": scores}
    return snapshot


# --- journey maps: others' emotion scores before one's own ------------------------
#
# With `scores_visible_before_own` off, a participant sees nobody else's score
# for a point of the curve (a stage, for one persona) until they have given
# their own there. Facilitators and observers always see every score. Each
# emotion.set carries all scores of its point, so giving one's own score reveals
# the others in the very op that acknowledges it.


def _sees_all_scores(participant, scores_visible_before_own: bool) -> bool:
    return scores_visible_before_own or participant.role != "participant"


def _scores_for(participant, scores_visible_before_own: bool, scores: list[dict]) -> list[dict]:
    """The emotion scores (snapshot form) this participant may see; the same list if all."""
    if _sees_all_scores(participant, scores_visible_before_own):
        return scores
    mine = {(s["stage"], s["persona"]) for s in scores if s["participant"] == participant.id}
    return [s for s in scores if (s["stage"], s["persona"]) in mine]


def _emotion_set_for(participant, event: dict) -> dict:
    data = event["data"]
    if _sees_all_scores(participant, data["scores_visible_before_own"]):
        return event
    if any(s["participant"] == participant.id for s in data["scores"]):
        return event
    # The recipient has no score at this point: they learn that someone
    # scored (the op and its seq, G3), not what.
    return {**event, "data": {**data, "score": None, "scores": [], "redacted": True}}


def who(participant) -> dict:
    """How a connection introduces itself to the others on its board."""
    return {"id": participant.id, "name": participant.display_name, "role": participant.role}


def presence_for(participant, peers) -> dict:
    """Who is on the board now, one entry per participant however many tabs they have open."""
    people = {}
    for peer in peers:
        people.setdefault(peer["id"], {**peer, "connections": 0})["connections"] += 1
    return {"type": "presence", "participants": sorted(people.values(), key=lambda p: p["name"].lower())}


def typing_for(participant, typist: dict, section: str) -> dict | None:
    """A "someone is typing in <section>" hint, or None when it must not be shown."""
    return {"type": "typing", "participant": typist, "section": section}
