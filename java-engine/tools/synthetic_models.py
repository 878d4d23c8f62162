#!/usr/bin/python3
"""Writes small ONNX models with exactly the production models' signatures, for the engine's tests and benchmarks.

The production swapper, enhancers and landmark model cannot be shipped or run here, so the tests drive the engine's
real code paths with these stand-ins whose outputs are known functions of their inputs:

  inswapper_128.onnx       target [1,3,128,128] f32, source [1,512] f32 -> output [1,3,128,128] f32
                           output = clip(target + SWAP_GAIN * source[0, c], 0, 1) for channel c (RGB order);
                           initializers: a decoy 512x512 matrix, SWAP_GAIN, then emap (512x512, LAST, unused by the
                           graph exactly like insightface's export) with emap[i][j] = sin(0.37 i + 0.011 j + 0.05 ((i j) mod 13)).
  inswapper_128_fp16.onnx  the same function with float16 inputs, output and emap (like fp16 exports).
  hyperswap_256.onnx       FaceFusion's HyperSwap I/O: source [1,512] f32 (declared first), target [1,3,256,256] f32
                           in [-1,1] -> output [1,3,256,256] f32 = clip(target + SWAP_GAIN * source[0, c], -1, 1) for
                           channel c (RGB), and mask [1,1,256,256] f32 = 1 (not read by the engine); no emap: the
                           source is the normed embedding itself.
  gfpgan_1.4.onnx          input [1,3,512,512] -> output [1,3,512,512], output = -input (so the enhanced face is the
  gpen_bfr_256.onnx        colour negative: 255 - pixel after the contract's [-1,1] mapping); 256 for gpen_bfr_256.
  gpen_bfr_512.onnx
  gpen_bfr_256_batch.onnx  the same as gpen_bfr_256 with a dynamic batch dimension, input [N,3,256,256] -> output
                           [N,3,256,256] (some exports allow it; the engine then enhances all faces in one run).
  2d106det.onnx            data [1,3,192,192] -> fc1 [1,212]: a constant landmark layout in [-1,1] (input ignored):
                           mouth points 52..63 on an ellipse centred (0, MOUTH_CY) with radii (MOUTH_RX, MOUTH_RY),
                           all other points on a circle of radius 0.6.
  arcface_512.onnx         input.1 [1,3,112,112] -> 683 [1,512] (w600k_r50's names): 8x8 average pooling, then a fixed
                           588x512 projection W[i][j] = sin(0.7 i + 1.3 j). A 512-d recogniser stand-in so the swap
                           command can be run end to end (the shared test recogniser is 128-d; inswapper needs 512).

  xseg_occluder.onnx       input [1,256,256,3] f32 (NHWC, BGR, 0..1; FaceFusion's xseg contract) -> output
                           [1,256,256,1] f32, output = clip(1 + OCCLUDER_GAIN * (R - B), 0, 1): 1 (face) where a
                           pixel is redder than blue, as skin is, 0 (something in front of the face) where it is
                           clearly blue.

I/O names follow the real files: inswapper `target`/`source` (insightface inswapper.py feeds them by these names);
GFPGAN/GPEN ONNX exports `input` -> `output` (the engine takes the first input/output whatever their names);
2d106det `data` -> `fc1` (buffalo_l). Usage: synthetic_models.py OUTPUT_DIR. Deterministic: no randomness.
"""
import argparse
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
SWAP_GAIN = 4.0
MOUTH_CY, MOUTH_RX, MOUTH_RY = 0.33, 0.22, 0.10
OCCLUDER_GAIN = 4.0


def emap():
    i = np.arange(512, dtype=np.float64)[:, None]
    j = np.arange(512, dtype=np.float64)[None, :]
    ij = (np.arange(512)[:, None] * np.arange(512)[None, :]) % 13
    return np.sin(0.37 * i + 0.011 * j + 0.05 * ij).astype(np.float32)


def decoy():
    # Same shape as emap, different values: a reader that picks the wrong initializer fails the tests.
    return np.full((512, 512), 0.5, dtype=np.float32)


def save(model, out_dir, name):
    onnx.checker.check_model(model)
    path = os.path.join(out_dir, name)
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def model_of(graph):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dlf-synthetic")
    model.ir_version = 7  # readable by every ONNX Runtime the engine supports
    return model


