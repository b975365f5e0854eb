"""Who may do what: every URL of the URLconf and every op of the op registry, for every kind of caller.

The URLs are read from Django's resolver and the ops from boards.ops.core.OPS,
so a new endpoint or op without a declared expectation fails
`test_every_url_has_a_declared_expectation` / `test_every_op_has_a_declared_expectation`.
One database set-up; every request runs in a transaction that is rolled back,
so each probe sees the same world; all mismatches are reported together.

Callers (ROLES): the team's owner (who created the workshop), a team
facilitator, member and viewer (each opened the workshop once), a guest who
joined by code, a guest removed from the workshop, an outsider (an account in
no team of the workshop), an ex-member (a team member who had opened the
workshop, then was removed from the team: an outsider from then on) and an
anonymous visitor. Accounts call /api/ with
their token and pages with their login; guests with their participant token
and with the session their join gave them.

Expected answers: a status code; "login" (a redirect to the login page); or
"to:<path>" (a redirect to that path, which may end in "*" for a prefix).
"""

import pathlib
import re
from dataclasses import asdict

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from rest_framework.authtoken.models import Token

from accounts import services
from accounts.models import Membership
from background.models import PdfBuild
from boards.access import participant_for
from boards.builtin_templates import ensure_builtin_templates
from boards.errors import Forbidden, OpError
from boards.exports import export_reader
from boards.exports.cache import reader_key
from boards.models import Participant, ShareLink, Template, Workshop
from boards.ops import apply_op_request
from boards.ops.core import OPS
from boards.team_templates import copy_template
from boards.workshops import create_workshop

ROLES = ("owner", "facilitator", "member", "viewer", "guest", "removed", "outsider", "ex_member", "anonymous")
TEAM = ("owner", "facilitator", "member", "viewer")
RUNS = ("owner", "facilitator")  # runs the workshop, edits the team's templates


def expect(default, **by_role):
    """Every role's expected answer: `default`, except where named.

    An ex-member is an outsider in every way, unless a row says otherwise.
    """
    unknown = set(by_role) - set(ROLES)
    assert not unknown, unknown
    by_role.setdefault("ex_member", by_role.get("outsider", default))
    return {role: by_role.get(role, default) for role in ROLES}


# How callers outside a workshop are answered, by door.
API_OUTSIDE = {"guest": 200, "removed": 401, "outsider": 404, "anonymous": 401}
PAGE_OUTSIDE = {"guest": 200, "removed": "login", "outsider": 404, "anonymous": "login"}
ACCOUNTS_ONLY = {"guest": "login", "removed": "login", "anonymous": "login"}

# A workshop's readers: its team in every role and its guests.
API_READ = expect(200, **{k: v for k, v in API_OUTSIDE.items() if k != "guest"})
PAGE_READ = expect(200, **{k: v for k, v in PAGE_OUTSIDE.items() if k != "guest"})
# Facilitators only, by the REST door: the others in the workshop get 403.
API_FACILITATE = expect(403, owner=200, facilitator=200, removed=401, outsider=404, anonymous=401)

# The team's own: its members in every role (guests are not the team).
API_TEAM = expect(200, guest=404, removed=401, outsider=404, anonymous=401)
# Archive, delete, retention: the team's owners and facilitators.
API_MANAGE = API_TEAM | {"member": 403, "viewer": 403}
# A lifecycle form: back to the workshop's page for everyone in it, 404 for the rest.
PAGE_ACT = expect("to:/w/{workshop_id}/lifecycle/", removed=404, outsider=404, anonymous=404)

