"""The match stage's pure core: the watched entities, events and keywords an article names; its routes.

    normalize   one folded form of text and phrases, and the way from a folded span back to the original
    automaton   one Aho-Corasick automaton over every alias, exclusion, trigger and keyword
    entities    which mentions stand (exclusions, longest overlap) and what they weigh
    events      inflected triggers, and which of them count
    routes      all / any / none clauses and min_score, indexed so an article checks few routes
    sentences   sentences and snippets around a span
    result      what one article matched, with its records built on demand
    matcher     the facade: Matcher.build(config), matcher.match(article)
    reload      the current matcher, rebuilt and swapped whole when the config changes
    explain     `newswatch match FILE|URL`, rendered by `render`
"""

from worker.match.matcher import Matcher
from worker.match.reload import MatcherHolder
from worker.match.result import MatchResult
from worker.match.routes import RouteOutcome

__all__ = ["MatchResult", "Matcher", "MatcherHolder", "RouteOutcome"]
