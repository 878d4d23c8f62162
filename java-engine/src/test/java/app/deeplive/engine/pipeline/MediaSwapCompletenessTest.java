package app.deeplive.engine.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import app.deeplive.engine.UserFacingException;
import app.deeplive.engine.models.DiskSpace;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bytedeco.ffmpeg.global.avcodec;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.OpenCVFrameConverter;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A video written onto a full disk: FFmpeg's buffered writes fail without an error reaching the recorder, so the
 * file is checked afterwards when the disk is nearly full. Found by swapping onto a full tmpfs: the run said
 * "wrote …: 24 frame(s)" over a file cut at 24 KiB.
 */
class MediaSwapCompletenessTest {
    private static final int FRAMES = 12;
    private static final DiskSpace FULL = dir -> 0;
    private static final DiskSpace ROOMY = dir -> 1L << 40;

    @TempDir
    Path dir;
    Path video;

    @BeforeEach
    void writeAVideo() throws Exception {
        video = dir.resolve("out.mp4");
        try (FFmpegFrameRecorder rec = new FFmpegFrameRecorder(video.toFile(), 64, 48, 0);
             OpenCVFrameConverter.ToMat frames = new OpenCVFrameConverter.ToMat();
             Mat grey = new Mat(48, 64, opencv_core.CV_8UC3, new Scalar(90, 120, 150, 0))) {
            rec.setFormat("mp4");
            rec.setVideoCodec(avcodec.AV_CODEC_ID_MPEG4);
            rec.setFrameRate(12);
            rec.start();
            for (int i = 0; i < FRAMES; i++) {
                rec.record(frames.convert(grey));
            }
            rec.stop();
        }
    }

    @Test
    void aCompleteVideoOnANearlyFullDiskPasses() {
        assertDoesNotThrow(() -> MediaSwap.checkComplete(video, video, FRAMES, FULL));
    }

    @Test
    void aVideoCutShortOnANearlyFullDiskIsAnErrorThatNamesTheDisk() throws Exception {
        cutInHalf(video);
        UserFacingException e = assertThrows(UserFacingException.class,
                () -> MediaSwap.checkComplete(video, video, FRAMES, FULL));
        assertTrue(e.getMessage().startsWith("cannot write video " + video + ": it was cut short at "), e.getMessage());
        assertTrue(e.getMessage().contains("the disk is full"), e.getMessage());
    }

    @Test
    void withSpaceLeftTheFileIsNotOpenedAgain() throws Exception {
        cutInHalf(video); // cannot happen for want of space; other write errors reach the recorder
        assertDoesNotThrow(() -> MediaSwap.checkComplete(video, video, FRAMES, ROOMY));
    }

    private static void cutInHalf(Path file) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(Files.size(file) / 2);
        }
    }
}
