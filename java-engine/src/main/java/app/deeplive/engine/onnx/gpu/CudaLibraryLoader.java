package app.deeplive.engine.onnx.gpu;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Loads {@link CudaLoadOrder#LIBRARIES} in order, each from the first search folder that holds it, else by name
 * through the system's own library search (the ld.so cache, where distribution packages put them). It stops at the
 * first required library that cannot be loaded: the CUDA provider cannot run without it, so loading more would
 * only hold memory.
 */
final class CudaLibraryLoader {
    /**
     * @param loaded the path (or, from the system's search, the name) of each library opened, in load order
     * @param problem why the CUDA provider cannot run, in one line; null when every required library is open
     */
    record Result(List<String> loaded, String problem) {}

    private final List<Path> searchFolders;
    private final LibraryOpener opener;

    CudaLibraryLoader(List<Path> searchFolders, LibraryOpener opener) {
        this.searchFolders = List.copyOf(searchFolders);
        this.opener = opener;
    }

    Result load(List<CudaLibrary> libraries) {
        List<String> loaded = new ArrayList<>();
        for (CudaLibrary library : libraries) {
            Path file = find(library.soname());
            String target = file != null ? file.toString() : library.soname();
            String error = opener.open(target);
            if (error == null) {
                loaded.add(target);
                continue;
            }
            if (!library.required()) {
                continue;
            }
            String problem = file != null
                    ? "cannot load " + file + ": " + firstLine(error)
                    : library.soname() + " not found (looked in " + looked() + " and the system library path): "
                            + "install " + library.install() + ", or set DLF_CUDA_LIBS to the folder that holds it";
            return new Result(List.copyOf(loaded), problem);
        }
        return new Result(List.copyOf(loaded), null);
    }

    private Path find(String soname) {
        for (Path folder : searchFolders) {
            Path candidate = folder.resolve(soname);
            if (Files.isRegularFile(candidate)) {
                return candidate.toAbsolutePath();
            }
        }
        return null;
    }

    private String looked() {
        return searchFolders.isEmpty() ? "no folder"
                : searchFolders.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s.strip() : s.substring(0, nl).strip();
    }
}
