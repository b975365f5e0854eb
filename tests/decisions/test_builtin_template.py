"""The built-in template `prioritisation` exists after `migrate` alone and after `seed_demo`."""

import pytest
from django.core.management import call_command

from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.workshops import create_workshop


@pytest.mark.django_db(transaction=True)
def test_migrate_alone_makes_it(maya, maya_team):
    # A transactional test starts from a flushed database: nothing but what
    # `migrate` (and its post_migrate handlers) made is there.
    Template.objects.filter(team__isnull=True).delete()
    call_command("migrate", verbosity=0)
    template = Template.objects.get(team__isnull=True, slug="prioritisation")
    workshop = create_workshop(maya, maya_team, "Prioritise", template)
    assert [b.kind for b in workshop.boards.all()] == ["prioritisation"]


@pytest.mark.django_db
def test_seed_demo_makes_it_and_running_twice_keeps_one():
    Template.objects.filter(team__isnull=True).delete()
    call_command("seed_demo")
    ensure_builtin_templates()
    assert Template.objects.filter(team__isnull=True, slug="prioritisation").count() == 1
