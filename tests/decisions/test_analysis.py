"""Local analysis: VADER hints and suggested clusters, pure functions first."""

from decisions.analysis import label, most_negative, sentiment_hints, suggest_clusters


def _notes(*texts, cluster=None):
    return [{"id": i + 1, "text": t, "cluster": cluster, "private": False} for i, t in enumerate(texts)]


def test_hints_mark_negative_and_positive_notes():
    hints = sentiment_hints(_notes("Waiting is awful", "The staff were friendly and helpful", "Monday", ""))
    assert [h["label"] for h in hints] == ["negative", "positive", "neutral"]
    assert label(-0.5) == "negative" and label(0.0) == "neutral"


def test_most_negative_notes_come_first():
    worst = most_negative(_notes("Fine", "Bad service", "Terrible, awful, horrible wait", "Great"))
    assert [n["id"] for n in worst] == [3, 2]


def test_similar_notes_are_suggested_together():
    groups = suggest_clusters(
        _notes(
            "The estimate was wrong twice",
            "Wrong estimate again",
            "I never know when the bike is ready",
            "No idea when my bike is ready",
            "Staff were friendly",
        )
    )
    assert sorted(sorted(g["note_ids"]) for g in groups) == [[1, 2], [3, 4]]
    assert all(g["title"] for g in groups)


def test_grouped_private_and_empty_notes_are_left_out():
    notes = _notes("Wrong estimate", "Wrong estimate again", "wrong estimate", "")
    notes[0]["cluster"] = 7
    notes[1]["private"] = True
    assert suggest_clusters(notes) == []
    assert suggest_clusters(_notes("the and of", "is a the")) == []
