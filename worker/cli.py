"""The `newswatch` command. Thin: parse arguments, load the config, call one function."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING

from worker.config import Config, load_config
from worker.errors import ConfigError, NewswatchError, ServiceUnavailable
from worker.pipeline import STAGES

if TYPE_CHECKING:
    from worker.config.models import Feed
    from worker.deliver.replay import Selection
    from worker.mutes import MuteStore

DESCRIPTION = """\
Newswatch polls news feeds, reads each new article, and alerts Slack, webhooks or
the console when an article names what you watch (entities, event types,
keywords), once per story and destination.

The config is a folder of YAML files (default ./config, or $NEWSWATCH_CONFIG):
feeds, watchlists, event types, routes and destinations. Secrets are ${ENV_VAR}s.
"""
EPILOG = """\
examples:
  newswatch config check --strict        validate ./config as CI does
  newswatch run                          every stage; Ctrl-C stops after the current batches
  newswatch run --stage fetch -v         one stage, with debug logs
  newswatch match article.html           why an article alerts, or why not
  newswatch match saved/ -               every file in saved/, then standard input
  newswatch backtest --config new/ --against config --since 7d --fail-on-removed
  newswatch destinations test slack-ops  send a clearly marked test message
  newswatch dlq list --destination slack-ops --older-than 1h
  newswatch dlq replay --dry-run         what a replay would send
  newswatch alerts --since 7d --entity acme   what was alerted, why, and where it went
  newswatch feeds status --failing
  newswatch mute entity acme --for 12h --reason "earnings week"
  newswatch mute list --json
  newswatch unmute entity acme

exit codes:
  0  done (match: a route fired)
  1  the config has problems (or warnings, with --strict); match: no route fired;
     dlq replay: some letters failed again; destinations test: the message did not go
  2  bad arguments, unreadable input, or another error, printed on stderr
  3  Kafka or Redis does not answer
  4  backtest: --fail-on-removed or --fail-on-added found what it guards against
  130 interrupted (Ctrl-C)
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        count = len(exc.problems)
        print(f"newswatch: the config has {count} problem{'s' if count != 1 else ''}; fix "
              f"{'them' if count != 1 else 'it'} and run `newswatch config check` again", file=sys.stderr)
        return 1
    except ServiceUnavailable as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 3
    except NewswatchError as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def package_version() -> str:
    try:
        return version("newswatch")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def _parser() -> argparse.ArgumentParser:
    verbosity = _verbosity_options()
    parser = argparse.ArgumentParser(prog="newswatch", description=DESCRIPTION, epilog=EPILOG,
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     parents=[_verbosity_options(top=True)])
    parser.add_argument("--version", action="version", version=f"newswatch {package_version()}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(group: argparse._SubParsersAction[argparse.ArgumentParser], name: str, text: str,
                handler: Callable[[argparse.Namespace], int] | None = None,
                config: bool = True) -> argparse.ArgumentParser:
        sub = group.add_parser(name, help=text, description=text, parents=[verbosity])
        if config:
            sub.add_argument("--config", default=os.environ.get("NEWSWATCH_CONFIG", "config"),
                             help="config folder (default: $NEWSWATCH_CONFIG or ./config)")
        if handler is not None:
            sub.set_defaults(handler=handler)
        return sub

    _config_commands(commands, command)
    run = command(commands, "run", "run the pipeline: every stage, or the ones named", _run)
    run.add_argument("--stage", action="append", choices=STAGES,
                     help="run only this stage (repeatable); each scales out as its own consumer group")
    demo = command(commands, "demo", "run the whole pipeline on bundled local feeds; alerts print here",
                   _demo)
    demo.add_argument("--seconds", type=float, default=0,
                      help="stop after this long (default: once the demo's alerts are out)")
    match = command(commands, "match", "explain why articles match, or why not (exit 0 if a route fires)",
                    _match)
    match.add_argument("sources", nargs="+", metavar="SOURCE",
                       help="a text or HTML file, a folder of them, an http(s) URL, or - for standard input")
    match.add_argument("--json", action="store_true",
                       help="print the match records: one JSON array, one record per source")
    match.add_argument("--feed", metavar="ID", help="read the articles as from this feed of the config "
                       "(its id and tags, for routes' feeds and feed_tags)")
    _backtest_command(commands, command)
    feeds = commands.add_parser("feeds", help="feed health").add_subparsers(
        dest="feeds_command", required=True, metavar="ACTION")
    status = command(feeds, "status", "last success, last error and next poll of each feed", _feeds_status)
    status.add_argument("--failing", action="store_true", help="only feeds whose last poll failed")
    status.add_argument("--json", action="store_true", help="one JSON array, an object per feed")
    _dlq_commands(commands, command)
    _alerts_command(commands, command)
    _mute_commands(commands, command)
    destinations_commands(commands, command)
    schemas = command(commands, "schemas", "check (or --write) the JSON Schemas of the records between "
                      "stages", _record_schemas, config=False)
    schemas.add_argument("--write", action="store_true", help="rewrite worker/schemas/*.json")
    return parser


