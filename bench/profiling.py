"""Where a running process's CPU goes: its CPU time read from /proc, and py-spy's samples of its threads.

`python -m bench.pipeline --profile` (make profile-pipeline) reads both of
the `newswatch run` process over a throughput round: its own CPU (every
thread of the process: the stages' loops, Kafka's and Redis's clients, the
page fetches) apart from its children's (the extraction workers), each per
page. With py-spy installed, the threads holding the GIL are sampled
meanwhile (`--gil`: what ran, not what waited) and summed by thread (stage
loops and their cores) and by function; the raw samples are kept as
collapsed stacks, which speedscope and flamegraph.pl draw. Each thread's
own CPU time (/proc/PID/task) is shown under the name py-spy gives it: on a
busy machine that is the figure to trust, since a thread the system
deschedules while it holds the GIL keeps being sampled as running.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

TICK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CpuTimes:
    """CPU seconds (user + system) of a process and of its descendants, live and reaped."""

    own: float
    children: float

    def __sub__(self, other: CpuTimes) -> CpuTimes:
        return CpuTimes(self.own - other.own, self.children - other.children)


def cpu_times(pid: int) -> CpuTimes:
    """The CPU time of `pid` and of its descendants now (those reaped count through its cutime)."""
    stats = _stats()
    if pid not in stats:
        raise ProcessLookupError(f"no process {pid} in /proc")
    parent, own, reaped = stats[pid]
    children = reaped
    pending = [p for p, (ppid, _, _) in stats.items() if ppid == pid]
    while pending:
        child = pending.pop()
        _, child_own, child_reaped = stats[child]
        children += child_own + child_reaped
        pending += [p for p, (ppid, _, _) in stats.items() if ppid == child]
    return CpuTimes(own, children)


def thread_times(pid: int) -> dict[int, float]:
    """CPU seconds of each thread of `pid` now, by native thread id (what py-spy labels threads with)."""
    times = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "stat").read_text()
        except OSError:
            continue  # ended meanwhile
        utime, stime = (int(f) / TICK for f in text[text.rindex(")") + 2:].split()[11:13])
        times[int(task.name)] = utime + stime
    return times


def _stats() -> dict[int, tuple[int, float, float]]:
    """pid -> (parent pid, own CPU seconds, reaped children's CPU seconds) of every process."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue  # exited meanwhile
        fields = text[text.rindex(")") + 2:].split()  # after the command name, which may hold spaces
        utime, stime, cutime, cstime = (int(f) / TICK for f in fields[11:15])
        stats[int(entry.name)] = (int(fields[1]), utime + stime, cutime + cstime)
    return stats


class PySpy:
    """`py-spy record` on a process until `stop`: GIL-holding threads sampled, written as collapsed stacks."""

    def __init__(self, pid: int, output: Path, rate: int = 100) -> None:
        binary = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
        if binary is None:
            raise SystemExit("py-spy is not installed: `pip install -e '.[profile]'` (make profile-pipeline "
                             "does it)")
        self.output = output
        output.parent.mkdir(parents=True, exist_ok=True)
        self._process = subprocess.Popen(
            [binary, "record", "--pid", str(pid), "--rate", str(rate), "--format", "raw", "--threads",
             "--gil", "--nonblocking", "--output", str(output)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def stop(self) -> Samples:
        """Stop sampling (py-spy writes its file on SIGINT) and read what it wrote."""
        self._process.send_signal(signal.SIGINT)
        _, err = self._process.communicate(timeout=60)
        if not self.output.exists():
            raise SystemExit(f"py-spy wrote no samples: {err.decode(errors='replace').strip()}")
        return Samples.read(self.output)


@dataclass(frozen=True)
class Samples:
    """py-spy's collapsed stacks: (thread, frames root first) -> samples."""

    stacks: dict[tuple[str, tuple[str, ...]], int]
    threads: dict[int, str]  # native thread id -> name

    @classmethod
    def read(cls, path: Path) -> Samples:
        stacks: Counter[tuple[str, tuple[str, ...]]] = Counter()
        threads = {}
        for line in path.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            thread, *frames = stack.split(";")
            name = _thread_name(thread)
            if (tid := re.match(r"thread \((\d+)\)", thread)) is not None:
                threads[int(tid.group(1))] = name
            stacks[(name, tuple(_function(f) for f in frames))] += int(count)
        return cls(dict(stacks), threads)

    @property
    def total(self) -> int:
        return sum(self.stacks.values())

    def by_thread(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for (thread, _), n in self.stacks.items():
            counts[thread] += n
        return counts

    def by_function(self, inclusive: bool) -> Counter[str]:
        """Samples per function: where it was running (self), or on the stack at all (inclusive)."""
        counts: Counter[str] = Counter()
        for (_, frames), n in self.stacks.items():
            for function in (set(frames) if inclusive else frames[-1:]):
                counts[function] += n
        return counts

    def report(self, top: int = 25) -> str:
        total = max(1, self.total)

        def table(counts: Counter[str]) -> list[str]:
            return [f"  {100 * n / total:5.1f}%  {name}" for name, n in counts.most_common(top)]

        return "\n".join([f"py-spy: {self.total} samples of the thread holding the GIL (wall time: on a "
                           "loaded machine a thread descheduled while it holds the GIL still counts)",
                           "by thread:",
                          *table(self.by_thread()), "by function, inclusive:",
                          *table(self.by_function(inclusive=True)), "by function, self:",
                          *table(self.by_function(inclusive=False))])


def cpu_by_thread(spent: dict[int, float], names: dict[int, str]) -> dict[str, float]:
    """CPU seconds by thread name (pools summed), from `thread_times` deltas and py-spy's names; a thread
    py-spy never saw holding the GIL is `other`."""
    counts: dict[str, float] = {}
    for tid, seconds in spent.items():
        name = names.get(tid, "other")
        counts[name] = counts.get(name, 0.0) + seconds
    return dict(sorted(counts.items(), key=lambda item: -item[1]))


def _thread_name(label: str) -> str:
    """`thread (123): match-core_0` -> `match-core`: threads of one pool summed together."""
    name = label.partition(": ")[2] or label
    return re.sub(r"_\d+$", "", name)


def _function(frame: str) -> str:
    """`decide (worker/dedup/claims.py:47)` -> `decide (worker/dedup/claims.py)`: lines summed."""
    return re.sub(r":\d+\)$", ")", re.sub(r"\(/.*?/site-packages/", "(", frame))
