from django.apps import AppConfig


class BoardsConfig(AppConfig):
    name = "boards"
    verbose_name = "Workshops and boards"

    def ready(self):
        # Registers every op, and the listener that makes workshop rights
        # follow team memberships (boards/ops/team.py).
        import boards.ops  # noqa: F401
