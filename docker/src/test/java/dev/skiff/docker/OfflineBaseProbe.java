package dev.skiff.docker;

import dev.skiff.Image;

/**
 * A JVM that builds {@link Image#debianSlim()} twice, with two builders, in a process that has not
 * built it before. It prints each build log line as {@code log: LINE} and each result as
 * {@code reference=REF} on standard output.
 */
public final class OfflineBaseProbe {
    private OfflineBaseProbe() {
    }

    public static void main(String[] args) {
        try (DockerConnection docker = DockerConnection.fromEnvironment()) {
            for (int build = 0; build < 2; build++) {
                String reference = new ImageBuilder(docker).buildLog(line -> System.out.println("log: " + line))
                        .build(Image.debianSlim());
                System.out.println("reference=" + reference);
            }
        }
    }
}