# url name -> [(method, url suffix or kwargs override, body, expectations)]
# A probe's body is chosen so that an allowed caller gets past the permission
# check (and what it does is rolled back).
URLS = {
    # --- the REST API --------------------------------------------------------------
    "api-token": [("post", "", {"username": "nobody", "password": "x"}, expect(400, removed=401))],
    "api-workshops": [
        ("get", "", None, expect(200, removed=401, anonymous=401)),
        (
            "post",
            "",
            {"title": "New", "template": "empathy-map", "team": "{team_id}"},
            expect(403, owner=201, facilitator=201, outsider=404, removed=401, anonymous=401),
        ),
    ],
    "api-workshop": [("get", "", None, API_READ)],
    "api-participants": [("get", "", None, API_FACILITATE)],
    "api-workshop-export": [("get", "?format=md", None, API_READ)],
    # An ex-member's place was ended by the team: the code does not bring it back.
    "api-join": [
        (
            "post",
            "",
            {"code": "{join_code}", "display_name": "Someone"},
            expect(201, removed=401, ex_member=403),
        )
    ],
    "api-templates": [
        ("get", "", None, expect(200, removed=401, anonymous=401)),
        (
            "post",
            "",
            {"copy_of": "empathy-map"},
            expect(403, owner=201, facilitator=201, removed=401, anonymous=401),
        ),
    ],
    "api-template": [
        ("get", "", None, expect(200, guest=404, outsider=404, removed=401, anonymous=401)),
        (
            "put",
            "",
            {"name": "Renamed"},
            expect(403, owner=200, facilitator=200, guest=404, outsider=404, removed=401, anonymous=401),
        ),
        (
            "delete",
            "",
            None,
            expect(403, owner=204, facilitator=204, guest=404, outsider=404, removed=401, anonymous=401),
        ),
    ],
    "api-board": [("get", "", None, API_READ)],
    "api-board-ops": [
        ("get", "?since=0", None, API_READ),
        ("post", "", {"op": "board.lock", "data": {"locked": True}}, API_FACILITATE),
        (
            "post",
            "",
            {"op": "note.add", "data": {"stage": "buy", "lane": "pain-points", "text": "x"}},
            expect(200, viewer=403, removed=401, outsider=404, anonymous=401),
        ),
    ],
    "api-board-curve": [("get", "", None, API_READ)],
    "api-board-curve-svg": [("get", "", None, API_READ)],
    "api-board-curve-png": [("get", "", None, API_READ)],
    # Many ops in one request: the door answers each op on its own (the op rows
    # below), so the request itself is open to whoever may reach the board.
    "api-board-ops-batch": [
        (
            "post",
            "",
            {"ops": [{"op": "note.add", "data": {"stage": "buy", "lane": "pain-points", "text": "x"}}]},
            API_READ,
        )
    ],
    # A PDF built in the background is its reader's: the world's build is the guest's view.
    "api-workshop-pdf": [("get", "", None, expect(404, guest=200, removed=401, anonymous=401))],
    "api-workshop-pdf-file": [
        (
            "get",
            "",
            None,
            expect(
                404,
                guest="to:/api/v1/workshops/{workshop_id}/export/pdf/*",
                removed=401,
                anonymous=401,
            ),
        )
    ],
    # --- the lifecycle (docs/protocol.md §8) -------------------------------------------
    # Archive, delete and retention are the team's owners' and facilitators'
    # (a guest, even one made facilitator, is not the team: 404); closing is
    # any facilitator's; the team's retention and audit log its owners'.
    "api-workshop-delete": [("delete", "", None, API_MANAGE | {"owner": 204, "facilitator": 204})],
    "api-workshop-lifecycle": [("get", "", None, API_READ)],
    "api-workshop-close": [("post", "", None, API_FACILITATE)],
    # Not closed: a facilitator gets past the check and is refused for that (400).
    "api-workshop-reopen": [("post", "", None, API_FACILITATE | {"owner": 400, "facilitator": 400})],
    "api-workshop-archive": [("post", "", None, API_MANAGE)],
    "api-workshop-unarchive": [("post", "", None, API_MANAGE | {"owner": 400, "facilitator": 400})],
    "api-workshop-retention": [("put", "", {"days": 30}, API_MANAGE)],
    # Everyone's own data, observers' too; nobody in the world wrote anything,
    # so erasing is refused for that (400) once past the check.
    "api-my-data": [
        ("get", "", None, API_READ),
        ("delete", "", None, expect(400, removed=401, outsider=404, anonymous=401)),
    ],
    "api-team-retention": [
        ("get", "", None, API_TEAM),
        ("put", "", {"days": 30}, API_TEAM | {"facilitator": 403, "member": 403, "viewer": 403}),
    ],
    "api-team-audit": [("get", "", None, API_TEAM | {"facilitator": 403, "member": 403, "viewer": 403})],
    # An account's own data: any account holder; guests use their workshop's my-data.
    "api-account-data": [
        ("get", "", None, expect(200, guest=403, removed=401, anonymous=401)),
        ("delete", "", None, expect(200, guest=403, removed=401, anonymous=401)),
    ],
    # The wrong password: an account holder gets past the check and is refused for it.
    "api-account": [
        ("delete", "", {"password": "wrong"}, expect(400, guest=403, removed=401, anonymous=401))
    ],
    # --- decisions (docs/protocol.md §10) ------------------------------------------------
    "api-workshop-boards": [
        ("post", "", {"kind": "prioritisation"}, API_FACILITATE | {"owner": 201, "facilitator": 201})
    ],
    "api-workshop-owners": [("get", "", None, API_READ)],
    "api-team-actions": [("get", "", None, API_TEAM)],
    "api-board-sentiment": [("get", "", None, API_READ)],
    "api-board-cluster-suggestions": [("post", "", None, API_FACILITATE)],
    # An empty body: a facilitator gets past the check and is refused for it (400).
    "api-board-cluster-suggestions-accept": [
        ("post", "", {}, API_FACILITATE | {"owner": 400, "facilitator": 400})
    ],
    "api-schema": [("get", "", None, expect(200, removed=401))],
    "api-docs": [("get", "", None, expect(200, removed=401))],
    # --- pages ---------------------------------------------------------------------
    "healthz": [("get", "", None, expect(200))],
    "dashboard": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    "workshop-new": [("get", "", None, expect("to:/", owner=200, facilitator=200, **ACCOUNTS_ONLY))],
    "workshop": [
        (
            "get",
            "",
            None,
            expect("to:/b/{board_id}/", **{k: v for k, v in PAGE_OUTSIDE.items() if k != "guest"}),
        )
    ],
    "workshop-qr": [("get", "", None, expect(200, viewer=404, removed=404, outsider=404, anonymous=404))],
    "board": [("get", "", None, PAGE_READ)],
    "board-save-template": [
        ("post", "", {}, expect(404, owner="to:/t/*", facilitator="to:/t/*", **ACCOUNTS_ONLY))
    ],
    "template-list": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    "template-new": [("get", "", None, expect("to:/t/", owner=200, facilitator=200, **ACCOUNTS_ONLY))],
    "template-edit": [("get", "", None, expect(404, owner=200, facilitator=200, **ACCOUNTS_ONLY))],
    # Refusals go back to the list with a message; a copy opens its editor.
    "template-copy": [
        ("post", "", {}, expect("to:/t/", owner="to:/t/*", facilitator="to:/t/*", **ACCOUNTS_ONLY))
    ],
    "template-delete": [("post", "", {}, expect("to:/t/", **ACCOUNTS_ONLY))],
    "join-form": [("get", "", None, expect(200))],
    "join": [("get", "", None, expect("to:/w/{workshop_id}/", removed=200, outsider=200, anonymous=200))],
    "workshop-summary": [("get", "", None, PAGE_READ)],
    "workshop-export": [("get", "?format=md", None, PAGE_READ)],
    "board-curve": [("get", "", None, PAGE_READ)],
    "share-create": [
        (
            "post",
            "",
            {},
            expect(
                403, owner="to:/w/*", facilitator="to:/w/*", removed="login", outsider=404, anonymous="login"
            ),
        )
    ],
    "share-revoke": [
        (
            "post",
            "",
            {},
            expect(
                403, owner="to:/w/*", facilitator="to:/w/*", removed="login", outsider=404, anonymous="login"
            ),
        )
    ],
    # A share link is its own credential: whoever holds it reads.
    "share": [("get", "", None, expect(200))],
    "share-export": [("get", "?format=md", None, expect(200))],
    "share-curve": [("get", "", None, expect(200))],
    "team-workshops": [("get", "", None, expect(200, outsider=404, **ACCOUNTS_ONLY))],
    "team-actions": [("get", "", None, expect(200, outsider=404, **ACCOUNTS_ONLY))],
    # PDFs built in the background: the world's build is the guest's view; the
    # share link's build is the link's (an observer's view without private notes).
    "workshop-pdf-build": [("get", "", None, expect(404, guest=200, removed="login", anonymous="login"))],
    "workshop-pdf-status": [("get", "", None, expect(404, guest=200, removed=401, anonymous=401))],
    "workshop-pdf-file": [
        (
            "get",
            "",
            None,
            expect(404, guest="to:/w/{workshop_id}/export/pdf/*", removed="login", anonymous="login"),
        )
    ],
    "share-pdf-build": [("get", "", None, expect(200))],
    "share-pdf-status": [("get", "", None, expect(200))],
    "share-pdf-file": [("get", "", None, expect("to:/s/{token}/export/pdf/*"))],
    # --- the lifecycle's pages ----------------------------------------------------------
    # Its forms act through the same services as the REST rows above and come
    # back to the workshop's page, a refusal as a message: who may do what is
    # decided (and probed) there. Callers outside the workshop get 404.
    "workshop-lifecycle": [("get", "", None, PAGE_READ)],
    "workshop-close": [("post", "", {}, PAGE_ACT)],
    "workshop-reopen": [("post", "", {}, PAGE_ACT)],
    "workshop-archive": [("post", "", {"archived": "1"}, PAGE_ACT)],
    "workshop-retention": [("post", "", {"days": "30"}, PAGE_ACT)],
    # Without the title typed again nothing is deleted, for anyone.
    "workshop-delete": [("post", "", {}, PAGE_ACT)],
    "my-data": [("get", "", None, expect(200, removed=404, outsider=404, anonymous=404))],
    "my-data-erase": [("post", "", {}, PAGE_ACT)],
    "team-audit": [("get", "", None, expect(404, owner=200, **ACCOUNTS_ONLY))],
    "team-retention": [
        ("post", "", {"days": "30"}, expect("to:/teams/{team_id}/audit/", outsider=404, **ACCOUNTS_ONLY))
    ],
    "account-data": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    # --- accounts and teams ----------------------------------------------------------
    "login": [("get", "", None, expect(200))],
    "logout": [("get", "", None, expect(405))],
    "password_change": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    "password_change_done": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    "password_reset": [("get", "", None, expect(200))],
    "password_reset_done": [("get", "", None, expect(200))],
    "password_reset_confirm": [("get", "", None, expect(200))],
    "password_reset_complete": [("get", "", None, expect(200))],
    "signup": [("get", "", None, expect("to:/", guest=200, removed=200, anonymous=200))],
    "team_create": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
    "team": [("get", "", None, expect(200, outsider=404, **ACCOUNTS_ONLY))],
    "team_leave": [
        ("post", "", {}, expect("to:/", owner="to:/accounts/teams/{team_id}/", outsider=404, **ACCOUNTS_ONLY))
    ],
    "invite_create": [
        (
            "post",
            "",
            {"role": "member"},
            expect(403, owner="to:/accounts/teams/{team_id}/", outsider=404, **ACCOUNTS_ONLY),
        )
    ],
    "invite_revoke": [
        ("post", "", {}, expect(403, owner="to:/accounts/teams/{team_id}/", outsider=404, **ACCOUNTS_ONLY))
    ],
    "member_role": [
        (
            "post",
            "",
            {"role": "viewer"},
            expect(403, owner="to:/accounts/teams/{team_id}/", outsider=404, **ACCOUNTS_ONLY),
        )
    ],
    "member_remove": [
        ("post", "", {}, expect(403, owner="to:/accounts/teams/{team_id}/", outsider=404, **ACCOUNTS_ONLY))
    ],
    # An invite link is its own credential; accepting it needs an account.
    "invite": [("get", "", None, expect(200, **ACCOUNTS_ONLY))],
}
# Probes that need another object than the world's journey board: a journey map
# cannot be saved as a team template (yet), so "save as template" is probed on
# the empathy map of a second workshop of the team.
KWARGS = {
    "board-save-template": {"board_id": "empathy_board_id"},
    **{
        name: {"build_id": "share_build_id"}
        for name in ("share-pdf-build", "share-pdf-status", "share-pdf-file")
    },
}
# Django's admin: staff only, and nobody in the cast is staff; probed at its index.
NAMESPACES = {"admin": ("admin:index", expect("to:/admin/login/*"))}
# URLs whose callers are checked by their own tests, with the reason they cannot
# be probed here; still declared, so a new URL cannot slip past both.
CHECKED_ELSEWHERE = {
    # A stream runs its work on the process's ORM thread, outside the request,
    # which an in-process probe inside a test transaction cannot host: its 401,
    # 403 (origin, removal), 404 and 429 answers are in tests/boards/test_events_stream.py.
    "api-board-events": "tests/boards/test_events_stream.py",
}

