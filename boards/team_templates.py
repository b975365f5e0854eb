"""Templates a team makes: from scratch, as a copy of another, or from a live board.

Both the REST API (/api/v1/templates/) and the pages under /t/ go through
these functions, so a template is checked by the same rules whichever way it
comes in. A workshop copies its template's structure when it is made
(boards/workshops.py), so editing a template never changes a workshop.
"""

from django.db.models import Q
from django.utils.text import slugify

from boards import phases
from boards.access import EDITORS, is_account, team_ids_of
from boards.builtin_templates import DEFAULT_AGENDA
from boards.errors import Forbidden, Invalid, NotFound
from boards.models import Board, BoardKind, Lane, LaneKind, Persona, Phase, Section, Stage, Template
from boards.ops.journey import COLOR_RE, MAX_KEY, MAX_LANES, MAX_STAGES
from boards.ops.journey import MAX_TITLE as MAX_ROW_TITLE
from boards.workshops import clean_title

MAX_NAME = 120
MAX_DESCRIPTION = 1000
MAX_BOARDS = 10
MAX_SECTIONS = 30
MAX_AGENDA = 20
MAX_MINUTES = 240


# --- who may see and change which template ---------------------------------------------


def templates_visible_to(user):
    """Built-in templates, and the templates of every team the user belongs to."""
    if not is_account(user):
        return Template.objects.none()
    return Template.objects.filter(Q(team__isnull=True) | Q(team_id__in=team_ids_of(user)))


def access_template(user, template_id, write: bool = False) -> Template:
    """A template the user may read (or, with write, change); NotFound for others' templates."""
    template = templates_visible_to(user).filter(id=template_id).first()
    if template is None:
        raise NotFound("No such template.")
    if write:
        if template.is_builtin:
            raise Forbidden("Built-in templates cannot be changed; make a copy and change that.")
        if template.team_id not in team_ids_of(user, EDITORS):
            raise Forbidden("Only owners and facilitators of the team can change its templates.")
    return template


def editable_team(user, team_id=None):
    """The team a new template goes to: the one named, or the user's only team they may edit in."""
    team_ids = team_ids_of(user, EDITORS)
    if team_id is not None:
        if team_id not in team_ids:
            raise Forbidden("Only owners and facilitators of a team can make its templates.")
        return team_id
    if not team_ids:
        raise Forbidden("Only owners and facilitators of a team can make templates.")
    if len(team_ids) > 1:
        raise Invalid("You can make templates in several teams: give `team`.")
    return next(iter(team_ids))


# --- the structure ------------------------------------------------------------------------


def _text(value, what, limit, required=False) -> str:
    if value is None and not required:
        return ""
    if not isinstance(value, str):
        raise Invalid(f"{what} must be a string.")
    value = value.strip()
    if required and not value:
        raise Invalid(f"{what} must not be empty.")
    if len(value) > limit:
        raise Invalid(f"{what} must be at most {limit} characters.")
    return value


def _persona(raw, what) -> dict:
    if not isinstance(raw, dict):
        raise Invalid(f"{what} must be an object with a name and details.")
    details = raw.get("details", {})
    if not isinstance(details, dict) or len(details) > 12:
        raise Invalid(f"{what} details must map at most 12 field names to texts.")
    persona = {
        "name": _text(raw.get("name"), f"{what} name", 120),
        "details": {
            _text(k, f"{what} field name", 40, required=True): _text(v, f"{what} field {k!r}", 500)
            for k, v in details.items()
        },
    }
    if "color" in raw:
        # Strictly #rrggbb: the colour reaches every guest's page as CSS, where
        # anything else (url(...), var(...)) could make browsers fetch or misdraw.
        color = raw["color"]
        if not isinstance(color, str) or not COLOR_RE.match(color):
            raise Invalid(f"{what} color must be a colour like #e4572e.")
        persona["color"] = color.lower()
    return persona


