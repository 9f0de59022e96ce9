"""How `posapp` and `posapp-provider` say their options in --help: one formatter for both
command lines, so that neither imports the other."""

from __future__ import annotations

import argparse


class HelpWithDefaults(argparse.ArgumentDefaultsHelpFormatter):
    """Each option's help ends with its default; options whose default is "not given" (None,
    a flag's False) say in their help what happens then, or need not."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        if isinstance(action, argparse._StoreTrueAction):
            return f"{action.help} (default: off)"
        if action.default is None or "default" in (action.help or ""):
            return action.help
        return super()._get_help_string(action)
