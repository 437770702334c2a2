"""`oit … --help` speaks to the working group: every command and option is described, Thai first."""
from __future__ import annotations

import argparse
import re

from crawler.cli.main import build_parser

THAI = re.compile("[\u0e01-\u0e5b]")


def _commands(parser: argparse.ArgumentParser, prefix: str = "oit"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            helps = {choice.dest: choice.help for choice in action._choices_actions}
            for name, sub in action.choices.items():
                yield f"{prefix} {name}", helps.get(name), sub
                yield from _commands(sub, f"{prefix} {name}")


def test_every_command_is_described_in_thai():
    undescribed = [name for name, help_text, _ in _commands(build_parser()) if not THAI.search(help_text or "")]
    assert not undescribed, undescribed


def test_every_option_has_a_description():
    bare = [f"{name} {action.option_strings or action.dest}" for name, _, sub in _commands(build_parser())
            for action in sub._actions
            if not isinstance(action, (argparse._HelpAction, argparse._SubParsersAction)) and not action.help]
    assert not bare, bare
