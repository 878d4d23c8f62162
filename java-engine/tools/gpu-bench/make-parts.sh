#!/usr/bin/env bash
# Packs the Maven-built GPU engine bundle for the GPU bench machine (no Java, no network, 64 MiB per device call):
#   mvn -B -Pgpu,bundle -DskipTests package -pl native-shim,java-engine
#   bash java-engine/tools/gpu-bench/make-parts.sh            → .gpu/parts/partNN, .gpu/run.sh (with the archive's hash)
# The archive holds the bundle (runtime/, lib/ with the jar and gpu-natives/, bin/, conf/), the cost-matched model
# generator, the real SCRFD 2.5g detector and two photos from ../shared, and a cuFFT stand-in. cuFFT itself (300 MB)
# is left out unless KEEP_CUFFT=1: no model here has an FFT, and the machine's CUDA folder may have it anyway.
# cuBLAS and cuDNN are not in the bundle (not on Maven Central): run.sh takes them from the machine's Python venv.
set -euo pipefail
root="$(git -C "$(dirname "$0")" rev-parse --show-toplevel)"
bundle="$root/java-engine/target/bundle/deep-live-face-engine"
shared="${DLF_SHARED_DIR:-$root/../shared}"
out="$root/.gpu"
part_size="${PART_SIZE:-38m}"
here="$(cd "$(dirname "$0")" && pwd)"

[ -f "$bundle/lib/gpu-natives/libonnxruntime_providers_cuda.so" ] \
    || { echo "error: no GPU bundle at $bundle: build it with 'mvn -B -Pgpu,bundle -DskipTests package -pl native-shim,java-engine'" >&2; exit 1; }
grep -qx '/.gpu/' "$root/.git/info/exclude" 2>/dev/null || echo /.gpu/ >> "$(git -C "$root" rev-parse --git-common-dir)/info/exclude"

src="$out/bundle-src"
rm -rf "$src" "$out/parts" "$out/bundle.tar.xz"
mkdir -p "$src/tools" "$src/shared/models" "$src/shared/photos" "$src/stub" "$out/parts"
cp -a "$bundle/." "$src/"
[ -n "${KEEP_CUFFT:-}" ] || rm -f "$src"/lib/gpu-natives/libcufft*
cp "$root/java-engine/tools/cost_matched_models.py" "$src/tools/"
cp "$shared/models/scrfd_2.5g_bnkps.onnx" "$src/shared/models/"
cp "$shared/photos/obama.jpg" "$shared/photos/t1.jpg" "$src/shared/photos/"
gcc -shared -fPIC -O2 -Wl,--version-script="$here/cufft_stub.map" -Wl,-soname,libcufft.so.12 \
    -o "$src/stub/libcufft.so.12" "$here/cufft_stub.c"

tar -C "$src" --owner=0 --group=0 --sort=name -cf - . | xz -T2 -6 > "$out/bundle.tar.xz"
split -b "$part_size" -d "$out/bundle.tar.xz" "$out/parts/part"
sha="$(sha256sum "$out/bundle.tar.xz" | cut -d' ' -f1)"
sed "s/^EXPECTED_SHA256=.*/EXPECTED_SHA256=\"\${EXPECTED_SHA256:-$sha}\"/" "$here/run.sh" > "$out/run.sh"
echo "bundle: $(du -sh "$src" | cut -f1) → $(du -h "$out/bundle.tar.xz" | cut -f1) xz, $(ls "$out/parts" | wc -l) parts of $part_size in $out/parts; sha256 $sha"
