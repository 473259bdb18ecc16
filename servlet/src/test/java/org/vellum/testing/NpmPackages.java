package org.vellum.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Browser code the tests need (Mirador, a current OpenSeadragon), fetched with the machine's npm into
 * {@code target/npm/} at test time and kept there for later runs: never in the source tree.
 */
public final class NpmPackages {
    private NpmPackages() {
    }

    /**
     * {@code file} (relative to the package root) of {@code name@version}, or null when npm cannot fetch it (no npm,
     * no registry), so a test can skip with a reason.
     */
    public static Path fetch(String name, String version, String file) throws InterruptedException {
        Path dir = Path.of("target", "npm", name.replace('/', '_') + "-" + version).toAbsolutePath();
        Path wanted = dir.resolve("package").resolve(file);
        if (Files.isRegularFile(wanted)) return wanted;
        try {
            Files.createDirectories(dir);
            if (!run(dir, 180, "npm", "pack", "--silent", name + "@" + version)) return null;
            String tgz = name.replace("@", "").replace('/', '-') + "-" + version + ".tgz";
            if (!run(dir, 60, "tar", "xzf", tgz)) return null;
        } catch (IOException e) {
            return null;
        }
        return Files.isRegularFile(wanted) ? wanted : null;
    }

    private static boolean run(Path dir, int seconds, String... command) throws IOException, InterruptedException {
        try {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("fetch.log").toFile()).start();
            if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        }
    }
}
