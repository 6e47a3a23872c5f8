"""Disk the kept topics take: bytes on the broker per 10,000 articles, for each codec kafka-python has.

    python -m bench.retention [--articles N]      (make bench-retention; needs `make up`)

Articles: the synthetic news pages of tests/kit/pages.py (made-up text in a
news site's markup, no paragraph repeated) through the extract stage's own
extraction and `build_article`, so each record is what the articles topic
holds: the body, its blocks and the page's metadata. Each codec's records are
produced by the worker's own producer (`Kafka.producer`; the codec through
`settings.kafka.options.compression_type`) to a fresh topic, sent as the
extract stage sends them: a whole poll at once (`settings.kafka.max_batch`
records, or all of a smaller corpus, spread over the topic's partitions by
key), and the worst case, one
article per send (a quiet pipeline, one new entry at a time). The size is what
the broker's log directory holds for the topic (DescribeLogDirs), scaled to
10,000 articles; the JSON column is the records' values before compression,
and the CPU column the time kafka-python's encoder of the codec takes on the
same batches (one core, process time).

The real pages of ../shared/corpus/news-pages (read there, never copied),
extracted the same way, are measured too: their ratio of disk to JSON bytes
says whether the synthetic text compresses better than real text would.
"""

from __future__ import annotations

import argparse
import time
import uuid
from collections.abc import Callable, Sequence
from multiprocessing import Pool
from pathlib import Path

from kafka.codec import gzip_encode, lz4_encode, zstd_encode

from bench.quality import corpus_dir
from tests.kit.pages import page
from worker.clients.kafka import Kafka, Outgoing
from worker.config.models import KafkaSettings, Settings
from worker.explain import article_from_html

# kafka-python's own encoders, as its producer calls them (gzip at level 9, zstd at 3)
ENCODERS: dict[str, Callable[[bytes], bytes]] = {"gzip": gzip_encode, "lz4": lz4_encode, "zstd": zstd_encode}
CODECS = tuple(ENCODERS)
SITE = "https://harbour-herald.example"
PER = 10_000


def _record(path: str, html: bytes) -> tuple[str, bytes]:
    """One article as the extract stage writes it, keyed by its URL."""
    url = SITE + path
    return url, article_from_html(html, url, None, Settings()).to_json()


def synthetic(index: int) -> tuple[str, bytes]:
    made = page(index)
    return _record(made.path, made.html)


def real(path: Path) -> tuple[str, bytes]:
    return _record(f"/{path.parent.name}/{path.stem}", path.read_bytes())


def on_disk(codec: str, records: Sequence[tuple[str, bytes]], per_send: int) -> int:
    """Bytes the broker keeps for `records` produced with `codec`, `per_send` records at a time."""
    settings = KafkaSettings(topic_prefix=f"bench-retention-{uuid.uuid4().hex[:8]}.",
                             options={"compression_type": codec})
    kafka = Kafka(settings, client_id="bench-retention")
    kafka.ensure_topics(["articles"])
    producer = kafka.producer()
    topic = kafka.topic("articles")
    try:
        for start in range(0, len(records), per_send):
            producer.send_all([Outgoing(topic, key, value) for key, value in records[start:start + per_send]])
        return kafka.disk_bytes(["articles"])["articles"]
    finally:
        producer.close()
        kafka.delete_topics(["articles"])


def cpu_seconds(codec: str, records: Sequence[tuple[str, bytes]], per_send: int) -> float:
    """Seconds of one core kafka-python's encoder of `codec` takes on the records, `per_send` at a time."""
    encode = ENCODERS[codec]
    blobs = [b"".join(value for _, value in records[start:start + per_send])
             for start in range(0, len(records), per_send)]
    started = time.process_time()
    for blob in blobs:
        encode(blob)
    return time.process_time() - started


def table(name: str, records: Sequence[tuple[str, bytes]], batch: int) -> None:
    raw = sum(len(value) for _, value in records)
    scale = PER / len(records)
    print(f"\n{name}: {len(records):,} articles, {raw / len(records) / 1024:.1f} kB of JSON each "
          f"({raw * scale / 1e6:.1f} MB per {PER:,})")
    print(f"{'codec':<6} {'per send':>9} {'MB per 10k':>11} {'disk/JSON':>10} {'CPU s per 10k':>14}")
    for codec in CODECS:
        for per_send in (min(batch, len(records)), 1):
            size = on_disk(codec, records, per_send)
            cpu = cpu_seconds(codec, records, per_send) * scale
            print(f"{codec:<6} {per_send:>9} {size * scale / 1e6:>11.1f} {size / raw:>10.3f} {cpu:>14.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic articles to measure on")
    args = parser.parse_args()
    batch = KafkaSettings().max_batch
    english = sorted(corpus_dir(None).glob("*.html"))
    other = sorted(corpus_dir(None, "multilingual-pages", "NEWSWATCH_MULTILINGUAL_PAGES",
                              "real pages in other languages").glob("*.html"))
    with Pool() as pool:
        tables = [(f"real English news pages ({english[0].parent})", pool.map(real, english)),
                  (f"real news pages in other languages ({other[0].parent})", pool.map(real, other)),
                  ("synthetic news pages (tests/kit/pages.py)",
                   pool.map(synthetic, range(args.articles), chunksize=20))]
    for name, records in tables:
        table(name, records, batch)


if __name__ == "__main__":
    main()
