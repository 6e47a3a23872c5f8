"""The match stage's pure core: the watched entities, events and keywords an article names; its routes.

    automaton   one Aho-Corasick automaton over every alias, exclusion, trigger and keyword
    entities    which mentions stand (exclusions, longest overlap) and what they weigh
    events      inflected triggers, and which of them count
    routes      all / any / none clauses and min_score, indexed so an article checks few routes
    sentences   sentences and snippets around a span
    result      what one article matched, with its records built on demand
    matcher     the facade: Matcher.build(config), matcher.match(article)
    render      why routes fired or not, as `newswatch match` (worker/explain.py) prints it
    stage       the consumer stage, which builds a matcher on start and on each reloaded config

Text is folded by `worker.folding`, shared with dedup. The package imports
none of its modules, so importing one loads only what that one needs.
"""