Command = Callable[..., argparse.ArgumentParser]


def _backtest_command(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                      command: Command) -> None:
    backtest = command(commands, "backtest", "the alerts a config change adds and removes over the stored "
                       "articles; sends nothing, writes nothing", _backtest)
    backtest.add_argument("--against", metavar="CURRENT",
                          default=os.environ.get("NEWSWATCH_CONFIG", "config"),
                          help="the config to compare with (default: $NEWSWATCH_CONFIG or ./config); its "
                               "Kafka settings say where the articles are")
    backtest.add_argument("--since", metavar="DURATION", help="this far back from now (default 7d)")
    backtest.add_argument("--from", dest="start", metavar="TIME", help="ISO time or date the span starts")
    backtest.add_argument("--to", dest="end", metavar="TIME", help="ISO time or date it ends (default: now)")
    backtest.add_argument("--route", metavar="ID", help="only this route")
    backtest.add_argument("--json", metavar="FILE", type=Path, help="also write the whole report as JSON")
    backtest.add_argument("--workers", type=int, default=0, help="processes (default: one per core)")
    backtest.add_argument("--fail-on-removed", action="store_true", help="exit 4 if any alert is removed")
    backtest.add_argument("--fail-on-added", type=int, metavar="N", help="exit 4 if more than N are added")


def _verbosity_options(top: bool = False) -> argparse.ArgumentParser:
    """-v, -q, --log-level before or after the command; the command's own wins."""
    options = argparse.ArgumentParser(add_help=False)
    default = None if top else argparse.SUPPRESS
    levels = ("DEBUG", "INFO", "WARNING", "ERROR")
    options.add_argument("--log-level", type=str.upper, choices=levels, default=default,
                         help="log level, overriding settings.logging.level")
    options.add_argument("-v", "--verbose", dest="log_level", action="store_const", const="DEBUG",
                         default=default, help="debug logs (same as --log-level debug)")
    options.add_argument("-q", "--quiet", dest="log_level", action="store_const", const="WARNING",
                         default=default, help="warnings and errors only")
    return options


def _config_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: Command) -> None:
    group = commands.add_parser("config", help="check the config, or write its JSON Schema").add_subparsers(
        dest="config_command", required=True, metavar="ACTION")
    check = command(group, "check", "validate a config folder as `run` would: every problem at file:line, "
                    "then warnings", _config_check)
    check.add_argument("folder", nargs="?", help=argparse.SUPPRESS)  # the older positional form
    check.add_argument("--strict", action="store_true", help="warnings fail the check too (CI)")
    schema = command(group, "schema", "print the JSON Schema of the config files", _config_schema,
                     config=False)
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")


