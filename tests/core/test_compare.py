"""compare: how the page groups the figures it shows."""

from dashboard.core import compare


def test_figures_of_one_passage_are_grouped_under_it_once(ds):
    """The e-government rank's two figures (71/193, and 86 derived from it) come from one passage of one
    review: one quote card, both figures marked in it."""
    [group] = compare.by_quote(compare.observations_of(ds, "egov-rank"))
    assert [(o.year, o.kind) for o in group] == [(2022, "derived"), (2024, "actual")]


def test_the_same_words_in_another_review_are_another_passage(ds):
    """A passage is one review's: the same words quoted from another review get a card of their own,
    in the order the figures come."""
    first, second = compare.observations_of(ds, "egov-rank")
    elsewhere = first.model_copy(update={"source": "mic-2023"})
    groups = compare.by_quote([first, elsewhere, second])
    assert [[o.source for o in group] for group in groups] == [["mic-2024", "mic-2024"], ["mic-2023"]]
