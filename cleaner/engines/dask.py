"""The Dask engine: the same shards, cleaned on a Dask cluster.

Inputs are split into shards by file (:func:`cleaner.engines.shards.plan_shards`); a ``dask.bag``
with one partition per shard maps :func:`cleaner.engines.shards.clean_shard` over them on a
``dask.distributed`` cluster: the one at ``scheduler`` when given, else a
``LocalCluster`` of worker processes on this machine. Each shard writes its own part
files and completion marker in the output directory, exactly as the local engine does,
so the two give the same files, and ``--resume`` works across both.

The workers need the ``cleaner`` package (the ``indonews-cleaner`` distribution with its
``dask`` extra: ``pip install '.[dask]'`` in a clone) and must see the input and output
paths (a shared file system).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

from cleaner.config import CleanerConfig
from cleaner.engines.learn import CountPart, RepeatCounter, combine
from cleaner.engines.local import learning_text
from cleaner.engines.shards import Shard, clean_shard, shard_units
from cleaner.errors import CleanerError
from cleaner.pipeline import Cleaner
from cleaner.rules.repeats import SiteRepeats

_CONFIGS: dict[str, CleanerConfig] = {}


def _config(config_json: str) -> CleanerConfig:
    config = _CONFIGS.get(config_json)
    if config is None:
        config = _CONFIGS.setdefault(config_json, CleanerConfig.model_validate_json(config_json))
    return config


def _task(shard: Shard, config_json: str, out_dir: str, settings: str) -> dict[str, Any]:
    """What a Dask worker runs for one shard."""
    return clean_shard(shard, _config(config_json), Path(out_dir), settings)


def _count_task(shard: Shard, config_json: str, out_dir: str) -> CountPart:
    """What a Dask worker runs for one shard in the learning pass: its counts, left in
    the output directory (which the client reads back)."""
    config = _config(config_json)
    cleaner = Cleaner(config)
    counter = RepeatCounter(config.learn, Path(out_dir) / f".learn-{shard.name}")
    for unit in shard_units(shard, config):
        if (found := learning_text(unit, cleaner)) is not None:
            counter.add(found[0], found[1].split("\n"))
    return counter.partial()


def learn_on_dask(
    shards: list[Shard],
    config: CleanerConfig,
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int = 1,
) -> SiteRepeats:
    """The learning pass on Dask, as a reduction: each shard's counts on a worker, then
    combined here in shard order (the same table as one process makes)."""
    if not shards:
        return SiteRepeats.empty()
    with dask_client(scheduler, workers) as client:
        futures = [
            client.submit(_count_task, shard, config.model_dump_json(), str(out_dir), pure=False)
            for shard in shards
        ]
        parts: list[CountPart] = client.gather(futures)
    try:
        return combine(parts)
    finally:
        for part in parts:
            part.discard()


@contextmanager
def dask_client(scheduler: str | None, workers: int) -> Iterator[Any]:
    """A client of the cluster at ``scheduler``, else of a ``LocalCluster`` of ``workers``
    processes; closed (with the local cluster) on leaving."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise CleanerError("the Dask engine needs Dask: pip install '.[dask]'") from None
    cluster: Any = None
    try:
        if scheduler:
            client = Client(scheduler, timeout="30s")
        else:
            cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
            )
            client = Client(cluster)
    except OSError as exc:
        raise CleanerError(f"cannot reach the Dask scheduler {scheduler}: {exc}") from None
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


T = TypeVar("T")
R = TypeVar("R")


def on_client(
    client: Any, func: Callable[[list[T]], list[R]]
) -> Callable[[list[T]], Callable[[], list[R]]]:
    """:func:`cleaner.engines.local.ordered_map`'s ``submit`` for a Dask client."""
    return lambda batch: client.submit(func, batch, pure=False).result


def run_dask(
    shards: list[Shard],
    config: CleanerConfig,
    out_dir: Path,
    *,
    scheduler: str | None = None,
    workers: int = 1,
    settings: str = "",
    on_done: Callable[[dict[str, Any]], None] | None = None,
) -> list[dict[str, Any]]:
    """Clean ``shards`` on Dask; returns each shard's stats, in shard order. ``settings``
    goes into each shard's marker (:func:`~cleaner.engines.shards.settings_key`)."""
    if not shards:
        return []
    with dask_client(scheduler, workers) as client:
        import dask.bag as db
        from dask.distributed import as_completed

        bag = db.from_sequence(shards, npartitions=len(shards)).map(
            _task, config.model_dump_json(), str(out_dir), settings
        )
        futures = client.compute(bag.to_delayed())
        results: dict[int, list[dict[str, Any]]] = {}
        index = {future.key: i for i, future in enumerate(futures)}
        for future in as_completed(futures):
            stats = future.result()
            results[index[future.key]] = stats
            for shard_stats in stats:
                if on_done is not None:
                    on_done(shard_stats)
        return [s for i in range(len(futures)) for s in results[i]]
