"""Loads the built-in templates and a demo workshop; safe to run any number of times."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template, Workshop
from boards.ops import apply_op_request
from boards.workshops import create_workshop

DEMO_USERNAME = "maya"
DEMO_PASSWORD = "resonance-demo"
DEMO_TITLE = "First-time e-bike owner"

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
        self.stdout.write(
            f"Demo ready: log in as {DEMO_USERNAME} / {DEMO_PASSWORD}; "
            f"workshop “{workshop.title}” (join code {workshop.join_code})."
        )
