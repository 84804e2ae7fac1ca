"""`--without NAME` for the evaluation commands: switch pipeline stages (or a command's own
passes) off by name, so that each one's worth is the difference it makes to the score."""

from __future__ import annotations

import argparse
from collections.abc import Collection
from dataclasses import dataclass

from service.core.pipeline import STAGE_NAMES, Stage, stages_without


@dataclass(frozen=True)
class Ablation:
    stages: tuple[Stage, ...]  # the registry without the stages switched off
    passes: frozenset[str]  # the command's own passes switched off

    def runs(self, stage: str) -> bool:
        return any(s.name == stage for s in self.stages)


def add_without(parser: argparse.ArgumentParser, passes: Collection[str] = ()) -> None:
    names = ", ".join([*STAGE_NAMES, *passes])
    parser.add_argument(
        "--without",
        action="append",
        default=[],
        metavar="NAME",
        help=f"switch a stage or pass off (repeatable): {names}",
    )


def ablation(
    parser: argparse.ArgumentParser, args: argparse.Namespace, passes: Collection[str] = ()
) -> Ablation:
    """What `--without` asked for; an unknown name stops the command with the known ones."""
    wanted = set(args.without)
    own = wanted & set(passes)
    try:
        stages = stages_without(wanted - own)
    except ValueError as exc:
        parser.error(f"{exc}{'; passes: ' + ', '.join(passes) if passes else ''}")
    return Ablation(stages, frozenset(own))