def _dlq_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: Command) -> None:
    dlq = commands.add_parser("dlq", help="dead letters: alerts that could not be delivered")
    group = dlq.add_subparsers(dest="dlq_command", required=True, metavar="ACTION")
    listing = command(group, "list", "the dead letters a replay would send", _dlq_list)
    show = command(group, "show", "one dead letter in full", _dlq_show)
    show.add_argument("id", help="alert or digest id (a unique prefix will do)")
    replay = command(group, "replay", "send the dead letters again (exit 1 if some fail again)", _dlq_replay)
    replay.add_argument("--dry-run", action="store_true", help="list what would be replayed; send nothing")
    for sub in (listing, show, replay):
        sub.add_argument("--destination", metavar="ID", help="only letters for this destination")
        sub.add_argument("--route", metavar="ID", help="only alerts of this route")
        sub.add_argument("--older-than", metavar="AGE",
                         help="only letters that failed at least AGE ago (5m, 2h)")
        sub.add_argument("--newer-than", metavar="AGE", help="only letters that failed at most AGE ago")
    listing.add_argument("--json", action="store_true",
                         help="one JSON array of dead letters ([] when none are pending)")


def _alerts_command(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: Command) -> None:
    alerts = command(commands, "alerts", "what was alerted, why, and where it went (delivered, parked, "
                     "dead-lettered), from the kept matches and dead letters and the delivery ledger",
                     _alerts)
    alerts.add_argument("--since", metavar="AGE", default="24h", help="alerts matched in the last AGE "
                        "(default 24h; as far back as settings.kafka.retention.matches)")
    alerts.add_argument("--route", metavar="ID", help="only alerts of this route")
    alerts.add_argument("--entity", metavar="ID", help="only alerts naming this entity (its id or name)")
    alerts.add_argument("--destination", metavar="ID", help="only alerts for this destination")
    alerts.add_argument("--json", action="store_true", help="one JSON array, an object per alert and "
                        "destination ([] when none)")


def _mute_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser], command: Command) -> None:
    from worker.mutes import RUNTIME_KINDS

    mute = commands.add_parser("mute", help="silence a story, entity or route for a while (every replica)")
    unmute = commands.add_parser("unmute", help="lift a mute before it ends")
    actions = mute.add_subparsers(dest="mute_command", required=True, metavar="KIND")
    lifts = unmute.add_subparsers(dest="unmute_command", required=True, metavar="KIND")
    for kind in RUNTIME_KINDS:
        what = ("a story (its id, or the id of an alert on it): its near copies and follow-ups too"
                if kind == "story" else f"a {kind} id of the config")
        sub = command(actions, kind, f"mute {what}", _mute)
        sub.set_defaults(kind=kind)
        sub.add_argument("id", metavar="ID")
        sub.add_argument("--for", dest="duration", required=True, metavar="DURATION",
                         help="how long: 30m, 12h, 2d")
        sub.add_argument("--reason", help="why: shown wherever the mute holds something back")
        sub.add_argument("--by", help="who mutes (default: the OS user)")
        lift = command(lifts, kind, f"unmute {what}", _unmute)
        lift.set_defaults(kind=kind)
        lift.add_argument("id", metavar="ID")
    listing = command(actions, "list", "the mutes that hold now: run-time ones and the config's", _mute_list)
    listing.add_argument("--json", action="store_true", help="one JSON document: {\"mutes\": [...]}")


def destinations_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser],
                          command: Command) -> argparse._SubParsersAction[argparse.ArgumentParser]:
    """The `destinations` group; returned so other subcommands (status) can join it."""
    group = commands.add_parser("destinations", help="where alerts go").add_subparsers(
        dest="destinations_command", required=True, metavar="ACTION")
    test = command(group, "test", "send a clearly marked test message to one destination, now",
                   _destinations_test)
    test.add_argument("id", help="destination id, as in destinations.yaml")
    status = command(group, "status", "each destination's delivery state from its last outcomes (ok, "
                     "retrying, failing or open), the alerts waiting and for how long, the next probe, the "
                     "last error and when", _destinations_status)
    status.add_argument("--json", action="store_true", help="one JSON array, an object per destination")
    return group


