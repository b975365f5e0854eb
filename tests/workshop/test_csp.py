"""The Content-Security-Policy (django-csp): on every response, and no template needs it loosened."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from rest_framework.test import APIClient

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered for WeasyPrint on the server, never by a browser.
SERVER_ONLY = {"boards/summary_document.html"}


def policy(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return dict((part.strip().split(" ", 1) + [""])[:2] for part in header.split(";") if part.strip())


@pytest.fixture
def workshop(maya, maya_team):
    from boards.builtin_templates import ensure_builtin_templates
    from boards.models import Template
    from boards.workshops import create_workshop

    ensure_builtin_templates()
    return create_workshop(maya, maya_team, "E-bike", Template.objects.get(team=None, slug="journey-map"))


@pytest.fixture
def board(workshop):
    return workshop.boards.get()


@pytest.fixture
def pages(workshop, board, maya):
    return [
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password_reset/",
        "/",
        "/t/",
        f"/w/{workshop.id}/",
        f"/b/{board.id}/",
        f"/w/{workshop.id}/summary/",
        f"/j/{workshop.join_code}",
        "/j/",
        "/admin/login/",
        "/no-such-page/",
        "/api/v1/workshops/",
        "/api/v1/nothing/",
        "/healthz",
    ]


def test_every_page_has_a_strict_policy(client, maya, pages):
    client.force_login(maya)
    for path in pages:
        response = client.get(path)
        assert response.status_code < 500, path
        assert "Content-Security-Policy" in response, (path, response.status_code)
        directives = policy(response)
        assert directives["script-src"] == "'self'", path
        assert directives["style-src"] == "'self'", path
        assert directives["default-src"] == "'self'", path
        assert directives["object-src"] == "'none'", path
        assert directives["frame-ancestors"] == "'none'", path


def test_api_responses_have_it_too(maya_token, board):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {maya_token}")
    assert policy(client.get(f"/api/v1/boards/{board.id}/"))["script-src"] == "'self'"


def test_the_api_docs_page_loosens_styles_only(client):
    response = client.get("/api/v1/docs/")
    directives = policy(response)
    assert directives["script-src"] == "'self'"
    assert "unsafe-inline" in directives["style-src"]
    # Served from our own static files, not a CDN.
    body = response.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js" in body
    assert "http" not in body.replace('href="data:,"', "")


def template_files():
    return sorted(p for p in TEMPLATES.rglob("*.html") if str(p.relative_to(TEMPLATES)) not in SERVER_ONLY)


@pytest.mark.parametrize("path", template_files(), ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_no_template_has_inline_script_style_or_handlers(path):
    text = path.read_text()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text), "inline <script>"
    assert "<style" not in text, "inline <style>"
    assert not re.search(r"\sstyle=", text), "style attribute"
    assert not re.search(r"\son[a-z]+=", text), "inline event handler"
    assert "javascript:" not in text
