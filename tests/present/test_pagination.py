"""pagination: the By sector tab's charts a page at a time, no sector silently left out."""

from dashboard.present import pagination


def test_every_chart_fits_one_page_with_every_sector_named(ds):
    sectors = list(ds.sectors)
    assert pagination.page_count(ds, sectors) == 1
    page = pagination.chart_page(ds, sectors, 1)
    assert (page.first, page.last, page.total) == (1, 17, 17)
    assert [sector for sector, _ in page.sections] == sectors  # the chosen order, sectors without figures too
    assert dict(page.sections)["postal"] == []
    assert [ind.id for ind in dict(page.sections)["party-building"]] == \
        [ind.id for ind in ds.indicators_by_sector["party-building"]]


def test_pages_split_the_charts_and_name_only_their_own_sectors(ds):
    sectors = list(ds.sectors)
    assert pagination.page_count(ds, sectors, size=5) == 4
    assert pagination.page_count(ds, ["postal"], size=5) == 1  # no charts is still one page
    first = pagination.chart_page(ds, sectors, 1, size=5)
    # the five institutions charts, and the sectors with no figures at all, named once, on page 1
    assert [(s, len(inds)) for s, inds in first.sections] == [
        ("whole-sector", 0), ("institutions", 5), ("postal", 0), ("digital-infrastructure", 0), ("press-media", 0)]
    last = pagination.chart_page(ds, sectors, 4, size=5)
    assert (last.first, last.last, last.total) == (16, 17, 17)
    assert [(s, len(inds)) for s, inds in last.sections] == [("party-building", 2)]


def test_a_sector_split_across_pages_is_named_on_each(ds):
    pages = [pagination.chart_page(ds, ["institutions"], n, size=2) for n in (1, 2, 3)]
    assert [[(s, len(inds)) for s, inds in page.sections] for page in pages] == [
        [("institutions", 2)], [("institutions", 2)], [("institutions", 1)]]
    assert [(page.first, page.last) for page in pages] == [(1, 2), (3, 4), (5, 5)]