def _configure_logs(args: argparse.Namespace, config: Config | None) -> None:
    from worker import logs

    settings = config.settings.logging if config is not None else None
    level = getattr(args, "log_level", None) or (settings.level if settings else "INFO")
    logs.configure(settings.format if settings else "auto", level)


def _load(args: argparse.Namespace, *, runs: bool = False) -> Config:
    """The config, for a command that talks to Kafka or Redis (the clients' adaptations installed), logs
    configured. Its warnings and notes are logged once, by the command that `runs` it; a command that
    reads state (status, dlq list) would only repeat them on every call, and `config check` is where
    they are read."""
    from worker import adaptations, logs

    adaptations.install()
    config = load_config(args.config)
    _configure_logs(args, config)
    if runs:
        log = logs.get_logger("newswatch.config")
        for line in config.warnings:
            log.warning(f"config warning: {line}")
        for line in config.notes:
            log.warning(line)
    return config


def _config_check(args: argparse.Namespace) -> int:
    from worker.clients.kafka_options import check_options
    from worker.match.matcher import Matcher

    folder = args.folder or args.config
    config = load_config(folder)
    # what `run` and a reload do next: nothing either refuses passes here
    check_options(config.settings.kafka)
    Matcher.build(config)
    for line in config.warnings:
        print(f"warning: {line}", file=sys.stderr)
    for line in config.notes:
        print(f"note: {line}", file=sys.stderr)
    print(f"{folder}: ok (version {config.version}): {len(config.feeds)} feeds, "
          f"{sum(len(w.entities) for w in config.watchlists)} entities in {len(config.watchlists)} "
          f"watchlists, {len(config.event_types)} event types, {len(config.routes)} routes, "
          f"{len(config.destinations)} destinations; {len(config.warnings)} warning"
          f"{'s' if len(config.warnings) != 1 else ''}")
    if args.strict and config.warnings:
        print(f"newswatch: --strict: {len(config.warnings)} warning(s) fail the check; fix them, "
              f"or drop --strict", file=sys.stderr)
        return 1
    return 0


def _config_schema(args: argparse.Namespace) -> int:
    from worker.config.schema import config_schema

    text = json.dumps(config_schema(), indent=2) + "\n"
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


def _record_schemas(args: argparse.Namespace) -> int:
    from worker.schemas import stale_schemas, write_schemas

    if args.write:
        write_schemas()
        return 0
    stale = stale_schemas()
    for name in stale:
        print(f"worker/schemas/{name}.schema.json is out of date; run `newswatch schemas --write`",
              file=sys.stderr)
    return 1 if stale else 0


def _run(args: argparse.Namespace) -> int:
    from worker.app import run

    run(_load(args, runs=True), args.config, tuple(args.stage or STAGES))
    return 0


def _feeds_status(args: argparse.Namespace) -> int:
    from worker.fetch.status import print_status

    print_status(_load(args), as_json=args.json, failing=args.failing)
    return 0


def _destinations_status(args: argparse.Namespace) -> int:
    from worker.deliver.status import print_status

    print_status(_load(args), as_json=args.json)
    return 0


def _match(args: argparse.Namespace) -> int:
    from worker.explain import explain_source, match_record
    from worker.match.matcher import Matcher

    config = load_config(args.config)
    _configure_logs(args, config)
    matcher = Matcher.build(config)
    feed = _feed(config, args.feed) if args.feed else None
    sources = [s for source in args.sources for s in _expand(source)]
    if args.json:  # one JSON document: the match records, one per source, in order
        records = [match_record(config, source, matcher, feed) for source in sources]
        print(json.dumps([r.model_dump(mode="json", exclude_none=True) for r in records], indent=2,
                         ensure_ascii=False))
        return 0 if any(r.routes for r in records) else 1
    fired = False
    for n, source in enumerate(sources):
        if len(sources) > 1:
            print(f"{'' if n == 0 else chr(10)}==> {source} <==")
        fired = explain_source(config, source, matcher=matcher, feed=feed) == 0 or fired
    return 0 if fired else 1


