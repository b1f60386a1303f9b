"""Engines: the same per-document function (:meth:`cleaner.pipeline.Cleaner.clean`) run
on one core, on every core, or on a Dask cluster.

* :mod:`~cleaner.engines.outcome`: one unit's outcome, as every engine hands it back.
* :mod:`~cleaner.engines.local`: a pool of worker processes, outcomes in input order.
* :mod:`~cleaner.engines.shards`: shards of input files, part files, completion markers.
* :mod:`~cleaner.engines.dask`: the shards on a Dask cluster.
* :mod:`~cleaner.engines.run`: a whole run, to one output or to a directory of parts.
* :mod:`~cleaner.engines.stats`: a run's counts.
"""
