"""Adding a prioritisation board to a workshop that was made from another template."""

from django.db import transaction
from django.db.models import Max

from boards.builtin_templates import BUILTIN_TEMPLATES
from boards.errors import Invalid
from boards.models import Board, Workshop

PRIORITISATION = "prioritisation"


def prioritisation_spec() -> dict:
    template = next(t for t in BUILTIN_TEMPLATES if t["slug"] == PRIORITISATION)
    return template["structure"]["boards"][0]


@transaction.atomic
def add_prioritisation_board(workshop: Workshop, title: str | None = None) -> Board:
    """A new prioritisation board at the end of the workshop's boards, at seq 0.

    Its snapshot reads the workshop's opportunities and actions as they are
    now; from then on every workshop-wide op is logged on it too. Locking the
    workshop row keeps a workshop-wide op (which locks it first) from running
    between the board's creation and its first snapshot.
    """
    workshop = Workshop.objects.select_for_update().get(id=workshop.id)
    if workshop.closed_at is not None:
        raise Invalid("This workshop is closed.")
    title = (title or "").strip() or prioritisation_spec()["title"]
    if len(title) > 200:
        raise Invalid("title must be at most 200 characters.")
    position = (workshop.boards.aggregate(m=Max("position"))["m"] or 0) + 1
    return Board.objects.create(workshop=workshop, kind=PRIORITISATION, title=title, position=position)
