#!/usr/bin/python3
"""Writes stand-ins for the production swapper and enhancer with their I/O AND roughly their compute, for benchmarks.

The synthetic test models (synthetic_models.py) prove the engine's arithmetic but cost next to nothing, so a pipeline
benchmark on them measures only the glue. These models cost what the real ones cost per face, so the stages are
loaded the way the real models would load them:

  inswapper_128_cost.onnx   target [N,3,128,128] f32, source [N,512] f32 -> output [N,3,128,128] f32 in [0,1];
                            the batch dimension N is dynamic (all faces of a frame in one run). Graph: two strided
                            3x3 convolutions down to 32x32, the source latent projected to a per-channel bias
                            (Gemm), K 3x3 convolutions of width C at 32x32, nearest upsampling, a 1x1 convolution and a
                            sigmoid. Last initializer: a 512x512 emap, like the real export.
  gpen_bfr_256_cost.onnx    input [N,3,256,256] f32 -> output [N,3,256,256] f32 in [-1,1] (tanh of the input plus
                            the network's correction); the same shape of network at 64x64; N dynamic, like the
                            swapper (the engine enhances all faces of a frame in one run).
  gpen_bfr_256_cost_b1.onnx the same network and weights with the batch fixed at 1, like most GPEN/GFPGAN exports
                            in circulation (the engine then runs once per face): to compare the two paths.
  cost.json                 per model: the target and the graph's own count of GFLOPs per face (2 x multiply-adds of
                            every Conv and Gemm), K and C.

Targets (GFLOPs per face, counting a multiply-add as 2): inswapper_128 174.7 (deepinsight/inswapper-512-live README:
138.3 M parameters, 174.7 GFLOPs); GPEN-BFR-256 40 (an estimate: its ONNX file is about 72 MB, ~18 M parameters; no
published FLOP count was found). --scale multiplies both (0.02 = 1/50 of the production cost, for CPU benchmarks).

Usage: cost_matched_models.py OUTPUT_DIR [--scale S] [--swapper-gflops G] [--enhancer-gflops G]
Deterministic: weights come from a fixed seed; the same arguments give byte-identical files.
"""
import argparse
import json
import math
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 13
SWAPPER_GFLOPS = 174.7
ENHANCER_GFLOPS = 40.0
SEED = 20261124


