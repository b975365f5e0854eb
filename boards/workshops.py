"""Making a workshop from a template, and letting people into it."""

from django.db import IntegrityError, transaction

from boards.access import participant_for
from boards.errors import Closed, Forbidden, Invalid, NotFound
from boards.models import (
    Board,
    Lane,
    Participant,
    ParticipantRole,
    Persona,
    Section,
    Stage,
    Template,
    Workshop,
)
from boards.ops.journey import COLOR_RE

MAX_TITLE = 200
MAX_DISPLAY_NAME = 60


def find_template(team, template_ref) -> Template:
    """A built-in template by slug, or one of the team's templates by id."""
    # isascii: "²" is a digit to str.isdigit, but no number to int().
    if isinstance(template_ref, str) and not (template_ref.isascii() and template_ref.isdigit()):
        template = Template.objects.filter(team__isnull=True, slug=template_ref).first()
    else:
        try:
            template_id = int(template_ref)
        except (TypeError, ValueError):
            raise Invalid("template must be a built-in slug or a template id.") from None
        template = Template.objects.filter(id=template_id).first()
        if template is not None and template.team_id not in (None, team.id):
            template = None
    if template is None:
        raise NotFound(f"No template {template_ref!r}.")
    return template


def clean_title(title, what="title", limit=MAX_TITLE) -> str:
    if not isinstance(title, str) or not title.strip():
        raise Invalid(f"{what} must not be empty.")
    title = title.strip()
    if len(title) > limit:
        raise Invalid(f"{what} must be at most {limit} characters.")
    return title


DEFAULT_PERSONA_COLOR = "#6d5dfc"


def _persona_color(color) -> str:
    """A template's persona colour if it is #rrggbb; it reaches every page as CSS and SVG."""
    return color.lower() if isinstance(color, str) and COLOR_RE.match(color) else DEFAULT_PERSONA_COLOR


def build_boards(workshop: Workshop, structure: dict) -> None:
    """Creates the boards a template structure describes, at seq 0."""
    for position, spec in enumerate(structure.get("boards", [])):
        board = Board.objects.create(
            workshop=workshop, kind=spec["kind"], title=spec.get("title") or spec["kind"], position=position
        )
        Section.objects.bulk_create(
            Section(board=board, key=s["key"], title=s["title"], prompt=s.get("prompt", ""), position=i)
            for i, s in enumerate(spec.get("sections", []))
        )
        personas = spec.get("personas") or ([spec["persona"]] if spec.get("persona") else [])
        Persona.objects.bulk_create(
            Persona(
                board=board,
                name=p.get("name", ""),
                details=p.get("details", {}),
                # Templates saved before colours were checked may hold anything.
                color=_persona_color(p.get("color")),
                position=i,
            )
            for i, p in enumerate(personas)
        )
        # Journey maps: stages are the columns, lanes the rows.
        Stage.objects.bulk_create(
            Stage(board=board, key=s["key"], title=s["title"], position=i)
            for i, s in enumerate(spec.get("stages", []))
        )
        Lane.objects.bulk_create(
            Lane(board=board, key=s["key"], title=s["title"], kind=s.get("kind", "notes"), position=i)
            for i, s in enumerate(spec.get("lanes", []))
        )


@transaction.atomic
def create_workshop(user, team, title, template: Template) -> Workshop:
    """A new workshop from a template; its creator facilitates it."""
    title = clean_title(title)
    for _attempt in range(5):
        try:
            with transaction.atomic():
                workshop = Workshop.objects.create(team=team, title=title, template=template, created_by=user)
            break
        except IntegrityError:  # join code collision: draw another
            continue
    else:
        raise Invalid("Could not draw a free join code; try again.")
    build_boards(workshop, template.structure)
    Participant.objects.create(
        workshop=workshop,
        user=user,
        display_name=(user.get_full_name() or user.get_username())[:MAX_DISPLAY_NAME],
        role=ParticipantRole.FACILITATOR,
    )
    return workshop


def normalise_code(code) -> str:
    if not isinstance(code, str):
        return ""
    raw = "".join(ch for ch in code.upper() if ch.isalnum())
    return f"{raw[:3]}-{raw[3:]}" if len(raw) == 6 else raw


def join_workshop(code, display_name, user=None) -> Participant:
    """Lets someone in by join code: a guest with a name, or an account holder."""
    workshop = Workshop.objects.filter(join_code=normalise_code(code)).first()
    if workshop is None:
        raise NotFound("No workshop has that code. Check the code on the facilitator's screen.")
    if user is not None and getattr(user, "is_authenticated", False):
        existing = Participant.objects.filter(workshop=workshop, user=user).first()
        if existing is not None:
            if existing.removed_at is not None:
                raise Forbidden("You were removed from this workshop.")
            return existing
        # Team members take part with the role their team gives them.
        member = participant_for(user, workshop)
        if member is not None:
            return member
    if workshop.closed_at is not None:
        raise Closed("This workshop is closed: nobody can join it any more.")
    if not workshop.joining_open:
        raise Forbidden("This workshop is closed to new participants.")
    name = clean_title(display_name, what="display_name", limit=MAX_DISPLAY_NAME)
    return Participant.objects.create(
        workshop=workshop,
        user=user if getattr(user, "is_authenticated", False) else None,
        display_name=name,
        role=ParticipantRole.PARTICIPANT,
    )
