"""Demo cycles: a past cycle of each type this school year, with visits and debriefs."""


def seed_cycles(*, school, stdout=None):
    return None
