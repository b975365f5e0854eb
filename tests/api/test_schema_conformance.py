"""The API answers as its OpenAPI schema says: schemathesis against a real server, with a budget.

Every operation of /api/v1/schema/ is called with generated requests (valid
and not), as a facilitator with a token, on a live daphne. No answer may be a
server error, and every answer must be one the schema documents: its status,
its content type, its body.
"""

import re
import subprocess
import sys

import pytest

from tests.support.servers import REPO_ROOT, run_manage

pytestmark = pytest.mark.multiprocess

SETUP = """
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop, join_workshop
ensure_builtin_templates()
user = get_user_model().objects.create_user("schema", password="schema-check-password")
team = Team.objects.create(name="Schema")
Membership.objects.create(team=team, user=user, role=Role.OWNER)
ids = []
for slug in ("empathy-map", "journey-map"):
    workshop = create_workshop(user, team, slug, Template.objects.get(team=None, slug=slug))
    board = workshop.boards.get()
    me = workshop.participants.get(user=user)
    data = {"section": "says"} if slug == "empathy-map" else {"stage": "buy", "lane": "actions"}
    apply_op_request(board.id, me.id, "note.add", {**data, "text": "Needs it by Monday"})
    join_workshop(workshop.join_code, "Jo")
    ids = [workshop.id, board.id]
template = Template.objects.create(team=team, name="Ours", structure=Template.objects.get(slug="jtbd").structure)
print(Token.objects.create(user=user).key, *ids, template.id)
"""

# Generated requests per operation; the whole run stays within a couple of minutes.
MAX_EXAMPLES = 25
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
    "response_headers_conformance",
]


def test_the_api_answers_as_its_schema_says(live_app, app_database, tmp_path):
    token, workshop, board, template = run_manage(
        app_database, "shell", "--no-imports", "-c", SETUP
    ).stdout.split()
    # Ids that exist (a journey map, its workshop, a team template), so that the
    # generated requests reach the views' work and not only their 404s.
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        "[parameters]\n"
        f'"path.board_id" = {board}\n"path.workshop_id" = {workshop}\n"path.template_id" = {template}\n'
    )
    report = tmp_path / "schemathesis.json"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "schemathesis.cli",
            "--config-file",
            str(config),
            "run",
            f"{live_app.url}/api/v1/schema/",
            "--url",
            f"{live_app.url}",
            "--header",
            f"Authorization: Token {token}",
            "--checks",
            ",".join(CHECKS),
            "--phases",
            "examples,coverage,fuzzing",
            "--max-examples",
            str(MAX_EXAMPLES),
            "--generation-deterministic",
            "--suppress-health-check",
            "all",
            "--request-timeout",
            "30",
            "--report",
            "ndjson",
            "--report-ndjson-path",
            str(report),
            "--no-color",
        ],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-8000:]
    # It really ran, and called every operation of the schema.
    selected = re.search(r"Selected:\s+(\d+)/(\d+)", output)
    tested = re.search(r"Tested:\s+(\d+)", output)
    assert selected and tested, output[-3000:]
    assert int(tested.group(1)) == int(selected.group(2)) >= 19, output[-3000:]
    assert re.search(r"(\d+) generated", output) and int(re.search(r"(\d+) generated", output).group(1)) > 500
    assert report.read_text().strip(), "schemathesis wrote no report"