def _keyed(raw, where, what, limit, extra=None, strict=False) -> list[dict]:
    """A list of titled items with unique slug keys (sections, stages, lanes), checked.

    `strict` (a journey map's stages and lanes, which ops address by key): a key
    given must be a slug and unique; only a missing one is made from the title.
    Checked here so that making a workshop from the template cannot fail later.
    """
    if not isinstance(raw, list) or not raw:
        raise Invalid(f"Every {where.split(' ')[0]} needs at least one {what}: {where} has none.")
    if len(raw) > limit:
        raise Invalid(f"{where} has more than {limit} {what}s.")
    items, keys = [], set()
    for i, spec in enumerate(raw, 1):
        if not isinstance(spec, dict):
            raise Invalid(f"{what.capitalize()} {i} of {where} must be an object with a title.")
        title = _text(spec.get("title"), f"The title of {what} {i} of {where}", MAX_ROW_TITLE, required=True)
        given = spec.get("key")
        if strict and given is not None:
            if not isinstance(given, str) or not given or slugify(given) != given or len(given) > MAX_KEY:
                raise Invalid(f"The key of {what} {i} of {where} must be a short slug (letters, digits, -).")
            if given in keys:
                raise Invalid(f"{where} has two {what}s with the key {given!r}.")
            key = given
        else:
            key = given or slugify(title)[: MAX_KEY - 4].strip("-") or f"{what}-{i}"
            if not isinstance(key, str) or slugify(key) != key or len(key) > MAX_KEY:
                raise Invalid(f"The key of {what} {i} of {where} must be a short slug (letters, digits, -).")
            while key in keys:
                key = f"{key[: MAX_KEY - 4]}-{i}"
        keys.add(key)
        items.append({"key": key, "title": title, **(extra(spec, f"{what} {i} of {where}") if extra else {})})
    return items


def _sections(raw, where) -> list[dict]:
    return _keyed(
        raw,
        where,
        "section",
        MAX_SECTIONS,
        lambda spec, _: {"prompt": _text(spec.get("prompt"), "A prompt", 300)},
    )


def _lane_kind(spec, what) -> dict:
    kind = spec.get("kind", LaneKind.NOTES)
    if kind not in LaneKind.values:
        raise Invalid(f"The kind of {what} must be one of {', '.join(LaneKind.values)}.")
    return {"kind": kind}


def _sectioned_board(spec, where) -> dict:
    """Empathy maps, interviews, prioritisation: notes live in sections."""
    sections = _sections(spec.get("sections"), where)
    if "stages" in spec or "lanes" in spec:
        raise Invalid(f"Only a journey map has stages and lanes; {where} is a {spec['kind']}.")
    return {"sections": sections}


def _journey_board(spec, where) -> dict:
    """Journey maps: notes live in cells of stages (columns) × lanes (rows); no sections."""
    if spec.get("sections"):
        raise Invalid(f"{where} is a journey map: its notes live in stages and lanes, not sections.")
    lanes = _keyed(spec.get("lanes"), where, "lane", MAX_LANES, _lane_kind, strict=True)
    if sum(lane["kind"] == LaneKind.EMOTION for lane in lanes) > 1:
        raise Invalid(f"{where} has more than one emotion lane.")
    return {
        "sections": [],
        "stages": _keyed(spec.get("stages"), where, "stage", MAX_STAGES, strict=True),
        "lanes": lanes,
    }


def _prioritisation_board(spec, where) -> dict:
    """Prioritisation boards (the decisions app): opportunities and scores, no notes of their own."""
    if spec.get("sections") or "stages" in spec or "lanes" in spec:
        raise Invalid(f"{where} is a prioritisation board: it has no sections, stages or lanes.")
    return {"sections": []}


# What each board kind's part of a structure must hold. A new board kind adds its
# checker here (docs/board-page.md); a kind without one is checked like an empathy map.
BOARD_STRUCTURES = {BoardKind.JOURNEY_MAP: _journey_board, BoardKind.PRIORITISATION: _prioritisation_board}