def _backtest(args: argparse.Namespace) -> int:
    from worker.backtest.render import render
    from worker.backtest.run import Request, Span, backtest, failed

    if Path(args.config).resolve() == Path(args.against).resolve():
        raise NewswatchError(f"--config and --against are both {args.against}: give --config the changed "
                             f"folder and --against the one deployed")
    current = _load(argparse.Namespace(**{**vars(args), "config": args.against}))
    request = Request(current, load_config(args.config), args.against, args.config,
                      Span.parse(args.since, args.start, args.end), args.route,
                      args.workers)
    report = backtest(request)
    sys.stdout.write(render(report))
    if args.json:
        args.json.write_text(report.model_dump_json(indent=2) + "\n")
    failures = failed(report, args.fail_on_removed, args.fail_on_added)
    for why in failures:
        print(f"newswatch: {why}", file=sys.stderr)
    return 4 if failures else 0


def _feed(config: Config, feed_id: str) -> Feed:
    from worker.config.messages import did_you_mean

    for feed in config.feeds:
        if feed.id == feed_id:
            return feed
    known = {f.id for f in config.feeds}
    raise NewswatchError(f"--feed {feed_id}: no such feed{did_you_mean(feed_id, known)}; give a feed id of "
                         f"the config (known: {', '.join(sorted(known)) or 'none'})")


def _expand(source: str) -> list[str]:
    """A folder stands for the files in it (recursively, hidden ones skipped), in name order."""
    path = Path(source)
    if source == "-" or source.startswith(("http://", "https://")) or not path.is_dir():
        return [source]
    files = sorted(str(p) for p in path.rglob("*")
                   if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts))
    if not files:
        raise NewswatchError(f"{source}: an empty folder; give files to match, or a folder that holds some")
    return files


def _seconds(text: str | None, option: str) -> float | None:
    from worker.config.models import parse_duration

    try:
        return parse_duration(text) if text else None
    except ValueError as exc:
        raise NewswatchError(f"{option}: {exc}") from None


def _selection(args: argparse.Namespace) -> Selection:
    from worker.deliver.replay import Selection

    return Selection(destination=args.destination, route=args.route,
                     older_than=_seconds(args.older_than, "--older-than"),
                     newer_than=_seconds(args.newer_than, "--newer-than"))


def _alerts(args: argparse.Namespace) -> int:
    from worker.deliver.history import Selection, history, print_history

    select = Selection(since=_seconds(args.since, "--since") or 0, route=args.route, entity=args.entity,
                       destination=args.destination)
    print_history(history(_load(args), select), as_json=args.json)
    return 0


def _dlq_list(args: argparse.Namespace) -> int:
    from worker.deliver.dlq import print_letters
    from worker.deliver.replay import pending

    select = _selection(args)
    print_letters(pending(_load(args), select), as_json=args.json)
    return 0


def _dlq_show(args: argparse.Namespace) -> int:
    from worker.deliver.dlq import show_letter
    from worker.deliver.replay import pending

    select = _selection(args)
    return show_letter(pending(_load(args), select), args.id)


def _dlq_replay(args: argparse.Namespace) -> int:
    from worker.deliver.dlq import print_letters
    from worker.deliver.replay import pending, replay

    select = _selection(args)
    config = _load(args)
    if args.dry_run:
        letters = pending(config, select)
        print_letters(letters)
        print(f"dry run: {len(letters)} dead letter(s) would be replayed; nothing was sent")
        return 0
    counts = replay(config, select)
    return 1 if counts["failed_again"] else 0


