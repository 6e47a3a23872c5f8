"""The extract stage: fetch each entry's page, extract its article with trafilatura, fall back to the feed.

`extract.extract_html` is the pure extraction (also used offline by
`newswatch match`); `fallback.build_article` applies the fallback rules;
`stage.extract_stage` is the consumer stage `newswatch run` starts. The
package imports none of them, so a module that needs only `page` does not
load trafilatura.
"""
