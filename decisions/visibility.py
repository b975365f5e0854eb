"""Who sees which opportunity scores: the decisions part of boards/visibility.py's per-recipient view.

Facilitators and observers see every score. A participant sees their own
scores always, and the room's for an opportunity only when scoring is not
private and at least `floor` people have scored it (below the floor a mean
would say too much about too few). The count of people who scored is public.
Anonymity is applied afterwards by boards/visibility.py (`participant` is a
person field), so others' dots lose their names there.
"""

from boards.visibility import OP_VIEWS, SNAPSHOT_VIEWS, Viewer


def sees_all(viewer: Viewer, private: bool, floor: int, count: int) -> bool:
    return viewer.facilitator or viewer.observer or (not private and count >= floor)


def _visible(viewer: Viewer, settings: dict, scores: list[dict], counts: dict) -> list[dict]:
    if viewer.facilitator or viewer.observer:
        return scores
    return [
        s
        for s in scores
        if s["participant"] == viewer.id
        or sees_all(viewer, settings["private"], settings["floor"], counts.get(str(s["opportunity"]), 0))
    ]


def _score_op_for(viewer: Viewer, event: dict) -> dict:
    data = event["data"]
    if sees_all(viewer, data["private"], data["floor"], data["count"]):
        return event
    mine = [s for s in data["scores"] if s["participant"] == viewer.id]
    return {**event, "data": {**data, "scores": mine}}


def _settings_op_for(viewer: Viewer, event: dict) -> dict:
    data = event["data"]
    scores = _visible(viewer, data, data["scores"], data["counts"])
    if len(scores) == len(data["scores"]):
        return event
    return {**event, "data": {**data, "scores": scores}}


def _snapshot_view(viewer: Viewer, snapshot: dict) -> dict:
    p = snapshot.get("prioritisation")
    if p is None:
        return snapshot
    scores = _visible(viewer, p, p["scores"], p["counts"])
    if len(scores) == len(p["scores"]):
        return snapshot
    return {**snapshot, "prioritisation": {**p, "scores": scores}}


OP_VIEWS["opportunity.score"] = _score_op_for
OP_VIEWS["opportunity.unscore"] = _score_op_for
OP_VIEWS["prioritisation.settings"] = _settings_op_for
SNAPSHOT_VIEWS.append(_snapshot_view)
