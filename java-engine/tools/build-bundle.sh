#!/bin/bash
# Builds the self-contained engine for Linux x86-64: a folder and a .tar.gz of it that run without a Java install.
#   build-bundle.sh JAVA_HOME ENGINE_JAR BUNDLE_SRC OUT_DIR ARCHIVE MAX_MB [GPU_NATIVES]
# OUT_DIR/deep-live-face-engine/ gets runtime/ (a jlink image), lib/ (the engine jar, which carries only linux-x86_64 natives),
# bin/deep-live-face-engine and conf/; OUT_DIR/ARCHIVE (.tar.gz) holds that folder. Fails when the folder exceeds MAX_MB.
# The GPU build passes GPU_NATIVES (target/gpu-natives): it goes to lib/gpu-natives, beside the jar, where the engine
# looks for it by itself. The CUDA runtime libraries in it do not count towards MAX_MB (issue 13 sizes the GPU bundle
# without them): they are NVIDIA's, the same for every CUDA-13 program, and a user may take them from the system.
set -euo pipefail
java_home="$1" jar="$2" src="$3" out="$4" archive="$5" max_mb="$6" gpu_natives="${7:-}"
name=deep-live-face-engine
bundle="$out/$name"

# The modules the engine's classes and its libraries use, as jdeps finds them, except java.desktop: only JNA's AWT
# helpers and JavaCV's Java2D/Swing converters use it, which the engine never calls, and it is 10 MB of the runtime.
# jdk.crypto.ec is added by hand: nothing links it, but `models fetch` needs it for TLS with elliptic curves.
modules="$("$java_home/bin/jdeps" --ignore-missing-deps --print-module-deps --multi-release 17 "$jar")"
modules="$(echo "$modules" | tr ',' '\n' | grep -vx 'java.desktop' | paste -sd, -),jdk.crypto.ec"
echo "bundle: runtime modules $modules"

rm -rf "$bundle" "$out/$archive"
mkdir -p "$out"
"$java_home/bin/jlink" --add-modules "$modules" --strip-debug --no-man-pages --no-header-files --compress=2 \
  --output "$bundle/runtime"
mkdir -p "$bundle/lib"
cp "$jar" "$bundle/lib/deep-live-face-engine.jar"
cp -r "$src/bin" "$src/conf" "$bundle/"
chmod 755 "$bundle/bin/deep-live-face-engine"
cuda_mb=0
if [ -n "$gpu_natives" ]; then
  if [ ! -f "$gpu_natives/libonnxruntime_providers_cuda.so" ]; then
    echo "error: $gpu_natives has no libonnxruntime_providers_cuda.so; build the GPU bundle with 'mvn -Pgpu,bundle -DskipTests package'" >&2
    exit 1
  fi
  cp -r "$gpu_natives" "$bundle/lib/gpu-natives"
  shopt -s nullglob
  cuda_libs=("$bundle"/lib/gpu-natives/lib{cudart,cufft,cublas,cudnn,nvrtc,nvJitLink}*.so*)
  shopt -u nullglob
  [ ${#cuda_libs[@]} -eq 0 ] || cuda_mb=$(du -cm "${cuda_libs[@]}" | tail -1 | cut -f1)
  echo "bundle: lib/gpu-natives ($(du -sh "$bundle/lib/gpu-natives" | cut -f1), of which CUDA runtime libraries $cuda_mb MB)"
fi

size_mb=$(( $(du -sm "$bundle" | cut -f1) - cuda_mb ))
echo "bundle: $bundle ($(du -sh "$bundle" | cut -f1) unpacked, $size_mb MB without CUDA's own libraries)"
if [ "$size_mb" -gt "$max_mb" ]; then
  echo "error: the engine bundle is $size_mb MB, over its limit of $max_mb MB; see what grew with 'du -sh $bundle/*'" >&2
  exit 1
fi
# Owner and times fixed, so the archive only changes when its content does.
tar --owner=0 --group=0 --numeric-owner --mtime='2026-01-01 00:00Z' --sort=name -C "$out" -czf "$out/$archive" "$name"
echo "bundle: $out/$archive ($(du -h "$out/$archive" | cut -f1))"
