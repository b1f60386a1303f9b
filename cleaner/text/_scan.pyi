from collections.abc import Mapping

def scan(
    words: list[str], classes: Mapping[str, int], last_n: int
) -> tuple[int, int, int, list[tuple[int, int]]]: ...
