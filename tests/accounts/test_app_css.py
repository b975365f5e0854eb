"""static/css/app.css is shared: board pages rely on these custom properties."""

import re
from pathlib import Path

import pytest

CSS = (Path(__file__).resolve().parents[2] / "static" / "css" / "app.css").read_text()
ROOT = re.search(r":root\s*{(.*?)}", CSS, re.S).group(1)


@pytest.mark.parametrize(
    "name",
    [
        "--accent",
        "--bg",
        "--surface",
        "--text",
        "--muted",
        "--border",
        "--radius",
        "--shadow",
        "--note-yellow",
        "--note-pink",
        "--note-blue",
        "--note-green",
        "--note-orange",
        "--note-purple",
    ],
)
def test_it_defines_the_shared_variable(name):
    assert re.search(rf"^\s*{name}\s*:", ROOT, re.M), f"{name} missing from :root"
