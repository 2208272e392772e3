"""Reading a baked tree: its files, which of them are text, and a byte-exact snapshot."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path


def files(root: Path) -> Iterator[Path]:
    """Every file under `root`, in a stable order."""
    yield from sorted(path for path in root.rglob("*") if path.is_file())


def empty_folders(root: Path) -> list[str]:
    """Folders under `root` with nothing in them (the post-generation hook removes them)."""
    return sorted(
        path.relative_to(root).as_posix()
        for path in root.rglob("*")
        if path.is_dir() and not any(path.iterdir())
    )


def read_text(path: Path) -> str | None:
    """The file's text, or None for a binary file (NUL bytes, or not UTF-8)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def text_files(root: Path) -> Iterator[tuple[Path, str]]:
    for path in files(root):
        text = read_text(path)
        if text is not None:
            yield path, text


def snapshot(root: Path) -> dict[str, tuple[bool, bytes]]:
    """Relative path -> (executable?, bytes): what `cruft update` would see as changes."""
    return {
        path.relative_to(root).as_posix(): (
            bool(path.stat().st_mode & stat.S_IXUSR),
            path.read_bytes(),
        )
        for path in files(root)
    }
