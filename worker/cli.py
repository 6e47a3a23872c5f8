"""The `newswatch` command. Thin: parse arguments, load the config, call one function."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from worker.config import Config, load_config
from worker.errors import ConfigError, NewswatchError, ServiceUnavailable

STAGES = ("fetch", "extract", "match", "deliver")


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        print("\n".join(exc.problems), file=sys.stderr)
        print(f"newswatch: the config has {len(exc.problems)} problem(s)", file=sys.stderr)
        return 1
    except ServiceUnavailable as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 3
    except NewswatchError as exc:
        print(f"newswatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newswatch", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def config_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--config", default=os.environ.get("NEWSWATCH_CONFIG", "config"),
                       help="config folder (default: $NEWSWATCH_CONFIG or ./config)")

    config = commands.add_parser("config", help="check the config, or write its JSON Schema")
    config_cmds = config.add_subparsers(dest="config_command", required=True, metavar="ACTION")
    check = config_cmds.add_parser("check", help="validate a config folder; exit 1 listing every problem")
    check.add_argument("folder", nargs="?", default=os.environ.get("NEWSWATCH_CONFIG", "config"))
    check.set_defaults(handler=_config_check)
    schema = config_cmds.add_parser("schema", help="print the JSON Schema of the config files")
    schema.add_argument("--output", "-o", type=Path, help="write to this file instead of stdout")
    schema.set_defaults(handler=_config_schema)

    schemas = commands.add_parser("schemas", help="the JSON Schemas of the records between stages")
    schemas.add_argument("--write", action="store_true", help="rewrite worker/schemas/*.json")
    schemas.set_defaults(handler=_record_schemas)

    run = commands.add_parser("run", help="run the pipeline: every stage, or the ones named")
    config_option(run)
    run.add_argument("--stage", action="append", choices=STAGES,
                     help="run only this stage (repeatable); each scales out as its own consumer group")
    run.set_defaults(handler=_run)

    for noun, about, shows, handler in (
            ("feeds", "feed health", "last success, last error, next poll, entries seen", _feeds_status),
            ("destinations", "delivery health per destination",
             "state, alerts waiting and for how long, next probe", _destinations_status)):
        actions = commands.add_parser(noun, help=about).add_subparsers(
            dest=f"{noun}_command", required=True, metavar="ACTION")
        status = actions.add_parser("status", help=shows)
        config_option(status)
        status.add_argument("--json", action="store_true")
        status.set_defaults(handler=handler)

    match = commands.add_parser("match", help="explain why one article matches, or why not")
    config_option(match)
    match.add_argument("source", help="a text or HTML file, or an http(s) URL")
    match.add_argument("--json", action="store_true", help="print the match record")
    match.set_defaults(handler=_match)

    dlq = commands.add_parser("dlq", help="the dead-letter topic")
    dlq_cmds = dlq.add_subparsers(dest="dlq_command", required=True, metavar="ACTION")
    replay = dlq_cmds.add_parser("replay", help="send dead-lettered alerts again")
    config_option(replay)
    replay.set_defaults(handler=_dlq_replay)

    demo = commands.add_parser("demo", help="run the whole pipeline on bundled local feeds")
    config_option(demo)
    demo.add_argument("--seconds", type=float, default=0, help="stop after this long (0: until Ctrl-C)")
    demo.set_defaults(handler=_demo)
    return parser


def _load(args: argparse.Namespace) -> Config:
    from worker import logs

    config = load_config(args.config)
    logs.configure(config.settings.logging.format, config.settings.logging.level)
    for warning in config.warnings:
        logs.get_logger("newswatch.config").warning(warning)
    return config


def _config_check(args: argparse.Namespace) -> int:
    config = load_config(args.folder)
    for warning in config.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"{args.folder}: ok (version {config.version}): {len(config.feeds)} feeds, "
          f"{sum(len(w.entities) for w in config.watchlists)} entities in {len(config.watchlists)} "
          f"watchlists, {len(config.event_types)} event types, {len(config.routes)} routes, "
          f"{len(config.destinations)} destinations")
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

    run(_load(args), args.config, tuple(args.stage or STAGES))
    return 0


def _feeds_status(args: argparse.Namespace) -> int:
    from worker.fetch.status import print_status

    print_status(_load(args), as_json=args.json)
    return 0


def _destinations_status(args: argparse.Namespace) -> int:
    from worker.deliver.status import print_status

    print_status(_load(args), as_json=args.json)
    return 0


def _match(args: argparse.Namespace) -> int:
    from worker.match.explain import explain_source

    return explain_source(load_config(args.config), args.source, as_json=args.json)


def _dlq_replay(args: argparse.Namespace) -> int:
    from worker.deliver.replay import replay

    replay(_load(args))
    return 0


def _demo(args: argparse.Namespace) -> int:
    from worker.demo import run_demo

    return run_demo(args.config, seconds=args.seconds)


if __name__ == "__main__":
    sys.exit(main())
