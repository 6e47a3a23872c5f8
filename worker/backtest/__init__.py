"""`newswatch backtest`: what a config change would have alerted on the stored articles, before it ships.

scan.py reads the articles topic over a span (worker/clients/kafka_span.py, no
group) in one process per core and judges each article under both configs
(judge.py); stories.py collapses near-duplicates in memory with the dedup
stage's own signature code; report.py turns both sides' alerts into the
per-route difference, and render.py prints it. run.py ties them together.
"""
