"""The model's command-line subcommands: train, evaluate and model-build."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from workers.engine.classifier import DEFAULT_MODEL_PATH, TextModel, load_default_model
from workers.engine.training import (
    build_default_model,
    evaluate_model,
    parse_label_map,
    parse_train_options,
    read_labeled_csv,
    strip_diacritics,
    train_from_csv,
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the train, evaluate and model-build subcommands to a CLI."""
    train = subparsers.add_parser("train", help="train a model from a labeled CSV")
    _data_arguments(train)
    train.add_argument("--out", required=True, type=Path, help="where to write the model")
    train.add_argument("--dev-csv", type=Path, help="score on this CSV instead of a split")
    train.add_argument("--holdout", type=float, default=0.2, help="held-out share (0: none)")
    train.add_argument(
        "--option",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a training option, repeatable: tree_blend=0.4, nb_blend=0.75, C=3, "
        "raw_char_ngrams=1,5, trees.columns=3000 ... (docs/engine.md)",
    )
    train.set_defaults(func=train_command)

    evaluate = subparsers.add_parser("evaluate", help="score a model on a labeled CSV")
    _data_arguments(evaluate)
    evaluate.add_argument("--model", type=Path, help="model file (default: the shipped one)")
    evaluate.add_argument(
        "--strip-diacritics", action="store_true", help="remove accents from the text first"
    )
    evaluate.add_argument("--json", action="store_true", help="print the report as JSON")
    evaluate.set_defaults(func=evaluate_command)

    build = subparsers.add_parser("model-build", help="rebuild the default model")
    build.add_argument("--out", type=Path, default=DEFAULT_MODEL_PATH)
    build.set_defaults(func=model_build_command)


def _data_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--csv", required=True, type=Path, help="UTF-8 CSV with a header row")
    parser.add_argument("--text-column", required=True)
    parser.add_argument("--label-column", required=True)
    parser.add_argument("--label-map", help="rename labels, e.g. 0=ham,1=spam")


def train_command(args: argparse.Namespace) -> int:
    """Train from a CSV, print held-out scores and write the model."""
    try:
        options = parse_train_options(args.option)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    model, report = train_from_csv(
        args.csv,
        args.text_column,
        args.label_column,
        label_map=parse_label_map(args.label_map),
        dev_path=args.dev_csv,
        holdout=args.holdout,
        options=options,
    )
    if report is not None:
        print(report.format())
    model.save(args.out)
    print(f"wrote {args.out} (version {model.version}, labels {', '.join(model.labels)})")
    return 0


def evaluate_command(args: argparse.Namespace) -> int:
    """Score a model on a labeled CSV and print the report."""
    model = _load_model(args.model) if args.model else load_default_model()
    texts, labels = read_labeled_csv(
        args.csv, args.text_column, args.label_column, parse_label_map(args.label_map)
    )
    if args.strip_diacritics:
        texts = [strip_diacritics(t) for t in texts]
    report = evaluate_model(model, texts, labels, with_interval=True)
    if args.json:
        json.dump(report.to_dict(), sys.stdout, ensure_ascii=False, indent=2)
        print()
    else:
        print(report.format())
    return 0


def _load_model(path: str) -> TextModel:
    try:
        return TextModel.load(path)
    except FileNotFoundError:
        raise
    except Exception as exc:  # joblib and pickle fail in many ways on a file that is not one
        raise ValueError(f"{path} is not a model file ({type(exc).__name__})") from None


def model_build_command(args: argparse.Namespace) -> int:
    """Retrain the default model on the seed corpus."""
    model = build_default_model(args.out)
    print(f"wrote {args.out} (version {model.version})")
    return 0
