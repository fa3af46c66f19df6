"""District boundaries: read the shipped GeoJSON and place a point in a district.

The polygons are approximate (6 to 12 corners each, drawn around each district's real
position); they tile Lampang roughly, with small gaps and no intended overlap. Where two
polygons do overlap, the first containing one in code order wins.

Point-in-polygon is the even-odd ray-casting test written out below rather than shapely:
thirteen small rings need a dozen lines, not a compiled GEOS dependency."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_DISTRICTS_FILE = Path(__file__).resolve().parent / "data" / "lampang-districts.geojson"

Ring = Sequence[Sequence[float]]  # GeoJSON order: [[longitude, latitude], ...]


def point_in_ring(longitude: float, latitude: float, ring: Ring) -> bool:
    """True when the point is inside the ring (even-odd rule; a closing point is optional)."""
    inside = False
    count = len(ring)
    for index in range(count):
        x1, y1 = ring[index][0], ring[index][1]
        x2, y2 = ring[index - 1][0], ring[index - 1][1]
        # Does the edge cross the horizontal ray going east from the point?
        if (y1 > latitude) != (y2 > latitude):
            crossing = x1 + (latitude - y1) * (x2 - x1) / (y2 - y1)
            if longitude < crossing:
                inside = not inside
    return inside


@dataclass(frozen=True)
class DistrictShape:
    code: str
    name_th: str
    name_en: str
    ring: list[list[float]]


def read_districts(path: Path | str = DEFAULT_DISTRICTS_FILE) -> list[DistrictShape]:
    """The districts of a GeoJSON FeatureCollection of Polygons with properties code, name_th
    and name_en (the outer ring only)."""
    with open(path, encoding="utf-8-sig") as file:
        document = json.load(file)
    shapes = []
    for feature in document["features"]:
        properties = feature["properties"]
        geometry = feature["geometry"]
        if geometry["type"] != "Polygon":
            raise ValueError(f"district {properties.get('code')}: only Polygons are supported")
        shapes.append(
            DistrictShape(
                code=str(properties["code"]),
                name_th=properties["name_th"],
                name_en=properties.get("name_en", ""),
                ring=[[float(x), float(y)] for x, y, *_ in geometry["coordinates"][0]],
            )
        )
    return shapes


class DistrictLocator:
    """Find the district a point is in, among rings given in priority order."""

    def __init__(self, districts: Iterable[tuple[Any, Ring]]) -> None:
        self._shapes = []
        for key, ring in districts:
            if len(ring) < 3:
                continue
            xs = [point[0] for point in ring]
            ys = [point[1] for point in ring]
            self._shapes.append((key, ring, min(xs), max(xs), min(ys), max(ys)))

    def locate(self, latitude: float, longitude: float) -> Any:
        """The key of the first district containing the point, else None."""
        for key, ring, west, east, south, north in self._shapes:
            if (
                west <= longitude <= east
                and south <= latitude <= north
                and point_in_ring(longitude, latitude, ring)
            ):
                return key
        return None
