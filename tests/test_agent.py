"""The coding agent definition a baked service ships for its team."""

from __future__ import annotations

from pathlib import Path

import yaml

AGENT_FILE = Path(".claude/agents/backend-systems-engineer.md")
FRONTMATTER_FENCE = "---\n"


def split_frontmatter(text: str) -> tuple[dict[str, object], str]:
    """The YAML between the opening and closing `---` lines, and the Markdown after them."""
    assert text.startswith(FRONTMATTER_FENCE), "the agent file must open with a --- line"
    end = text.find("\n" + FRONTMATTER_FENCE, len(FRONTMATTER_FENCE) - 1)
    assert end != -1, "the agent file's frontmatter has no closing --- line"
    metadata = yaml.safe_load(text[len(FRONTMATTER_FENCE) : end + 1])
    assert isinstance(metadata, dict), "the agent frontmatter must be a YAML mapping"
    return metadata, text[end + 1 + len(FRONTMATTER_FENCE) :]


def test_agent_frontmatter_names_and_describes_the_agent(default_project: Path) -> None:
    metadata, body = split_frontmatter((default_project / AGENT_FILE).read_text(encoding="utf-8"))

    assert metadata["name"] == "backend-systems-engineer"
    description = metadata.get("description")
    assert isinstance(description, str)
    assert description.strip()
    assert body.strip(), "the agent file has no instructions after its frontmatter"


def test_frontmatter_parser_reads_a_minimal_agent_file() -> None:
    metadata, body = split_frontmatter("---\nname: a\ndescription: b\n---\nDo the work.\n")

    assert metadata == {"name": "a", "description": "b"}
    assert body == "Do the work.\n"