# Every op kind: who passes the door's permission check. "facilitators": owner
# and facilitator; "writers": everyone in the workshop but observers;
# "everyone": everyone in the workshop.
OP_RULES = {
    "note.add": "writers",
    "note.update": "writers",
    "note.move": "writers",
    "note.delete": "writers",
    "persona.update": "writers",
    "cluster.create": "writers",
    "cluster.rename": "writers",
    "cluster.add_note": "writers",
    "cluster.remove_note": "writers",
    "cluster.delete": "writers",
    "vote.add": "writers",
    "vote.remove": "writers",
    "emotion.set": "writers",
    "phase.set": "facilitators",
    "workshop.settings": "facilitators",
    "workshop.joining": "facilitators",
    "board.lock": "facilitators",
    "timer.start": "facilitators",
    "timer.pause": "facilitators",
    "timer.resume": "facilitators",
    "timer.extend": "facilitators",
    "timer.stop": "facilitators",
    "participant.role": "facilitators",
    "participant.remove": "facilitators",
    "note.hide": "facilitators",
    "note.merge": "facilitators",
    "stage.add": "facilitators",
    "stage.rename": "facilitators",
    "stage.move": "facilitators",
    "stage.delete": "facilitators",
    "lane.add": "facilitators",
    "lane.rename": "facilitators",
    "lane.move": "facilitators",
    "lane.delete": "facilitators",
    "persona.add": "facilitators",
    "persona.remove": "facilitators",
    "journey.settings": "facilitators",
    "votes.close": "facilitators",
    "votes.reset": "facilitators",
    "workshop.close": "facilitators",
    "workshop.reopen": "facilitators",
    # Taking back what one wrote: everyone in the workshop, observers too (a
    # member made viewer keeps what they wrote as a member).
    "participant.erase": "everyone",
    "opportunity.add": "writers",
    "opportunity.update": "writers",
    "opportunity.delete": "writers",
    "opportunity.link": "writers",
    "opportunity.unlink": "writers",
    "opportunity.score": "writers",
    "opportunity.unscore": "writers",
    "prioritisation.settings": "facilitators",
    "action.add": "writers",
    "action.update": "writers",
    "action.delete": "writers",
    "review.mark": "writers",
}


