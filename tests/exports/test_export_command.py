"""manage.py export_workshop <id> --format ... -o FILE"""

import json

import pytest
from django.core.management import CommandError, call_command


@pytest.mark.parametrize("fmt", ["md", "csv", "json", "pdf"])
def test_it_writes_each_format(workshop, tmp_path, fmt):
    out = tmp_path / f"out.{fmt}"
    call_command("export_workshop", workshop.id, "--format", fmt, "-o", str(out))
    assert out.stat().st_size > 0


def test_json_with_ops(workshop, tmp_path):
    out = tmp_path / "out.json"
    call_command("export_workshop", workshop.id, "--format", "json", "--ops", "-o", str(out))
    assert "ops" in json.loads(out.read_text())


def test_without_o_it_uses_the_exports_own_name(workshop, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    call_command("export_workshop", workshop.id, "--format", "md")
    assert [p.name for p in tmp_path.iterdir()] == [
        f"resonance-first-time-e-bike-owner-{workshop.created_at.date().isoformat()}.md"
    ]


def test_it_refuses_an_unknown_workshop(db):
    with pytest.raises(CommandError, match="No workshop 999"):
        call_command("export_workshop", 999, "--format", "md", "-o", "/dev/null")