def inswapper(fp16):
    io = TensorProto.FLOAT16 if fp16 else TensorProto.FLOAT
    np_type = np.float16 if fp16 else np.float32
    inits = [
        numpy_helper.from_array(decoy().astype(np_type), "decoy"),
        numpy_helper.from_array(np.array([SWAP_GAIN], dtype=np.float32), "gain"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "starts"),
        numpy_helper.from_array(np.array([3], dtype=np.int64), "ends"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
        numpy_helper.from_array(np.array([1, 3, 1, 1], dtype=np.int64), "offset_shape"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "lo"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "hi"),
        numpy_helper.from_array(emap().astype(np_type), "emap"),  # LAST, unused, like the real export
    ]
    nodes = [
        helper.make_node("Cast", ["target"], ["target_f"], to=TensorProto.FLOAT),
        helper.make_node("Cast", ["source"], ["source_f"], to=TensorProto.FLOAT),
        helper.make_node("Slice", ["source_f", "starts", "ends", "axes"], ["rgb_latent"]),
        helper.make_node("Mul", ["rgb_latent", "gain"], ["offset_flat"]),
        helper.make_node("Reshape", ["offset_flat", "offset_shape"], ["offset"]),
        helper.make_node("Add", ["target_f", "offset"], ["shifted"]),
        helper.make_node("Clip", ["shifted", "lo", "hi"], ["clipped"]),
        helper.make_node("Cast", ["clipped"], ["output"], to=io),
    ]
    graph = helper.make_graph(
        nodes, "inswapper_128_synthetic",
        [helper.make_tensor_value_info("target", io, [1, 3, 128, 128]),
         helper.make_tensor_value_info("source", io, [1, 512])],
        [helper.make_tensor_value_info("output", io, [1, 3, 128, 128])],
        initializer=inits)
    return model_of(graph)


def hyperswap():
    inits = [
        numpy_helper.from_array(np.array([SWAP_GAIN], dtype=np.float32), "gain"),
        numpy_helper.from_array(np.array([0], dtype=np.int64), "starts"),
        numpy_helper.from_array(np.array([3], dtype=np.int64), "ends"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "axes"),
        numpy_helper.from_array(np.array([1, 3, 1, 1], dtype=np.int64), "offset_shape"),
        numpy_helper.from_array(np.array(-1.0, dtype=np.float32), "lo"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "hi"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "one_channel"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        helper.make_node("Slice", ["source", "starts", "ends", "axes"], ["rgb_source"]),
        helper.make_node("Mul", ["rgb_source", "gain"], ["offset_flat"]),
        helper.make_node("Reshape", ["offset_flat", "offset_shape"], ["offset"]),
        helper.make_node("Add", ["target", "offset"], ["shifted"]),
        helper.make_node("Clip", ["shifted", "lo", "hi"], ["output"]),
        helper.make_node("Slice", ["target", "starts", "one_channel", "axes"], ["first_channel"]),
        helper.make_node("Mul", ["first_channel", "zero"], ["zeros"]),
        helper.make_node("Add", ["zeros", "hi"], ["mask"]),
    ]
    graph = helper.make_graph(
        nodes, "hyperswap_256_synthetic",
        [helper.make_tensor_value_info("source", TensorProto.FLOAT, [1, 512]),
         helper.make_tensor_value_info("target", TensorProto.FLOAT, [1, 3, 256, 256])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 3, 256, 256]),
         helper.make_tensor_value_info("mask", TensorProto.FLOAT, [1, 1, 256, 256])],
        initializer=inits)
    return model_of(graph)


def negating_enhancer(size, batch=1):
    graph = helper.make_graph(
        [helper.make_node("Neg", ["input"], ["output"])], "face_enhancer_synthetic",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 3, size, size])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [batch, 3, size, size])])
    return model_of(graph)


