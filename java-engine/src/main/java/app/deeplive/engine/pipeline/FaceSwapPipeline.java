package app.deeplive.engine.pipeline;

import app.deeplive.engine.analysis.BoundingBox;
import app.deeplive.engine.analysis.Face;
import app.deeplive.engine.blend.BlendOptions;
import app.deeplive.engine.blend.ColorTransfer;
import app.deeplive.engine.blend.FaceOccluder;
import app.deeplive.engine.blend.FacePaste;
import app.deeplive.engine.blend.MouthMask;
import app.deeplive.engine.enhance.FaceEnhancer;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.parallel.PerFace;
import app.deeplive.engine.swap.AlignedCrops;
import app.deeplive.engine.swap.Identity;
import app.deeplive.engine.swap.FaceSwapper;
import app.deeplive.engine.swap.PixelBoost;
import app.deeplive.engine.track.DetectionRound;
import app.deeplive.engine.track.FaceTracker;
import app.deeplive.engine.track.Track;
import app.deeplive.engine.track.TrackerSettings;
import app.deeplive.engine.track.TrackingQuality;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-frame face swap, in place: detect (every k-th frame) → track and smooth → select or map → swap → paste
 * back (mask, opacity, sharpness, colour, mouth) → enhance. Only the faces' regions of the frame are read and
 * written; a frame without faces is left exactly as it was. One pipeline follows one stream (it keeps the tracks
 * and the compositing's working images, reused from frame to frame); it is not thread-safe. It does not own the
 * models. Close it to free the working images at once (otherwise they go with the garbage collector).
 */
public final class FaceSwapPipeline implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FaceSwapPipeline.class);
    private static final int LATENT_CACHE = 16;
    private static final Comparator<Track> TRACKS_BY_AREA = Comparator.comparing(Track::face, Face.BY_AREA);
    /** A pause in the frames longer than this and the faces are found afresh. */
    private static final long STREAM_GAP_NANOS = 2_000_000_000L;

    private final SwapModels models;
    private final FaceTracker tracker;
    private final FaceDetections detections;
    private final List<float[]> enhanceKps = new ArrayList<>(); // the enhance step's, kept from frame to frame
    private final List<FacePaste> pastes = new ArrayList<>(); // the composite step's, one per face, kept
    // The swap step's own, reused frame to frame (one swap step runs at a time).
    private final List<AlignedCrops> crops = new ArrayList<>(); // by crop side: the swapper's, times pixel boost
    private final List<Mat> tiles = new ArrayList<>(); // pixel boost: every face's k² tiles in, then out
    private final List<Mat> tileOutputs = new ArrayList<>();
    private final List<Mat> faceCrops = new ArrayList<>(); // each face's aligned crop, this frame
    private final ColorTransfer colorTransfer = new ColorTransfer();
    private final List<Mat> swapCrops = new ArrayList<>();
    private final List<float[]> swapLatents = new ArrayList<>();
    private final List<Mat> swapOutputs = new ArrayList<>();
    private final FrameWork work = new FrameWork(); // process()'s own; the staged runner brings one per frame
    private final Set<String> warned = ConcurrentHashMap.newKeySet();
    private final MappedFaces mapped = new MappedFaces(this::warnOnce);
    private final Map<Identity, float[]> latents = new LinkedHashMap<>(LATENT_CACHE, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Identity, float[]> eldest) {
            return size() > LATENT_CACHE;
        }
    };
    private FaceSwapper latentsOf; // the swapper the cached latents were made for
    private final List<FaceOccluder> slotOccluders = new ArrayList<>(); // see occludersFor
    private FaceOccluder occludersOf; // the session's occluder they were made for
    private int framesSinceRequest = Integer.MAX_VALUE;
    private long frameNumber;
    private long resetAt;
    private long lastTimestamp = Long.MIN_VALUE;
    private long staleRounds;
    private long recentDetectNanos = -1; // see detectorIsFast
    private long primaryTrack = -1;
    private int lastWidth;
    private int lastHeight;

    public FaceSwapPipeline(SwapModels models) {
        this(models, TrackerSettings.DEFAULT);
    }

    public FaceSwapPipeline(SwapModels models, TrackerSettings tracking) {
        this(models, tracking, new InlineDetections(models.detector()));
    }

    /** @param detections where detection rounds come from (owned: closed with this pipeline) */
    public FaceSwapPipeline(SwapModels models, TrackerSettings tracking, FaceDetections detections) {
        this.models = models;
        this.tracker = new FaceTracker(tracking);
        this.detections = detections;
    }

    /** {@link #process(FrameView, SwapSettings, long)} timed by the system clock (live use). */
    public StageTimings process(FrameView frame, SwapSettings settings) {
        return process(frame, settings, System.nanoTime());
    }

    /**
     * Swaps the faces of one frame in place: the four steps one after another. The staged live runner calls the
     * same steps, each on a thread of its own.
     *
     * @param frame the frame (BGR or BGRA, any stride); only face regions are modified
     * @param settings this frame's snapshot of the user's settings
     * @param timestampNanos the frame's presentation time (monotonic), for keypoint smoothing
     */
    public StageTimings process(FrameView frame, SwapSettings settings, long timestampNanos) {
        if (!analyse(frame, settings, timestampNanos, work)) {
            return settings.swapsAnything() ? work.timings() : StageTimings.NONE;
        }
        swap(frame, work);
        composite(frame, work);
        enhance(frame, work);
        return work.timings();
    }

    /**
     * Step 1, reads the frame: follow the faces (optical flow), detect when due, then select or map the faces to swap.
     * Frames must come through this step in order (it keeps the tracks).
     *
     * @return whether the frame has a face to swap (if not, the other steps have nothing to do)
     */
    public boolean analyse(FrameView frame, SwapSettings settings, long timestampNanos, FrameWork into) {
        into.begin(settings);
        if (!settings.swapsAnything()) {
            if (!tracker.tracks().isEmpty()) {
                reset(); // paused: on resume the old tracks and any round still in flight mean nothing
            }
            return false;
        }
        if (lastTimestamp != Long.MIN_VALUE && timestampNanos - lastTimestamp > STREAM_GAP_NANOS) {
            reset(); // the stream paused (source hidden, scene switched): the faces are found afresh
        }
        lastTimestamp = timestampNanos;
        if (frame.width() != lastWidth || frame.height() != lastHeight) {
            reset(); // a new resolution (OBS canvas change): old positions mean nothing
            lastWidth = frame.width();
            lastHeight = frame.height();
        }
        // Follow the faces by their optical flow; ask for detection at least every k-th frame, and at once when
        // the flow is unsure or a face moves fast. A round may arrive frames after it was asked for (detection
        // beside the pipeline): the tracker brings it forward by each face's motion since. With nothing to follow,
        // or a face lost, this frame waits for its own round.
        frameNumber++;
        boolean flow = tracker.settings().opticalFlow(); // without it, every frame is detected where it is
        // With every face swapped and a detector fast enough, every frame is looked at where it is too: someone who
        // walks in is swapped from the first frame the detector sees them (TrackerSettings.everyFrameBelowNanos).
        boolean everyFrame = !flow || (swapsNewcomers(settings) && detectorIsFast());
        boolean scheduled = everyFrame || tracker.tracks().isEmpty() || framesSinceRequest >= settings.detectEveryK() - 1;
        DetectionRound round;
        if (scheduled && (detections.immediate() || everyFrame)) {
            round = detections.detectNow(frame, frameNumber);
            framesSinceRequest = 0;
        } else {
            TrackingQuality quality = tracker.follow(frame);
            if (tracker.tracks().isEmpty() || quality.lostAFace()) {
                round = detections.detectNow(frame, frameNumber);
                framesSinceRequest = 0;
            } else {
                if ((scheduled || quality.needsDetection(tracker.settings())) && detections.request(frame, frameNumber)) {
                    framesSinceRequest = 0;
                } else if (framesSinceRequest < Integer.MAX_VALUE) {
                    framesSinceRequest++;
                }
                round = detections.poll();
            }
        }
        if (round != null && round.frame() <= resetAt) {
            round = null; // looked at a frame before the reset (another size or scene): its positions mean nothing
        }
        if (round != null && frameNumber - round.frame() >= Track.HISTORY) {
            staleRounds++; // too late to bring forward: the tracks no longer remember where the faces were then
            round = null;
        }
        if (round != null && round.frame() != frameNumber && tracker.bringsNewFaces(round, frameNumber)) {
            // Someone new, seen frames ago: they could only start where they were then. Look at this frame.
            round = detections.detectNow(frame, frameNumber);
            framesSinceRequest = 0;
        }
        if (round != null) {
            if (round.detectNanos() > 0) { // the detector's recent speed: a running mean over about 8 runs
                recentDetectNanos = recentDetectNanos < 0 ? round.detectNanos()
                        : (7 * recentDetectNanos + round.detectNanos()) / 8;
            }
            into.detectNanos = round.detectNanos();
            into.detected = round.faces().size();
            into.detectionRan = true;
        }
        List<Track> tracks = tracker.take(frame, timestampNanos, frameNumber, round);
        long t1 = System.nanoTime();
        into.recognised = select(frame.mat(), tracks, settings, into.targets);
        into.recogniseNanos = System.nanoTime() - t1;
        return !into.targets.isEmpty();
    }

    /** Whether faces that appear are swapped too: every face, or every mapped person (not one chosen face). */
    private static boolean swapsNewcomers(SwapSettings settings) {
        return settings.manyFaces() || !settings.mappings().isEmpty();
    }

    /** Whether the detector's recent runs were fast enough to run on every frame. */
    private boolean detectorIsFast() {
        return recentDetectNanos >= 0 && recentDetectNanos <= tracker.settings().everyFrameBelowNanos();
    }

    /**
     * Step 2, reads the frame: each face's aligned crop through the swapper (colour-corrected if asked), its
     * occlusion mask (if asked) and its mouth polygon for the mouth mask.
     */
    public void swap(FrameView frame, FrameWork work) {
        Mat image = frame.mat();
        BlendOptions blend = work.settings.blend();
        List<FrameWork.Target> targets = work.targets;
        long a = System.nanoTime();
        swapCrops.clear();
        swapLatents.clear();
        swapOutputs.clear();
        FaceSwapper swapper = swapperFor(work.settings);
        int k = PixelBoost.factor(work.settings.pixelBoost(), swapper.size());
        AlignedCrops cutter = cropsOfSide(swapper.size() * k);
        while (tiles.size() < targets.size() * k * k) {
            tiles.add(new Mat());
            tileOutputs.add(new Mat());
        }
        List<Mat> cut = faceCrops;
        cut.clear();
        for (int i = 0; i < targets.size(); i++) { // indexed loops: no iterator per frame
            FrameWork.Target target = targets.get(i);
            target.toCrop = swapper.cropTransform(target.face.kps(), k);
            Mat crop = cutter.cut(i, image, target.toCrop);
            cut.add(crop);
            float[] latent = latentOf(swapper, target.source);
            if (k == 1) {
                swapCrops.add(crop);
                swapLatents.add(latent);
                swapOutputs.add(work.swappedImage(i));
                continue;
            }
            // Pixel boost: the face's k² tiles go through the swapper with the others', in one call.
            PixelBoost.split(crop, k, tiles, i * k * k); // into this face's k² of the list: no view per face
            for (int t = 0; t < k * k; t++) {
                swapCrops.add(tiles.get(i * k * k + t));
                swapLatents.add(latent);
                swapOutputs.add(tileOutputs.get(i * k * k + t));
            }
        }
        swapper.swapAll(swapCrops, swapLatents, swapOutputs);
        FaceOccluder occluder = blend.occlusionMask() ? models.occluder() : null;
        if (blend.occlusionMask() && occluder == null) {
            warnOnce("the occlusion mask is on but no occlusion model is loaded (xseg_2, or serve --occluder FILE): "
                    + "hands and objects in front of the face are swapped over");
        }
        if (occluder != null) { // from the original crops: what covers each face before it is swapped
            for (int i = 0; i < targets.size(); i++) {
                targets.get(i).occlusion = work.occlusionImage(i);
            }
            List<FaceOccluder> perFace = occludersFor(occluder, targets.size());
            PerFace.run(targets.size(), i -> perFace.get(i).mask(cut.get(i), targets.get(i).occlusion));
        }
        for (int i = 0; i < targets.size(); i++) {
            Mat swapped = work.swappedImage(i);
            if (k > 1) {
                PixelBoost.assemble(tileOutputs, i * k * k, k, swapped);
            }
            targets.get(i).swapped = swapped;
            if (blend.colorCorrection()) {
                colorTransfer.recolour(swapped, cut.get(i));
            }
        }
        long b = System.nanoTime();
        for (int i = 0; i < targets.size(); i++) {
            FrameWork.Target target = targets.get(i);
            target.mouth = mouthPolygon(image, target.face.box(), blend.mouthMask());
        }
        work.swapNanos = b - a;
        work.landmarkNanos = System.nanoTime() - b;
    }

    /** Step 3, writes the frame: each swapped face pasted back (mask, opacity, sharpness, mouth) in its region. */
    public void composite(FrameView frame, FrameWork work) {
        long t0 = System.nanoTime();
        Mat image = frame.mat();
        BlendOptions blend = work.settings.blend();
        List<FrameWork.Target> targets = work.targets;
        int n = targets.size();
        while (pastes.size() < n) {
            pastes.add(new FacePaste());
        }
        // Masks and warps side by side (they read no frame pixels), then the blends in order: a later face on top.
        PerFace.run(n, i -> {
            FrameWork.Target target = targets.get(i);
            if (target.swapped != null) {
                pastes.get(i).prepare(target.swapped, target.toCrop, blend, target.mouth, target.occlusion,
                        image.cols(), image.rows(), image.channels());
            }
        });
        for (int i = 0; i < n; i++) { // indexed: no iterator per frame
            if (targets.get(i).swapped != null) { // prepared above, this frame
                pastes.get(i).blendInto(image);
            }
        }
        work.releaseSwapped();
        work.blendNanos = System.nanoTime() - t0;
    }

    /** Step 4, writes the frame: the chosen enhancer over the swapped faces (pasted in target order), if any. */
    public void enhance(FrameView frame, FrameWork work) {
        long t0 = System.nanoTime();
        SwapSettings settings = work.settings;
        FaceEnhancer enhancer = models.enhancer(settings.enhancer());
        if (settings.enhancer() != null && enhancer == null) {
            warnOnce("enhancer " + settings.enhancer().cliName() + " is not loaded; faces are not enhanced");
        }
        if (enhancer != null && settings.enhancerBlend() > 0) {
            enhanceKps.clear();
            for (FrameWork.Target target : work.targets) {
                enhanceKps.add(target.face.kps());
            }
            enhancer.enhanceAll(frame.mat(), enhanceKps, settings.enhancerBlend());
        }
        work.enhanceNanos = System.nanoTime() - t0;
    }

    /** Detection rounds dropped because they came back too late to be brought forward. */
    public long staleRounds() {
        return staleRounds;
    }

    /** Forgets tracked faces (a new stream, a scene cut). */
    public void reset() {
        tracker.reset();
        framesSinceRequest = Integer.MAX_VALUE;
        resetAt = frameNumber;
        primaryTrack = -1;
    }

    /** Frees the compositing's working images; the pipeline must not be used afterwards. */
    @Override
    public void close() {
        detections.close();
        tracker.close();
        work.close();
        pastes.forEach(FacePaste::close);
        crops.forEach(AlignedCrops::close);
        closeSlotOccluders();
        tiles.forEach(Mat::close);
        tileOutputs.forEach(Mat::close);
        colorTransfer.close();
    }

    /** The faces being followed, for overlays and diagnostics. */
    public List<Track> tracks() {
        return tracker.tracks();
    }

    /** Adds the faces to swap and their sources to {@code out}; returns the faces recognised for face mapping. */
    private int select(Mat image, List<Track> tracks, SwapSettings settings, List<FrameWork.Target> out) {
        if (tracks.isEmpty()) {
            return 0;
        }
        if (!settings.mappings().isEmpty()) {
            // Retries are budgeted per detect_every frames, whether the detector runs that often or on every frame.
            long window = (frameNumber - 1) / settings.detectEveryK();
            return mapped.select(image, tracks, settings, models.recognizer(), window, out);
        }
        if (settings.manyFaces()) {
            for (Track t : tracks) {
                out.add(new FrameWork.Target(t.face(), settings.source()));
            }
            return 0;
        }
        // One face: stay with the person chosen first while they are tracked, then take the largest.
        Track primary = null;
        for (Track t : tracks) {
            if (t.id() == primaryTrack) {
                primary = t;
            }
        }
        if (primary == null) {
            primary = Collections.max(tracks, TRACKS_BY_AREA);
            primaryTrack = primary.id();
        }
        out.add(new FrameWork.Target(primary.face(), settings.source()));
        return 0;
    }

    /** The working crops of one side, made on first use (a few sides at most: the swapper's, boosted 2× or 4×). */
    private AlignedCrops cropsOfSide(int side) {
        for (int i = 0; i < crops.size(); i++) {
            if (crops.get(i).size() == side) {
                return crops.get(i);
            }
        }
        AlignedCrops made = new AlignedCrops(side);
        crops.add(made);
        return made;
    }

    /**
     * The swapper the settings name, else (not loaded yet, refused, or never asked for) the engine's own: a face is
     * always swapped, and the session's status line says which model it waits for or why it is not used.
     */
    private FaceSwapper swapperFor(SwapSettings settings) {
        FaceSwapper chosen = models.swapper(settings.swapper());
        return chosen != null ? chosen : models.swapper();
    }

    /**
     * An occluder per face slot over {@code occluder}'s model, so the faces' masks are made side by side (each
     * wrapper has its own buffers; the model is shared): the first slot is {@code occluder} itself, the others are
     * made once and kept until the session's occluder changes.
     */
    private List<FaceOccluder> occludersFor(FaceOccluder occluder, int faces) {
        if (occluder != occludersOf) {
            closeSlotOccluders();
            occludersOf = occluder;
            slotOccluders.add(occluder);
        }
        while (slotOccluders.size() < faces) {
            slotOccluders.add(occluder.forAnotherCaller());
        }
        return slotOccluders;
    }

    /** Closes the slot occluders this pipeline made (not the first: it is the session's). */
    private void closeSlotOccluders() {
        for (int i = 1; i < slotOccluders.size(); i++) {
            slotOccluders.get(i).close();
        }
        slotOccluders.clear();
        occludersOf = null;
    }

    private float[] latentOf(FaceSwapper swapper, Identity source) {
        if (swapper != latentsOf) { // another model wants another latent for the same identity
            latents.clear();
            latentsOf = swapper;
        }
        float[] latent = latents.get(source); // get and put, not computeIfAbsent: no capturing lambda per face
        if (latent == null) {
            latent = swapper.latent(source.embedding());
            latents.put(source, latent);
        }
        return latent;
    }

    private float[] mouthPolygon(Mat image, BoundingBox box, int slider) {
        if (slider <= 0) {
            return null;
        }
        if (models.landmarks() == null) {
            warnOnce("the mouth mask needs the 2d106det landmark model; the mouth is swapped too");
            return null;
        }
        return MouthMask.polygon(models.landmarks().detect(image, box), slider);
    }

    private void warnOnce(String message) {
        if (warned.add(message)) {
            LOG.warn(message);
        }
    }
}
