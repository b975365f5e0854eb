"""Local analysis of notes, offered as suggestions: sentiment hints and suggested clusters.

Everything runs in this process with models that ship inside the packages
(VADER's lexicon in vaderSentiment, TF-IDF and agglomerative clustering in
scikit-learn): no note leaves the server. Both work on English text only; on
other languages VADER scores most words as neutral and the clusters follow
shared words, so the page says "English only".

Pure functions of a board snapshot (as the asking person may see it), so
the page, the REST API and the summary agree.
"""

import hashlib
import re
from functools import lru_cache

LANGUAGE = "en"
# VADER's own thresholds for its compound score (its README).
NEGATIVE_BELOW = -0.05
POSITIVE_ABOVE = 0.05
# Two notes are grouped when their TF-IDF vectors are closer than this (cosine
# distance, average linkage); tuned on workshop-like notes so that "the estimate
# was wrong" and "wrong estimate again" meet and unrelated pains do not.
DISTANCE_THRESHOLD = 0.85
MAX_GROUP_TITLE_WORDS = 3


@lru_cache(maxsize=1)
def _analyzer():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def sentiment(text: str) -> float:
    """VADER's compound score of a text, from -1 (most negative) to +1."""
    return _analyzer().polarity_scores(text)["compound"] if text.strip() else 0.0


def label(compound: float) -> str:
    if compound <= NEGATIVE_BELOW:
        return "negative"
    if compound >= POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def sentiment_hints(notes: list[dict]) -> list[dict]:
    """{id, compound, label} for each note with text, in the notes' order."""
    hints = []
    for note in notes:
        if note.get("text", "").strip():
            compound = round(sentiment(note["text"]), 3)
            hints.append({"id": note["id"], "compound": compound, "label": label(compound)})
    return hints


def most_negative(notes: list[dict], limit: int = 5) -> list[dict]:
    """The notes VADER scores most negative (below its neutral band), most negative first."""
    hints = {h["id"]: h for h in sentiment_hints(notes)}
    negative = [(hints[n["id"]]["compound"], n) for n in notes if n["id"] in hints]
    negative = [(c, n) for c, n in negative if c <= NEGATIVE_BELOW]
    negative.sort(key=lambda pair: (pair[0], pair[1]["id"]))
    return [{**n, "compound": c} for c, n in negative[:limit]]


# --- suggested clusters ------------------------------------------------------------------


def note_fingerprint(note: dict) -> str:
    """What must not change between a suggestion and its acceptance: text and group."""
    raw = f"{note['id']}\x00{note.get('text', '')}\x00{note.get('cluster')}"
    return hashlib.sha256(raw.encode()).hexdigest()[:16]


def _candidates(notes: list[dict]) -> list[dict]:
    # Notes already in a group were grouped by a person; suggestions are for the rest.
    return [
        n
        for n in notes
        if not n.get("private") and n.get("cluster") is None and re.search(r"\w", n.get("text", ""))
    ]


def suggest_clusters(notes: list[dict]) -> list[dict]:
    """Groups of similar ungrouped notes: [{title, note_ids}], biggest first.

    TF-IDF over words and word pairs (English stop words removed), then
    agglomerative clustering on cosine distance with a distance threshold, so
    the number of groups follows the notes. Notes left alone are not suggested.
    """
    notes = _candidates(notes)
    if len(notes) < 2:
        return []
    import numpy as np
    from sklearn.cluster import AgglomerativeClustering
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", ngram_range=(1, 2), sublinear_tf=True, min_df=1)
    try:
        matrix = vectorizer.fit_transform([n["text"] for n in notes])
    except ValueError:  # only stop words: nothing to compare
        return []
    # Notes with no word left after stop words cannot be compared; they stay alone.
    has_words = np.asarray(matrix.getnnz(axis=1)).ravel() > 0
    index = np.flatnonzero(has_words)
    if len(index) < 2:
        return []
    dense = matrix[index].toarray()
    labels = AgglomerativeClustering(
        n_clusters=None, metric="cosine", linkage="average", distance_threshold=DISTANCE_THRESHOLD
    ).fit_predict(dense)
    terms = vectorizer.get_feature_names_out()
    groups = []
    for group in sorted(set(labels)):
        members = index[labels == group]
        if len(members) < 2:
            continue
        centroid = np.asarray(matrix[members].mean(axis=0)).ravel()
        top = [terms[i] for i in centroid.argsort()[::-1] if centroid[i] > 0]
        title = _title(top)
        groups.append({"title": title, "note_ids": [notes[i]["id"] for i in members]})
    groups.sort(key=lambda g: (-len(g["note_ids"]), g["note_ids"][0]))
    return groups


def _title(terms: list[str]) -> str:
    words: list[str] = []
    for term in terms:
        for word in term.split():
            if word not in words:
                words.append(word)
        if len(words) >= MAX_GROUP_TITLE_WORDS:
            break
    return " ".join(words[:MAX_GROUP_TITLE_WORDS]).capitalize()


def suggestion_fingerprints(notes: list[dict], groups: list[dict]) -> dict[str, str]:
    by_id = {n["id"]: n for n in notes}
    return {str(i): note_fingerprint(by_id[i]) for g in groups for i in g["note_ids"]}
