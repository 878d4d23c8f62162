#!/bin/sh
# Installs the Debian package on this machine, loads it into the distribution's OBS Studio (the real application,
# on a private Xvfb display) with a scene whose source carries the filter at its default settings, and checks that:
#   - OBS loads the module from the package's path;
#   - the filter starts the engine from the package's bundle, with no path typed, and connects to it;
#   - the engine stops when OBS is killed (it watches the pid the filter passes with --owner-pid);
#   - `apt-get remove` takes every installed file away.
# It changes the system (it installs, then removes, the package), so it runs as root and never from `mvn verify`:
#
#   mvn -B -Pdeb -DskipTests verify
#   sudo obs-plugin/tests/deb-install-check.sh [obs-plugin/target/deb/deep-live-face_<version>_amd64.deb]
#
# OBS runs with a throw-away HOME, so the user's own OBS settings are never read or written.
set -eu

fail() { echo "deb-install-check: FAILED: $*" >&2; exit 1; }

deb=${1:-$(ls obs-plugin/target/deb/deep-live-face_*_amd64.deb 2>/dev/null | head -n 1)}
[ -n "$deb" ] && [ -f "$deb" ] || fail "no package; build it with 'mvn -B -Pdeb -DskipTests verify' or pass its path"
[ "$(id -u)" -eq 0 ] || fail "run as root (it installs and removes the package): sudo $0 $deb"
command -v obs >/dev/null || fail "OBS Studio is not installed: sudo apt-get install obs-studio"
command -v xvfb-run >/dev/null || fail "xvfb-run is not installed: sudo apt-get install xvfb xauth"
if dpkg-query -W -f='${Status}' deep-live-face 2>/dev/null | grep -q "install ok installed"; then
  fail "deep-live-face is installed already; remove it first (sudo apt-get remove deep-live-face)"
fi

if pgrep -f 'deep-live-face-engine.jar' >/dev/null; then
  fail "an engine runs already (it would answer the filter instead of the package's): stop it first"
fi

