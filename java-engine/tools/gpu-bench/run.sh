#!/usr/bin/env bash
# Deep Live Face engine: GPU pipeline benchmark, run ON the GPU machine from the repository root, after every
# .gpu/parts/partNN was copied to /tmp/parts by earlier calls (see java-engine/tools/gpu-bench/HOWTO.md; the
# bundle, its parts and this script travel in the git-ignored .gpu/ folder; make-parts.sh writes them and puts the
# archive's SHA-256 into .gpu/run.sh).
#
#   bash .gpu/run.sh                      the three default cases below
#   bash .gpu/run.sh "ARGS" ["ARGS" ...]  instead, one case per argument: the `bench pipeline` options, e.g.
#                                         bash .gpu/run.sh "--provider gpu --size 1920x1080 --frames 300 --cost-scale 1 --fps 60"
# Environment (all optional):
#   OUT           results folder (default: $OUT of the device call, else /tmp/out)
#   PARTS_DIR     where the parts are (default /tmp/parts); BUNDLE_DIR where to unpack (default /tmp/bundle)
#   CASE_TIMEOUT  seconds per case (default 150); TOTAL_BUDGET seconds for the whole script (default 340: cases
#                 get min(CASE_TIMEOUT, what is left - 10) and are skipped under 20 s left); PYTHON: python3 with onnx+numpy (default: the first that works)
#   FORCE_CPU=1   run every case with --provider cpu (a check of the script itself, on any machine)
#   ALLOW_CPU_FALLBACK=1  do not stop a --provider gpu case whose models land on the CPU
#   CUDA_LIB_DIRS colon-separated folders with libcublas*.so.13 and libcudnn*.so.9, which the bundle cannot carry
#                 (default: found under the python venv's nvidia package, else by `find /`); the bundle's own
#                 lib/gpu-natives has the CUDA runtime, NVRTC and nvJitLink
#   JAVA_OPTS     extra JVM options
#   STUB_GTK_DIR  folder of empty GTK 2 stand-ins (see HOWTO.md), to measure optical-flow tracking on a machine
#                 without GTK 2
# Output (under $OUT): results.jsonl (one line per case: {"case","args","rc","seconds","result":<bench JSON>|null}),
#                      run.log (progress, environment, every case's stderr).
set -u
set -o pipefail

EXPECTED_SHA256="${EXPECTED_SHA256:-set-by-make-parts.sh}"
PARTS_DIR="${PARTS_DIR:-/tmp/parts}"
BUNDLE_DIR="${BUNDLE_DIR:-/tmp/bundle}"
# The engine's own classes from the tree being measured, when carried as .gpu/overlay.jar, go before the bundle's.
OVERLAY="$(cd "$(dirname "$0")" && pwd)/overlay.jar"
CLASSPATH_JARS="$BUNDLE_DIR/lib/deep-live-face-engine.jar"
[ -f "$OVERLAY" ] && CLASSPATH_JARS="$OVERLAY:$CLASSPATH_JARS"
OUT="${OUT:-/tmp/out}"
CASE_TIMEOUT="${CASE_TIMEOUT:-150}"
TOTAL_BUDGET="${TOTAL_BUDGET:-340}"   # seconds for the whole script; a case gets at most what is left
T0=$(date +%s)
mkdir -p "$OUT"
LOG="$OUT/run.log"
RESULTS="$OUT/results.jsonl"
: > "$RESULTS"
: > "$LOG"

say() { printf '[%s +%3ds] %s\n' "$(date +%H:%M:%S)" "$(( $(date +%s) - T0 ))" "$*" | tee -a "$LOG"; }
die() { say "FATAL: $*"; say "done (failed)"; exit 1; }

say "run.sh start on $(hostname) ($(uname -srm)); OUT=$OUT"

# --- 1. verify and unpack ------------------------------------------------------------------------------------------
if [ -f "$BUNDLE_DIR/.bundle-sha256" ] && [ "$(cat "$BUNDLE_DIR/.bundle-sha256")" = "$EXPECTED_SHA256" ] \
        && [ -x "$BUNDLE_DIR/runtime/bin/java" ]; then
    say "bundle already unpacked in $BUNDLE_DIR (sha256 $EXPECTED_SHA256): reusing it"
