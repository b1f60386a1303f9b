"""``make interrupt``: Ctrl-C and SIGTERM, many times, on a real run with workers.

Each trial starts ``cleaner clean CORPUS -o OUT --workers 2`` in its own process group,
waits a random time (so the signal lands in every phase: start-up, learning, cleaning,
writing), then sends SIGINT to the whole group, as a terminal's Ctrl-C does (every
``--term``-th trial sends SIGTERM to the parent only, as ``kill`` does). A trial passes
when the run exits 130 (143 for SIGTERM) within the deadline, says one line on standard
error with no traceback from any process, and leaves no file in the output directory
(not the output, not a temporary file). This is a measurement, not a test (CI runs four
trials in tests/engines/test_pool.py): it prints a table and the failures.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpora" / "longtail-891.jsonl"


def trial(corpus: Path, out_dir: Path, delay: float, sig: int, deadline: float) -> str | None:
    """One run interrupted after ``delay`` seconds; what went wrong, or ``None``."""
    out_dir.mkdir()
    command = [sys.executable, "-m", "cleaner", "clean", str(corpus), "-o"]
    command += [str(out_dir / "out.jsonl"), "--workers", "2", "-q"]
    proc = subprocess.Popen(
        command,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    time.sleep(delay)
    if proc.poll() is not None:
        return "finished before the signal (use a larger corpus or shorter delays)"
    sent = time.monotonic()
    if sig == signal.SIGINT:
        os.killpg(proc.pid, sig)
    else:
        proc.send_signal(sig)
    try:
        _, err = proc.communicate(timeout=deadline + 30)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()
        return "hung (killed after the deadline + 30 s)"
    took = time.monotonic() - sent
    expected = 130 if sig == signal.SIGINT else 143
    problems = []
    if proc.returncode != expected:
        problems.append(f"exit {proc.returncode}, not {expected}")
    if took > deadline:
        problems.append(f"took {took:.2f} s")
    lines = err.strip().splitlines()
    if len(lines) != 1 or "Traceback" in err:
        problems.append(f"stderr: {err.strip()[-300:]!r}")
    left = sorted(p.name for p in out_dir.iterdir())
    if left:
        problems.append(f"left {left}")
    return "; ".join(problems) or None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--trials", type=int, default=200)
    parser.add_argument("--term", type=int, default=10, help="every Nth trial is SIGTERM")
    parser.add_argument("--max-delay", type=float, default=6.0)
    parser.add_argument("--deadline", type=float, default=2.0, help="seconds to exit")
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument(
        "--copies", type=int, default=4, help="the corpus this many times over, so runs last"
    )
    args = parser.parse_args()
    if not args.corpus.is_file():
        sys.exit(f"no corpus at {args.corpus}")
    rng = random.Random(args.seed)
    scratch = Path(tempfile.mkdtemp(prefix="cleaner-interrupt-"))
    corpus = scratch / f"corpus{''.join(args.corpus.suffixes)}"
    corpus.write_bytes(args.corpus.read_bytes() * args.copies)
    failures: list[str] = []
    counts = {"SIGINT": 0, "SIGTERM": 0}
    try:
        for n in range(1, args.trials + 1):
            sig = signal.SIGTERM if args.term and n % args.term == 0 else signal.SIGINT
            delay = rng.uniform(0.05, args.max_delay)
            problem = trial(corpus, scratch / f"t{n}", delay, sig, args.deadline)
            counts[sig.name] += 1
            if problem:
                failures.append(f"trial {n} ({sig.name} after {delay:.2f} s): {problem}")
                print(failures[-1], flush=True)
            elif n % 20 == 0:
                print(f"{n} trials, {len(failures)} failed", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    passed = args.trials - len(failures)
    print("\n| trials | SIGINT | SIGTERM | passed | deadline |\n|---|---|---|---|---|")
    print(
        f"| {args.trials} | {counts['SIGINT']} | {counts['SIGTERM']} | {passed} | "
        f"{args.deadline} s |"
    )
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
