"""The template editor page's form: a template structure as plain text fields, and back.

Sections are written one a line as "Title | prompt", persona details as
"field: value", the agenda as "phase minutes". Keys of existing sections are
kept when their title is unchanged; anything else a board holds (a journey
map's stages, ...) is carried over untouched. team_templates.clean_structure
checks the result.
"""

from boards.errors import Invalid


def _lines(text) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _persona_of(board: dict) -> dict:
    if board.get("persona"):
        return board["persona"]
    return (board.get("personas") or [{}])[0]


def form_from_structure(structure: dict, post=None) -> dict:
    """The editor's fields for a structure (or, after an error, as the user typed them)."""
    boards = []
    for i, board in enumerate(structure.get("boards", [])):
        persona = _persona_of(board)
        fields = {
            "kind": board.get("kind", ""),
            "title": board.get("title", ""),
            "sections": "\n".join(
                f"{s['title']} | {s['prompt']}" if s.get("prompt") else s["title"]
                for s in board.get("sections", [])
            ),
            "persona_name": persona.get("name", ""),
            "persona_details": "\n".join(f"{k}: {v}" for k, v in persona.get("details", {}).items()),
        }
        if post is not None:
            fields = {key: post.get(f"b{i}-{key}", value) for key, value in fields.items()}
        boards.append({"index": i, **fields})
    agenda = "\n".join(f"{step['phase']} {step['minutes']}" for step in structure.get("agenda", []))
    return {"boards": boards, "agenda": post.get("agenda", agenda) if post is not None else agenda}


def structure_from_form(post, old: dict) -> dict:
    """The structure the editor's fields describe, starting from the template's current one."""
    boards = []
    for i, old_board in enumerate(old.get("boards", [])):
        old_keys = {s["title"]: s["key"] for s in old_board.get("sections", [])}
        sections = []
        for line in _lines(post.get(f"b{i}-sections")):
            title, _, prompt = line.partition("|")
            section = {"title": title.strip(), "prompt": prompt.strip()}
            if title.strip() in old_keys:
                section["key"] = old_keys[title.strip()]
            sections.append(section)
        details = {}
        for line in _lines(post.get(f"b{i}-persona_details")):
            field, sep, value = line.partition(":")
            if not sep:
                raise Invalid(f"Persona details are written one a line as 'field: value' (not {line!r}).")
            details[field.strip()] = value.strip()
        persona = {**_persona_of(old_board), "name": post.get(f"b{i}-persona_name", ""), "details": details}
        board = {
            **old_board,
            "kind": post.get(f"b{i}-kind", old_board.get("kind")),
            "title": post.get(f"b{i}-title", old_board.get("title", "")),
            "sections": sections,
        }
        if old_board.get("personas"):
            board["personas"] = [persona, *old_board["personas"][1:]]
        else:
            board["persona"] = persona
        boards.append(board)
    agenda = []
    for line in _lines(post.get("agenda")):
        phase, _, minutes = line.partition(" ")
        try:
            agenda.append({"phase": phase.strip(), "minutes": int(minutes.strip() or 0)})
        except ValueError:
            raise Invalid(f"Agenda steps are written one a line as 'phase minutes' (not {line!r}).") from None
    return {**old, "boards": boards, "agenda": agenda}
