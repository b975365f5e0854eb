"""What the REST API answers, declared once for the OpenAPI schema (drf-spectacular).

The views build their answers from the same dicts the WebSocket sends
(boards/state.py, boards/ops/core.py); these serializers only describe them,
so that the schema at /api/v1/schema/ says what a client really gets. A test
(tests/api/test_schema_conformance.py) runs schemathesis against a live
server to keep the two in step.
"""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

# The codes of docs/protocol.md, "REST errors".
ERROR_CODES = [
    "invalid",
    "unauthenticated",
    "forbidden",
    "not_found",
    "method_not_allowed",
    "closed",
    "stale",
    "too_large",
    "unsupported_media_type",
    "rate_limited",
    "server_error",
]


class ErrorSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=ERROR_CODES)
    message = serializers.CharField()
    client_op_id = serializers.CharField(required=False, allow_null=True)
    errors = serializers.JSONField(required=False, help_text="Validation details per field, when any.")


ERROR_DESCRIPTIONS = {
    400: "Invalid request (code `invalid`).",
    401: "Not logged in (code `unauthenticated`).",
    403: "Not allowed (code `forbidden`).",
    404: "No such thing, or not visible to the caller (code `not_found`).",
    409: "The workshop is closed (code `closed`).",
    413: "Too large (code `too_large`).",
    415: "Not JSON (code `unsupported_media_type`).",
    429: "Rate limited (code `rate_limited`).",
}


def errors(*statuses) -> dict:
    """The error answers of an operation, each `{code, message}`; 401 and 429 go with every one."""
    wanted = sorted({*statuses, 401, 429})
    return {s: OpenApiResponse(ErrorSerializer, description=ERROR_DESCRIPTIONS[s]) for s in wanted}


class ActorSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    role = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    prompt = serializers.CharField(allow_blank=True)


class NoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    section = serializers.CharField(allow_null=True, help_text="null on a journey map")
    stage = serializers.CharField(required=False, allow_null=True, help_text="journey maps only")
    lane = serializers.CharField(required=False, allow_null=True, help_text="journey maps only")
    text = serializers.CharField(allow_blank=True)
    color = serializers.CharField()
    author = ActorSerializer(allow_null=True, help_text="null in anonymous workshops")
    created_at = serializers.CharField()
    private = serializers.BooleanField()
    hidden = serializers.BooleanField()
    cluster = serializers.IntegerField(allow_null=True)


class PersonaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    details = serializers.DictField(child=serializers.CharField(allow_blank=True))
    color = serializers.CharField()


class SnapshotSerializer(serializers.Serializer):
    """A board as the caller may see it; journey maps, votes, clusters and phases add their
    parts (docs/protocol.md, "snapshot")."""

    id = serializers.IntegerField()
    workshop = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    seq = serializers.IntegerField()
    sections = SectionSerializer(many=True)
    notes = NoteSerializer(many=True)
    personas = PersonaSerializer(many=True)
    server_now = serializers.IntegerField(help_text="The server's clock, ms since the epoch.")


class OpEventSerializer(serializers.Serializer):
    """One logged op as the caller may see it (the WebSocket's `op` frame)."""

    type = serializers.ChoiceField(choices=["op"])
    seq = serializers.IntegerField()
    op = serializers.CharField(help_text='The op kind, or "redacted" for one the caller may not see.')
    client_op_id = serializers.CharField(allow_null=True)
    actor = ActorSerializer(allow_null=True)
    data = serializers.DictField(help_text="The resulting state of what changed (docs/protocol.md).")


class OpsPageSerializer(serializers.Serializer):
    ops = OpEventSerializer(many=True)


class OpRequestSerializer(serializers.Serializer):
    op = serializers.CharField(help_text="note.add, note.update, note.move, note.delete, persona.update, ...")
    client_op_id = serializers.CharField(required=False, max_length=64)
    data = serializers.DictField(required=False)


class OpAckSerializer(serializers.Serializer):
    seq = serializers.IntegerField()
    client_op_id = serializers.CharField(allow_null=True)
    duplicate = serializers.BooleanField()
    op = OpEventSerializer()


class BatchRequestSerializer(serializers.Serializer):
    ops = OpRequestSerializer(many=True, help_text="Applied one by one, in order (at most 500).")


class BatchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["ack", "error"])
    client_op_id = serializers.CharField(allow_null=True)
    seq = serializers.IntegerField(required=False, help_text="ack only")
    duplicate = serializers.BooleanField(required=False, help_text="ack only")
    code = serializers.CharField(required=False, help_text="error only")
    message = serializers.CharField(required=False, help_text="error only")


class BatchResponseSerializer(serializers.Serializer):
    results = BatchResultSerializer(many=True, help_text="One per op of the request, in its order.")


class CurvePointSerializer(serializers.Serializer):
    stage = serializers.CharField()
    title = serializers.CharField()
    count = serializers.IntegerField()
    mean = serializers.FloatField(allow_null=True, help_text="null below the respondent floor or unscored")
    min = serializers.FloatField(allow_null=True)
    max = serializers.FloatField(allow_null=True)
    sd = serializers.FloatField(allow_null=True)
    below_floor = serializers.BooleanField(help_text="scored, but by fewer than the respondent floor")
    moment_of_truth = serializers.BooleanField(required=False, help_text="as-is points only")
    gap = serializers.FloatField(
        required=False, allow_null=True, help_text="as-is points only: to-be mean minus as-is mean"
    )


class CurvePersonaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(allow_blank=True)
    color = serializers.CharField()


class CurveSerializer(serializers.Serializer):
    persona = CurvePersonaSerializer()
    stages = CurvePointSerializer(many=True, help_text="The as-is curve.")
    to_be = CurvePointSerializer(many=True, allow_null=True, help_text="The to-be curve; null if unscored.")
    moments_of_truth = serializers.ListField(child=serializers.CharField())
    respondent_floor = serializers.IntegerField()


class CurveResponseSerializer(serializers.Serializer):
    board = serializers.IntegerField()
    seq = serializers.IntegerField()
    respondent_floor = serializers.IntegerField()
    curves = CurveSerializer(many=True, help_text="One per persona.")


class ParticipantSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    display_name = serializers.CharField()
    role = serializers.CharField()
    guest = serializers.BooleanField()


class TemplateSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField(allow_blank=True, allow_null=True)
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    builtin = serializers.BooleanField()
    team = serializers.IntegerField(allow_null=True)
    structure = serializers.DictField()
    updated_at = serializers.CharField()
