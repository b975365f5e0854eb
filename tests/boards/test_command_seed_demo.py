"""`manage.py seed_demo`: what `make run` loads, any number of times."""

from django.contrib.auth import authenticate
from django.core.management import call_command
from django.test import RequestFactory

from boards.curve import emotion_curve
from boards.models import Note, Op, Workshop
from boards.state import board_snapshot


def test_it_loads_a_demo_login_and_two_workshops_once(db):
    call_command("seed_demo")
    call_command("seed_demo")
    # django-axes (accounts/lockout.py) needs the request a log-in comes with.
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="maya", password="resonance-demo") is not None
    titles = sorted(Workshop.objects.values_list("title", flat=True))
    assert titles == ["E-bike repair journey", "First-time e-bike owner"]
    empathy = Workshop.objects.get(title="First-time e-bike owner").boards.get()
    assert Note.objects.filter(board=empathy).count() == 5


def test_the_demo_journey_has_a_curve_with_its_low_at_wait(db):
    call_command("seed_demo")
    board = Workshop.objects.get(title="E-bike repair journey").boards.get()
    snapshot = board_snapshot(board.id)
    assert [s["title"] for s in snapshot["stages"]][:2] == ["Notice a problem", "Book"]
    sam = next(p for p in snapshot["personas"] if p["name"] == "Sam")
    curve = emotion_curve(snapshot, sam["id"])
    assert curve["moments_of_truth"] == ["wait"]
    wait = next(point for point in curve["stages"] if point["stage"] == "wait")
    assert (wait["count"], round(wait["mean"], 2)) == (3, -2.33)
    seqs = list(Op.objects.filter(board=board).values_list("seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1))
