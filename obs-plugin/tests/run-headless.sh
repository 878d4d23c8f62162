#!/bin/sh
# Runs a libobs test on a private Xvfb display. Without xvfb-run: skip (exit 77) on a user's machine, fail in CI.
if ! command -v xvfb-run >/dev/null 2>&1 || ! command -v xauth >/dev/null 2>&1; then
  if [ "$CI" = "true" ] || [ "$DLF_REQUIRE_SHARED" = "1" ]; then
    echo "error: xvfb-run/xauth not found; install them with 'sudo apt-get install xvfb xauth'" >&2
    exit 1
  fi
  echo "skipped: xvfb-run not found (sudo apt-get install xvfb xauth)" >&2
  exit 77
fi
# Mesa's software renderer; no GPU needed. A small screen: the tests render off-screen.
export LIBGL_ALWAYS_SOFTWARE=1
exec xvfb-run -a -s "-screen 0 640x480x24 -nolisten tcp" "$@"