else
    # Parts still carried in this checkout (.gpu/parts/) count too.
    if [ -d .gpu/parts ]; then mkdir -p "$PARTS_DIR" && cp -n .gpu/parts/part* "$PARTS_DIR"/ 2>/dev/null; fi
    ls -la "$PARTS_DIR" >> "$LOG" 2>&1 || die "no parts folder $PARTS_DIR"
    shopt -s nullglob
    parts=("$PARTS_DIR"/part*)
    shopt -u nullglob
    [ ${#parts[@]} -gt 0 ] || die "no $PARTS_DIR/part* files"
    say "checking sha256 of ${#parts[@]} parts: ${parts[*]##*/}"
    got=$(cat "${parts[@]}" | sha256sum | cut -d' ' -f1)
    [ "$got" = "$EXPECTED_SHA256" ] || die "sha256 mismatch: got $got, expected $EXPECTED_SHA256 (a part missing or cut?)"
    say "sha256 ok; unpacking to $BUNDLE_DIR"
    rm -rf "$BUNDLE_DIR" && mkdir -p "$BUNDLE_DIR" || die "cannot create $BUNDLE_DIR"
    cat "${parts[@]}" | xz -dc -T0 | tar -C "$BUNDLE_DIR" -xf - || die "unpacking failed"
    echo "$EXPECTED_SHA256" > "$BUNDLE_DIR/.bundle-sha256"
    say "unpacked: $(du -sh "$BUNDLE_DIR" | cut -f1)"
fi
JAVA="$BUNDLE_DIR/runtime/bin/java"
NATIVES="$BUNDLE_DIR/lib/gpu-natives"
"$JAVA" -version >> "$LOG" 2>&1 || die "the bundled java does not run (glibc >= 2.34 and libz.so.1 needed): $("$JAVA" -version 2>&1 | head -3)"

# --- 2. CUDA libraries --------------------------------------------------------------------------------------------
if [ -z "${FORCE_CPU:-}" ]; then
    say "nvidia-smi -L:"
    ( nvidia-smi -L || echo "(nvidia-smi failed)" ) 2>&1 | tee -a "$LOG"
    nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used,utilization.gpu --format=csv >> "$LOG" 2>&1
fi
PY_CANDIDATES=("${PYTHON:-}" "${VIRTUAL_ENV:+$VIRTUAL_ENV/bin/python3}" python3 "$(command -v python3 2>/dev/null)" /usr/bin/python3 /usr/local/bin/python3)
CUDA_DIRS="${CUDA_LIB_DIRS:-}"
if [ -z "$CUDA_DIRS" ]; then
    for py in "${PY_CANDIDATES[@]}"; do
        [ -n "$py" ] || continue
        dirs=$("$py" - 2>/dev/null <<'EOF'
import os
try:
    import nvidia
except Exception:
    raise SystemExit(0)
found = []
for root in list(nvidia.__path__):
    for sub in ("cu13/lib", "cudnn/lib", "cublas/lib", "cufft/lib"):
        d = os.path.join(root, sub)
        if os.path.isdir(d) and d not in found:
            found.append(d)
print(":".join(found))
EOF
)
        if [ -n "$dirs" ]; then CUDA_DIRS="$dirs"; say "CUDA dirs from $py's nvidia package: $CUDA_DIRS"; break; fi
    done
fi
if [ -z "$CUDA_DIRS" ]; then
    say "no python nvidia package found; searching / for libcudart.so.13, libcublasLt.so.13, libcudnn.so.9, libcufft.so.12 (<= 90 s)"
    while read -r f; do
        d=$(dirname "$f")
        case ":$CUDA_DIRS:" in *":$d:"*) ;; *) CUDA_DIRS="${CUDA_DIRS:+$CUDA_DIRS:}$d";; esac
    done < <(timeout 90 find / \( -path /proc -o -path /sys -o -path /dev -o -path "$BUNDLE_DIR" \) -prune -o \
        \( -name 'libcudart.so.13*' -o -name 'libcublasLt.so.13*' -o -name 'libcudnn.so.9*' -o -name 'libcufft.so.12*' \) \
        -print 2>/dev/null | sort)
    say "CUDA dirs found by search: ${CUDA_DIRS:-(none)}"
fi
# The engine loads the CUDA libraries itself (onnx/gpu/GpuRuntime): its natives folder, then DLF_CUDA_LIBS. No
# LD_LIBRARY_PATH for CUDA: the run proves the product's own loading. LDPATH is only for the ldd checks below.
# DLF_GPU_NATIVES because an overlay jar first on the class path would hide the folder beside the bundle's jar.
export DLF_GPU_NATIVES="$NATIVES"
LDPATH="$NATIVES${CUDA_DIRS:+:$CUDA_DIRS}"
# cuFFT: the CUDA provider links it but calls it only for FFT operators, which these models lack. Without a real
# libcufft.so.12, a stand-in (bundle stub/) lets the provider load.
if ! LD_LIBRARY_PATH="$LDPATH" ldd "$NATIVES/libonnxruntime_providers_cuda.so" 2>/dev/null \
        | grep -q 'libcufft.so.12 => /'; then
    say "no libcufft.so.12 found: using the bundle's stand-in (stub/libcufft.so.12; FFT ops would fail)"
    CUDA_DIRS="${CUDA_DIRS:+$CUDA_DIRS:}$BUNDLE_DIR/stub"
    LDPATH="$LDPATH:$BUNDLE_DIR/stub"