def landmarks_106():
    pts = np.zeros((106, 2), dtype=np.float32)
    for k in range(106):
        a = 2 * math.pi * k / 106
        pts[k] = (0.6 * math.cos(a), 0.6 * math.sin(a))
    for m in range(12):
        a = 2 * math.pi * m / 12
        pts[52 + m] = (MOUTH_RX * math.cos(a), MOUTH_CY + MOUTH_RY * math.sin(a))
    inits = [
        numpy_helper.from_array(pts.reshape(1, 212), "layout"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        # The output must depend on the input for the graph to be valid; multiplying its mean by 0 keeps it constant.
        helper.make_node("ReduceMean", ["data"], ["mean"], keepdims=0),
        helper.make_node("Mul", ["mean", "zero"], ["nothing"]),
        helper.make_node("Add", ["layout", "nothing"], ["fc1"]),
    ]
    graph = helper.make_graph(
        nodes, "landmark_2d106_synthetic",
        [helper.make_tensor_value_info("data", TensorProto.FLOAT, [1, 3, 192, 192])],
        [helper.make_tensor_value_info("fc1", TensorProto.FLOAT, [1, 212])],
        initializer=inits)
    return model_of(graph)


def occluder():
    """FaceFusion's xseg_1/2/3 contract: NHWC BGR in 0..1 named 'input', a one-channel 0..1 mask out."""
    inits = [
        numpy_helper.from_array(np.array([0], dtype=np.int64), "b_at"),
        numpy_helper.from_array(np.array([1], dtype=np.int64), "b_end"),
        numpy_helper.from_array(np.array([2], dtype=np.int64), "r_at"),
        numpy_helper.from_array(np.array([3], dtype=np.int64), "r_end"),
        numpy_helper.from_array(np.array([3], dtype=np.int64), "channel_axis"),
        numpy_helper.from_array(np.array(OCCLUDER_GAIN, dtype=np.float32), "gain"),
        numpy_helper.from_array(np.array(1.0, dtype=np.float32), "one"),
        numpy_helper.from_array(np.array(0.0, dtype=np.float32), "zero"),
    ]
    nodes = [
        helper.make_node("Slice", ["input", "b_at", "b_end", "channel_axis"], ["b"]),
        helper.make_node("Slice", ["input", "r_at", "r_end", "channel_axis"], ["r"]),
        helper.make_node("Sub", ["r", "b"], ["redder"]),
        helper.make_node("Mul", ["redder", "gain"], ["scaled"]),
        helper.make_node("Add", ["scaled", "one"], ["raw"]),
        helper.make_node("Clip", ["raw", "zero", "one"], ["output"]),
    ]
    graph = helper.make_graph(
        nodes, "xseg_occluder_synthetic",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 256, 256, 3])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [1, 256, 256, 1])],
        initializer=inits)
    return model_of(graph)


def recogniser_512():
    i = np.arange(588, dtype=np.float64)[:, None]
    j = np.arange(512, dtype=np.float64)[None, :]
    w = np.sin(0.7 * i + 1.3 * j).astype(np.float32)
    inits = [
        numpy_helper.from_array(w, "projection"),
    ]
    nodes = [
        helper.make_node("AveragePool", ["input.1"], ["pooled"], kernel_shape=[8, 8], strides=[8, 8]),
        helper.make_node("Flatten", ["pooled"], ["flat"], axis=1),
        helper.make_node("MatMul", ["flat", "projection"], ["683"]),
    ]
    graph = helper.make_graph(
        nodes, "arcface_512_synthetic",
        [helper.make_tensor_value_info("input.1", TensorProto.FLOAT, [1, 3, 112, 112])],
        [helper.make_tensor_value_info("683", TensorProto.FLOAT, [1, 512])],
        initializer=inits)
    return model_of(graph)


def main():
    parser = argparse.ArgumentParser(
        description="Write the synthetic stand-ins for the production models (inswapper fp32/fp16, GFPGAN, GPEN, "
        "2d106det, a 512-d recogniser; a dynamic-batch GPEN-256) into OUTPUT_DIR.")
    parser.add_argument("output_dir", metavar="OUTPUT_DIR")
    out = parser.parse_args().output_dir
    os.makedirs(out, exist_ok=True)
    save(inswapper(False), out, "inswapper_128.onnx")
    save(inswapper(True), out, "inswapper_128_fp16.onnx")
    save(hyperswap(), out, "hyperswap_256.onnx")
    save(negating_enhancer(512), out, "gfpgan_1.4.onnx")
    save(negating_enhancer(256), out, "gpen_bfr_256.onnx")
    save(negating_enhancer(512), out, "gpen_bfr_512.onnx")
    save(negating_enhancer(256, "N"), out, "gpen_bfr_256_batch.onnx")
    save(landmarks_106(), out, "2d106det.onnx")
    save(recogniser_512(), out, "arcface_512.onnx")
    save(occluder(), out, "xseg_occluder.onnx")


if __name__ == "__main__":
    main()