def clean_structure(raw) -> dict:
    """A template structure, checked: boards (each by the rules of its kind), personas, an agenda.

    Keys this module does not know (a journey map's stages, ...) are kept as they are.
    """
    if not isinstance(raw, dict):
        raise Invalid("structure must be an object with boards and an agenda.")
    boards = raw.get("boards")
    if not isinstance(boards, list) or not boards:
        raise Invalid("A template needs at least one board.")
    if len(boards) > MAX_BOARDS:
        raise Invalid(f"A template has at most {MAX_BOARDS} boards.")
    clean_boards = []
    for i, spec in enumerate(boards, 1):
        if not isinstance(spec, dict) or spec.get("kind") not in BoardKind.values:
            raise Invalid(f"Board {i} needs a kind: one of {', '.join(BoardKind.values)}.")
        title = _text(spec.get("title"), f"The title of board {i}", 200) or BoardKind(spec["kind"]).label
        board = {**spec, "kind": spec["kind"], "title": title}
        check = BOARD_STRUCTURES.get(spec["kind"], _sectioned_board)
        board.update(check(spec, f"board {i} ({title})"))
        if spec.get("persona") is not None:
            board["persona"] = _persona(spec["persona"], f"The persona of board {i}")
        if spec.get("personas") is not None:
            if not isinstance(spec["personas"], list) or len(spec["personas"]) > 10:
                raise Invalid(f"The personas of board {i} must be a list of at most 10.")
            board["personas"] = [
                _persona(p, f"Persona {j} of board {i}") for j, p in enumerate(spec["personas"], 1)
            ]
        clean_boards.append(board)
    agenda = raw.get("agenda", [])
    if not isinstance(agenda, list) or len(agenda) > MAX_AGENDA:
        raise Invalid(f"agenda must be a list of at most {MAX_AGENDA} phases.")
    agenda_phases = [p for p in phases.ORDER if p != Phase.OPEN]
    clean_agenda = []
    for i, step in enumerate(agenda, 1):
        if not isinstance(step, dict) or step.get("phase") not in agenda_phases:
            raise Invalid(f"Step {i} of the agenda needs a phase: one of {', '.join(agenda_phases)}.")
        minutes = step.get("minutes", 0)
        if not isinstance(minutes, int) or isinstance(minutes, bool) or not 0 <= minutes <= MAX_MINUTES:
            raise Invalid(f"Step {i} of the agenda needs minutes from 0 to {MAX_MINUTES}.")
        clean_agenda.append({"phase": step["phase"], "minutes": minutes})
    return {**raw, "boards": clean_boards, "agenda": clean_agenda}


def structure_of_board(board: Board) -> dict:
    """A live board's structure (sections, persona cards) with its workshop's agenda: no notes."""
    template = board.workshop.template
    agenda = (template.structure.get("agenda") if template else None) or DEFAULT_AGENDA
    spec = {
        "kind": board.kind,
        "title": board.title,
        "sections": list(Section.objects.filter(board=board).values("key", "title", "prompt")),
        "personas": [
            {"name": p.name, "details": p.details, "color": p.color}
            for p in Persona.objects.filter(board=board)
        ],
    }
    if board.kind == BoardKind.JOURNEY_MAP:
        spec["stages"] = list(Stage.objects.filter(board=board).order_by("position").values("key", "title"))
        spec["lanes"] = list(
            Lane.objects.filter(board=board).order_by("position").values("key", "title", "kind")
        )
    return {"boards": [spec], "agenda": agenda}


# --- changes ----------------------------------------------------------------------------


def save_template(template: Template, name, description, structure) -> Template:
    """Checks and stores a template's name, description and structure (nothing is stored on error)."""
    template.name = clean_title(name, what="name", limit=MAX_NAME)
    template.description = _text(description, "description", MAX_DESCRIPTION)
    template.structure = clean_structure(structure)
    template.save()
    return template


def create_template(user, team_id, name, description, structure) -> Template:
    template = Template(team_id=team_id, created_by=user)
    return save_template(template, name, description, structure)


def copy_template(user, team_id, source: Template, name=None) -> Template:
    return create_template(
        user, team_id, name or f"{source.name} (copy)"[:MAX_NAME], source.description, source.structure
    )
