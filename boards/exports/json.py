"""The workshop as JSON in the versioned schema of docs/export-json.md.

The boards are their snapshots as the API serves them, so a tool that reads
`GET /api/v1/boards/{id}/` reads these too; with the op log, replaying a
board's ops from an empty board gives its snapshot (G5).
"""

import json
from datetime import datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.utils import timezone

SCHEMA = "resonance.workshop/2"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def to_json(summary: dict, snapshots: list[dict], ops: dict[str, list] | None = None) -> bytes:
    workshop = summary["workshop"]
    document = {
        "schema": SCHEMA,
        "exported_at": timezone.now().isoformat(),
        "workshop": {
            "id": workshop["id"],
            "title": workshop["title"],
            "team": workshop["team"],
            "status": workshop["status"],
            "anonymous": workshop["anonymous"],
            "created_at": _iso(workshop["created_at"]),
            "closed_at": _iso(workshop["closed_at"]),
            "first_op_at": _iso(summary["timing"]["first_op_at"]),
            "last_op_at": _iso(summary["timing"]["last_op_at"]),
            "phases": summary["phases"],
            "participants": summary["participation"],
        },
        "boards": snapshots,
        # Opportunities, the matrix, the ranking and actions (docs/export-json.md, version 2).
        "decisions": summary.get("decisions"),
    }
    if ops is not None:
        document["ops"] = ops
    return json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()
