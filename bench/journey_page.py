"""The journey page in Chromium at workshop scale (issue #14's targets).

    .venv/bin/python bench/journey_page.py [--notes 2000] [--scorers 30] [--runs 10]

A journey map with `--notes` notes spread over its cells and `--scorers` people
who each scored every stage (as-is, one persona), on a real daphne with SQLite.
The facilitator's page is open in Chromium (/usr/bin/chromium). Measured in the page
with performance.now():

- **op drawn**: another person adds a note (REST op); from the moment the page's
  sync applies the op (its `op` event) to the moment the note's text is in the DOM.
- **"+" to editable**: from the click on a cell's "+" to the focus landing in the
  new note's editable text.

Prints a Markdown table of medians and maxima; targets: 50 ms and 100 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.servers import run_manage, sqlite_url, start_server  # noqa: E402

SEED = """
import json
from django.contrib.auth import get_user_model
from rest_framework.authtoken.models import Token
from accounts.models import Membership, Role, Team
from boards.builtin_templates import ensure_builtin_templates
from boards.models import Template
from boards.ops import apply_op_request
from boards.workshops import create_workshop, join_workshop
ensure_builtin_templates()
user = get_user_model().objects.create_user("maya", password="bench-password-1")
team = Team.objects.create(name="Bench")
Membership.objects.create(team=team, user=user, role=Role.OWNER)
workshop = create_workshop(user, team, "Bench journey", Template.objects.get(team__isnull=True, slug="journey-map"))
board = workshop.boards.get()
maya = workshop.participants.get(user=user)
stages = list(board.stages.values_list("key", flat=True))
lanes = list(board.lanes.filter(kind="notes").values_list("key", flat=True))
persona = board.personas.get().id
for i in range({notes}):
    apply_op_request(board.id, maya.id, "note.add", {{"stage": stages[i % len(stages)], "lane": lanes[(i // len(stages)) % len(lanes)], "text": f"Note number {{i:04d}}"}})
people = [join_workshop(workshop.join_code, f"Scorer {{n}}") for n in range({scorers})]
for n, p in enumerate(people):
    for k, stage in enumerate(stages):
        apply_op_request(board.id, p.id, "emotion.set", {{"stage": stage, "persona": persona, "score": (n + k) % 7 - 3}})
print(json.dumps({{"board": board.id, "token": people[0].token}}))
"""


def post_op(base, board, token, kind, data):
    request = urllib.request.Request(
        f"{base}/api/v1/boards/{board}/ops/",
        data=json.dumps({"op": kind, "data": data}).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Token {token}"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def main(argv=None):
    parser = argparse.ArgumentParser()
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--scorers", type=int, default=30)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args(argv)
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = sqlite_url(Path(tmp) / "db.sqlite3")
        run_manage(db, "migrate", "--no-input")
        started = time.monotonic()
        out = run_manage(
            db, "shell", "--no-imports", "-c", SEED.format(notes=args.notes, scorers=args.scorers)
        )
        seeded = json.loads(out.stdout.strip().splitlines()[-1])
        print(f"seeded in {time.monotonic() - started:.0f} s", file=sys.stderr)
        server = start_server({"DATABASE_URL": db, "DEBUG": "1"}, log_path=Path(tmp) / "daphne.log")
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path="/usr/bin/chromium")
                page = browser.new_context(viewport={"width": 1440, "height": 1000}).new_page()
                page.goto(f"{server.url}/accounts/login/?next=/b/{seeded['board']}/")
                page.fill("input[name=username]", "maya")
                page.fill("input[name=password]", "bench-password-1")
                page.click("button[type=submit]")
                page.wait_for_selector('[data-connection][data-status="live"]', timeout=60_000)
                page.wait_for_selector(".note", timeout=60_000)
                page.evaluate(
                    """() => {
                      window.__bench = {arrived: null, drawn: {}};
                      window.__resonance.sync.addEventListener('op', () => { window.__bench.arrived = performance.now(); });
                      new MutationObserver(() => {
                        for (const t of document.querySelectorAll('.note-text')) {
                          if (t.textContent.startsWith('Bench ') && !(t.textContent in window.__bench.drawn))
                            window.__bench.drawn[t.textContent] = performance.now() - window.__bench.arrived;
                        }
                      }).observe(document.getElementById('board-app'), {childList: true, subtree: true});
                    }"""
                )
                drawn = []
                for i in range(args.runs):
                    text = f"Bench {i}"
                    post_op(
                        server.url,
                        seeded["board"],
                        seeded["token"],
                        "note.add",
                        {"stage": "buy", "lane": "actions", "text": text},
                    )
                    page.wait_for_function("(t) => t in window.__bench.drawn", arg=text, timeout=30_000)
                    drawn.append(page.evaluate("(t) => window.__bench.drawn[t]", text))
                    page.wait_for_timeout(200)
                plus = []
                for i in range(max(3, args.runs // 2)):
                    ms = page.evaluate(
                        """(i) => new Promise((resolve) => {
                          const t0 = performance.now();
                          const done = (e) => {
                            if (e.target.matches?.('.note-text[contenteditable]')) {
                              document.removeEventListener('focusin', done);
                              resolve(performance.now() - t0);
                            }
                          };
                          document.addEventListener('focusin', done);
                          document.querySelectorAll('.cell[data-stage="use"] .add-note')[i % 3].click();
                        })""",
                        i,
                    )
                    plus.append(ms)
                    page.keyboard.type(f"typed {i}")
                    page.keyboard.press("Enter")
                    page.wait_for_function("() => window.__resonance.sync.waiting === 0", timeout=30_000)
                browser.close()
        finally:
            server.stop()
    print(f"| measure ({args.notes} notes, {args.scorers} scorers) | median ms | max ms | target |")
    print("|---|---:|---:|---|")
    print(f"| op from another person drawn | {statistics.median(drawn):.0f} | {max(drawn):.0f} | 50 ms |")
    print(f'| "+" to editable note | {statistics.median(plus):.0f} | {max(plus):.0f} | 100 ms |')


if __name__ == "__main__":
    main()