home=$(mktemp -d /tmp/dlf-deb-home-XXXXXX)
obs_session="" # OBS, its Xvfb and xvfb-run share one session, so they stop together
cleanup() {
  [ -n "$obs_session" ] && pkill -KILL -s "$obs_session" 2>/dev/null || true
  pkill -f '/usr/lib/deep-live-face/engine/' 2>/dev/null || true
  rm -rf "$home"
  if dpkg-query -W -f='${Status}' deep-live-face 2>/dev/null | grep -q "install ok installed"; then
    apt-get remove -y -q deep-live-face >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP # dash runs the EXIT trap only on exit: make a signal one

echo "== installing $deb"
apt-get install -y -q "$(realpath "$deb")" >/dev/null
plugin=/usr/lib/x86_64-linux-gnu/obs-plugins/deep-live-face.so
launcher=/usr/lib/deep-live-face/engine/bin/deep-live-face-engine
for f in "$plugin" "$launcher" /usr/share/obs/obs-plugins/deep-live-face/locale/en-US.ini; do
  [ -e "$f" ] || fail "the package did not install $f"
done
dpkg -L deep-live-face > "$home/installed-files"
echo "   $(wc -l < "$home/installed-files") paths, $(du -sm /usr/lib/deep-live-face | cut -f1) MB under /usr/lib/deep-live-face"
version=$("$launcher" --version 2>&1) || fail "$launcher --version failed: $version"
echo "   $launcher --version: $version"

# OBS's first-run wizard off, and one scene whose colour source carries the filter with its settings untouched.
config="$home/.config/obs-studio"
mkdir -p "$config/basic/scenes"
cat > "$config/global.ini" <<'EOF'
[General]
FirstRun=true
LastVersion=486539264
[Basic]
Profile=Check
ProfileDir=Check
SceneCollection=Check
SceneCollectionFile=Check
EOF
cat > "$config/basic/scenes/Check.json" <<'EOF'
{
  "name": "Check",
  "current_scene": "Scene",
  "current_program_scene": "Scene",
  "scene_order": [{"name": "Scene"}],
  "sources": [
    {"id": "color_source_v3", "versioned_id": "color_source_v3", "name": "Colour",
     "settings": {"width": 640, "height": 360, "color": 4283215696},
     "filters": [{"id": "deep_live_face_filter", "versioned_id": "deep_live_face_filter",
                  "name": "Deep Live Face", "settings": {}}]},
    {"id": "scene", "versioned_id": "scene", "name": "Scene",
     "settings": {"id_counter": 1, "items": [{"name": "Colour", "id": 1, "visible": true}]}}
  ]
}
EOF

echo "== starting OBS Studio ($(obs --version 2>/dev/null | head -n 1)) on Xvfb"
# Only the throw-away HOME decides where the token goes (root's own XDG_RUNTIME_DIR or DLF_TOKEN_FILE would not).
env -u XDG_RUNTIME_DIR -u DLF_TOKEN_FILE HOME="$home" XDG_CONFIG_HOME="$home/.config" LIBGL_ALWAYS_SOFTWARE=1 setsid \
  xvfb-run -a -s "-screen 0 1280x720x24 -nolisten tcp" \
  obs --multi --disable-updater --disable-shutdown-check --disable-missing-files-check \
  > "$home/obs-stdout.txt" 2>&1 &
obs_session=$!

log() { cat "$config"/logs/*.txt 2>/dev/null || true; }
wait_for() { # pattern, seconds
  i=0
  while [ "$i" -lt "$2" ]; do
    log | grep -q "$1" && return 0
    pgrep -s "$obs_session" >/dev/null || { tail -n 30 "$home/obs-stdout.txt" >&2; fail "OBS exited early"; }
    sleep 1; i=$((i + 1))
  done
  log | tail -n 40 >&2
  fail "no '$1' in OBS's log within $2 s"
}

wait_for "\[deep-live-face\] module loaded" 60
echo "   $(log | grep -m 1 '\[deep-live-face\] module loaded' | sed 's/^[^[]*//')"
wait_for "\[deep-live-face\] started the engine" 60
started=$(log | grep -m 1 '\[deep-live-face\] started the engine' | sed 's/^[^[]*//')
echo "   $started"
echo "$started" | grep -q "/usr/lib/deep-live-face/engine/" || fail "the engine was not started from the package's bundle"
wait_for "\[deep-live-face\] connected to the engine" 120
echo "   $(log | grep -m 1 '\[deep-live-face\] connected to the engine' | sed 's/^[^[]*//')"
pgrep -f '/usr/lib/deep-live-face/engine/' >/dev/null || fail "no engine process from the package's bundle is running"

# OBS killed, as in a crash: no module unload stops the engine, so it must notice by itself (--owner-pid).
echo "== killing OBS (SIGKILL)"
token="$home/.config/deep-live-face/token"
[ -f "$token" ] || fail "the engine wrote no token at $token"
pkill -KILL -s "$obs_session" -x obs || fail "OBS is not running"
i=0
while pgrep -f '/usr/lib/deep-live-face/engine/' >/dev/null && [ "$i" -lt 15 ]; do sleep 1; i=$((i + 1)); done
pgrep -f '/usr/lib/deep-live-face/engine/' >/dev/null && fail "the engine still runs $i s after OBS ended"
[ -f "$token" ] && fail "the engine stopped but left its token at $token"
noticed=$(grep -m 1 'has ended: stopping' "$config/plugin_config/deep-live-face/engine.log" || true)
[ -n "$noticed" ] || fail "the engine stopped, but not because it saw OBS end (see engine.log)"
echo "   the engine stopped within $i s of OBS, and removed its token: $(echo "$noticed" | sed 's/^.*WARN *//')"
pkill -KILL -s "$obs_session" 2>/dev/null || true
obs_session=""

echo "== removing the package"
apt-get remove -y -q deep-live-face >/dev/null
left=""
while read -r path; do
  [ -f "$path" ] && left="$left $path"
done < "$home/installed-files"
[ -z "$left" ] || fail "apt-get remove left files behind:$left"
echo "deb-install-check: OK: installed, loaded into OBS Studio, engine started from the package and stopped with OBS, removed"