def _destinations_test(args: argparse.Namespace) -> int:
    import time

    from worker.clients.http import HttpClient
    from worker.clients.redis import Redis
    from worker.deliver.destinations import send_test
    from worker.errors import DeliveryError
    from worker.pace import Pacer

    config = _load(args)
    http, store = HttpClient(config.settings.http, guard=False), Redis(config.settings.redis)
    started = time.monotonic()
    try:
        alert = send_test(config, args.id, http, Pacer(store))
    except DeliveryError as exc:
        print(f"newswatch: the test message did not reach {args.id!r}: {exc.reason}", file=sys.stderr)
        return 1
    finally:
        http.close()
        store.close()
    print(f"test message {alert.id} sent to {args.id!r} in {time.monotonic() - started:.1f}s; "
          f"check that it arrived")
    return 0


def _mute(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from worker.config.models import parse_duration
    from worker.records import Mute, utcnow

    try:
        seconds = parse_duration(args.duration)
    except ValueError as exc:
        raise NewswatchError(f"--for: {exc}") from None
    config, store = _mute_store(args)
    mute_id = _mute_target(config, store, args.kind, args.id, args.config)
    now = utcnow()
    mute = Mute(kind=args.kind, id=mute_id, until=now + timedelta(seconds=seconds), reason=args.reason,
                by=args.by or _user())
    try:
        store.put(mute, now)
    except ValueError as exc:
        raise NewswatchError(f"--for: {exc}") from None
    print(f"muted {args.kind} {mute_id} until {mute.until_text()} ({args.duration}) by {mute.by}"
          f"{f': {args.reason}' if args.reason else ''}; every replica holds it within a few seconds")
    return 0


def _unmute(args: argparse.Namespace) -> int:
    _, store = _mute_store(args)
    if not store.remove(args.kind, args.id):
        print(f"newswatch: no run-time mute on {args.kind} {args.id!r}; `newswatch mute list` shows them "
              f"(a mute written in the config is lifted by removing its muted_until)", file=sys.stderr)
        return 1
    print(f"unmuted {args.kind} {args.id}; every replica lets it through within a few seconds")
    return 0


def _mute_list(args: argparse.Namespace) -> int:
    from worker.match.mutes import config_mutes
    from worker.records import utcnow
    from worker.table import print_table, span

    config, store = _mute_store(args)
    now = utcnow()
    mutes = sorted([*store.active(now), *(m for m in config_mutes(config) if m.holds(now))],
                   key=lambda m: m.until)
    if args.json:
        print(json.dumps({"mutes": [{**m.model_dump(mode="json"), "source": "runtime" if m.by else "config"}
                                    for m in mutes]}, indent=2))
    elif not mutes:
        print("no mutes hold now")
    else:
        print_table(("KIND", "ID", "UNTIL", "LEFT", "BY", "REASON"), [
            (m.kind, m.id, m.until_text(), span((m.until - now).total_seconds()), m.by or "config",
             m.reason or "-") for m in mutes])
    return 0


def _mute_store(args: argparse.Namespace) -> tuple[Config, MuteStore]:
    from worker.clients.redis import Redis
    from worker.mutes import MuteStore

    config = _load(args)
    return config, MuteStore(Redis(config.settings.redis))


def _mute_target(config: Config, store: MuteStore, kind: str, some_id: str, folder: str) -> str:
    """The id to mute: a story's (found from an alert id too); an entity or route the config has."""
    if kind == "story":
        story = store.story_of(some_id)
        if story is None:
            raise NewswatchError(f"no story or alert {some_id!r} in Redis (stories are kept for "
                                 f"settings.dedup.window); give the story id, or the id an alert carries")
        return story
    known = ([e.id for w in config.watchlists for e in w.entities] if kind == "entity"
             else [r.id for r in config.routes])
    if some_id not in known:
        raise NewswatchError(f"no {kind} {some_id!r} in the config at {folder}; give one of "
                             f"its {kind} ids ({', '.join(known[:5])}{', ...' if len(known) > 5 else ''})")
    return some_id


def _user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry and no LOGNAME/USER: a container's numeric user
        return f"uid {os.getuid()}"


def _demo(args: argparse.Namespace) -> int:
    from worker.demo import run_demo

    return run_demo(args.config, seconds=args.seconds, log_level=getattr(args, "log_level", None))


if __name__ == "__main__":
    sys.exit(main())
