"""District polygons: the shipped file and the point-in-polygon test."""

from __future__ import annotations

import json

import pytest

from participation.environment.geo import (
    DEFAULT_DISTRICTS_FILE,
    DistrictLocator,
    point_in_ring,
    read_districts,
)

SQUARE = [[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]]


@pytest.mark.parametrize(
    ("point", "inside"),
    [((5, 5), True), ((0.1, 9.9), True), ((11, 5), False), ((-1, 5), False), ((5, 10.5), False)],
)
def test_point_in_ring_on_a_square(point, inside):
    assert point_in_ring(*point, SQUARE) is inside


def test_point_in_ring_on_a_concave_ring():
    # A "C" shape: the notch on the right is outside.
    ring = [[0, 0], [10, 0], [10, 3], [3, 3], [3, 7], [10, 7], [10, 10], [0, 10]]
    assert point_in_ring(1, 5, ring)
    assert not point_in_ring(6, 5, ring)


def locator():
    return DistrictLocator((shape.code, shape.ring) for shape in read_districts())


@pytest.mark.parametrize(
    ("latitude", "longitude", "code"),
    [
        (18.2888, 99.4908, "5201"),  # Mueang Lampang, the city
        (19.15, 99.60, "5207"),  # Wang Nuea
        (17.60, 99.20, "5208"),  # Thoen
        (18.40, 99.80, "5202"),  # Mae Mo
        (17.40, 99.10, "5209"),  # Mae Phrik
    ],
)
def test_a_point_is_placed_in_its_district(latitude, longitude, code):
    assert locator().locate(latitude, longitude) == code


@pytest.mark.parametrize(("latitude", "longitude"), [(18.79, 98.99), (13.75, 100.50)])
def test_a_point_outside_the_province_is_in_no_district(latitude, longitude):
    """Chiang Mai city and Bangkok."""
    assert locator().locate(latitude, longitude) is None


def test_the_shipped_file_has_lampangs_thirteen_districts_labelled_approximate():
    document = json.loads(DEFAULT_DISTRICTS_FILE.read_text(encoding="utf-8"))
    assert "APPROXIMATE" in document["description"]
    assert all(feature["properties"]["approximate"] for feature in document["features"])
    shapes = read_districts()
    assert [shape.code for shape in shapes] == [f"52{n:02d}" for n in range(1, 14)]
    assert all(6 <= len(shape.ring) - 1 <= 12 for shape in shapes)
    assert {shape.name_en for shape in shapes} >= {"Mueang Lampang", "Ngao", "Mueang Pan"}
