"""Date expressions in news prose, resolved against the publication date."""

from datetime import date

import pytest

from counterclaim.dates import default_date, find_dates, infer_published

PUB = date(2025, 2, 8)  # a Saturday


@pytest.mark.parametrize(
    ("text", "value", "precision"),
    [
        ("the ministry said on Friday that", "2025-02-07", "day"),
        ("the ministry said on Saturday that", "2025-02-08", "day"),
        ("On November 20, the general reported", "2024-11-20", "day"),
        ("on Nov. 20 the general reported", "2024-11-20", "day"),
        ("on 26 January the ministry claimed", "2025-01-26", "day"),
        ("as of July 30, 2023, the town", "2023-07-30", "day"),
        ("since last April", "2024-04", "month"),
        ("the fall of the city in May 2023", "2023-05", "month"),
        ("Russia said in 2022 it had annexed", "2022", "year"),
        ("yesterday the spokesman said", "2025-02-07", "day"),
        ("last week the brigade withdrew", "2025-02", "month"),
        ("published 25.02.2024", "2024-02-25", "day"),
    ],
)
def test_date_expressions_resolve_against_publication(text, value, precision):
    found = find_dates(text, PUB)
    assert [(d.value, d.precision) for d in found] == [(value, precision)]


@pytest.mark.parametrize("text", ["Russia may take the town", "the 110th brigade", "1,376 square km"])
def test_words_that_are_not_dates(text):
    assert find_dates(text, PUB) == []


def test_unknown_publication_date_leaves_relative_dates_unresolved():
    assert find_dates("on Friday the ministry said", None) == []
    assert default_date(None) == (None, None)


def test_default_date_is_the_publication_month():
    assert default_date(PUB) == ("2025-02", "month")


def test_published_date_inferred_from_a_byline():
    assert infer_published("World\n\n02 October 2024 - 10:25 By Reuters\nText") == date(2024, 10, 2)
