"""changes: what each review says of a sector, for the text comparison."""

from dashboard.core import changes
from dashboard.core.data import load
from tests.conftest import SEED_2024, add_to_review_of_2024, index_of, problems_of, read_yaml, write_yaml


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
    figures_only = changes.ReviewSide(side.source, side.figures, passages=[], tasks=[], mentions=True)
    assert not figures_only.says_in_words


# ------------------------------------------------------------------ silence is searched

def edit_sector(data_dir, sector_id, **fields):
    sectors = read_yaml(data_dir / "sectors.yaml")
    index = index_of(sectors, sector_id)
    sectors[index].update(fields)
    write_yaml(data_dir / "sectors.yaml", sectors)
    return f"record {index + 1} ({sector_id})"


def test_a_sector_said_to_be_silent_fails_to_load_once_the_review_speaks_of_it(project_copy):
    """"Not mentioned" on the page is a search: a sector with nothing curated from a review must have
    search terms, none of which occurs in that review."""
    record = edit_sector(project_copy, "postal", search_terms=["bưu chính"])
    assert load(project_copy)
    add_to_review_of_2024(project_copy, "Bưu chính tiếp tục tăng trưởng.")
    assert problems_of(project_copy) == [
        f"data/sectors.yaml › {record} › search_terms: 'bưu chính' occurs in seeds/{SEED_2024}, "
        "yet nothing of it is curated for this sector: “Bưu chính tiếp tục tăng trưởng.”"
    ]


def test_a_sector_with_nothing_curated_from_a_review_must_say_what_was_searched(project_copy):
    record = edit_sector(project_copy, "postal", search_terms=[])
    assert problems_of(project_copy) == [
        f"data/sectors.yaml › {record} › search_terms: nothing of seeds/{SEED_2024} is curated for this sector: "
        "list the words it would use, so that its silence is searched, not asserted"
    ]


def test_a_review_that_only_answers_an_earlier_task_still_speaks_of_the_sector(project_copy):
    """Its words on a task are curated text of that review: the page must not call it silent on the sector
    (the load's silence check and the page read one rule, `Dataset.curated_pairs`)."""
    from tests.core.test_data import add_review_of_2025

    add_review_of_2025(project_copy)
    ds = load(project_copy)
    # The review of 2025 says of party building only "Các cán bộ đảng viên tiếp tục giữ vững tư tưởng, chính trị.",
    # the words outcome of a task the review of 2024 set.
    side = changes.review_side(ds, "party-building", ds.sources["mic-2025"])
    assert ("party-building", "mic-2025") in ds.curated_pairs
    assert side.mentions and not changes.sector_changes(ds, "party-building", *changes.latest_pair(ds)).sector_dropped
