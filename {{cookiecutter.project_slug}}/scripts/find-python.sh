#!/bin/sh
# Prints the path of a working Python interpreter of the version given ($1), or nothing.
# pyenv's shims answer only for the versions made global, so its versions folder is searched
# directly; uv is never allowed to download an interpreter.
want="$1"
if p=$(command -v "python$want" 2>/dev/null) && "$p" -c '' >/dev/null 2>&1; then
    "$p" -c 'import sys; print(sys.executable)'
    exit 0
fi
if command -v pyenv >/dev/null 2>&1; then
    for dir in "$(pyenv root)/versions/$want".*; do
        if [ -x "$dir/bin/python$want" ]; then
            latest="$dir/bin/python$want"
        fi
    done
    if [ -n "${latest:-}" ]; then
        echo "$latest"
        exit 0
    fi
fi
if command -v uv >/dev/null 2>&1 && UV_PYTHON_DOWNLOADS=never uv python find "$want" 2>/dev/null; then
    exit 0
fi
echo "find-python: Python $want not found; install it (pyenv install $want, or your OS packages)" >&2
exit 1
