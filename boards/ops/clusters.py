"""Grouping: named clusters of notes, made by dragging one note onto another.

A note is in at most one cluster (`Note.cluster`); a cluster lists no notes
of its own, so moving a note between clusters is a single change.
"""

from boards import phases
from boards.errors import Invalid, NotFound
from boards.models import Board, Cluster, Note, Participant
from boards.ops.core import board_op
from boards.ops.notes import find_note
from boards.state import reducer, snapshot_part

MAX_TITLE = 120
MAX_NOTES = 200


def _title(data, required=False) -> str:
    title = data.get("title", None if required else "")
    if not isinstance(title, str):
        raise Invalid("title must be a string.")
    title = title.strip()
    if len(title) > MAX_TITLE:
        raise Invalid(f"title must be at most {MAX_TITLE} characters.")
    return title


def _public_note(board: Board, data, actor: Participant, field: str) -> Note:
    note = find_note(board, data, actor, field=field)
    if note.private:
        raise Invalid("A note that is not revealed cannot be grouped.")
    return note


def _cluster(board: Board, data) -> Cluster:
    cluster_id = data.get("id")
    if not isinstance(cluster_id, int) or isinstance(cluster_id, bool):
        raise Invalid("id must be a cluster id (a number).")
    cluster = Cluster.objects.filter(board=board, id=cluster_id).first()
    if cluster is None:
        raise NotFound(f"This board has no cluster {cluster_id}.")
    return cluster


@snapshot_part
def _clusters_part(board: Board) -> dict:
    return {"clusters": [{"id": c.id, "title": c.title} for c in Cluster.objects.filter(board=board)]}


@board_op("cluster.create", phases=phases.GROUPING)
def do_create_cluster(board: Board, actor: Participant, data: dict) -> dict:
    """Groups notes (taken out of any cluster they were in) under a title."""
    note_ids = data.get("note_ids")
    if not isinstance(note_ids, list) or not 1 <= len(note_ids) <= MAX_NOTES:
        raise Invalid(f"note_ids must list 1 to {MAX_NOTES} notes.")
    if len(set(map(repr, note_ids))) != len(note_ids):
        raise Invalid("note_ids lists a note twice.")
    notes = [_public_note(board, {"id": note_id}, actor, "id") for note_id in note_ids]
    cluster = Cluster.objects.create(board=board, title=_title(data))
    Note.objects.filter(id__in=[n.id for n in notes]).update(cluster=cluster)
    return {"id": cluster.id, "title": cluster.title, "note_ids": [n.id for n in notes]}


@board_op("cluster.rename", phases=phases.GROUPING)
def do_rename_cluster(board: Board, actor: Participant, data: dict) -> dict:
    cluster = _cluster(board, data)
    title = _title(data, required=True)
    if title == cluster.title:
        raise Invalid("The cluster already has that title.")
    Cluster.objects.filter(id=cluster.id).update(title=title)
    return {"id": cluster.id, "title": title}


@board_op("cluster.add_note", phases=phases.GROUPING)
def do_add_to_cluster(board: Board, actor: Participant, data: dict) -> dict:
    cluster = _cluster(board, data)
    note = _public_note(board, data, actor, "note_id")
    if note.cluster_id == cluster.id:
        raise Invalid("The note is already in that cluster.")
    Note.objects.filter(id=note.id).update(cluster=cluster)
    return {"id": cluster.id, "note_id": note.id}


@board_op("cluster.remove_note", phases=phases.GROUPING)
def do_remove_from_cluster(board: Board, actor: Participant, data: dict) -> dict:
    note = _public_note(board, data, actor, "note_id")
    if note.cluster_id is None:
        raise Invalid("The note is not in a cluster.")
    Note.objects.filter(id=note.id).update(cluster=None)
    return {"note_id": note.id}


@board_op("cluster.delete", phases=phases.GROUPING)
def do_delete_cluster(board: Board, actor: Participant, data: dict) -> dict:
    """Ungroups: the notes stay where they are, outside any cluster."""
    cluster = _cluster(board, data)
    Note.objects.filter(cluster=cluster).update(cluster=None)
    cluster.delete()
    return {"id": data["id"]}


def _set_cluster(state: dict, note_ids, cluster_id) -> None:
    for note in state["notes"]:
        if note["id"] in note_ids:
            note["cluster"] = cluster_id


@reducer("cluster.create")
def _create(state: dict, data: dict) -> None:
    state["clusters"].append({"id": data["id"], "title": data["title"]})
    _set_cluster(state, data["note_ids"], data["id"])


@reducer("cluster.rename")
def _rename(state: dict, data: dict) -> None:
    next(c for c in state["clusters"] if c["id"] == data["id"])["title"] = data["title"]


@reducer("cluster.add_note")
def _add_note(state: dict, data: dict) -> None:
    _set_cluster(state, [data["note_id"]], data["id"])


@reducer("cluster.remove_note")
def _remove_note(state: dict, data: dict) -> None:
    _set_cluster(state, [data["note_id"]], None)


@reducer("cluster.delete")
def _delete(state: dict, data: dict) -> None:
    state["clusters"] = [c for c in state["clusters"] if c["id"] != data["id"]]
    for note in state["notes"]:
        if note["cluster"] == data["id"]:
            note["cluster"] = None
