package app.deeplive.engine.live;

/**
 * One work item's per-face crop geometry and a model's output for those faces: the transform from the frame to each
 * face's crop, its inverse, and the planar output crops. Made once per work item.
 */
final class FaceCrops implements AutoCloseable {
    final double[][] frameToCrop;
    final double[][] cropToFrame;
    final BatchedFaceModel.Output output;

    FaceCrops(int maxFaces, BatchedFaceModel.Output output) {
        this.frameToCrop = new double[maxFaces][6];
        this.cropToFrame = new double[maxFaces][6];
        this.output = output;
    }

    @Override
    public void close() {
        output.close();
    }
}
