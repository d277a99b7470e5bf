"""Demo reporting cycles (see coalition.demo). Filled by the reporting work."""


def load(*, users: dict) -> None:
    return None