class Graph:
    """A growing ONNX graph that counts the FLOPs of one batch item as it goes."""

    def __init__(self, name, rng):
        self.name = name
        self.rng = rng
        self.nodes = []
        self.inits = []
        self.flops = 0
        self.count = 0

    def fresh(self, stem):
        self.count += 1
        return f"{stem}_{self.count}"

    def weight(self, shape, fan_in, gain=1.0):
        std = gain * math.sqrt(2.0 / fan_in)
        name = self.fresh("w")
        self.inits.append(numpy_helper.from_array(self.rng.normal(0.0, std, size=shape).astype(np.float32), name))
        return name

    def const(self, value, dtype=np.float32):
        name = self.fresh("c")
        self.inits.append(numpy_helper.from_array(np.array(value, dtype=dtype), name))
        return name

    def conv(self, x, cin, cout, k, stride, out_hw, gain=1.0):
        w = self.weight((cout, cin, k, k), cin * k * k, gain)
        y = self.fresh("conv")
        self.nodes.append(helper.make_node("Conv", [x, w], [y], kernel_shape=[k, k], strides=[stride, stride],
                                           pads=[k // 2] * 4))
        self.flops += 2 * cin * cout * k * k * out_hw * out_hw
        return y

    def op(self, kind, inputs, **attrs):
        y = self.fresh(kind.lower())
        self.nodes.append(helper.make_node(kind, inputs, [y], **attrs))
        return y

    def relu_conv(self, x, cin, cout, k, stride, out_hw, gain=1.0):
        return self.op("Relu", [self.conv(x, cin, cout, k, stride, out_hw, gain)])


def width_for(gflops, hw):
    """The widest body (up to 512 channels) that still takes at least 8 convolutions to reach the target."""
    for c in (512, 256, 128, 64, 32):
        if 8 * 2 * c * c * 9 * hw * hw <= gflops * 1e9:
            return c
    return 32


def body(g, x, c, hw, target_flops):
    """Adds 3x3 convolutions of width c at hw x hw until the graph reaches the target; returns (x, K)."""
    per_conv = 2 * c * c * 9 * hw * hw
    k = max(1, round((target_flops - g.flops - 2 * c * 3 * (4 * hw) ** 2) / per_conv))
    for _ in range(k):
        x = g.relu_conv(x, c, c, 3, 1, hw)
    return x, k


def upsample4(g, x):
    return g.op("Resize", [x, "", g.const([1.0, 1.0, 4.0, 4.0])], mode="nearest")


def swapper(gflops):
    g = Graph("inswapper_128_cost", np.random.default_rng(SEED))
    c = width_for(gflops, 32)
    stem = min(64, c)
    x = g.relu_conv("target", 3, stem, 3, 2, 64)
    x = g.relu_conv(x, stem, c, 3, 2, 32)
    # The identity steers the features: latent -> one bias per channel.
    w = g.weight((512, c), 512, 0.5)
    style = g.op("Gemm", ["source", w])
    g.flops += 2 * 512 * c
    style = g.op("Reshape", [style, g.const([-1, c, 1, 1], np.int64)])
    x = g.op("Add", [x, style])
    x, k = body(g, x, c, 32, gflops * 1e9)
    x = upsample4(g, x)
    x = g.conv(x, c, 3, 1, 1, 128, 0.1)
    g.nodes.append(helper.make_node("Sigmoid", [x], ["output"]))
    emap = np.random.default_rng(SEED + 1).normal(0, 1 / math.sqrt(512), size=(512, 512)).astype(np.float32)
    g.inits.append(numpy_helper.from_array(emap, "emap"))  # LAST, unused by the graph, like the real export
    graph = helper.make_graph(
        g.nodes, g.name,
        [helper.make_tensor_value_info("target", TensorProto.FLOAT, ["N", 3, 128, 128]),
         helper.make_tensor_value_info("source", TensorProto.FLOAT, ["N", 512])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, ["N", 3, 128, 128])],
        initializer=g.inits)
    return graph, g.flops, k, c


def enhancer(gflops, batch="N"):
    g = Graph("gpen_bfr_256_cost", np.random.default_rng(SEED + 2))
    c = width_for(gflops, 64)
    stem = min(32, c)
    x = g.relu_conv("input", 3, stem, 3, 2, 128)
    x = g.relu_conv(x, stem, c, 3, 2, 64)
    x, k = body(g, x, c, 64, gflops * 1e9)
    x = upsample4(g, x)
    x = g.conv(x, c, 3, 1, 1, 256, 0.05)
    x = g.op("Add", ["input", x])
    g.nodes.append(helper.make_node("Tanh", [x], ["output"]))
    graph = helper.make_graph(
        g.nodes, g.name,
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [batch, 3, 256, 256])],
        [helper.make_tensor_value_info("output", TensorProto.FLOAT, [batch, 3, 256, 256])],
        initializer=g.inits)
    return graph, g.flops, k, c


def save(graph, out_dir, name):
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="dlf-cost-matched")
    model.ir_version = 7
    onnx.checker.check_model(model)
    path = os.path.join(out_dir, name)
    tmp = path + ".tmp"
    onnx.save(model, tmp)
    os.replace(tmp, path)


def main():
    parser = argparse.ArgumentParser(description="Cost-matched stand-ins for inswapper_128 and GPEN-BFR-256.")
    parser.add_argument("out_dir")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the production cost (0.02 = 1/50)")
    parser.add_argument("--swapper-gflops", type=float, default=SWAPPER_GFLOPS)
    parser.add_argument("--enhancer-gflops", type=float, default=ENHANCER_GFLOPS)
    args = parser.parse_args()
    if not (0 < args.scale <= 10):
        parser.error("--scale must be in (0, 10]")
    os.makedirs(args.out_dir, exist_ok=True)
    report = {"scale": args.scale}
    for name, build, target in (("inswapper_128_cost.onnx", swapper, args.swapper_gflops),
                                ("gpen_bfr_256_cost.onnx", enhancer, args.enhancer_gflops),
                                ("gpen_bfr_256_cost_b1.onnx", lambda g: enhancer(g, 1), args.enhancer_gflops)):
        goal = target * args.scale
        graph, flops, k, c = build(goal)
        save(graph, args.out_dir, name)
        report[name] = {"target_gflops_per_face": round(goal, 4), "graph_gflops_per_face": round(flops / 1e9, 4),
                        "body_convolutions": k, "width": c}
    with open(os.path.join(args.out_dir, "cost.json"), "w") as f:
        json.dump(report, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
