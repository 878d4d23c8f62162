package app.deeplive.engine.pipeline;

import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AAC;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_FFV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MPEG4;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S16LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_VP9;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_OPUS;
import static org.bytedeco.ffmpeg.global.avutil.AV_PIX_FMT_BGR24;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.image.FrameView;
import app.deeplive.engine.image.ImageLoader;
import app.deeplive.engine.models.DiskSpace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Set;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FFmpegLogCallback;
import org.bytedeco.javacv.Frame;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.opencv_core.Mat;

/**
 * Runs the pipeline over a file: an image, or a video decoded and re-encoded with FFmpeg (JavaCV) keeping its
 * frame rate, size and audio, with a progress bar. The output appears only when complete (written beside it
 * under a temporary name, then moved into place).
 */
public final class MediaSwap {
    private static final Set<String> IMAGE_TYPES = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");

    private MediaSwap() {}

    /** Whether the file name says it is a still image. */
    public static boolean isImage(Path file) {
        return IMAGE_TYPES.contains(extension(file));
    }

    /** What a run did. */
    public record Result(long frames, long framesWithSwaps) {}

    /** Swaps the faces of one image into {@code output} (an image file type). */
    public static Result image(Path target, Path output, FaceSwapPipeline pipeline, SwapSettings settings) {
        if (!isImage(output)) {
            throw new UserFacingException("output " + output + " must be an image file (" + String.join(", ", IMAGE_TYPES)
                    + ") for an image target");
        }
        try (Mat frame = ImageLoader.load(target); FrameView view = FrameView.of(frame)) {
            StageTimings t = pipeline.process(view, settings, 0);
            Path tmp = temporaryBeside(output);
            try {
                if (!opencv_imgcodecs.imwrite(tmp.toString(), frame)) {
                    throw new UserFacingException("cannot write " + output + ": " + WriteFailure.why(output, DiskSpace.FILE_STORE));
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UserFacingException("cannot write " + output + ": " + e.getMessage(), e);
            } finally {
                deleteQuietly(tmp);
            }
            return new Result(1, t.swapped() > 0 ? 1 : 0);
        }
    }

    /** Swaps the faces of every frame of a video into {@code output}, keeping fps and audio. */
    public static Result video(Path target, Path output, FaceSwapPipeline pipeline, SwapSettings settings, boolean progress) {
        FFmpegLogCallback.setLevel(org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR);
        Path tmp = temporaryBeside(output);
        long frames = 0;
        long swappedFrames = 0;
        try (FFmpegFrameGrabber grabber = new FFmpegFrameGrabber(target.toFile())) {
            grabber.setPixelFormat(AV_PIX_FMT_BGR24);
            try {
                grabber.start();
            } catch (FrameGrabber.Exception e) {
                throw new UserFacingException("cannot read " + target + " as an image or a video (" + e.getMessage()
                        + "); pass a JPEG/PNG image or a video FFmpeg can decode", e);
            }
            if (grabber.getImageWidth() <= 0 || grabber.getImageHeight() <= 0) {
                throw new UserFacingException(target + " has no video stream; pass an image or a video");
            }
            double fps = grabber.getFrameRate() > 0 ? grabber.getFrameRate() : 30;
            try (FFmpegFrameRecorder recorder = recorderFor(tmp, output, grabber, fps);
                    OpenCVFrameConverter.ToMat converter = new OpenCVFrameConverter.ToMat();
                    ProgressBar bar = progress ? bar(output, grabber.getLengthInVideoFrames()) : null) {
                try {
                    recorder.start();
                } catch (FrameRecorder.Exception e) {
                    throw new UserFacingException("cannot write video " + output + " (" + e.getMessage()
                            + "): check the folder and use .mp4, .mkv, .avi or .webm", e);
                }
                Frame frame;
                while ((frame = grabber.grab()) != null) {
                    if (frame.image != null) {
                        Mat image = converter.convert(frame); // a view of the frame's pixels: swapped in place
                        try (FrameView view = FrameView.of(image)) {
                            long pts = Math.round(frames * 1e9 / fps);
                            if (pipeline.process(view, settings, pts).swapped() > 0) {
                                swappedFrames++;
                            }
                        }
                        frames++;
                        if (bar != null) {
                            bar.step();
                        }
                    }
                    if (frame.image != null || frame.samples != null) {
                        record(recorder, frame, output);
                    }
                }
                try {
                    recorder.stop();
                } catch (FrameRecorder.Exception e) {
                    throw cannotWrite(output, e);
                }
            }
            checkComplete(tmp, output, frames, DiskSpace.FILE_STORE);
            Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
            throw new UserFacingException("video processing failed on " + target + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UserFacingException("cannot write " + output + ": " + e.getMessage(), e);
        } finally {
            deleteQuietly(tmp);
        }
        return new Result(frames, swappedFrames);
    }

    private static void record(FFmpegFrameRecorder recorder, Frame frame, Path output) {
        try {
            recorder.record(frame);
        } catch (FrameRecorder.Exception e) {
            throw cannotWrite(output, e);
        }
    }

    /**
     * FFmpeg's buffered writes can fail on a full disk with no error reaching {@code record()} or {@code stop()}: the
     * file is cut short and the run looks fine. So when the disk is nearly full after a run, the written file is
     * opened again and must hold every frame, else the disk is named as the cause. With space left this costs nothing.
     */
    static void checkComplete(Path written, Path output, long frames, DiskSpace space) {
        if (!WriteFailure.nearlyFull(written.getParent(), space)) {
            return;
        }
        long found;
        try (FFmpegFrameGrabber check = new FFmpegFrameGrabber(written.toFile())) {
            check.start();
            found = check.getLengthInVideoFrames();
        } catch (FrameGrabber.Exception e) {
            found = -1; // not even its header made it
        }
        // The container's count is an estimate (duration × rate) and may be a frame or two short on a whole file;
        // a cut-short file has no index at all (mp4) or loses far more.
        if (found + Math.max(2, frames / 500) < frames) {
            throw new UserFacingException("cannot write video " + output + ": it was cut short at " + Math.max(found, 0)
                    + " of " + frames + " frames; " + WriteFailure.why(output, space));
        }
    }

    /** A failed encode or write of the output, with what to do: a full disk says so. */
    private static UserFacingException cannotWrite(Path output, FrameRecorder.Exception e) {
        return new UserFacingException("cannot write video " + output + " (" + e.getMessage() + "): "
                + WriteFailure.why(output, DiskSpace.FILE_STORE), e);
    }

    private static FFmpegFrameRecorder recorderFor(Path tmp, Path output, FFmpegFrameGrabber grabber, double fps) {
        String ext = extension(output);
        FFmpegFrameRecorder r = new FFmpegFrameRecorder(tmp.toFile(), grabber.getImageWidth(), grabber.getImageHeight(),
                grabber.getAudioChannels());
        r.setFormat(switch (ext) {
            case "mp4", "m4v", "mov" -> "mp4";
            case "mkv" -> "matroska";
            case "avi" -> "avi";
            case "webm" -> "webm";
            default -> throw new UserFacingException("output " + output + ": use .mp4, .mkv, .avi or .webm for a video");
        });
        r.setFrameRate(fps);
        // This FFmpeg build has no H.264 encoder (LGPL): MPEG-4 Part 2 at high quality, VP9 for WebM.
        if (ext.equals("webm")) {
            r.setVideoCodec(AV_CODEC_ID_VP9);
            r.setVideoOption("crf", "30");
            r.setVideoBitrate(0);
        } else if (ext.equals("mkv") && grabber.getVideoCodec() == AV_CODEC_ID_FFV1) {
            r.setVideoCodec(AV_CODEC_ID_FFV1); // lossless in, lossless out
        } else {
            r.setVideoCodec(AV_CODEC_ID_MPEG4);
            r.setVideoQuality(2);
        }
        if (grabber.getAudioChannels() > 0) {
            r.setSampleRate(grabber.getSampleRate());
            r.setAudioChannels(grabber.getAudioChannels());
            r.setAudioCodec(switch (ext) {
                case "webm" -> AV_CODEC_ID_OPUS;
                case "avi" -> AV_CODEC_ID_PCM_S16LE;
                default -> grabber.getAudioCodec() == AV_CODEC_ID_PCM_S16LE && !ext.equals("mp4")
                        ? AV_CODEC_ID_PCM_S16LE : AV_CODEC_ID_AAC;
            });
            if (grabber.getAudioBitrate() > 0) {
                r.setAudioBitrate(grabber.getAudioBitrate());
            }
        }
        return r;
    }

    private static ProgressBar bar(Path output, int totalFrames) {
        return new ProgressBarBuilder().setTaskName("swap " + output.getFileName())
                .setInitialMax(totalFrames > 0 ? totalFrames : -1) // -1: length unknown.setStyle(ProgressBarStyle.ASCII).setUnit(" frames", 1)
                .continuousUpdate().build();
    }

    private static Path temporaryBeside(Path output) {
        Path abs = output.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new UserFacingException("cannot write " + output + ": folder " + dir + " does not exist");
        }
        String ext = extension(output);
        return dir.resolve("." + abs.getFileName() + ".partial" + (ext.isEmpty() ? "" : "." + ext));
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // best effort: a leftover .partial file is harmless and named as such
        }
    }

    static String extension(Path file) {
        String name = String.valueOf(file.getFileName());
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
