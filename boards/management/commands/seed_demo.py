"""Loads the built-in templates and a demo workshop; safe to run any number of times."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.text import slugify

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template, Workshop
from boards.ops import apply_op_request
from boards.workshops import create_workshop

DEMO_USERNAME = "maya"
DEMO_PASSWORD = "resonance-demo"
DEMO_TITLE = "First-time e-bike owner"

JOURNEY_TITLE = "E-bike repair journey"
# Maya's stages (docs/workshop-scenario.md) in place of the template's defaults.
JOURNEY_STAGES = ["Notice a problem", "Book", "Drop off", "Wait", "Pick up", "Ride again"]
JOURNEY_NOTES = [
    ("book", "pain-points", "The booking form asks for a model number I can't find"),
    ("wait", "pain-points", "No updates while waiting"),
    ("wait", "opportunities", "Text a photo of the repair"),
    ("pick-up", "thoughts", "Is it really fixed this time?"),
]
# (stage key, Sam's scores from three people, Ana's score)
JOURNEY_SCORES = [
    ("notice-a-problem", [-1, -2, -1], 0),
    ("book", [0, 1, -1], -3),
    ("drop-off", [1, 0, 0], -1),
    ("wait", [-3, -2, -2], -2),
    ("pick-up", [2, 2, 1], 1),
    ("ride-again", [3, 2, 2], 2),
]

DEMO_NOTES = [
    ("says", "I just need it to work by Monday."),
    ("says", "How much will this cost me?"),
    ("thinks", "Did I buy a lemon?"),
    ("does", "Searches forums before calling the shop."),
    ("feels", "Anxious about being without the bike for work."),
]


class Command(BaseCommand):
    help = "Loads the built-in templates and a demo workshop with a demo facilitator account."

    @transaction.atomic
    def handle(self, *args, **options):
        ensure_builtin_templates()
        user, created = get_user_model().objects.get_or_create(
            username=DEMO_USERNAME, defaults={"first_name": "Maya", "email": "maya@example.com"}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        team, _ = Team.objects.get_or_create(name="Bike repair franchise")
        Membership.objects.get_or_create(team=team, user=user, defaults={"role": Role.OWNER})
        workshop = Workshop.objects.filter(team=team, title=DEMO_TITLE).first()
        if workshop is None:
            template = Template.objects.get(team__isnull=True, slug="empathy-map")
            workshop = create_workshop(user, team, DEMO_TITLE, template)
            board = workshop.boards.first()
            maya = workshop.participants.get(user=user)
            apply_op_request(
                board.id,
                maya.id,
                "persona.update",
                {
                    "name": "Sam",
                    "details": {
                        "age": "34",
                        "role": "Commutes 12 km; bought the e-bike second-hand",
                        "quote": "I just need it to work by Monday.",
                    },
                },
            )
            for section, text in DEMO_NOTES:
                apply_op_request(board.id, maya.id, "note.add", {"section": section, "text": text})
        journey = Workshop.objects.filter(team=team, title=JOURNEY_TITLE).first() or self.make_journey(
            user, team
        )
        self.stdout.write(
            f"Demo ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}; "
            f"workshops “{workshop.title}” (join code {workshop.join_code}) "
            f"and “{journey.title}” (join code {journey.join_code})."
        )

    def make_journey(self, user, team):
        """A journey map with Maya's stages, two personas and a few people's scores."""
        from boards.models import Stage
        from boards.workshops import join_workshop

        template = Template.objects.get(team__isnull=True, slug="journey-map")
        journey = create_workshop(user, team, JOURNEY_TITLE, template)
        board = journey.boards.get()
        maya = journey.participants.get(user=user)

        def op(actor, kind, **data):
            return apply_op_request(board.id, actor.id, kind, data)

        for stage, title in zip(
            Stage.objects.filter(board=board).order_by("position"), JOURNEY_STAGES, strict=True
        ):
            op(maya, "stage.rename", stage=stage.key, title=title)
        # Renaming keeps the keys; new stages get keys from their titles, so
        # swap in stages keyed by Maya's titles and drop the defaults.
        old_keys = list(Stage.objects.filter(board=board).order_by("position").values_list("key", flat=True))
        for title in JOURNEY_STAGES:
            op(maya, "stage.add", title=title, key=slugify(title))
        for key in old_keys:
            op(maya, "stage.delete", stage=key)
        sam = board.personas.get()
        op(
            maya,
            "persona.update",
            id=sam.id,
            name="Sam",
            details={"quote": "I just need it to work by Monday."},
        )
        ana = op(maya, "persona.add", name="Ana", color="#e8590c").event["data"]
        for stage, lane, text in JOURNEY_NOTES:
            op(maya, "note.add", stage=stage, lane=lane, text=text)
        people = [maya, join_workshop(journey.join_code, "Jo"), join_workshop(journey.join_code, "Ravi")]
        for stage, sam_scores, ana_score in JOURNEY_SCORES:
            for person, score in zip(people, sam_scores, strict=True):
                op(person, "emotion.set", stage=stage, persona=sam.id, score=score)
            op(maya, "emotion.set", stage=stage, persona=ana["id"], score=ana_score)
        return journey