fi
export DLF_CUDA_LIBS="$CUDA_DIRS"
say "DLF_GPU_NATIVES=$DLF_GPU_NATIVES DLF_CUDA_LIBS=$DLF_CUDA_LIBS"
# STUB_GTK_DIR: empty stand-ins for the GTK 2 sonames this machine lacks, so OpenCV's highgui (and with it the
# video module's optical flow) loads; its GUI functions are never called. A measuring aid only.
if [ -n "${STUB_GTK_DIR:-}" ]; then
    mkdir -p /tmp/stubgtk-used
    for f in "$STUB_GTK_DIR"/*.so*; do
        n=$(basename "$f")
        if ! ldconfig -p | grep -q " $n "; then cp "$f" /tmp/stubgtk-used/; fi
    done
    say "GTK 2 stand-ins used: $(ls /tmp/stubgtk-used | tr '\n' ' ')"
    export LD_LIBRARY_PATH="${LD_LIBRARY_PATH:+$LD_LIBRARY_PATH:}/tmp/stubgtk-used"
fi
say "LD_LIBRARY_PATH=${LD_LIBRARY_PATH:-} (GTK stand-ins only)"
{
    echo "== ldd natives/libonnxruntime_providers_cuda.so"
    LD_LIBRARY_PATH="$LDPATH" ldd "$NATIVES/libonnxruntime_providers_cuda.so" 2>&1
    for d in ${CUDA_DIRS//:/ }; do echo "== ls $d"; ls "$d" 2>&1; done
} >> "$LOG"
missing=$(LD_LIBRARY_PATH="$LDPATH" ldd "$NATIVES/libonnxruntime_providers_cuda.so" 2>&1 | grep 'not found' | awk '{print $1}' | tr '\n' ' ')
if [ -n "$missing" ]; then
    say "WARNING: the CUDA provider's libraries not found: $missing-> --provider gpu falls back to CPU"
else
    say "CUDA provider's libraries all resolve"
fi
for lib in libcudnn_graph.so.9 libcudnn_engines_precompiled.so.9 libcudnn_engines_runtime_compiled.so.9 libcudnn_ops.so.9 \
        libcudnn_cnn.so.9 libnvrtc.so.13 libnvJitLink.so.13; do
    found=""
    for d in ${CUDA_DIRS//:/ }; do [ -e "$d/$lib" ] && found="$d/$lib" && break; done
    echo "dlopen'ed later: $lib -> ${found:-NOT FOUND}" >> "$LOG"
done

# --- 3. cost-matched models, generated here with a python3 that has onnx+numpy (the engine itself would call
#        /usr/bin/python3, which may lack them; it reuses what is in target/cost-matched-models/) ------------------
PY=""
for py in "${PY_CANDIDATES[@]}"; do
    [ -n "$py" ] || continue
    if "$py" -c 'import onnx, numpy' >/dev/null 2>&1; then PY="$py"; break; fi
done
say "python with onnx+numpy: ${PY:-NONE} $( [ -n "$PY" ] && "$PY" -c 'import sys, onnx, numpy; print(sys.version.split()[0], "onnx", onnx.__version__, "numpy", numpy.__version__)')"

# --- 4. the cases -------------------------------------------------------------------------------------------------
if [ $# -gt 0 ]; then
    CASES=("$@")
else
    CASES=(
        "--provider gpu --size 1920x1080 --faces 1 --frames 300 --cost-scale 1 --fps 60"
        "--provider gpu --size 1920x1080 --faces 1 --frames 300 --cost-scale 1 --fps 0"
        "--provider gpu --size 1920x1080 --faces 6 --frames 120 --cost-scale 1 --fps 0"
        "--provider gpu --size 1920x1080 --faces 1 --frames 120 --cost-scale 1 --fps 0 --pixel-boost 256"
    )
fi

scale_of() { # the --cost-scale of a case's arguments (the bench's default 0.02)
    local s=0.02 prev=""
    for a in $1; do
        case "$a" in --cost-scale=*) s="${a#--cost-scale=}";; esac
        [ "$prev" = "--cost-scale" ] && s="$a"
        prev="$a"
    done
    echo "$s"
}
ensure_models() { # $1 scale: writes target/cost-matched-models/scale-%.4f like CostMatchedModels.generate
    local dir="$BUNDLE_DIR/target/cost-matched-models/scale-$(LC_ALL=C printf '%.4f' "$1")"
    if [ -f "$dir/cost.json" ] && [ -f "$dir/inswapper_128_cost.onnx" ] && [ -f "$dir/gpen_bfr_256_cost.onnx" ] \
            && [ -f "$dir/gpen_bfr_256_cost_b1.onnx" ]; then
        return 0
    fi
    if [ -z "$PY" ]; then say "no python3 with onnx+numpy: the engine will try /usr/bin/python3 itself"; return 0; fi
    say "generating cost-matched models at scale $1 into $dir"
    if timeout 120 "$PY" "$BUNDLE_DIR/tools/cost_matched_models.py" "$dir" --scale "$1" >> "$LOG" 2>&1; then
        say "models: $(tr -d ' \n' < "$dir/cost.json" | cut -c1-400)"
    else
        say "WARNING: generating the models at scale $1 failed (see log above)"
    fi
}

n=0
for args in "${CASES[@]}"; do
    n=$((n + 1))
    if [ -n "${FORCE_CPU:-}" ]; then
        args=$(echo " $args " | sed -E 's/ --provider[ =](gpu|cpu) / /g; s/^ +| +$//g')
        args="--provider cpu $args"
    fi
    ensure_models "$(scale_of "$args")"
    name="case$n"
    left=$(( TOTAL_BUDGET - ($(date +%s) - T0) - 10 ))
    limit=$CASE_TIMEOUT; [ "$left" -lt "$limit" ] && limit=$left
    if [ "$left" -lt 20 ]; then
        say "$name SKIPPED: only ${left}s left of TOTAL_BUDGET=${TOTAL_BUDGET}s: bench pipeline $args"
        printf '{"case":"%s","args":"%s","rc":-1,"seconds":0,"skipped":true,"result":null}\n' "$name" "$args" >> "$RESULTS"
        continue
    fi
    say "$name start (timeout ${limit}s): bench pipeline $args"
    echo "----- $name stderr -----" >> "$LOG"
    errf="$OUT/.$name.err"; outf="$OUT/.$name.out"
    : > "$errf"
    start=$(date +%s)
    # shellcheck disable=SC2086
    ( cd "$BUNDLE_DIR" && exec timeout -k 10 "$limit" "$JAVA" ${JAVA_OPTS:-} \
        -Dorg.slf4j.simpleLogger.defaultLogLevel=info \
        -cp "$CLASSPATH_JARS" app.deeplive.engine.cli.Main bench pipeline --shared "$BUNDLE_DIR/shared" $args ) > "$outf" 2> "$errf" &
    pid=$!
    fallback=false
    while kill -0 "$pid" 2>/dev/null; do
        if [ -z "${ALLOW_CPU_FALLBACK:-}" ] && [[ " $args " == *" --provider gpu "* ]] \
                && grep -q 'running on CPU' "$errf" 2>/dev/null; then
            fallback=true
            say "$name: a model landed on the CPU under --provider gpu: stopping it (ALLOW_CPU_FALLBACK=1 lets it run)"
            kill -TERM "$pid" 2>/dev/null   # timeout passes it on to java
            for _ in 1 2 3 4 5; do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
            pkill -KILL -P "$pid" 2>/dev/null; kill -KILL "$pid" 2>/dev/null
            break
        fi
        sleep 1
    done
    wait "$pid"; rc=$?
    secs=$(( $(date +%s) - start ))
    cat "$errf" >> "$LOG"
    grep -E 'OrtSessions|WARN|ERROR|Exception|rror:' "$errf" | grep -v '^\s*at ' | head -20 | sed "s/^/    /" | tee -a "$LOG"
    line=$(grep -m1 '^{' "$outf" || true)
    [ -n "$line" ] || line=null
    esc=$(printf '%s' "$args" | sed 's/\\/\\\\/g; s/"/\\"/g')
    printf '{"case":"%s","args":"%s","rc":%d,"seconds":%d,"cpu_fallback_stopped":%s,"result":%s}\n' \
        "$name" "$esc" "$rc" "$secs" "$fallback" "$line" >> "$RESULTS"
    if [ "$line" = null ]; then
        say "$name ended: rc=$rc after ${secs}s, no JSON (stdout: $(head -c 300 "$outf" | tr '\n' ' ')); stderr's end:"
        { grep -E 'rror|xception|Unknown|Missing|Invalid|must|cannot|not found' "$errf" | grep -v '^\s*at ' | head -4
          grep -v '^\s*at \|^\s*\.\.\. [0-9]* more' "$errf" | tail -3; } | cut -c1-700 | sed "s/^/    /" | tee -a "$LOG"
    else
        say "$name ended: rc=$rc after ${secs}s: $(echo "$line" | cut -c1-600)"
    fi
    rm -f "$errf" "$outf"
done
say "done: $n case(s); results in $RESULTS, log in $LOG"
