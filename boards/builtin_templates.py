"""The templates that ship with Resonance.

A template's `structure` is plain data: the boards to make, their sections
(key, title, prompt), the persona card and the agenda. Workshops copy it.

They are written to the database after every `manage.py migrate` (boards/apps.py),
so a fresh install can make workshops at once and an upgrade refreshes them;
a new built-in template is one more entry in BUILTIN_TEMPLATES.
"""

EMPATHY_MAP_SECTIONS = [
    {"key": "says", "title": "Says", "prompt": "What do they say out loud? Quotes from interviews."},
    {"key": "thinks", "title": "Thinks", "prompt": "What goes through their mind but stays unsaid?"},
    {"key": "does", "title": "Does", "prompt": "What do they do? Actions and behaviour you can observe."},
    {"key": "feels", "title": "Feels", "prompt": "What worries or excites them? Emotions."},
]

EMPATHY_MAP_EXTENDED_SECTIONS = [
    {
        "key": "goal",
        "title": "Goal",
        "prompt": "Who are we empathising with, and what do they need to get done?",
    },
    {"key": "sees", "title": "Sees", "prompt": "What do they see around them, in the market, from friends?"},
    {
        "key": "says",
        "title": "Says",
        "prompt": "What have we heard them say? What can we imagine them saying?",
    },
    {"key": "does", "title": "Does", "prompt": "What do they do today? What behaviour have we observed?"},
    {"key": "hears", "title": "Hears", "prompt": "What do they hear from colleagues, friends, influencers?"},
    {
        "key": "thinks-feels",
        "title": "Thinks & feels",
        "prompt": "What really counts for them? Hopes, fears.",
    },
    {"key": "pains", "title": "Pains", "prompt": "What are their fears, frustrations and anxieties?"},
    {"key": "gains", "title": "Gains", "prompt": "What are their wants, needs, hopes and dreams?"},
]

JTBD_SECTIONS = [
    {
        "key": "job",
        "title": "Job statement",
        "prompt": "When I …, I want to …, so I can …: the progress they are trying to make.",
    },
    {
        "key": "situation",
        "title": "Situation",
        "prompt": "Where are they, what just happened, who is around?",
    },
    {
        "key": "motivations",
        "title": "Motivations",
        "prompt": "What pushes them to act now? What pulls them towards a new way?",
    },
    {
        "key": "outcomes",
        "title": "Desired outcomes",
        "prompt": "How will they know the job is done well? Faster, cheaper, surer …",
    },
    {"key": "pains", "title": "Pains", "prompt": "What gets in the way, costs them, or worries them?"},
    {"key": "gains", "title": "Gains", "prompt": "What would delight them or make the job easier?"},
]

DEFAULT_PERSONA = {"name": "", "details": {"age": "", "role": "", "quote": "", "about": ""}}

JOURNEY_STAGES = [
    {"key": "discover", "title": "Discover"},
    {"key": "consider", "title": "Consider"},
    {"key": "buy", "title": "Buy"},
    {"key": "use", "title": "Use"},
    {"key": "get-help", "title": "Get help"},
    {"key": "stay-or-leave", "title": "Stay or leave"},
]

# The Feelings lane is the emotion curve (kind "emotion"); every other lane holds notes.
JOURNEY_LANES = [
    {"key": "actions", "title": "Actions", "kind": "notes"},
    {"key": "touchpoints", "title": "Touchpoints", "kind": "notes"},
    {"key": "thoughts", "title": "Thoughts", "kind": "notes"},
    {"key": "feelings", "title": "Feelings", "kind": "emotion"},
    {"key": "pain-points", "title": "Pain points", "kind": "notes"},
    {"key": "opportunities", "title": "Opportunities", "kind": "notes"},
]

DEFAULT_AGENDA = [
    {"phase": "write", "minutes": 8},
    {"phase": "reveal", "minutes": 1},
    {"phase": "group", "minutes": 10},
    {"phase": "vote", "minutes": 5},
    {"phase": "discuss", "minutes": 20},
    {"phase": "wrap-up", "minutes": 5},
]

BUILTIN_TEMPLATES = [
    {
        "slug": "empathy-map",
        "name": "Empathy map",
        "description": "The classic four quadrants, Says, Thinks, Does and Feels, around one persona.",
        "structure": {
            "boards": [
                {
                    "kind": "empathy-map",
                    "title": "Empathy map",
                    "persona": DEFAULT_PERSONA,
                    "sections": EMPATHY_MAP_SECTIONS,
                }
            ],
            "agenda": DEFAULT_AGENDA,
        },
    },
    {
        "slug": "empathy-map-extended",
        "name": "Extended empathy map",
        "description": "Goal, Sees, Says, Does, Hears, Thinks & feels, with Pains and Gains.",
        "structure": {
            "boards": [
                {
                    "kind": "empathy-map-extended",
                    "title": "Extended empathy map",
                    "persona": DEFAULT_PERSONA,
                    "sections": EMPATHY_MAP_EXTENDED_SECTIONS,
                }
            ],
            "agenda": DEFAULT_AGENDA,
        },
    },
    {
        "slug": "jtbd",
        "name": "Jobs-to-be-done interview",
        "description": "Job statement, situation, motivations, desired outcomes, pains and gains of one customer.",
        "structure": {
            "boards": [
                {
                    "kind": "jtbd",
                    "title": "Jobs-to-be-done interview",
                    "persona": DEFAULT_PERSONA,
                    "sections": JTBD_SECTIONS,
                }
            ],
            "agenda": DEFAULT_AGENDA,
        },
    },
    {
        "slug": "journey-map",
        "name": "Customer journey map",
        "description": "A persona's journey in stages, with lanes for actions, touchpoints, thoughts, "
        "pain points and opportunities, and a live emotion curve from everyone's scores.",
        "structure": {
            "boards": [
                {
                    "kind": "journey-map",
                    "title": "Customer journey map",
                    "personas": [{**DEFAULT_PERSONA, "color": "#6d5dfc"}],
                    "stages": JOURNEY_STAGES,
                    "lanes": JOURNEY_LANES,
                }
            ],
            # Writing in cells and scoring the curve happen together, then the room talks.
            "agenda": [
                {"phase": "write", "minutes": 12},
                {"phase": "discuss", "minutes": 15},
                {"phase": "wrap-up", "minutes": 5},
            ],
        },
    },
    {
        # The decisions app draws this board: opportunities from the other boards'
        # notes, scored on customer impact and business value, turned into actions.
        "slug": "prioritisation",
        "name": "Prioritisation matrix",
        "description": "Opportunities from your notes, scored by everyone on customer impact and business "
        "value (a live 2x2 matrix), the top ones turned into actions with owners and due dates.",
        "structure": {
            "boards": [{"kind": "prioritisation", "title": "Prioritisation"}],
            "agenda": [{"phase": "discuss", "minutes": 20}, {"phase": "wrap-up", "minutes": 5}],
        },
    },
]


def ensure_builtin_templates(template_model=None, using="default"):
    """Creates or refreshes the built-in templates; safe to run any number of times.

    Only rows without a team are touched: a team's own copies stay as the team
    left them. `template_model` is the historical model when called from
    post_migrate (the schema as migrated so far), the current one otherwise.
    """
    if template_model is None:
        from boards.models import Template as template_model

    Template = template_model
    for spec in BUILTIN_TEMPLATES:
        Template.objects.using(using).update_or_create(
            team=None,
            slug=spec["slug"],
            defaults={
                "name": spec["name"],
                "description": spec["description"],
                "structure": spec["structure"],
            },
        )
