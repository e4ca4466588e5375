"""Production settings plus the floor: the benchmark's trivial page."""

from jel.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