def url_patterns(patterns=None, prefix="", namespace=None):
    """(namespace, name, route) of every URL the project serves, read from the resolver."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from url_patterns(
                pattern.url_patterns, prefix + str(pattern.pattern), pattern.namespace or namespace
            )
        elif isinstance(pattern, URLPattern):
            yield namespace, pattern.name, prefix + str(pattern.pattern)


def test_every_url_has_a_declared_expectation():
    for tests in CHECKED_ELSEWHERE.values():
        assert (pathlib.Path(__file__).parents[2] / tests).exists(), tests
    undeclared = [
        route
        for namespace, name, route in url_patterns()
        if (namespace is None and name not in URLS and name not in CHECKED_ELSEWHERE)
        or (namespace is not None and namespace not in NAMESPACES)
    ]
    assert not undeclared, f"URLs with no declared access expectation (add them to URLS): {undeclared}"
    names = {name for namespace, name, _ in url_patterns() if namespace is None}
    assert not set(URLS) - names, f"expectations for URLs that no longer exist: {set(URLS) - names}"


def test_every_op_has_a_declared_expectation():
    assert set(OPS) - set(OP_RULES) == set(), "ops with no declared access expectation (add them to OP_RULES)"
    assert set(OP_RULES) - set(OPS) == set()


# --- the world ---------------------------------------------------------------------------


@pytest.fixture
def world(team, owner, facilitator, member, viewer, outsider, make_user):
    ensure_builtin_templates()
    workshop = create_workshop(owner, team, "E-bike journey", Template.objects.get(slug="journey-map"))
    board = workshop.boards.get()
    ex_member = make_user("max")
    Membership.objects.create(team=team, user=ex_member, role="facilitator")
    for user in (facilitator, member, viewer, ex_member):
        participant_for(user, workshop)
    olivia = Participant.objects.get(workshop=workshop, user=owner)
    template = copy_template(owner, team.id, Template.objects.get(slug="empathy-map"))
    link = ShareLink.objects.create(workshop=workshop, created_by=owner)
    empathy = create_workshop(owner, team, "E-bike empathy", Template.objects.get(slug="empathy-map"))
    invite = services.do_create_invite(team, owner)

    clients = {}
    for role, user in [
        ("owner", owner),
        ("facilitator", facilitator),
        ("member", member),
        ("viewer", viewer),
        ("outsider", outsider),
        ("ex_member", ex_member),
    ]:
        pages = Client()
        pages.force_login(user)
        api = Client(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
        clients[role] = (api, pages)
    for role in ("guest", "removed"):
        pages = Client()
        assert pages.post(f"/j/{workshop.join_code}", {"display_name": role}).status_code == 302
        participant = Participant.objects.get(workshop=workshop, display_name=role)
        clients[role] = (Client(HTTP_AUTHORIZATION=f"Token {participant.token}"), pages)
    removed = Participant.objects.get(workshop=workshop, display_name="removed")
    apply_op_request(board.id, olivia.id, "participant.remove", {"id": removed.id})
    clients["anonymous"] = (Client(), Client())
    services.do_remove_member(Membership.objects.get(team=team, user=ex_member))
    # PDFs being built in the background (queued, no worker runs here): one
    # for the guest's view of the workshop, one for the share link's.
    guest = Participant.objects.get(workshop=workshop, display_name="guest")
    builds = {
        name: PdfBuild.objects.create(
            workshop=workshop, version="matrix", reader_key=reader_key(viewer), reader=asdict(viewer)
        )
        for name, viewer in [("guest", export_reader(workshop, guest)), ("share", export_reader(workshop))]
    }

    values = {
        "workshop_id": workshop.id,
        "board_id": board.id,
        "team_id": team.id,
        "template_id": template.id,
        "membership_id": Membership.objects.get(team=team, user=member).id,
        "invite_id": invite.id,
        "link_id": link.id,
        "join_code": workshop.join_code,
        "token": link.token,
    }
    kwargs = {
        "workshop_id": workshop.id,
        "board_id": board.id,
        "team_id": team.id,
        "template_id": template.id,
        "membership_id": values["membership_id"],
        "invite_id": invite.id,
        "link_id": link.id,
        "token": link.token,
        "code": workshop.join_code,
        "key": invite.key,
        "ext": "svg",
        "empathy_board_id": empathy.boards.get().id,
        "uidb64": "MQ",
        "app_label": "boards",
        "build_id": builds["guest"].id,
        "share_build_id": builds["share"].id,
    }
    return {"workshop": workshop, "board": board, "clients": clients, "values": values, "kwargs": kwargs}


def _fill(value, values):
    if isinstance(value, str):
        filled = value.format(**values)
        return int(filled) if filled.isdigit() and value.startswith("{") else filled
    if isinstance(value, dict):
        return {k: _fill(v, values) for k, v in value.items()}
    return value


def _url(name, world):
    from django.urls import reverse

    route = next(route for _ns, n, route in url_patterns() if n == name.split(":")[-1])
    needed = {k: world["kwargs"][k] for k in re.findall(r"<(?:\w+:)?(\w+)>", route)}
    for key, other in KWARGS.get(name, {}).items():
        needed[key] = world["kwargs"][other]
    if name == "password_reset_confirm":
        needed["token"] = "set-password"
    return reverse(name, kwargs=needed or None)


def _answer(response) -> str:
    if response.status_code in (301, 302):
        return f"to:{response['Location']}"
    return str(response.status_code)


def _matches(expected, answer: str, values) -> bool:
    expected = _fill(str(expected), values)
    if expected == "login":
        return answer.startswith("to:/accounts/login/")
    if expected.endswith("*"):
        return answer.startswith(expected[:-1])
    return answer == expected


def _probe(client, method, url, body):
    with transaction.atomic():
        if body is None:
            response = getattr(client, method)(url)
        else:
            response = (
                getattr(client, method)(url, body, content_type="application/json")
                if url.startswith("/api/")
                else getattr(client, method)(url, body)
            )
        transaction.set_rollback(True)
    return response


def test_every_url_answers_every_caller_as_declared(world):
    probes = [(name, *probe) for name, listed in URLS.items() for probe in listed]
    probes += [(name, "get", "", None, answers) for name, answers in NAMESPACES.values()]
    wrong = []
    for name, method, suffix, body, answers in probes:
        url = _url(name, world) + suffix
        for role in ROLES:
            api, pages = world["clients"][role]
            client = api if url.startswith("/api/") else pages
            answer = _answer(_probe(client, method, url, _fill(body, world["values"])))
            if not _matches(answers[role], answer, world["values"]):
                wrong.append(f"{method.upper()} {url} as {role}: expected {answers[role]}, got {answer}")
    assert not wrong, "\n".join(wrong)


def test_every_op_is_refused_to_whom_it_is_not_for(world):
    """Through the op door itself (the WebSocket's and REST's): is the caller refused for their role?

    Each op is sent with empty data in a phase it allows: an allowed caller gets
    past the permission checks and is refused only for the data (or succeeds);
    a refused one gets `forbidden`. Outsiders and anonymous callers have no
    participant to act as: the URL matrix shows they cannot reach the door. An
    ex-member's place in the workshop outlives their membership as a row, and
    the door refuses it for every op.
    """
    workshop, board = world["workshop"], world["board"]
    actors = {
        role: Participant.objects.get(
            workshop=workshop, **({"user__username": u} if u else {"display_name": role})
        )
        for role, u in [
            ("owner", "olivia"),
            ("facilitator", "fred"),
            ("member", "maya"),
            ("viewer", "luis"),
            ("guest", None),
            ("removed", None),
            ("ex_member", "max"),
        ]
    }
    allowed = {
        "facilitators": {"owner", "facilitator"},
        "writers": {"owner", "facilitator", "member", "guest"},
        "everyone": {"owner", "facilitator", "member", "viewer", "guest"},
    }
    wrong = []
    for kind, spec in OPS.items():
        phase = sorted(spec.phases)[0] if spec.phases else workshop.phase
        for role, actor in actors.items():
            with transaction.atomic():
                Workshop.objects.filter(id=workshop.id).update(phase=phase)
                try:
                    apply_op_request(board.id, actor.id, kind, {})
                    refused = False
                except Forbidden:
                    refused = True
                except OpError:
                    refused = False
                transaction.set_rollback(True)
            if refused == (role in allowed[OP_RULES[kind]]):
                wrong.append(f"{kind} as {role}: {'refused' if refused else 'let through'}")
    assert not wrong, "\n".join(wrong)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("fresh_channel_layer")
async def test_the_websocket_door_answers_every_caller(world):
    """The board's socket: open for the workshop's people, closed with a code for everyone else."""
    from channels.testing import WebsocketCommunicator

    from workshop.asgi import application

    expected = expect(None, removed=4001, outsider=4004, anonymous=4001)
    wrong = []
    for role in ROLES:
        headers = [(b"origin", b"http://testserver")]
        api, _pages = world["clients"][role]
        if "HTTP_AUTHORIZATION" in api.defaults:
            headers.append((b"authorization", api.defaults["HTTP_AUTHORIZATION"].encode()))
        socket = WebsocketCommunicator(application, f"/ws/boards/{world['board'].id}/", headers=headers)
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_output(timeout=5)
        closed_with = first.get("code") if first["type"] == "websocket.close" else None
        if closed_with != expected[role]:
            wrong.append(f"socket as {role}: expected close {expected[role]}, got {closed_with}")
        await socket.disconnect()
    assert not wrong, "\n".join(wrong)
