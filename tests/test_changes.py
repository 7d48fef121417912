"""changes: what each review says of a sector, for the text comparison."""

from dashboard import changes


def test_each_review_is_a_column_oldest_first_with_its_passages_and_tasks(ds):
    old, new = changes.review_sides(ds, "digital-transformation")
    assert (old.source.reviewed_year, new.source.reviewed_year) == (2023, 2024)
    # 2023 states no passage on it but sets three tasks; 2024 has a passage and sets none
    assert (len(old.passages), len(old.tasks), len(new.passages), len(new.tasks)) == (0, 3, 1, 0)
    assert all(p.source == old.source.id and p.sector == "digital-transformation" for p in old.tasks)
    assert old.says_in_words and new.says_in_words


def test_a_review_silent_on_a_sector_says_nothing_in_words(ds):
    _, postal_2024 = changes.review_sides(ds, "postal")
    assert not postal_2024.says_in_words


def test_figures_alone_are_not_words(ds):
    """The text comparison shows passages and tasks: a review that only gives figures says nothing there."""
    side = changes.review_sides(ds, "institutions")[0]
    figures_only = changes.ReviewSide(side.source, side.figures, passages=[], tasks=[])
    assert figures_only.mentions and not figures_only.says_in_words
