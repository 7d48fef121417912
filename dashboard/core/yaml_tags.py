"""YAML tags (`!!python/object/apply:…`, `!foo`, `!!str`) have no place in the data or the catalogues.

fast_yaml drops a tag it does not know without a word (the tagged value becomes plain text), so the tags are
found before it reads a file: by PyYAML's scanner (libyaml's, in C, where installed), which knows a tag from a
'!' inside quotes or a comment."""

from __future__ import annotations

import yaml

LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_tags(text: str) -> list[tuple[int, str]]:
    """(line from 1, tag as written) for each tag in `text`; raises yaml.YAMLError if it cannot be scanned."""
    if "!" not in text:  # every tag starts with '!': a file without one costs a single search
        return []
    return [(token.start_mark.line + 1, "".join(filter(None, token.value))) for token in yaml.scan(text, Loader=LOADER)
            if isinstance(token, yaml.TagToken)]
