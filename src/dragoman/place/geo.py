"""Small geometry helpers."""

from __future__ import annotations

import math
from collections.abc import Iterable


def weighted_centroid(points: Iterable[tuple[float, float, float]]) -> tuple[float, float] | None:
    """The centre of ``(lat, lon, weight)`` points, averaged on the sphere.

    Averaging unit vectors keeps places either side of the antimeridian together.
    Returns None when there are no points or no weight.
    """
    x = y = z = total = 0.0
    for lat, lon, weight in points:
        weight = max(weight, 1.0)
        phi, lam = math.radians(lat), math.radians(lon)
        x += weight * math.cos(phi) * math.cos(lam)
        y += weight * math.cos(phi) * math.sin(lam)
        z += weight * math.sin(phi)
        total += weight
    if total == 0.0:
        return None
    x, y, z = x / total, y / total, z / total
    lat = math.degrees(math.atan2(z, math.hypot(x, y)))
    lon = math.degrees(math.atan2(y, x))
    return round(lat, 4), round(lon, 4)
